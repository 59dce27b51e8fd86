// The language status item next to Python/JavaScript/TypeScript files: the active preset and the default
// runner; an error state while a setting is invalid; busy while a run is going. Clicking it opens the
// effective policy.
import * as vscode from 'vscode';
import { DOCUMENT_SELECTOR } from './documents';
import type { SettingsService } from './settings';

const RUNNER_NAMES = { pyodide: 'Pyodide (local)', e2b: 'E2B (cloud)' } as const;

export class PolicyStatus implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem(
    'sandboxPolicy.status',
    DOCUMENT_SELECTOR,
  );
  private readonly subscription: vscode.Disposable;

  constructor(private readonly settings: SettingsService) {
    this.item.name = 'Sandbox Policy';
    this.subscription = settings.onDidChange(() => this.update());
    this.update();
  }

  set busy(value: boolean) {
    this.item.busy = value;
  }

  private update(): void {
    const { policy, run } = this.settings.settings;
    const problem = this.settings.problem;
    const trust = vscode.workspace.isTrusted ? '' : ' · Restricted Mode: runs off';
    this.item.text = `$(shield) ${policy.preset}`;
    this.item.detail = `threshold ${policy.threshold} · runner ${RUNNER_NAMES[run.defaultRunner]}${trust}`;
    this.item.command = {
      title: 'Show Effective Policy',
      command: 'sandboxPolicy.showEffectivePolicy',
      tooltip: 'Show the merged Sandbox Policy settings and where each value came from',
    };
    if (problem) {
      this.item.severity = vscode.LanguageStatusSeverity.Error;
      this.item.text = `$(error) ${policy.preset} (invalid setting)`;
      this.item.detail = `${problem.setting} is invalid; the last valid settings are in force`;
    } else {
      this.item.severity = vscode.workspace.isTrusted
        ? vscode.LanguageStatusSeverity.Information
        : vscode.LanguageStatusSeverity.Warning;
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
