// Reads the `sandboxPolicy.*` settings (level by level, so an untrusted workspace's restricted values
// are ignored here whatever VS Code does), validates them, and keeps the last valid result in force when
// a value is wrong: one error message names the setting and what is allowed, and it clears when fixed.
// Re-reads on configuration changes and when the workspace becomes trusted.
import * as vscode from 'vscode';
import { weakerWorkspacePreset } from './preset-notice';
import { interpretSettings, type InterpretedSettings, type SettingsProblem } from './settings-interpret';
import {
  SETTINGS_SECTION,
  fullKey,
  readEffectiveSettings,
  type EffectiveSettings,
  type Inspection,
} from './settings-model';

const NOTICE_STATE_KEY = 'sandboxPolicy.weakerPresetNotice';
const OPEN_SETTINGS = 'Open Settings';
const SHOW_POLICY = 'Show Effective Policy';

function inspector(): (key: string) => Inspection | undefined {
  // One policy per window: a multi-root workspace is read at its first folder.
  const scope = vscode.workspace.workspaceFolders?.[0]?.uri;
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  return (key) => configuration.inspect(key);
}

function defaultsOnly(inspect: (key: string) => Inspection | undefined): (key: string) => Inspection {
  return (key) => ({ defaultValue: inspect(key)?.defaultValue });
}

export class SettingsService implements vscode.Disposable {
  private current: InterpretedSettings;
  private effectiveSettings: EffectiveSettings;
  private currentProblem: SettingsProblem | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after every re-read (valid or not). */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly workspaceState: vscode.Memento,
  ) {
    const inspect = inspector();
    const fallback = interpretSettings(readEffectiveSettings(defaultsOnly(inspect), true));
    if (!fallback.ok) throw new Error(`the default settings are invalid: ${fallback.problem.message}`);
    this.current = fallback.value;
    this.effectiveSettings = readEffectiveSettings(inspect, vscode.workspace.isTrusted);
    this.reload();
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SETTINGS_SECTION)) this.reload();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reload()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reload()),
    );
  }

  get settings(): InterpretedSettings {
    return this.current;
  }

  /** The effective value of each setting and where it came from, as last read. */
  get effective(): EffectiveSettings {
    return this.effectiveSettings;
  }

  /** The setting that is wrong right now (the last valid settings are in force meanwhile). */
  get problem(): SettingsProblem | undefined {
    return this.currentProblem;
  }

  reload(): void {
    const inspect = inspector();
    const trusted = vscode.workspace.isTrusted;
    this.effectiveSettings = readEffectiveSettings(inspect, trusted);
    const result = interpretSettings(this.effectiveSettings);
    if (result.ok) {
      this.current = result.value;
      if (this.currentProblem) {
        this.log.info(`Settings are valid again (${this.currentProblem.setting} was fixed).`);
        vscode.window.setStatusBarMessage('Sandbox Policy: settings are valid again', 5000);
      }
      this.currentProblem = undefined;
    } else {
      const same = this.currentProblem?.message === result.problem.message;
      this.currentProblem = result.problem;
      if (!same) this.report(result.problem);
    }
    this.noticeWeakerPreset(inspect('preset') ?? {}, trusted);
    this.changed.fire();
  }

  private report(problem: SettingsProblem): void {
    // A warning, not an error: nothing is broken and the last valid policy is still enforced.
    this.log.warn(`Invalid setting: ${problem.message} The last valid settings stay in force.`);
    void vscode.window
      .showWarningMessage(
        `Sandbox Policy: ${problem.message} The last valid settings stay in force until it is fixed.`,
        OPEN_SETTINGS,
      )
      .then((choice) => {
        if (choice === OPEN_SETTINGS)
          void vscode.commands.executeCommand('workbench.action.openSettings', problem.setting);
      });
  }

  /** Says once per workspace (and per pair of presets) that the workspace asks for a weaker preset. */
  private noticeWeakerPreset(preset: Inspection, trusted: boolean): void {
    const weaker = weakerWorkspacePreset(preset);
    if (!weaker) return;
    const stamp = `${weaker.user}>${weaker.workspace}`;
    if (this.workspaceState.get<string>(NOTICE_STATE_KEY) === stamp) return;
    void this.workspaceState.update(NOTICE_STATE_KEY, stamp);
    const effect = trusted
      ? 'It is in force because you trust this workspace.'
      : 'It is ignored while this workspace is not trusted.';
    const text =
      `This workspace sets ${fullKey('preset')} to "${weaker.workspace}", which is weaker than your ` +
      `"${weaker.user}": it ${weaker.examples.join('; ')}. ${effect}`;
    this.log.warn(text);
    void vscode.window.showWarningMessage(`Sandbox Policy: ${text}`, SHOW_POLICY).then((choice) => {
      if (choice === SHOW_POLICY) void vscode.commands.executeCommand('sandboxPolicy.showEffectivePolicy');
    });
  }

  dispose(): void {
    while (this.disposables.length > 0) this.disposables.pop()?.dispose();
  }
}
