// Every command of the extension, registered in one place (one file per group of commands).
import type * as vscode from 'vscode';
import type { EffectivePolicyView } from '../effective-policy';
import type { RunController } from '../run-controller';
import type { E2BKeyStore } from '../secrets';
import { registerE2BKeyCommands } from './e2b-key';
import { registerPolicyCommands } from './policy';
import { registerRunCommands } from './run';

export interface CommandDeps {
  extensionUri: vscode.Uri;
  controller: RunController;
  keys: E2BKeyStore;
  view: EffectivePolicyView;
  log: vscode.LogOutputChannel;
}

export function registerAllCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    ...registerRunCommands(deps.controller),
    ...registerE2BKeyCommands(deps.keys, deps.log),
    ...registerPolicyCommands(deps.extensionUri, deps.view, deps.log),
  ];
}
