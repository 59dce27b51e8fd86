// Set E2B API Key / Clear E2B API Key. The key goes from a password box straight to secret storage;
// messages and the log say only whether a key is set.
import * as vscode from 'vscode';
import type { E2BKeyStore } from '../secrets';

export function registerE2BKeyCommands(keys: E2BKeyStore, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('sandboxPolicy.setE2BApiKey', async () => {
      if (await keys.prompt()) {
        log.info('E2B API key saved in secret storage.');
        void vscode.window.showInformationMessage(
          'Sandbox Policy: E2B API key saved in VS Code secret storage.',
        );
      } else {
        log.info('Set E2B API Key: cancelled, nothing changed.');
      }
    }),
    vscode.commands.registerCommand('sandboxPolicy.clearE2BApiKey', async () => {
      const had = await keys.clear();
      log.info(had ? 'E2B API key removed from secret storage.' : 'Clear E2B API Key: no key was set.');
      void vscode.window.showInformationMessage(
        had
          ? 'Sandbox Policy: E2B API key removed from secret storage.'
          : 'Sandbox Policy: no E2B API key was set.',
      );
    }),
  ];
}
