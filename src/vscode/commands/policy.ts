// Show Effective Policy, Show Log, and the (palette-hidden) command behind "Show documentation for <rule>".
import * as vscode from 'vscode';
import type { EffectivePolicyView } from '../effective-policy';
import { errorMessage } from '../logger';
import { SHOW_RULE_DOCS_COMMAND, showRuleDocs } from '../rule-docs';

export function registerPolicyCommands(
  extensionUri: vscode.Uri,
  view: EffectivePolicyView,
  log: vscode.LogOutputChannel,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('sandboxPolicy.showEffectivePolicy', () => view.show()),
    vscode.commands.registerCommand('sandboxPolicy.showLog', () => log.show(true)),
    vscode.commands.registerCommand(SHOW_RULE_DOCS_COMMAND, async (ruleId: unknown) => {
      try {
        await showRuleDocs(extensionUri, String(ruleId));
      } catch (error) {
        log.error(`Could not show rule documentation: ${errorMessage(error)}`);
        void vscode.window.showErrorMessage(`Sandbox Policy: ${errorMessage(error)}`);
      }
    }),
  ];
}
