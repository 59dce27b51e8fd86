// The policy gate in front of every run: input validation (size, NUL bytes) and the policy check.
// Runners call `checkRunInput` themselves as the last line; callers (CLI, extension) call `gateRun` first.
// Only the light policy modules at run time: the runner (through limits.ts) and the CLI's first bundle
// load this file, and must not pull in the engine or the policy schema (zod) with it.
import type { Finding, PolicyEngine, ResolvedPolicy } from '../policy';
import { languageForPath } from '../policy/language';
import { unreadableFinding } from '../policy/source';
import type { Backend, LimitKind, RunLimits, RunResult } from './run-types';
import { errorMessage } from '../error-message';

export interface GateDecision {
  allowed: boolean;
  findings: Finding[];
  /** Why the run was refused, written for the user. */
  reason?: string;
  /** Set when a limit (code size) refused the input. */
  limit?: { kind: LimitKind; message: string };
}

function positionOf(code: string, index: number): string {
  const before = code.slice(0, index);
  const line = before.split('\n').length;
  return `line ${line}, column ${index - before.lastIndexOf('\n')}`;
}

/** A message when the program cannot be run as given (too large, NUL bytes, broken UTF-16), else undefined. */
export function checkRunInput(code: string, limits: RunLimits): string | undefined {
  if (typeof code !== 'string') return 'the program must be text';
  const bytes = Buffer.byteLength(code, 'utf8');
  if (bytes > limits.maxCodeBytes) {
    return `the program is ${bytes} bytes, over the ${limits.maxCodeBytes}-byte limit (maxCodeBytes); split it or raise the limit`;
  }
  const nul = code.indexOf('\0');
  if (nul !== -1)
    return `the program contains a NUL byte at ${positionOf(code, nul)}; source code cannot contain NUL bytes`;
  const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(code);
  if (lone)
    return `the program contains an unpaired UTF-16 surrogate at ${positionOf(code, lone.index)}; it is not valid text`;
  return undefined;
}

/**
 * The refusal for input `checkRunInput` rejected. Text that cannot be source (NUL bytes, broken UTF-16)
 * carries the fail-closed `unreadable-source` finding, as `check` and the editor report it.
 */
export function refusedInput(problem: string): GateDecision {
  if (problem.includes('maxCodeBytes'))
    return { allowed: false, findings: [], reason: problem, limit: { kind: 'code-size', message: problem } };
  return { allowed: false, findings: [unreadableFinding(problem)], reason: problem };
}

/** Validates the input, then checks it against the policy: any unsuppressed violation refuses the run. */
export function gateRun(
  engine: PolicyEngine,
  code: string,
  filename: string,
  policy: ResolvedPolicy,
  limits: RunLimits,
): GateDecision {
  const problem = checkRunInput(code, limits);
  if (problem) return refusedInput(problem);
  const language = languageForPath(filename) ?? 'python';
  let result: ReturnType<PolicyEngine['analyze']>;
  try {
    result = engine.analyze(code, language, policy, { path: filename });
  } catch (error) {
    // Fail closed: a program the engine could not analyse is never let through as if it were clean.
    return refusedInput(`the engine failed (${errorMessage(error)})`);
  }
  const violations = result.findings.filter((finding) => finding.violation && !finding.suppressed);
  if (violations.length > 0) {
    const first = violations[0];
    const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
    return {
      allowed: false,
      findings: result.findings,
      reason: `blocked by the ${policy.preset} policy: line ${first.range.start.line + 1}: ${first.ruleId}: ${first.message}${more}`,
    };
  }
  if (result.truncated) {
    return {
      allowed: false,
      findings: result.findings,
      reason: 'blocked: the program is too large or too deeply nested to analyse completely',
    };
  }
  return { allowed: true, findings: result.findings };
}

/** The RunResult of a refused run (status `blocked`), carrying the findings for the panel and the audit log. */
export function blockedResult(backend: Backend, decision: GateDecision, durationMs: number): RunResult {
  const reason = decision.reason ?? 'blocked by the policy';
  const result: RunResult = {
    status: 'blocked',
    backend,
    stdout: '',
    stderr: '',
    error: { name: decision.limit ? 'InputRejected' : 'PolicyViolation', value: reason, traceback: '' },
    results: [],
    findings: decision.findings,
    durationMs,
  };
  if (decision.limit) result.limit = decision.limit;
  return result;
}
