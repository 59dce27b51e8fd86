// Turns the effective `sandboxPolicy.*` values into what the extension runs on: a resolved policy (the
// engine's zod schema), run limits and runner choices, and the E2B runner's settings (the E2B runner's
// zod schema). A wrong value becomes one problem that names the setting, its value and what is allowed;
// the caller then keeps the last valid settings. No vscode import.
import { z } from 'zod';
import {
  POLICY_SETTING_KEYS,
  PolicyConfigError,
  resolvePolicy,
  type PolicyConfig,
  type ResolvedPolicy,
} from '../policy/config';
import { E2BSettingsSchema, LIFETIME_GRACE_SECONDS, type E2BSettingsInput } from '../sandbox/e2b/settings';
import { DEFAULT_LIMITS, type Backend, type RunLimits } from '../sandbox/run-types';
import { GATE_MODES, type GateMode } from './gate-mode';
import { fullKey, valueOf, type EffectiveSettings } from './settings-model';
import { errorMessage } from '../error-message';

export type Isolation = 'process' | 'thread';
export type OsSandboxSetting = 'auto' | 'required' | 'off';

export interface RunSettings {
  limits: RunLimits;
  defaultRunner: Backend;
  isolation: Isolation;
  osSandbox: OsSandboxSetting;
  gateMode: GateMode;
}

export interface InterpretedSettings {
  policyConfig: PolicyConfig;
  policy: ResolvedPolicy;
  run: RunSettings;
  e2b: E2BSettingsInput;
}

export interface SettingsProblem {
  /** The full setting name, e.g. `sandboxPolicy.ruleOverrides`. */
  setting: string;
  /** What is wrong and what is allowed, ready to show. */
  message: string;
}

export type Interpretation =
  { ok: true; value: InterpretedSettings } | { ok: false; problem: SettingsProblem };

/** Run settings: schema and the words that say what is allowed. */
const RUN_RULES: readonly { key: string; schema: z.ZodType; expected: string }[] = [
  {
    key: 'run.timeoutSeconds',
    schema: z.number().min(1).max(3600),
    expected: 'a number of seconds from 1 to 3600',
  },
  {
    key: 'run.memoryMb',
    schema: z.number().int().min(128).max(4096),
    expected: 'a whole number of MB from 128 to 4096',
  },
  {
    key: 'run.maxOutputBytes',
    schema: z.number().int().min(1024).max(100_000_000),
    expected: 'a whole number of bytes from 1024 to 100000000',
  },
  { key: 'defaultRunner', schema: z.enum(['pyodide', 'e2b']), expected: '"pyodide" or "e2b"' },
  { key: 'pyodide.isolation', schema: z.enum(['process', 'thread']), expected: '"process" or "thread"' },
  {
    key: 'run.osSandbox',
    schema: z.enum(['auto', 'required', 'off']),
    expected: '"auto", "required" or "off"',
  },
  {
    key: 'gateMode',
    schema: z.enum(GATE_MODES as [GateMode, ...GateMode[]]),
    expected: '"ask", "refuse" or "warn"',
  },
];

/** E2B settings keys (after `sandboxPolicy.e2b.`) that map one to one onto the E2B runner's schema. */
const E2B_KEYS: readonly (keyof E2BSettingsInput & string)[] = [
  'template',
  'allowInternetAccess',
  'maxLifetimeSeconds',
  'burstCreations',
  'hourlyCreations',
  'dailyCreations',
  'maxConcurrentSandboxes',
  'dailyBudgetUsd',
  'maxUploadBytes',
  'uploadFiles',
];

/** E2B schema keys filled from the run settings, and the setting to blame when they are wrong. */
const E2B_DERIVED: Record<string, string> = {
  runTimeoutSeconds: 'run.timeoutSeconds',
  maxOutputBytes: 'run.maxOutputBytes',
};

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function problem(key: string, message: string): Interpretation {
  return { ok: false, problem: { setting: fullKey(key), message } };
}

export function policyConfigOf(settings: EffectiveSettings): PolicyConfig {
  const config: Record<string, unknown> = {};
  for (const [configKey, settingKey] of POLICY_SETTING_KEYS) {
    const value = valueOf(settings, settingKey);
    // An empty threshold means "the preset's own".
    if (value === undefined || value === null || (settingKey === 'threshold' && value === '')) continue;
    config[configKey] = value;
  }
  return config as PolicyConfig;
}

