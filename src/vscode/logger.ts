// The extension's log: one LogOutputChannel ("Sandbox Policy"), with levels the user can change from the
// Output view. Never pass it an API key or a program's text; the audit entries go through here too.
import * as vscode from 'vscode';

export type Logger = vscode.LogOutputChannel;

export function createLogger(): Logger {
  return vscode.window.createOutputChannel('Sandbox Policy', { log: true });
}

export { errorMessage } from '../error-message';
