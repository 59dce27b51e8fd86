// The extension as a client of the Sandbox Policy language server (dist/server.js, a separate Node
// process over IPC): diagnostics, quick fixes and hover come from there, so the engine never runs on the
// extension host's thread while the user types. The server reads its settings from the extension's
// SettingsService (already validated, and filtered for Workspace Trust) through the
// `workspace/configuration` middleware, and is told when they change or the workspace becomes trusted.
// A server that stops is started again (src/vscode/restart-policy.ts).
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type DocumentSelector,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  DID_CHANGE_TRUST_NOTIFICATION,
  SETTINGS_SECTION,
  type InitializationOptions,
  type ServerSettings,
} from '../server/protocol';
import { DOCUMENT_SELECTOR } from './documents';
import { errorMessage } from './logger';
import { RestartPolicy } from './restart-policy';
import { SHOW_RULE_DOCS_COMMAND } from './rule-docs';
import type { SettingsService } from './settings';
import { valueOf } from './settings-model';
import { POLICY_SETTING_KEYS } from '../policy/config';

/**
 * The Python cells of Jupyter notebooks, so that hover, quick fixes and pulled diagnostics reach them. The
 * server declares notebook sync for them (src/server/notebooks.ts), and vscode-languageclient then sends
 * each notebook as a whole (`notebookDocument/*`), so the server checks its cells as one program.
 */
const NOTEBOOK_CELLS = { notebook: { notebookType: 'jupyter-notebook' }, language: 'python' };

/** The client id: VS Code reads `sandboxPolicy.trace.server` for it. */
const CLIENT_ID = 'sandboxPolicy';

/** What the server gets for the `sandboxPolicy` section: the last valid, trust-filtered values. */
export function serverSettings(settings: SettingsService): ServerSettings {
  const config = settings.settings.policyConfig;
  // Every policy key, by the setting's name: a key added to the policy reaches the server with no change here.
  const out: Record<string, unknown> = {
    documentSizeLimitMb: valueOf(settings.effective, 'documentSizeLimitMb'),
  };
  for (const [configKey, settingKey] of POLICY_SETTING_KEYS) out[settingKey] = config[configKey];
  return out as ServerSettings;
}

export class PolicyLanguageClient implements vscode.Disposable {
  private readonly client: LanguageClient;
  private readonly restarts = new RestartPolicy();
  private readonly disposables: vscode.Disposable[] = [];
  /** Diagnostic pulls sent and not yet answered, by document URI (the restart test kills the server mid-pull). */
  private readonly pulls = new Map<string, number>();
  private stopping = false;

  constructor(
    extensionUri: vscode.Uri,
    settings: SettingsService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const module = vscode.Uri.joinPath(extensionUri, 'dist', 'server.js').fsPath;
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc },
    };
    const outputChannel = vscode.window.createOutputChannel('Sandbox Policy Language Server', { log: true });
    const traceOutputChannel = vscode.window.createOutputChannel('Sandbox Policy Language Server Trace', {
      log: true,
    });
    this.disposables.push(outputChannel, traceOutputChannel);
    const clientOptions: LanguageClientOptions = {
      documentSelector: [...(DOCUMENT_SELECTOR as DocumentSelector), NOTEBOOK_CELLS],
      outputChannel,
      traceOutputChannel,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: (): InitializationOptions => ({
        settings: serverSettings(settings),
        workspaceTrusted: vscode.workspace.isTrusted,
        showRuleDocsCommand: SHOW_RULE_DOCS_COMMAND,
      }),
      diagnosticPullOptions: { onChange: true, onSave: false },
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue, handled: true }),
        closed: () => {
          if (this.restarts.shouldRestart(Date.now())) {
            this.log.warn('The Sandbox Policy language server stopped; starting it again.');
            return { action: CloseAction.Restart, handled: true };
          }
          return {
            action: CloseAction.DoNotRestart,
            message:
              'The Sandbox Policy language server stopped 5 times in 3 minutes and is not started again: ' +
              'diagnostics are off. Reload the window to try again; the "Sandbox Policy Language Server" output says why.',
          };
        },
      },
      middleware: {
        // While the window reloads or closes, requests still in flight fail with the connection (and the
        // output channel the client would log that to is already closed): nothing to show, not an error.
        provideHover: (document, position, token, next) =>
          this.quietWhileStopping(() => next(document, position, token)),
        provideCodeActions: (document, range, context, token, next) =>
          this.quietWhileStopping(() => next(document, range, context, token)),
        provideDiagnostics: (document, previousResultId, token, next) =>
          this.countPull(document instanceof vscode.Uri ? document : document.uri, () =>
            next(document, previousResultId, token),
          ),
        workspace: {
          configuration: (params) =>
            params.items.map((item) => (item.section === SETTINGS_SECTION ? serverSettings(settings) : null)),
        },
      },
    };
    this.client = new LanguageClient(
      CLIENT_ID,
      'Sandbox Policy Language Server',
      serverOptions,
      clientOptions,
    );
    this.disposables.push(
      settings.onDidChange(() =>
        this.notify(DidChangeConfigurationNotification.type.method, { settings: null }),
      ),
      vscode.workspace.onDidGrantWorkspaceTrust(() =>
        this.notify(DID_CHANGE_TRUST_NOTIFICATION, { trusted: true }),
      ),
    );
  }

  async start(): Promise<void> {
    await this.client.start();
  }

  /** The server's process id while it runs (the extension-host tests kill it to test the restart). */
  get serverPid(): number | undefined {
    return this.client.state === State.Running ? this.client.serverProcess?.pid : undefined;
  }

  /** How many diagnostic pulls of `uri` are waiting for the server's answer. */
  pullsInFlight(uri: vscode.Uri): number {
    return this.pulls.get(uri.toString()) ?? 0;
  }

  private async countPull<T>(
    uri: vscode.Uri,
    pull: () => vscode.ProviderResult<T>,
  ): Promise<T | null | undefined> {
    const key = uri.toString();
    this.pulls.set(key, this.pullsInFlight(uri) + 1);
    try {
      return await pull();
    } finally {
      const left = this.pullsInFlight(uri) - 1;
      if (left > 0) this.pulls.set(key, left);
      else this.pulls.delete(key);
    }
  }

  private async quietWhileStopping<T>(request: () => vscode.ProviderResult<T>): Promise<T | undefined> {
    try {
      return (await request()) ?? undefined;
    } catch (error) {
      if (this.stopping || !this.client.isRunning()) return undefined;
      throw error;
    }
  }

  private notify(method: string, params: unknown): void {
    if (!this.client.isRunning()) return;
    this.client.sendNotification(method, params).catch((error: unknown) => {
      this.log.warn(`Could not tell the language server (${method}): ${errorMessage(error)}`);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.client.isRunning()) await this.client.stop(2000);
  }

  dispose(): void {
    void this.stop();
    while (this.disposables.length > 0) this.disposables.pop()?.dispose();
  }
}
