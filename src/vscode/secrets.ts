// The E2B API key, kept only in VS Code's SecretStorage (the OS keychain where there is one). It is
// entered through a password box, never written to a setting, a log, a message or the webview, and
// listeners hear when it changes (also from another window) so a runner built with the old key is dropped.
import * as vscode from 'vscode';
import { validateApiKeyInput } from './api-key-input';

const SECRET_KEY = 'sandboxPolicy.e2bApiKey';

/**
 * A password box that validates as the user types and only accepts a usable key. (An InputBox rather
 * than showInputBox, so that validation runs here and Enter is never lost to a validation round trip.)
 */
function askForKey(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = 'Sandbox Policy: Set E2B API Key';
    box.prompt =
      'Your E2B API key (from e2b.dev/dashboard). It is kept in VS Code secret storage, never in settings.';
    box.placeholder = 'e2b_…';
    box.password = true;
    box.ignoreFocusOut = true;
    let settled = false;
    const finish = (value: string | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
      box.dispose();
    };
    box.onDidChangeValue((value) => {
      // Say nothing while the box is empty: the prompt already says what to do.
      box.validationMessage = value === '' ? undefined : validateApiKeyInput(value);
    });
    box.onDidAccept(() => {
      const problem = validateApiKeyInput(box.value);
      if (problem) box.validationMessage = problem;
      else finish(box.value.trim());
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}

export class E2BKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === SECRET_KEY) this.changed.fire();
    });
  }

  async get(): Promise<string | undefined> {
    const key = await this.secrets.get(SECRET_KEY);
    return key && key.length > 0 ? key : undefined;
  }

  async has(): Promise<boolean> {
    return (await this.get()) !== undefined;
  }

  /** Asks for the key in a password box; true when a key was stored. */
  async prompt(): Promise<boolean> {
    const value = await askForKey();
    if (value === undefined) return false;
    await this.secrets.store(SECRET_KEY, value);
    return true;
  }

  async clear(): Promise<boolean> {
    const had = await this.has();
    await this.secrets.delete(SECRET_KEY);
    return had;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
