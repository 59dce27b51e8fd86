// Run Sandboxed (default runner), Run in Pyodide, Run in E2B, Run Notebook / Cell Sandboxed and Stop Run. From the editor title or a
// context menu the command gets the file's URI; from the palette, the active editor's file runs.
import * as vscode from 'vscode';
import { targetCell } from '../notebook-source';
import type { RunController, RunTarget } from '../run-controller';

function runCommand(controller: RunController, target: RunTarget) {
  return (uri?: unknown) => controller.run(uri instanceof vscode.Uri ? uri : undefined, target);
}

export function registerRunCommands(controller: RunController): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('sandboxPolicy.runSandboxed', runCommand(controller, 'default')),
    vscode.commands.registerCommand('sandboxPolicy.runInPyodide', runCommand(controller, 'pyodide')),
    vscode.commands.registerCommand('sandboxPolicy.runInE2B', runCommand(controller, 'e2b')),
    // From the notebook toolbar the command gets {notebookEditor} or the URI; from the palette, the active notebook.
    vscode.commands.registerCommand('sandboxPolicy.runNotebookSandboxed', (argument?: unknown) =>
      controller.runNotebook(notebookUri(argument), 'default'),
    ),
    vscode.commands.registerCommand('sandboxPolicy.runCellSandboxed', async (argument?: unknown) => {
      const cell = targetCell(argument);
      if (!cell) {
        void vscode.window.showErrorMessage('Sandbox Policy: select a cell of a Jupyter notebook to run it.');
        return undefined;
      }
      return controller.runNotebook(cell.uri, 'default', cell.index);
    }),
    vscode.commands.registerCommand('sandboxPolicy.stopRun', async () => {
      if (!(await controller.stop()))
        void vscode.window.showInformationMessage('Sandbox Policy: no run is in progress.');
    }),
  ];
}

function notebookUri(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  const editor = (argument as { notebookEditor?: { notebookUri?: unknown } } | undefined)?.notebookEditor;
  return editor?.notebookUri instanceof vscode.Uri ? editor.notebookUri : undefined;
}
