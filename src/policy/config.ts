// The one policy schema shared by the extension settings and `--config` files, and its resolution into
// a ResolvedPolicy (preset + overrides merged). Invalid input names the key, the value and what is allowed.
import { RE2JS } from 're2js';
import { z } from 'zod';
import { normalizeModuleName } from './module-name';
import {
  DEFAULT_PRESET,
  PRESETS,
  PRESET_NAMES,
  type PresetName,
  type RestrictedModule,
  type RuleSetting,
} from './presets';
import { RULE_IDS, type RuleId } from './rules';
import { SEVERITIES, type Language, type Severity } from './types';
import { errorMessage } from '../error-message';

const MAX_PATTERN_LENGTH = 1000;
const MAX_LIST_LENGTH = 500;

const severity = z.enum(SEVERITIES as [Severity, ...Severity[]]);
const ruleSetting = z.enum(['SAFE', 'LOW', 'MEDIUM', 'HIGH', 'off']);
const language = z.enum(['python', 'javascript', 'typescript']);
// Python dotted names, Node built-ins (`node:fs`, `fs/promises`) and npm packages (`@scope/pkg`).
const moduleName = z
  .string()
  .regex(
    /^(node:)?[A-Za-z_@][\w.\-/@]*$/,
    'a module name such as "subprocess", "os.path" or "child_process"',
  );

const restrictedModule = z
  .object({ name: moduleName, severity, description: z.string().max(500).optional() })
  .strict();

const customPattern = z
  .object({
    pattern: z.string().min(1).max(MAX_PATTERN_LENGTH),
    description: z.string().min(1).max(500),
    severity,
    /** Also match inside strings and comments (off by default: text in strings is data, not code). */
    matchStrings: z.boolean().optional(),
    /** Languages the pattern applies to (default: all). */
    languages: z.array(language).min(1).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const problem = patternError(value.pattern);
    if (problem) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem });
  });

export const PolicyConfigSchema = z
  .object({
    /** JSON schema reference, allowed so that config files can point editors at a schema. */
    $schema: z.string().optional(),
    preset: z.enum(PRESET_NAMES).optional(),
    threshold: severity.optional(),
    restrictedModules: z.array(restrictedModule).max(MAX_LIST_LENGTH).optional(),
    allowedModules: z.array(moduleName).max(MAX_LIST_LENGTH).optional(),
    rules: z.partialRecord(z.enum(RULE_IDS), ruleSetting).optional(),
    customPatterns: z.array(customPattern).max(MAX_LIST_LENGTH).optional(),
    inlineSuppressions: z.boolean().optional(),
  })
  .strict();

export type PolicyConfig = z.input<typeof PolicyConfigSchema>;

/** Policy config keys and the editor settings (the `sandboxPolicy` section) they come from. */
export const POLICY_SETTING_KEYS = [
  ['preset', 'preset'],
  ['threshold', 'threshold'],
  ['restrictedModules', 'restrictedModules'],
  ['allowedModules', 'allowedModules'],
  ['rules', 'ruleOverrides'],
  ['customPatterns', 'customPatterns'],
  ['inlineSuppressions', 'inlineSuppressions'],
] as const satisfies readonly (readonly [keyof PolicyConfig & string, string])[];

export interface CustomPattern {
  pattern: string;
  description: string;
  severity: Severity;
  matchStrings: boolean;
  languages: Language[];
}

export interface ResolvedPolicy {
  preset: PresetName;
  threshold: Severity;
  /** Every rule's severity (or `off`); for restricted-module and custom-pattern a cap on each entry's own. */
  rules: Record<RuleId, RuleSetting>;
  /** The preset's restricted modules merged with the config's (the config wins by name), minus allowed modules. */
  restrictedModules: RestrictedModule[];
  /** Modules exempt from restricted-module and from findings about their members. */
  allowedModules: string[];
  customPatterns: CustomPattern[];
  /**
   * Whether `sandboxPolicy: ignore` comments in the code suppress findings. Off to gate code whose author is
   * not trusted (it could waive its own findings), as Ruff's `--ignore-noqa` and Bandit's `--ignore-nosec` do.
   */
  inlineSuppressions: boolean;
}

