// Set E2B API Key / Clear E2B API Key. The key goes from a password box straight to secret storage;
// messages say only whether a key is set.
import * as vscode from 'vscode';
import type { E2BKeyStore } from '../secrets';

export function registerE2BKeyCommands(keys: E2BKeyStore): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('sandboxPolicy.setE2BApiKey', async () => {
      if (await keys.prompt()) {
        void vscode.window.showInformationMessage(
          'Sandbox Policy: E2B API key saved in VS Code secret storage.',
        );
      }
    }),
    vscode.commands.registerCommand('sandboxPolicy.clearE2BApiKey', async () => {
      const had = await keys.clear();
      void vscode.window.showInformationMessage(
        had
          ? 'Sandbox Policy: E2B API key removed from secret storage.'
          : 'Sandbox Policy: no E2B API key was set.',
      );
    }),
  ];
}
