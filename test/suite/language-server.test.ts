// The language server behind the extension: a freshly opened file gets its first diagnostic through it
// (the time is printed for the closing report, not asserted), and a server that is killed is started
// again by the client's error handler, with diagnostics working again afterwards.
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

async function openRisky(marker: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({
    language: 'python',
    content: `import os\n# ${marker}\nos.system("ls")\n`,
  });
  await vscode.window.showTextDocument(document);
  return document;
}

describe('feature: the language server', () => {
  before(async function () {
    await skipUnlessRealExtension(this);
  });
  afterEach(closeAllEditors);

  it('gives a freshly opened file its first diagnostic (time printed)', async () => {
    await extensionApi();
    const started = Date.now();
    const document = await openRisky('first');
    await waitForDiagnostics(
      document.uri,
      (d) => d.some((x) => ruleOf(x) === 'command-execution'),
      'the first diagnostic of a freshly opened file',
    );
    console.log(`    open → first diagnostic: ${Date.now() - started} ms`);
  });

  it('starts the server again when it is killed, and diagnostics keep working', async () => {
    const api = await extensionApi();
    expectError(
      /Server process exited with signal SIGKILL/,
      'the test kills the language server on purpose; the client logs the exit and restarts it',
    );
    const before = await waitFor(() => api.languageServerPid(), ANALYSIS_TIMEOUT_MS, 'a running server');
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
    const document = await openRisky('after restart');
    await waitForDiagnostics(
      document.uri,
      (d) => d.some((x) => ruleOf(x) === 'command-execution'),
      'a diagnostic from the restarted server',
    );
  });
});
