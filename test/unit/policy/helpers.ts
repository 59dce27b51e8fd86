// Shared helpers for the policy engine's tests: one engine per test process (loading the grammars once).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  PolicyEngine,
  resolvePolicy,
  type Finding,
  type Language,
  type PolicyConfig,
} from '../../../src/policy';

let engine: Promise<PolicyEngine> | undefined;

export function sharedEngine(): Promise<PolicyEngine> {
  engine ??= PolicyEngine.create().then(recordSnippets);
  return engine;
}

/** Snippets longer than this are not recorded for the golden test (the budget tests' megabyte inputs). */
const MAX_RECORDED_SNIPPET = 20_000;

/**
 * With GOLDEN_RECORD=<file>, every text a test hands the shared engine is appended to that file (JSON
 * lines), for `UPDATE_GOLDEN=1` to add to test/fixtures/golden/snippets.json (see CONTRIBUTING.md).
 */
function recordSnippets(created: PolicyEngine): PolicyEngine {
  const file = process.env.GOLDEN_RECORD;
  if (!file) return created;
  const record = (code: string, language: Language, path?: string): void => {
    if (code.length <= MAX_RECORDED_SNIPPET)
      fs.appendFileSync(file, `${JSON.stringify({ language, path, code })}\n`);
  };
  const analyze = created.analyze.bind(created);
  const update = created.update.bind(created);
  created.analyze = (text, language, policy, options) => {
    record(text, language, options?.path);
    return analyze(text, language, policy, options);
  };
  created.update = (docId, text, language, policy, edits) => {
    record(text, language, docId);
    return update(docId, text, language, policy, edits);
  };
  return created;
}

export interface CheckOptions {
  language?: Language;
  config?: PolicyConfig;
  path?: string;
}

/** All findings (suppressed ones included) for a snippet under a policy (production by default). */
export async function check(code: string, options: CheckOptions = {}): Promise<Finding[]> {
  const policy = resolvePolicy(options.config ?? {});
  return (await sharedEngine()).analyze(code, options.language ?? 'python', policy, { path: options.path })
    .findings;
}

/** The rule ids of the unsuppressed findings, sorted and de-duplicated. */
export async function rulesOf(code: string, options: CheckOptions = {}): Promise<string[]> {
  const findings = await check(code, options);
  return [...new Set(findings.filter((f) => !f.suppressed).map((f) => f.ruleId))].sort();
}

/** Asserts that a snippet has a finding of `rule` on the given 1-based line (and any others). */
export async function expectFinding(
  code: string,
  rule: string,
  line?: number,
  options: CheckOptions = {},
): Promise<Finding> {
  const findings = await check(code, options);
  const match = findings.find(
    (f) => f.ruleId === rule && (line === undefined || f.range.start.line === line - 1),
  );
  assert.ok(
    match,
    `expected ${rule}${line ? ` on line ${line}` : ''} in:\n${code}\ngot: ${JSON.stringify(findings.map((f) => [f.ruleId, f.range.start.line + 1, f.message]))}`,
  );
  return match;
}

/** Asserts that a snippet has no finding of `rule` (or none at all when rule is omitted). */
export async function expectNoFinding(
  code: string,
  rule?: string,
  options: CheckOptions = {},
): Promise<void> {
  const findings = (await check(code, options)).filter((f) => rule === undefined || f.ruleId === rule);
  assert.deepEqual(
    findings.map((f) => [f.ruleId, f.range.start.line + 1, f.message]),
    [],
    `expected no ${rule ?? 'finding'} in:\n${code}`,
  );
}

export type FlagCase = [title: string, code: string, rule: string, line?: number];
export type QuietCase = [title: string, code: string, rule?: string];

/** One test per case: the snippet has a finding of the rule (on the line, when given). */
export function itFlags(cases: FlagCase[], language: Language = 'python'): void {
  for (const [title, code, rule, line] of cases) {
    it(`flags ${title}`, async () => {
      await expectFinding(code, rule, line, { language });
    });
  }
}

/** One test per case: the snippet has no finding of the rule (of any rule, when none is given). */
export function itQuiet(cases: QuietCase[], language: Language = 'python'): void {
  for (const [title, code, rule] of cases) {
    it(`does not flag ${title}`, async () => {
      await expectNoFinding(code, rule, { language });
    });
  }
}