export class PolicyConfigError extends Error {
  override name = 'PolicyConfigError';
}

/** The RE2 (linear-time) compile error of a pattern, or undefined when it compiles. */
export function patternError(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    return `invalid regular expression (RE2 syntax, no backreferences or lookaround): ${errorMessage(error)}`;
  }
}

export { normalizeModuleName };

export function resolvePolicy(config: unknown): ResolvedPolicy {
  const parsed = PolicyConfigSchema.safeParse(config ?? {});
  if (!parsed.success) throw new PolicyConfigError(describeIssues(parsed.error.issues, config));
  const input = parsed.data;
  const preset = PRESETS[input.preset ?? DEFAULT_PRESET];
  const allowed = [...new Set((input.allowedModules ?? []).map(normalizeModuleName))];
  const byName = new Map<string, RestrictedModule>();
  for (const mod of preset.restrictedModules) byName.set(mod.name, mod);
  for (const mod of input.restrictedModules ?? []) {
    const name = normalizeModuleName(mod.name);
    byName.set(name, {
      name,
      severity: mod.severity,
      description: mod.description ?? 'restricted by the policy',
    });
  }
  const restrictedModules = [...byName.values()].filter((mod) => !allowed.includes(mod.name));
  return {
    preset: preset.name,
    threshold: input.threshold ?? preset.threshold,
    rules: { ...preset.rules, ...input.rules },
    restrictedModules,
    allowedModules: allowed,
    customPatterns: (input.customPatterns ?? []).map((p) => ({
      pattern: p.pattern,
      description: p.description,
      severity: p.severity,
      matchStrings: p.matchStrings ?? false,
      languages: p.languages ?? ['python', 'javascript', 'typescript'],
    })),
    inlineSuppressions: input.inlineSuppressions ?? true,
  };
}

/** The default policy (the production preset). */
export function defaultPolicy(): ResolvedPolicy {
  return resolvePolicy({});
}

const KEYS_AT: Record<string, readonly string[]> = {
  '': [
    '$schema',
    'preset',
    'threshold',
    'restrictedModules',
    'allowedModules',
    'rules',
    'customPatterns',
    'inlineSuppressions',
  ],
  restrictedModules: ['name', 'severity', 'description'],
  customPatterns: ['pattern', 'description', 'severity', 'matchStrings', 'languages'],
  rules: RULE_IDS,
};

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(the policy)';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

type Issue = z.core.$ZodIssue;

function describeIssue(issue: Issue, root: unknown): string {
  const path = issue.path;
  const where = formatPath(path);
  const got = show(valueAt(root, path));
  switch (issue.code) {
    case 'unrecognized_keys': {
      const section = path.filter((p) => typeof p !== 'number').join('.');
      const allowed = KEYS_AT[section] ?? [];
      return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys
        .map((k) => `"${k}"`)
        .join(', ')}; allowed: ${allowed.join(', ')}`;
    }
    case 'invalid_key': {
      const section = path.filter((p) => typeof p !== 'number').join('.');
      return `${where}: unknown key; allowed: ${(KEYS_AT[section] ?? []).join(', ')}`;
    }
    case 'invalid_value':
      return `${where}: ${got} is not allowed; expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_type':
      return `${where}: expected ${issue.expected}, got ${got}`;
    default:
      return `${where}: ${got}: ${issue.message}`;
  }
}

function describeIssues(issues: readonly Issue[], root: unknown): string {
  const lines = issues.slice(0, 10).map((issue) => describeIssue(issue, root));
  if (issues.length > 10) lines.push(`... and ${issues.length - 10} more`);
  return `invalid policy: ${lines.join('; ')}`;
}

/** The policy schema as JSON Schema (docs/policy.schema.json; editors validate `--config` files with it). */
export function policyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PolicyConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    $id: 'https://github.com/sandbox-policy/sandbox-policy/blob/main/docs/policy.schema.json',
    title: 'Sandbox Policy configuration',
    description:
      'A policy for `sandbox-policy check --config` and the sandboxPolicy settings: a preset plus overrides. Custom patterns use RE2 syntax.',
  };
}
