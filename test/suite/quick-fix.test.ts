// The suppression quick fix: it adds the rule to an existing `sandbox-policy: ignore[...]` comment, or
// writes one above the line with its indentation, and the finding goes away.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  extensionApi,
  openFixture,
  ruleOf,
  skipUnlessRealExtension,
  waitForDiagnostics,
} from './feature-helpers';

async function applyFix(
  document: vscode.TextDocument,
  diagnostic: vscode.Diagnostic,
  title: string,
): Promise<void> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    document.uri,
    diagnostic.range,
    vscode.CodeActionKind.QuickFix.value,
  );
  const action = actions.find((a) => a.title === title);
  assert.ok(action?.edit, `no quick fix "${title}"; offered: ${actions.map((a) => a.title).join(' | ')}`);
  assert.ok(await vscode.workspace.applyEdit(action.edit), 'the edit was not applied');
}

describe('feature: suppression quick fix', () => {
  before(async function () {
    await skipUnlessRealExtension(this);
  });
  before(() => extensionApi());
  afterEach(closeAllEditors);

  it('merges into the existing comment on the line', async () => {
    const { document } = await openFixture('feature/suppress.py');
    const diagnostics = await waitForDiagnostics(
      document.uri,
      (d) => d.filter((x) => ruleOf(x) === 'command-execution').length === 2,
      'command-execution findings on lines 5 and 7 of feature/suppress.py',
    );
    const first = diagnostics.find((d) => d.range.start.line === 4)!;
    await applyFix(document, first, 'Suppress command-execution on this line');
    assert.equal(
      document.lineAt(4).text,
      '    os.system("echo one")  # sandbox-policy: ignore[dynamic-code, command-execution]',
    );
    await waitForDiagnostics(
      document.uri,
      (d) =>
        d
          .filter((x) => ruleOf(x) === 'command-execution')
          .map((x) => x.range.start.line)
          .join() === '6',
      'only the finding on line 7 to remain',
    );
  });

  it('writes a new comment above the line, keeping its indentation', async () => {
    const { document } = await openFixture('feature/suppress.py');
    const diagnostics = await waitForDiagnostics(
      document.uri,
      (d) => d.some((x) => ruleOf(x) === 'command-execution' && x.range.start.line === 6),
      'a command-execution finding on line 7',
    );
    await applyFix(
      document,
      diagnostics.find((d) => d.range.start.line === 6)!,
      'Suppress command-execution on this line',
    );
    assert.equal(document.lineAt(6).text, '    # sandbox-policy: ignore[command-execution]');
    assert.equal(document.lineAt(7).text, '    os.system("echo two")');
    await waitForDiagnostics(
      document.uri,
      (d) => !d.some((x) => ruleOf(x) === 'command-execution' && x.range.start.line === 7),
      'the finding on the suppressed line to disappear',
    );
  });

  it('suppresses a rule for the whole file with an ignore-file comment at the top', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'python',
      content: '#!/usr/bin/env python3\nimport os\nos.system("a")\nos.system("b")\n',
    });
    await vscode.window.showTextDocument(document);
    const diagnostics = await waitForDiagnostics(
      document.uri,
      (d) => d.filter((x) => ruleOf(x) === 'command-execution').length === 2,
      'two command-execution findings',
    );
    await applyFix(document, diagnostics[0], 'Suppress command-execution in this file');
    assert.equal(document.lineAt(1).text, '# sandbox-policy: ignore-file[command-execution]');
    await waitForDiagnostics(
      document.uri,
      (d) => !d.some((x) => ruleOf(x) === 'command-execution'),
      'every command-execution finding in the file to disappear',
    );
  });

  it('offers the rule’s documentation', async () => {
    const { document } = await openFixture('feature/suppress.py');
    const [diagnostic] = await waitForDiagnostics(document.uri, (d) => d.length > 0, 'a finding');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostic.range,
    );
    const docs = actions.find((a) => a.title === `Show documentation for ${ruleOf(diagnostic)}`);
    assert.equal(docs?.command?.command, 'sandboxPolicy.showRuleDocumentation');
  });
});