/** The engine's message, with its path spelled as the setting the user edits. */
function policyProblem(config: PolicyConfig, error: unknown): Interpretation {
  for (const [configKey, settingKey] of POLICY_SETTING_KEYS) {
    if (!(configKey in config)) continue;
    try {
      resolvePolicy({ [configKey]: (config as Record<string, unknown>)[configKey] });
    } catch (keyError) {
      const text = errorMessage(keyError).replace(/^invalid policy: /, '');
      const message = text.split(configKey).join(fullKey(settingKey));
      return problem(
        settingKey,
        message.startsWith(fullKey(settingKey)) ? message : `${fullKey(settingKey)}: ${message}`,
      );
    }
  }
  // Every key resolves alone but not together: the engine's own message still says what is wrong.
  const text = errorMessage(error);
  return problem('preset', text);
}

function interpretRun(settings: EffectiveSettings): { ok: true; run: RunSettings } | Interpretation {
  for (const rule of RUN_RULES) {
    const value = valueOf(settings, rule.key);
    if (!rule.schema.safeParse(value).success) {
      return problem(rule.key, `${fullKey(rule.key)} is ${show(value)}; expected ${rule.expected}.`);
    }
  }
  return {
    ok: true,
    run: {
      limits: {
        timeoutMs: Math.round((valueOf(settings, 'run.timeoutSeconds') as number) * 1000),
        memoryMb: valueOf(settings, 'run.memoryMb') as number,
        maxOutputBytes: valueOf(settings, 'run.maxOutputBytes') as number,
        maxCodeBytes: DEFAULT_LIMITS.maxCodeBytes,
      },
      defaultRunner: valueOf(settings, 'defaultRunner') as Backend,
      isolation: valueOf(settings, 'pyodide.isolation') as Isolation,
      osSandbox: valueOf(settings, 'run.osSandbox') as OsSandboxSetting,
      gateMode: valueOf(settings, 'gateMode') as GateMode,
    },
  };
}

function e2bInputOf(settings: EffectiveSettings, run: RunSettings): E2BSettingsInput {
  const input: Record<string, unknown> = {};
  for (const key of E2B_KEYS) {
    const value = valueOf(settings, `e2b.${key}`);
    if (value !== undefined && value !== null) input[key] = value;
  }
  // The run's time limit, kept inside the sandbox's lifetime (which E2B enforces even if VS Code dies).
  const timeout = Math.ceil(run.limits.timeoutMs / 1000);
  const lifetime = input.maxLifetimeSeconds;
  input.runTimeoutSeconds =
    typeof lifetime === 'number' && lifetime - LIFETIME_GRACE_SECONDS >= 1
      ? Math.min(timeout, Math.floor(lifetime) - LIFETIME_GRACE_SECONDS)
      : timeout;
  input.maxOutputBytes = run.limits.maxOutputBytes;
  return input as E2BSettingsInput;
}

function e2bProblem(input: E2BSettingsInput, issues: readonly z.core.$ZodIssue[]): Interpretation {
  // Blame a setting the user wrote before one derived from it.
  const issue = issues.find((i) => !(String(i.path[0]) in E2B_DERIVED)) ?? issues[0];
  const schemaKey = String(issue.path[0] ?? '');
  const key = E2B_DERIVED[schemaKey] ?? `e2b.${schemaKey}`;
  if (issue.code === 'unrecognized_keys')
    return problem('e2b.template', `unknown E2B settings ${issue.keys.join(', ')}`);
  const value = issue.path.reduce<unknown>(
    (at, part) =>
      at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[part] : undefined,
    input,
  );
  const where = [
    fullKey(key),
    ...issue.path.slice(1).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)),
  ]
    .join('')
    .replace(/\.\[/g, '[');
  return problem(
    key,
    `${where} is ${show(value)}: ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}.`,
  );
}

export function interpretSettings(settings: EffectiveSettings): Interpretation {
  const policyConfig = policyConfigOf(settings);
  let policy: ResolvedPolicy;
  try {
    policy = resolvePolicy(policyConfig);
  } catch (error) {
    if (!(error instanceof PolicyConfigError)) throw error;
    return policyProblem(policyConfig, error);
  }
  const run = interpretRun(settings);
  if (!('run' in run)) return run;
  const e2b = e2bInputOf(settings, run.run);
  const parsed = E2BSettingsSchema.safeParse(e2b);
  if (!parsed.success) return e2bProblem(e2b, parsed.error.issues);
  return { ok: true, value: { policyConfig, policy, run: run.run, e2b } };
}
