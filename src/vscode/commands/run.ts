// Run Sandboxed (default runner), Run in Pyodide, Run in E2B and Stop Run. From the editor title or a
// context menu the command gets the file's URI; from the palette, the active editor's file runs.
import * as vscode from 'vscode';
import type { RunController, RunTarget } from '../run-controller';

function runCommand(controller: RunController, target: RunTarget) {
  return (uri?: unknown) => controller.run(uri instanceof vscode.Uri ? uri : undefined, target);
}

export function registerRunCommands(controller: RunController): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('sandboxPolicy.runSandboxed', runCommand(controller, 'default')),
    vscode.commands.registerCommand('sandboxPolicy.runInPyodide', runCommand(controller, 'pyodide')),
    vscode.commands.registerCommand('sandboxPolicy.runInE2B', runCommand(controller, 'e2b')),
    vscode.commands.registerCommand('sandboxPolicy.stopRun', async () => {
      if (!(await controller.stop()))
        void vscode.window.showInformationMessage('Sandbox Policy: no run is in progress.');
    }),
  ];
}
