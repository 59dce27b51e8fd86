// The extension-host test entry, with @vscode/test-electron's contract: VS Code loads this file in
// the extension host (code-server's or desktop VS Code's) and awaits `run()`; a rejection fails the run.
// Every `*.test.js` next to this file (out/test/suite/**) is a test file: adding one is all it takes.
//
// Environment (set by test/host/run.mjs and test/host/desktop.ts, all optional):
//   SANDBOX_POLICY_HOST_TESTS    comma-separated substrings; only test files whose path contains one run
//   SANDBOX_POLICY_HOST_GREP     only tests whose full title matches this regular expression run
//   SANDBOX_POLICY_HOST_RESULTS  a JSON summary (counts, each failure's title and message) is written here
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { expectedErrors, type ExpectedError } from '../host/expected-errors';

interface FailureSummary {
  title: string;
  message: string;
  stack?: string;
}

export interface HostTestResults {
  files: string[];
  passes: number;
  failures: FailureSummary[];
  pending: number;
  finished: boolean;
  /** Errors the tests cause on purpose (see test/host/expected-errors.ts); the host does not report them. */
  expectedErrors: readonly ExpectedError[];
}

function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(file));
    else if (entry.name.endsWith('.test.js')) found.push(file);
  }
  return found.sort();
}

function selectedFiles(): string[] {
  const wanted = (process.env.SANDBOX_POLICY_HOST_TESTS ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const all = testFiles(__dirname);
  return wanted.length === 0 ? all : all.filter((file) => wanted.some((part) => file.includes(part)));
}

function writeResults(results: HostTestResults): void {
  const target = process.env.SANDBOX_POLICY_HOST_RESULTS;
  if (target) fs.writeFileSync(target, `${JSON.stringify(results, null, 2)}\n`);
}

/** Printed around the run: the code-server host shows the console lines between them (mocha's report). */
export const BEGIN_MARKER = '[extension-host tests: begin]';
export const END_MARKER = '[extension-host tests: end]';
/** Starts the error `run()` rejects with; the host reports the failures themselves from the results. */
export const FAILED_PREFIX = 'extension-host tests:';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60000 });
  if (process.env.SANDBOX_POLICY_HOST_GREP) mocha.grep(new RegExp(process.env.SANDBOX_POLICY_HOST_GREP));
  const files = selectedFiles();
  const results: HostTestResults = {
    files,
    passes: 0,
    failures: [],
    pending: 0,
    finished: false,
    expectedErrors: [],
  };
  writeResults(results);
  if (files.length === 0)
    throw new Error(`No extension-host test files (*.test.js) selected under ${__dirname}`);
  for (const file of files) mocha.addFile(file);
  await mocha.loadFilesAsync();
  console.log(BEGIN_MARKER);
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => results.passes++);
    runner.on('pending', () => results.pending++);
    runner.on('fail', (test, error: Error) =>
      results.failures.push({
        title: test.fullTitle(),
        message: error?.message ?? String(error),
        stack: error?.stack,
      }),
    );
  });
  console.log(END_MARKER);
  results.finished = true;
  results.expectedErrors = expectedErrors();
  writeResults(results);
  if (results.failures.length > 0) {
    throw new Error(
      `${FAILED_PREFIX} ${results.failures.length} of ${results.passes + results.failures.length} failed`,
    );
  }
  if (results.passes + results.pending === 0) throw new Error(`${FAILED_PREFIX} none ran`);
}
