// The E2B API key, kept only in VS Code's SecretStorage (the OS keychain where there is one). It is
// entered through a password box, never written to a setting, a log, a message or the webview, and
// listeners hear when it changes (also from another window) so a runner built with the old key is dropped.
import * as vscode from 'vscode';

const SECRET_KEY = 'sandboxPolicy.e2bApiKey';

/** What is wrong with a pasted key, or undefined when it looks usable. Never echoes the key. */
export function validateApiKeyInput(value: string): string | undefined {
  const key = value.trim();
  if (key.length === 0) return 'Enter the API key from your E2B dashboard, or press Escape to cancel.';
  if (/\s/.test(key)) return 'An E2B API key has no spaces or line breaks.';
  if (key.length > 512) return 'That is too long to be an E2B API key.';
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'An E2B API key has no control characters.';
  return undefined;
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
    const value = await vscode.window.showInputBox({
      title: 'Sandbox Policy: Set E2B API Key',
      prompt:
        'Your E2B API key (from e2b.dev/dashboard). It is kept in VS Code secret storage, never in settings.',
      placeHolder: 'e2b_…',
      password: true,
      ignoreFocusOut: true,
      validateInput: validateApiKeyInput,
    });
    if (value === undefined) return false;
    await this.secrets.store(SECRET_KEY, value.trim());
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
