// A minimal LSP client for the protocol tests: starts the real server (`node dist/cli.js server --stdio`)
// and speaks JSON-RPC to it over its stdin/stdout (vscode-jsonrpc streams), or over a TCP socket the way
// vscode-languageclient's TransportKind.socket does it (the client listens on 127.0.0.1 and starts the
// server with `--socket=PORT`, which connects back). It records what the server sends on its own (pushed
// diagnostics, window/showMessage) and answers workspace/configuration.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  StreamMessageReader,
  StreamMessageWriter,
  createClientSocketTransport,
  createMessageConnection,
  type MessageConnection,
  type MessageReader,
  type MessageWriter,
} from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  CodeAction,
  Diagnostic,
  DocumentDiagnosticReport,
  Hover,
  InitializeResult,
  PublishDiagnosticsParams,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';

export const ROOT = path.resolve(__dirname, '../../../..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface StartOptions {
  /** Pull diagnostics (true, the default) or push only. */
  pull?: boolean;
  /** Answer workspace/configuration with this `sandboxPolicy` section (a function: asked each time). */
  configuration?: () => unknown;
  initializationOptions?: unknown;
  workspaceFolder?: string;
  /** stdio (the default), or a socket as vscode-languageclient's TransportKind.socket sets it up. */
  transport?: 'stdio' | 'socket';
}

/** How long the server gets to connect back to a socket client (it starts Node and loads the bundle). */
const SOCKET_CONNECT_TIMEOUT_MS = 60_000;

/**
 * Starts the server process on the chosen transport and returns it with the reader and writer the
 * client speaks through.
 */
async function launch(
  transport: 'stdio' | 'socket',
  onStderr: (chunk: string) => void,
): Promise<{ child: ChildProcess; reader: MessageReader; writer: MessageWriter }> {
  if (transport === 'stdio') {
    const child = spawn(process.execPath, [CLI, 'server', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr!.on('data', (chunk: Buffer) => onStderr(chunk.toString()));
    return {
      child,
      reader: new StreamMessageReader(child.stdout!),
      writer: new StreamMessageWriter(child.stdin!),
    };
  }
  // What vscode-languageclient 11 does for TransportKind.socket: listen first (port 0: any free port),
  // pass the bound port as --socket=PORT, and wait for the server to connect.
  const server = await createClientSocketTransport(0);
  const child = spawn(process.execPath, [CLI, 'server', `--socket=${server.port()}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    onStderr(chunk.toString());
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let timer: NodeJS.Timeout | undefined;
  try {
    const [reader, writer] = await Promise.race([
      server.onConnected(),
      new Promise<never>((_, reject) => {
        child.once('exit', (code, signal) =>
          reject(new Error(`the server exited (${code ?? signal}) before connecting: ${output}`)),
        );
        timer = setTimeout(
          () =>
            reject(new Error(`the server did not connect within ${SOCKET_CONNECT_TIMEOUT_MS} ms: ${output}`)),
          SOCKET_CONNECT_TIMEOUT_MS,
        );
      }),
    ]);
    return { child, reader, writer };
  } catch (error) {
    child.kill();
    server.close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

export class TestClient {
  readonly messages: { type: number; message: string }[] = [];
  readonly published: PublishDiagnosticsParams[] = [];
  configurationRequests = 0;
  /** The JSON-RPC connection saw its stream end. */
  connectionClosed = false;
  initializeResult!: InitializeResult;
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly process: ChildProcess,
    readonly connection: MessageConnection,
  ) {
    this.exited = new Promise((resolve) => process.on('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(options: StartOptions = {}): Promise<TestClient> {
    let stderr = '';
    const { child, reader, writer } = await launch(
      options.transport ?? 'stdio',
      (chunk) => (stderr += chunk),
    );
    const connection = createMessageConnection(reader, writer);
    connection.onError(() => undefined);
    const client = new TestClient(child, connection);
    connection.onClose(() => (client.connectionClosed = true));
    connection.onNotification('window/showMessage', (params: { type: number; message: unknown }) => {
      client.messages.push({ type: params.type, message: String(params.message) });
    });
    connection.onNotification('window/logMessage', () => undefined);
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      client.published.push(params);
    });
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => {
      client.configurationRequests++;
      return params.items.map((item) =>
        item.section === 'sandboxPolicy' ? (options.configuration?.() ?? null) : null,
      );
    });
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('workspace/diagnostic/refresh', () => null);
    connection.listen();
    const capabilities: ClientCapabilities = {
      textDocument: {
        synchronization: { dynamicRegistration: false },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
        publishDiagnostics: { versionSupport: true },
        ...(options.pull === false ? {} : { diagnostic: { dynamicRegistration: false } }),
      },
      workspace: {
        configuration: options.configuration !== undefined,
        diagnostics: { refreshSupport: true },
      },
    };
    const folder = options.workspaceFolder;
    try {
      client.initializeResult = await connection.sendRequest<InitializeResult>('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities,
        initializationOptions: options.initializationOptions,
        workspaceFolders: folder ? [{ uri: fileUri(folder), name: path.basename(folder) }] : null,
      });
    } catch (error) {
      child.kill();
      throw new Error(`initialize failed: ${String(error)}; stderr: ${stderr}`, { cause: error });
    }
    await connection.sendNotification('initialized', {});
    return client;
  }

  async open(uri: string, languageId: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version, text },
    });
  }

  async change(
    uri: string,
    version: number,
    contentChanges: TextDocumentContentChangeEvent[],
  ): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges,
    });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  pull(
    uri: string,
    previousResultId?: string,
    source?: CancellationTokenSource,
  ): Promise<DocumentDiagnosticReport> {
    const params = { textDocument: { uri }, previousResultId };
    // (An undefined token would be sent as a second, positional parameter.)
    return source
      ? this.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', params, source.token)
      : this.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', params);
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const report = await this.pull(uri);
    if (report.kind !== 'full') throw new Error(`expected a full report, got ${report.kind}`);
    return report.items;
  }

  codeActions(uri: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    return this.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0].range,
      context: { diagnostics },
    });
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line, character },
    });
  }

  async didChangeConfiguration(): Promise<void> {
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  /** Process exit, for tests that kill it. */
  exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exited;
  }

  /** The LSP shutdown + exit handshake; the server process must then end with code 0. */
  async stop(): Promise<number | null> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return this.process.exitCode;
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const { code } = await this.exited;
    this.connection.dispose();
    return code;
  }

  kill(): void {
    this.process.kill('SIGKILL');
  }
}

export function fileUri(file: string): string {
  return pathToFileURL(file).href;
}

/** Polls `read` until it returns a value (for notifications the server sends on its own). */
export async function eventually<T>(read: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export { CancellationTokenSource };

/**
 * A suite's way to start clients: each one started through it is stopped after the test (killed if it does
 * not stop), so that a failing test leaves no server behind.
 */
export function clientsStoppedAfterEachTest(): (
  ...args: Parameters<typeof TestClient.start>
) => Promise<TestClient> {
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) {
      try {
        await client.stop();
      } catch {
        client.kill();
      }
    }
  });
  return async (...args) => {
    const client = await TestClient.start(...args);
    clients.push(client);
    return client;
  };
}
