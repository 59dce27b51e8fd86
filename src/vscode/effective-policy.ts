// "Sandbox Policy: Show Effective Policy" as a read-only document served by a content provider, kept up
// to date while it is open (settings, trust and the E2B key's presence all change what it says).
import * as vscode from 'vscode';
import { effectivePolicyMarkdown } from './effective-policy-text';
import type { E2BKeyStore } from './secrets';
import type { SettingsService } from './settings';

export const EFFECTIVE_POLICY_SCHEME = 'sandbox-policy';
export const EFFECTIVE_POLICY_URI = vscode.Uri.from({
  scheme: EFFECTIVE_POLICY_SCHEME,
  path: '/Effective Policy.md',
});

export class EffectivePolicyView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly settings: SettingsService,
    private readonly keys: E2BKeyStore,
  ) {
    this.disposables = [
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(EFFECTIVE_POLICY_SCHEME, this),
      settings.onDidChange(() => this.changed.fire(EFFECTIVE_POLICY_URI)),
      keys.onDidChange(() => this.changed.fire(EFFECTIVE_POLICY_URI)),
    ];
  }

  async provideTextDocumentContent(): Promise<string> {
    return effectivePolicyMarkdown({
      trusted: vscode.workspace.isTrusted,
      settings: this.settings.settings,
      effective: this.settings.effective,
      problem: this.settings.problem,
      e2bKeySet: await this.keys.has(),
    });
  }

  async show(): Promise<vscode.TextEditor> {
    let document = await vscode.workspace.openTextDocument(EFFECTIVE_POLICY_URI);
    if (document.languageId !== 'markdown')
      document = await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    this.changed.fire(EFFECTIVE_POLICY_URI);
    return vscode.window.showTextDocument(document, { preview: true });
  }

  dispose(): void {
    while (this.disposables.length > 0) this.disposables.pop()?.dispose();
  }
}
