// The language server behind the extension: activation and a freshly opened file's first diagnostic
// through it (the times are printed for the closing report, not asserted), and a server killed in the
// middle of a request is started again by the client's error handler, with the file it was checking
// getting its diagnostics from the new server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { expectError } from '../host/expected-errors';
import { waitFor } from '../host/wait';
import {
  ANALYSIS_TIMEOUT_MS,
  closeAllEditors,
  extensionApi,
  ruleOf,
  skipUnlessRealExtension,
  waitForDiagnostics,
} from './feature-helpers';

/** A large file is checked in the server's worker thread: seconds of work on a busy two-core machine. */
const LARGE_FILE_TIMEOUT_MS = 120_000;

async function openPython(content: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: 'python', content });
  await vscode.window.showTextDocument(document);
  return document;
}

const risky = (marker: string) => `import os\n# ${marker}\nos.system("ls")\n`;

/** About `chars` characters of Python (under the 5 MB limit), with one dangerous call at the end. */
function largePython(chars: number): string {
  const line = 'value_0123456789 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]\n';
  return `${line.repeat(Math.ceil(chars / line.length))}import os\nos.system("ls")\n`;
}

const hasCommandExecution = (d: vscode.Diagnostic[]) => d.some((x) => ruleOf(x) === 'command-execution');

describe('feature: the language server', () => {
  before(async function () {
    await skipUnlessRealExtension(this);
  });
  afterEach(closeAllEditors);

  it('gives a freshly opened file its first diagnostic (activation and open → first diagnostic printed)', async () => {
    const api = await extensionApi();
    const started = Date.now();
    const document = await openPython(risky('first'));
    await waitForDiagnostics(
      document.uri,
      hasCommandExecution,
      'the first diagnostic of a freshly opened file',
    );
    const openToFirst = Date.now() - started;
    const timings = await waitFor(
      () => {
        const t = api.startupTimings();
        return t.languageServerReadyMs !== undefined ? { ...t, ready: t.languageServerReadyMs } : undefined;
      },
      ANALYSIS_TIMEOUT_MS,
      'the language server to be ready',
    );
    console.log(
      `    activation: activate() ${timings.activateMs.toFixed(0)} ms; language server ready ${timings.ready.toFixed(0)} ms after activation began`,
    );
    console.log(`    open → first diagnostic: ${openToFirst} ms`);
  });

  it('starts the server again when it is killed mid-request; the file it was checking gets its diagnostics', async function () {
    this.timeout(3 * LARGE_FILE_TIMEOUT_MS);
    const api = await extensionApi();
    expectError(
      /Server process exited with signal SIGKILL/,
      'the test kills the language server on purpose; the client logs the exit and restarts it',
    );
    const before = await waitFor(() => api.languageServerPid(), ANALYSIS_TIMEOUT_MS, 'a running server');
    const large = await openPython(largePython(4_000_000));
    await waitFor(
      () => (api.languageServerPullsInFlight(large.uri) > 0 ? true : undefined),
      LARGE_FILE_TIMEOUT_MS,
      'a diagnostic pull of the large file waiting for the server',
    );
    process.kill(before, 'SIGKILL');
    const after = await waitFor(
      () => {
        const pid = api.languageServerPid();
        return pid !== undefined && pid !== before ? pid : undefined;
      },
      ANALYSIS_TIMEOUT_MS,
      'a new server process after the old one was killed',
      { seen: () => `pid ${String(api.languageServerPid())}` },
    );
    assert.notEqual(after, before);
    await waitForDiagnostics(
      large.uri,
      hasCommandExecution,
      'the large file’s finding from the restarted server',
      LARGE_FILE_TIMEOUT_MS,
    );
    const document = await openPython(risky('after restart'));
    await waitForDiagnostics(document.uri, hasCommandExecution, 'a diagnostic from the restarted server');
  });
});
