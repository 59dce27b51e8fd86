// A finding appears and disappears as the user types, with the contract's source, code and severity,
// and is cleared when the document closes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../host/wait';
import {
  ANALYSIS_TIMEOUT_MS,
  closeAllEditors,
  extensionApi,
  ours,
  ruleOf,
  skipUnlessRealExtension,
  waitForDiagnostics,
} from './feature-helpers';

async function type(editor: vscode.TextEditor, text: string): Promise<void> {
  // A few characters per edit, as typing produces them, so the incremental path is what gets exercised.
  for (let i = 0; i < text.length; i += 4) {
    const chunk = text.slice(i, i + 4);
    await editor.edit((edit) =>
      edit.insert(editor.document.positionAt(editor.document.getText().length), chunk),
    );
  }
}

describe('feature: diagnostics while typing', () => {
  before(async function () {
    await skipUnlessRealExtension(this);
  });
  before(() => extensionApi());
  afterEach(closeAllEditors);

  it('shows a finding as it is typed and removes it when the code is changed', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: '' });
    const editor = await vscode.window.showTextDocument(document);
    await type(editor, 'import os\n\nos.system("ls")\n');
    const [finding] = await waitForDiagnostics(
      document.uri,
      (d) => d.some((x) => ruleOf(x) === 'command-execution' && x.range.start.line === 2),
      'a command-execution finding on line 3 of the untitled buffer',
    );
    assert.equal(finding.source, 'sandbox-policy');
    const code = finding.code as { value: string; target: vscode.Uri };
    assert.ok(
      code.target.path.endsWith('/docs/rules/command-execution.md'),
      `code target ${code.target.toString()}`,
    );
    assert.equal(
      finding.severity,
      vscode.DiagnosticSeverity.Error,
      'a violation under production is an Error',
    );

    // Replace the call with something harmless, one edit at a time.
    const line = document.lineAt(2);
    await editor.edit((edit) => edit.replace(line.range, 'print("ls")'));
    await waitForDiagnostics(
      document.uri,
      (d) => !d.some((x) => ruleOf(x) === 'command-execution'),
      'the command-execution finding to disappear after the call was replaced',
    );

    // And type it back: the finding returns.
    await editor.edit((edit) => edit.delete(document.lineAt(2).range));
    await type(editor, 'os.popen("id")');
    await waitForDiagnostics(
      document.uri,
      (d) => d.some((x) => ruleOf(x) === 'command-execution'),
      'the command-execution finding to come back for os.popen',
    );
  });

  it('hides suppressed findings and clears a document’s findings when it closes', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'import os\nos.system("a")  # sandbox-policy: ignore[command-execution]\neval("1")\n',
    });
    await vscode.window.showTextDocument(document);
    const found = await waitForDiagnostics(document.uri, (d) => d.length > 0, 'findings in the buffer');
    assert.ok(
      !found.some((d) => d.range.start.line === 1 && ruleOf(d) === 'command-execution'),
      'suppressed finding shown',
    );
    await closeAllEditors();
    await waitFor(
      () => ours(document.uri).length === 0,
      ANALYSIS_TIMEOUT_MS,
      'the findings to be cleared on close',
      {
        seen: () => `${ours(document.uri).length} findings`,
      },
    );
  });

  it('explains a finding on hover, with the preset', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'eval("1 + 1")\n',
    });
    await vscode.window.showTextDocument(document);
    await waitForDiagnostics(document.uri, (d) => d.length > 0, 'a finding on eval');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      new vscode.Position(0, 1),
    );
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
      .join('\n');
    assert.match(text, /Why it matters/);
    assert.match(text, /production/);
  });
});
