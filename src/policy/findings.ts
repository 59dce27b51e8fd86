// Turns the analyzers' policy-independent output into findings for one policy: severities from the
// preset and overrides, restricted and allowed modules, thresholds, suppressions.
import type { ResolvedPolicy } from './config';
import { normalizeModuleName } from './module-name';
import type { CustomMatch } from './custom';
import type { RestrictedModule } from './presets';
import type { RuleId } from './rules';
import type { Suppressions } from './suppression';
import { tracerFromEnv } from './shared/trace';
import type { LineIndex } from './text';
import { atOrAbove, severityRank, type Finding, type Severity } from './types';

export interface RawFinding {
  ruleId: RuleId;
  /** UTF-16 offsets. */
  start: number;
  end: number;
  message: string;
  /** The module the finding is about: an allowed module drops it. */
  module?: string;
}

export interface ImportEvent {
  module: string;
  start: number;
  end: number;
  dynamic: boolean;
}

/** Constant code handed to exec/eval/new Function: the engine analyses it too. */
export interface EmbeddedCode {
  language: 'python' | 'javascript';
  code: string;
  /** The call that runs it (findings inside are reported there). */
  start: number;
  end: number;
  /** How the code is run, for messages: `exec`, `eval`, `new Function`. */
  via: string;
}

export interface RawAnalysis {
  findings: RawFinding[];
  imports: ImportEvent[];
  embedded?: EmbeddedCode[];
  /** The analysis stopped at its work budget (pathological input); findings cover what it read. */
  truncated: boolean;
}

function covers(name: string, module: string): boolean {
  return module === name || module.startsWith(`${name}.`) || module.startsWith(`${name}/`);
}

/** The most specific restricted-module entry covering `module`, if any. */
export function restrictedEntry(policy: ResolvedPolicy, module: string): RestrictedModule | undefined {
  const normalized = normalizeModuleName(module);
  let best: RestrictedModule | undefined;
  for (const entry of policy.restrictedModules) {
    if (covers(entry.name, normalized) && (!best || entry.name.length > best.name.length)) best = entry;
  }
  return best;
}

export function isAllowedModule(policy: ResolvedPolicy, module: string): boolean {
  const normalized = normalizeModuleName(module);
  return policy.allowedModules.some((name) => covers(name, normalized));
}

function minSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) <= severityRank(b) ? a : b;
}

export function applyPolicy(
  raw: RawAnalysis,
  custom: readonly CustomMatch[],
  policy: ResolvedPolicy,
  lines: LineIndex,
  suppressions: Suppressions,
): Finding[] {
  const out: Finding[] = [];
  const tracer = tracerFromEnv();
  const where = (ruleId: RuleId, start: number, message: string): string => {
    const position = lines.position(start);
    return `${ruleId} at ${position.line + 1}:${position.column + 1} "${message}"`;
  };
  const push = (ruleId: RuleId, severity: Severity, start: number, end: number, message: string): void => {
    if (severity === 'SAFE') {
      tracer?.(
        `policy: ${where(ruleId, start, message)} dropped: severity SAFE in the ${policy.preset} policy`,
      );
      return;
    }
    const range = { start: lines.position(start), end: lines.position(end) };
    const finding: Finding = {
      ruleId,
      severity,
      violation: atOrAbove(severity, policy.threshold),
      suppressed: suppressions.covers(range.start.line, ruleId),
      message,
      range,
    };
    tracer?.(
      `policy: ${where(ruleId, start, message)} is ${severity}${
        finding.suppressed
          ? ', suppressed by a sandbox-policy: ignore comment'
          : finding.violation
            ? `, a violation (threshold ${policy.threshold})`
            : `, below the threshold ${policy.threshold}`
      }`,
    );
    out.push(finding);
  };
  for (const finding of raw.findings) {
    const setting = policy.rules[finding.ruleId];
    if (setting === 'off') {
      tracer?.(`policy: ${where(finding.ruleId, finding.start, finding.message)} dropped: the rule is off`);
      continue;
    }
    if (finding.module && finding.ruleId !== 'sandbox-escape' && isAllowedModule(policy, finding.module)) {
      tracer?.(
        `policy: ${where(finding.ruleId, finding.start, finding.message)} dropped: ${finding.module} is an allowed module`,
      );
      continue;
    }
    push(finding.ruleId, setting, finding.start, finding.end, finding.message);
  }
  const cap = policy.rules['restricted-module'];
  if (cap !== 'off') {
    const seen = new Set<string>();
    for (const event of raw.imports) {
      const entry = restrictedEntry(policy, event.module);
      const key = `${event.start}:${event.end}`;
      if (!entry || seen.has(key) || isAllowedModule(policy, event.module)) continue;
      seen.add(key);
      const how = event.dynamic ? 'imports dynamically' : 'imports';
      push(
        'restricted-module',
        minSeverity(entry.severity, cap),
        event.start,
        event.end,
        `${how} ${event.module}: ${entry.description} (restricted by the ${policy.preset} policy)`,
      );
    }
  }
  const customCap = policy.rules['custom-pattern'];
  if (customCap !== 'off') {
    for (const match of custom) {
      push(
        'custom-pattern',
        minSeverity(match.pattern.severity, customCap),
        match.start,
        match.end,
        match.pattern.description,
      );
    }
  }
  out.sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.column - b.range.start.column ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.range.end.line - b.range.end.line ||
      a.range.end.column - b.range.end.column ||
      a.message.localeCompare(b.message),
  );
  return out;
}
