// Sandbox Policy's entry point: wires the policy engine, settings, diagnostics, quick fixes, hover,
// status, the run panel and the commands together. Each concern lives in its own file under src/vscode/.
import * as vscode from 'vscode';
import { PolicyEngine } from './policy';
import type { RunResult } from './sandbox/run-types';
import { RunAudit } from './vscode/audit';
import { SuppressionCodeActions } from './vscode/code-actions';
import { registerAllCommands } from './vscode/commands';
import { DiagnosticsController } from './vscode/diagnostics';
import { DOCUMENT_SELECTOR } from './vscode/documents';
import { EffectivePolicyView } from './vscode/effective-policy';
import { FindingHover } from './vscode/hover';
import { createLogger, errorMessage } from './vscode/logger';
import type { HostToWebview } from './vscode/panel/messages';
import { RunPanel, registerRunPanelSerializer } from './vscode/panel/run-panel';
import { ruleDocsUri } from './vscode/rule-docs';
import { RUNNING_CONTEXT_KEY, RunController } from './vscode/run-controller';
import { PythonEditorTracker } from './vscode/python-editor';
import { RunnerPool } from './vscode/runners';
import { E2BKeyStore } from './vscode/secrets';
import { SettingsService } from './vscode/settings';
import type { SettingsProblem } from './vscode/settings-interpret';
import type { EffectiveSetting } from './vscode/settings-model';
import { PolicyStatus } from './vscode/status';

/** What activate() returns: read-only views for the extension-host tests (nothing secret in it). */
export interface SandboxPolicyApi {
  settingsProblem(): SettingsProblem | undefined;
  /** A setting's effective value, where it came from, and any value ignored (key after `sandboxPolicy.`). */
  effectiveSetting(key: string): EffectiveSetting | undefined;
  activePolicy(): { preset: string; threshold: string };
  isRunning(): boolean;
  lastRunResult(): RunResult | undefined;
  panelTranscript(): readonly HostToWebview[];
  auditFile(): string | undefined;
}

let shutdown: (() => Promise<void>) | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<SandboxPolicyApi> {
  const log = createLogger();
  context.subscriptions.push(log);
  let engine: PolicyEngine;
  try {
    engine = await PolicyEngine.create();
  } catch (error) {
    log.error(`The policy engine could not load: ${errorMessage(error)}`);
    void vscode.window.showErrorMessage(
      `Sandbox Policy could not start its policy engine: ${errorMessage(error)}`,
    );
    throw error;
  }
  const settings = new SettingsService(log, context.workspaceState);
  const keys = new E2BKeyStore(context.secrets);
  const ruleDocs = (ruleId: string) => ruleDocsUri(context.extensionUri, ruleId);
  const diagnostics = new DiagnosticsController({
    engine,
    policy: () => settings.settings.policy,
    ruleDocs,
    log,
  });
  const status = new PolicyStatus(settings);
  const view = new EffectivePolicyView(settings, keys);
  const runners = new RunnerPool(context.globalState, log);
  const audit = new RunAudit(context.globalStorageUri, log);
  const pythonEditors = new PythonEditorTracker();
  const controller = new RunController({
    extensionUri: context.extensionUri,
    engine,
    settings,
    keys,
    runners,
    audit,
    status,
    pythonEditors,
    log,
  });
  void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT_KEY, false);

  context.subscriptions.push(
    settings,
    keys,
    diagnostics,
    status,
    view,
    controller,
    pythonEditors,
    settings.onDidChange(() => diagnostics.recheckAll()),
    keys.onDidChange(() => runners.resetE2B()),
    registerRunPanelSerializer(context.extensionUri, controller),
    vscode.languages.registerCodeActionsProvider(DOCUMENT_SELECTOR, new SuppressionCodeActions(), {
      providedCodeActionKinds: SuppressionCodeActions.kinds,
    }),
    vscode.languages.registerHoverProvider(
      DOCUMENT_SELECTOR,
      new FindingHover({
        findings: (uri) => diagnostics.findings(uri),
        policy: () => settings.settings.policy,
        ruleDocs,
      }),
    ),
    ...registerAllCommands({ extensionUri: context.extensionUri, controller, keys, view, log }),
  );

  shutdown = async () => {
    controller.dispose();
    await runners.dispose();
    engine.dispose();
  };
  log.info(
    `Sandbox Policy is active (preset ${settings.settings.policy.preset}, trusted: ${vscode.workspace.isTrusted}).`,
  );

  return {
    settingsProblem: () => settings.problem,
    effectiveSetting: (key) => settings.effective.get(key),
    activePolicy: () => ({
      preset: settings.settings.policy.preset,
      threshold: settings.settings.policy.threshold,
    }),
    isRunning: () => controller.isRunning,
    lastRunResult: () => controller.lastResult,
    panelTranscript: () => RunPanel.instance?.transcript() ?? [],
    auditFile: () => audit.filePath,
  };
}

/** Stops any run and releases the runners (killing a live E2B sandbox and the Pyodide process). */
export async function deactivate(): Promise<void> {
  const stop = shutdown;
  shutdown = undefined;
  await stop?.();
}
