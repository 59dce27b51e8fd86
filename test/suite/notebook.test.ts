// Jupyter notebooks in the built-in notebook editor (code-server ships the ipynb serializer): the language
// server checks the code cells as one program, so a call in cell 3 is a finding because of an import in
// cell 1; the quick fix writes its comment into cell 3 and the finding goes away. A picture per step.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../host/wait';
import {
  ANALYSIS_TIMEOUT_MS,
  closeAllEditors,
  describeDiagnostics,
  extensionApi,
  fixture,
  ours,
  ruleOf,
  skipUnlessRealExtension,
} from './feature-helpers';
import { screenshot } from './screenshot';

describe('feature: notebooks', () => {
  before(async function () {
    await skipUnlessRealExtension(this);
  });
  before(() => extensionApi());
  afterEach(async () => {
    // The quick fix leaves the notebook modified: revert it so the next test sees the file on disk.
    if (vscode.window.activeNotebookEditor)
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await closeAllEditors();
  });

  it('flags cell 3 through the import in cell 1, hovers, and the quick fix suppresses it in cell 3', async () => {
    const notebook = await vscode.workspace.openNotebookDocument(fixture('notebooks/cleanup.ipynb'));
    assert.equal(notebook.notebookType, 'jupyter-notebook');
    await vscode.window.showNotebookDocument(notebook);
    const [importCell, notes, cleanup] = notebook.getCells();
    assert.equal(importCell.document.languageId, 'python');
    assert.equal(notes.kind, vscode.NotebookCellKind.Markup);
    await screenshot('notebook-opened');

    const uri = cleanup.document.uri;
    const [finding] = await waitFor(
      () => {
        const found = ours(uri).filter((d) => ruleOf(d) === 'command-execution');
        return found.length > 0 ? found : undefined;
      },
      ANALYSIS_TIMEOUT_MS,
      'a command-execution diagnostic on line 2 of cell 3 (run_it is os.system, imported in cell 1)',
      {
        seen: () =>
          `cell 3: ${describeDiagnostics(uri)}; cell 1: ${describeDiagnostics(importCell.document.uri)}`,
      },
    );
    assert.equal(finding.range.start.line, 1);
    assert.match(finding.message, /os\.system runs a shell command/);
    assert.deepEqual(ours(importCell.document.uri), [], 'the import alone is not a finding');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri,
      finding.range.start,
    );
    const hoverText = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(hoverText, /command-execution/, 'the hover explains the finding in the cell');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('notebook-finding-in-cell-3');

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      finding.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.title === 'Suppress command-execution on this line');
    assert.ok(fix?.edit, `no line quick fix; offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.deepEqual(
      fix.edit.entries().map(([target]) => target.toString()),
      [uri.toString()],
      'the edit goes to cell 3',
    );
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the edit was not applied');
    assert.equal(cleanup.document.lineAt(1).text, '# sandbox-policy: ignore[command-execution]');
    await waitFor(
      () => ours(uri).every((d) => ruleOf(d) !== 'command-execution'),
      ANALYSIS_TIMEOUT_MS,
      'the finding in cell 3 to go away once suppressed',
      { seen: () => describeDiagnostics(uri) },
    );
    await screenshot('notebook-quick-fix-applied');
  });
});
