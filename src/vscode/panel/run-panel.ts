// The "Sandbox Run" webview panel: one at a time (createOrShow), restored after a reload by a
// serializer, scripts only from dist/webview.js with a per-load nonce, resources only from media/ and
// dist/. Messages from the webview are validated before anything acts on them; messages to it are
// queued until its script says it is ready, so nothing posted during load is lost.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostToWebview, type WebviewToHost } from './messages';
import { panelHtml } from './panel-html';

export const RUN_PANEL_VIEW_TYPE = 'sandboxPolicy.runPanel';
const TITLE = 'Sandbox Run';
/** How many posted messages the panel remembers for `transcript()` (the extension-host tests read it). */
const TRANSCRIPT_LIMIT = 2_000;

export interface RunPanelHandler {
  onMessage(message: WebviewToHost): void;
}

export class RunPanel implements vscode.Disposable {
  private static current: RunPanel | undefined;

  private ready = false;
  private queue: HostToWebview[] = [];
  private readonly posted: HostToWebview[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  /** Shows the panel beside the editor, creating it if needed. */
  static createOrShow(extensionUri: vscode.Uri, handler: RunPanelHandler): RunPanel {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    if (RunPanel.current) {
      RunPanel.current.panel.reveal(column, true);
      return RunPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      RUN_PANEL_VIEW_TYPE,
      TITLE,
      { viewColumn: column, preserveFocus: true },
      {
        ...webviewOptions(extensionUri),
        // Output keeps arriving while the panel is in a background tab.
        retainContextWhenHidden: true,
      },
    );
    RunPanel.current = new RunPanel(panel, extensionUri, handler);
    return RunPanel.current;
  }

  /** Takes over a panel VS Code restored after a reload. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, handler: RunPanelHandler): RunPanel {
    RunPanel.current?.dispose();
    panel.webview.options = webviewOptions(extensionUri);
    RunPanel.current = new RunPanel(panel, extensionUri, handler);
    return RunPanel.current;
  }

  static get instance(): RunPanel | undefined {
    return RunPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly handler: RunPanelHandler,
  ) {
    const webview = panel.webview;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'run.svg');
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css')).toString(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
    );
  }

  post(message: HostToWebview): void {
    this.posted.push(message);
    if (this.posted.length > TRANSCRIPT_LIMIT) this.posted.splice(0, this.posted.length - TRANSCRIPT_LIMIT);
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  /** The messages posted since the panel opened (most recent last, capped). */
  transcript(): readonly HostToWebview[] {
    return this.posted;
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  private receive(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) return; // not one of ours: ignore rather than act on it
    if (message.type === 'ready') {
      this.ready = true;
      const queued = this.queue;
      this.queue = [];
      for (const item of queued) void this.panel.webview.postMessage(item);
    }
    this.handler.onMessage(message);
  }

  dispose(): void {
    if (RunPanel.current === this) RunPanel.current = undefined;
    while (this.disposables.length > 0) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    enableForms: false,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'media'),
      vscode.Uri.joinPath(extensionUri, 'dist'),
    ],
  };
}

/** Registers the serializer that brings the panel back after a window reload. */
export function registerRunPanelSerializer(
  extensionUri: vscode.Uri,
  handler: RunPanelHandler,
): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(RUN_PANEL_VIEW_TYPE, {
    deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
      RunPanel.revive(panel, extensionUri, handler);
    },
  });
}
