// Workspace Trust. VS Code hides nothing for us on its own: every command that runs code asks
// `ensureTrusted()` first and refuses, with a message that says why and how to change it, while the
// workspace is in Restricted Mode. Diagnostics keep working there (they only read the text).
import * as vscode from 'vscode';

const MANAGE = 'Manage Workspace Trust';

export const UNTRUSTED_RUN_MESSAGE =
  'Sandbox Policy does not run code in Restricted Mode. This workspace is not trusted, so its settings ' +
  'could change where and how the code runs; trust the workspace to run code here. Diagnostics keep working.';

/** True when code may run; otherwise tells the user why not and offers the trust editor. */
export function ensureTrusted(log: vscode.LogOutputChannel): boolean {
  if (vscode.workspace.isTrusted) return true;
  log.warn('Run refused: the workspace is not trusted (Restricted Mode).');
  void vscode.window.showWarningMessage(UNTRUSTED_RUN_MESSAGE, MANAGE).then((choice) => {
    if (choice === MANAGE) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
