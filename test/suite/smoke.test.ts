// Smoke tests inside the real extension host: the extension activates, its commands exist, a risky
// Python file gets a `sandbox-policy` diagnostic, and a command runs. The fixture workspace is
// test/fixtures/workspace (a fresh copy per run).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { deadline, waitFor } from '../host/wait';

const EXTENSION_ID = 'sandbox-policy.sandbox-policy';
const COMMANDS = [
  'sandboxPolicy.runSandboxed',
  'sandboxPolicy.runInPyodide',
  'sandboxPolicy.runInE2B',
  'sandboxPolicy.stopRun',
  'sandboxPolicy.setE2BApiKey',
  'sandboxPolicy.clearE2BApiKey',
  'sandboxPolicy.showEffectivePolicy',
  'sandboxPolicy.showLog',
];

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test host opens the fixture workspace, but no folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

function describeDiagnostics(diagnostics: readonly vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return 'no diagnostics';
  return diagnostics
    .map((d) => `[${d.source ?? 'no source'}] line ${d.range.start.line + 1}: ${d.message}`)
    .join('; ');
}

describe('smoke: the extension in a real VS Code', () => {
  it('activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this VS Code`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers every command of the contract', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = COMMANDS.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `commands not registered: ${missing.join(', ')}`);
  });

  it('puts a sandbox-policy diagnostic on os.system in a Python file', async () => {
    const uri = workspaceFile('risky.py');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'sandbox-policy');
    const found = await waitFor(
      () => ours().find((d) => d.range.start.line === 1),
      deadline(20000),
      `a diagnostic with source "sandbox-policy" on line 2 (os.system) of ${uri.path}`,
      { seen: () => describeDiagnostics(vscode.languages.getDiagnostics(uri)) },
    );
    assert.ok(found.code, 'the diagnostic has no code (the rule id)');
  });

  it('runs "Show Effective Policy" without an error', async () => {
    try {
      await vscode.commands.executeCommand('sandboxPolicy.showEffectivePolicy');
    } catch (error) {
      assert.fail(
        'Expected: sandboxPolicy.showEffectivePolicy to run without an error\n' +
          `  Saw: it threw ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });
});
