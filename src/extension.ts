// Sandbox Policy's entry point: wires the settings, the language server's client (diagnostics, quick
// fixes and hover come from the server, src/server/), status, the run panel and the commands together.
// Each concern lives in its own file under src/vscode/.
import * as vscode from 'vscode';
import { PolicyEngine } from './policy';
import type { RunResult } from './sandbox/run-types';
import { RunAudit } from './vscode/audit';
import { registerAllCommands } from './vscode/commands';
import { EffectivePolicyView } from './vscode/effective-policy';
import { PolicyLanguageClient } from './vscode/language-client';
import { createLogger, errorMessage } from './vscode/logger';
import type { HostToWebview } from './vscode/panel/messages';
import { RunPanel, registerRunPanelSerializer } from './vscode/panel/run-panel';
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
  /** The language server's process id while it runs. */
  languageServerPid(): number | undefined;
  /** Diagnostic pulls of the document at `uri` waiting for the language server's answer. */
  languageServerPullsInFlight(uri: vscode.Uri): number;
  /** How long activation took, and when the language server was ready (the host tier prints both). */
  startupTimings(): StartupTimings;
}

export interface StartupTimings {
  /** activate() from its first line to its return (what VS Code counts as activation). */
  activateMs: number;
  /** From activate()'s first line until the language server answered `initialize`; undefined until then. */
  languageServerReadyMs: number | undefined;
}

let shutdown: (() => Promise<void>) | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<SandboxPolicyApi> {
  const activationStarted = performance.now();
  const log = createLogger();
  context.subscriptions.push(log);
  // The run gate's engine, loaded once the language server is up: it checks the exact text being run, in process, so a
  // language server that is restarting cannot let a file through (docs/extension.md).
  let engine: Promise<PolicyEngine> | undefined;
  const gateEngine = () => {
    engine ??= PolicyEngine.create().catch((error: unknown) => {
      engine = undefined;
      log.error(`The policy engine could not load: ${errorMessage(error)}`);
      throw error;
    });
    return engine;
  };
  const settings = new SettingsService(log, context.workspaceState);
  const keys = new E2BKeyStore(context.secrets);
  const languageClient = new PolicyLanguageClient(context.extensionUri, settings, log);
  context.subscriptions.push(languageClient);
  const status = new PolicyStatus(settings);
  const view = new EffectivePolicyView(settings, keys);
  const runners = new RunnerPool(context.globalState, log);
  const audit = new RunAudit(context.globalStorageUri, log);
  const pythonEditors = new PythonEditorTracker();
  const controller = new RunController({
    extensionUri: context.extensionUri,
    engine: gateEngine,
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
    status,
    view,
    controller,
    pythonEditors,
    keys.onDidChange(() => runners.resetE2B()),
    registerRunPanelSerializer(context.extensionUri, controller),
    ...registerAllCommands({ extensionUri: context.extensionUri, controller, keys, view, log }),
  );

  shutdown = async () => {
    controller.dispose();
    await runners.dispose();
    await languageClient.stop();
    const loaded = engine;
    engine = undefined;
    (await loaded?.catch(() => undefined))?.dispose();
  };
  // Not awaited: the commands and the run panel's serializer are registered already, and diagnostics
  // arrive when the server is up.
  let languageServerReadyMs: number | undefined;
  languageClient
    .start()
    .then(() => {
      languageServerReadyMs = performance.now() - activationStarted;
    })
    .catch((error: unknown) => {
      log.error(`The language server could not start: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(
        `Sandbox Policy could not start its language server: ${errorMessage(error)}`,
      );
    })
    // The run gate's engine is loaded now rather than on the first run, so that loading its grammars never
    // holds up the extension host while the user is saving or running a file.
    .then(() => gateEngine())
    .catch(() => undefined);
  log.info(
    `Sandbox Policy is active (preset ${settings.settings.policy.preset}, trusted: ${vscode.workspace.isTrusted}).`,
  );
  const activateMs = performance.now() - activationStarted;

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
    languageServerPid: () => languageClient.serverPid,
    languageServerPullsInFlight: (uri) => languageClient.pullsInFlight(uri),
    startupTimings: () => ({ activateMs, languageServerReadyMs }),
  };
}

/** Stops any run and releases the runners (killing a live E2B sandbox and the Pyodide process). */
export async function deactivate(): Promise<void> {
  const stop = shutdown;
  shutdown = undefined;
  await stop?.();
}
