// Errors a test causes on purpose (an invalid setting, a refused run) are logged by VS Code and the
// extension like any other. The test host reports every error it sees in the browser console and
// the extension host's logs, unless it is known noise (test/host/noise.mjs) or a test declared it
// here. Works in both tiers: in the extension host the suite's results carry the list back to the
// runner; in the e2e tier the runner reads it from this module.

export interface ExpectedError {
  /** Source of the regular expression that the logged error line matches. */
  source: string;
  flags: string;
  /** Why the test causes it, shown in the log of the run. */
  why: string;
}

const declared: ExpectedError[] = [];

/**
 * Declares that an error matching `pattern` will be logged because of what a test does on purpose,
 * so the test host does not report it. Declare it in the test that causes it, as narrowly as you can.
 */
export function expectError(pattern: RegExp, why: string): void {
  declared.push({ source: pattern.source, flags: pattern.flags.replace(/[gy]/g, ''), why });
}

/** Everything declared so far in this process. */
export function expectedErrors(): readonly ExpectedError[] {
  return declared;
}

/** True when `line` matches one of `expected`. */
export function isExpected(line: string, expected: readonly ExpectedError[]): boolean {
  return expected.some(({ source, flags }) => new RegExp(source, flags).test(line));
}
