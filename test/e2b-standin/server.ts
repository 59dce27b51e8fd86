// A loopback stand-in for E2B that the real `@e2b/code-interpreter` SDK talks to unmodified, when created
// with `Sandbox.create({ apiKey, apiUrl, sandboxUrl })` pointing here (or E2B_API_URL / E2B_SANDBOX_URL).
// It serves both planes on one port, as the SDK routes them (read from node_modules/e2b and
// @e2b/code-interpreter 2.8.0):
//   control plane (apiUrl, header X-API-KEY):  POST /v2/sandboxes, DELETE /sandboxes/{id},
//                                              POST /sandboxes/{id}/timeout, GET /sandboxes/{id}
//   sandbox plane (sandboxUrl, headers E2b-Sandbox-Id, E2b-Sandbox-Port 49983|49999, X-Access-Token):
//     envd:    POST /files?path=&username= (multipart field "file", or an octet-stream body), GET /health
//     jupyter: POST /execute (NDJSON reply), GET /health
// Code runs with the local python3 in a temporary directory per sandbox. Faults are injected on demand,
// from tests (`standin.inject(...)`) or over HTTP (`POST /_standin/faults`) when run standalone:
//   node out/test/e2b-standin/server.js [--port N] [--api-key KEY] [--python PATH]
// Its request log never holds a header value: an API key can only be compared, never recorded.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StandinSandbox, type OutputLine, type SandboxRecord } from './sandbox';

export type FaultTarget = 'create' | 'kill' | 'timeout' | 'files' | 'execute';

export type Fault =
  /** Answer with this HTTP status (and optional Retry-After header / body) instead of serving. */
  | { kind: 'status'; on: FaultTarget; status: number; retryAfter?: string; body?: string; times?: number }
  /** Hold the create request this long before answering (the sandbox is made only if the client waits). */
  | { kind: 'slow-create'; delayMs: number; times?: number }
  /** A 201 create reply that is not what E2B sends. */
  | { kind: 'malformed-create'; body: 'not-json' | 'missing-fields' | 'empty'; times?: number }
  /** Cut the execute stream (destroy the socket) after this many NDJSON lines; the sandbox stays alive. */
  | { kind: 'cut-stream'; afterLines: number; times?: number }
  /** Accept the execution and never answer anything more, whatever the code. */
  | { kind: 'endless-run'; times?: number };

export interface RequestLogEntry {
  method: string;
  /** Path and query (no header is ever logged). */
  path: string;
  status: number;
  /** Result of the API key check on control-plane requests. */
  auth?: 'ok' | 'missing' | 'wrong';
  sandboxId?: string;
  fault?: Fault['kind'];
}

export interface StandinStats {
  live: number;
  created: number;
  killed: number;
  expired: number;
  executions: number;
  /** What each create asked for (template, lifetime, internet access, metadata). */
  creates: SandboxRecord[];
}

export interface StandinOptions {
  /** The only API key accepted; anything else is answered 401. Default: any key starting with "e2b_". */
  apiKey?: string;
  port?: number;
  python?: string;
  /** Called with one line per request (method, path, status); never with header values. */
  log?: (line: string) => void;
  /**
   * Multiplies every sandbox lifetime (default 1). Tests use a small factor to watch E2B's lifetime cap
   * end a sandbox that could not be killed, without waiting the real half minute.
   */
  lifetimeScale?: number;
  /**
   * `python` (default) runs each cell with python3. `instant` answers every cell at once with the stdout
   * line "hello" and runs nothing: for benchmarks that measure the client side, not python3's start-up.
   * `jupyter` keeps one python3 per sandbox, so that state carries from one cell to the next as in a
   * real kernel (notebook runs send their cells one by one); its output goes through the kernel's own
   * channel, so it stays in order with the cell's end, and `!cmd` lines run as IPython runs them.
   */
  kernel?: 'python' | 'instant' | 'jupyter';
}

export const ENVD_PORT = '49983';
export const JUPYTER_PORT = '49999';
const ENVD_VERSION = '0.5.8';

class HttpReply extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

export class E2BStandin {
  private readonly server: http.Server;
  private readonly sandboxes = new Map<string, StandinSandbox>();
  private faults: Fault[] = [];
  private readonly counters = { created: 0, killed: 0, expired: 0, executions: 0 };
  private readonly creates: SandboxRecord[] = [];
  readonly requests: RequestLogEntry[] = [];
  url = '';

  constructor(private readonly options: StandinOptions = {}) {
    this.server = http.createServer((req, res) => {
      void this.handle(req, res);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  /** The options the SDK needs to talk to this stand-in (both planes are the same server). */
  connection(): { apiUrl: string; sandboxUrl: string } {
    return { apiUrl: this.url, sandboxUrl: this.url };
  }

  inject(fault: Fault): void {
    this.faults.push(fault);
  }

  clearFaults(): void {
    this.faults = [];
  }

  get liveSandboxes(): number {
    return this.sandboxes.size;
  }

  stats(): StandinStats {
    return { live: this.sandboxes.size, ...this.counters, creates: [...this.creates] };
  }

  /** Forgets counters, logs and faults between tests; live sandboxes are killed. */
  reset(): void {
    for (const sandbox of this.sandboxes.values()) sandbox.kill();
    this.sandboxes.clear();
    this.faults = [];
    this.requests.length = 0;
    this.creates.length = 0;
    Object.assign(this.counters, { created: 0, killed: 0, expired: 0, executions: 0 });
  }

  async close(): Promise<void> {
    for (const sandbox of this.sandboxes.values()) sandbox.kill();
    this.sandboxes.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private takeFault<K extends Fault['kind']>(
    kind: K,
    on?: FaultTarget,
  ): Extract<Fault, { kind: K }> | undefined {
    const index = this.faults.findIndex((f) => f.kind === kind && (f.kind !== 'status' || f.on === on));
    if (index < 0) return undefined;
    const fault = this.faults[index] as Extract<Fault, { kind: K }>;
    if (fault.times === undefined || fault.times <= 1) this.faults.splice(index, 1);
    else fault.times -= 1;
    return fault;
  }

  private record(entry: RequestLogEntry): void {
    this.requests.push(entry);
    this.options.log?.(
      `${entry.method} ${entry.path} -> ${entry.status}${entry.fault ? ` (fault: ${entry.fault})` : ''}`,
    );
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://standin');
    const entry: RequestLogEntry = {
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      status: 0,
    };
    try {
      await this.route(req, res, url, entry);
    } catch (error) {
      const reply =
        error instanceof HttpReply ? error : new HttpReply(500, { code: 500, message: String(error) });
      entry.status = reply.status;
      if (!res.headersSent) {
        const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
        res.end(body);
      } else res.destroy();
    }
    this.record(entry);
  }

  private checkApiKey(req: http.IncomingMessage, entry: RequestLogEntry): void {
    const key = req.headers['x-api-key'];
    const expected = this.options.apiKey;
    entry.auth =
      typeof key !== 'string' || key === ''
        ? 'missing'
        : (expected === undefined ? key.startsWith('e2b_') : key === expected)
          ? 'ok'
          : 'wrong';
    if (entry.auth !== 'ok') throw new HttpReply(401, { code: 401, message: 'Invalid API key' });
  }

  private statusFault(on: FaultTarget, entry: RequestLogEntry): void {
    const fault = this.takeFault('status', on);
    if (!fault) return;
    entry.fault = 'status';
    const headers: Record<string, string> = fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {};
    throw new HttpReply(
      fault.status,
      fault.body ?? { code: fault.status, message: `injected ${fault.status}` },
      headers,
    );
  }

  /** The sandbox a sandbox-plane request is for, checked like E2B's edge proxy and envd do. */
  private sandboxFor(req: http.IncomingMessage, port: string, entry: RequestLogEntry): StandinSandbox {
    const id = req.headers['e2b-sandbox-id'];
    const sandbox = typeof id === 'string' ? this.sandboxes.get(id) : undefined;
    if (typeof id === 'string') entry.sandboxId = id;
    // E2B's proxy answers 502 for a sandbox that is not running.
    if (!sandbox) throw new HttpReply(502, { code: 502, message: 'The sandbox was not found' });
    if (req.headers['e2b-sandbox-port'] !== port)
      throw new HttpReply(502, { code: 502, message: 'wrong port' });
    if (req.headers['x-access-token'] !== sandbox.envdAccessToken) {
      throw new HttpReply(401, { code: 401, message: 'invalid access token' });
    }
    return sandbox;
  }

  private async route(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    entry: RequestLogEntry,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    const parts = url.pathname.split('/').filter(Boolean);

    if (parts[0] === '_standin') return this.control(req, res, parts[1], entry);

    if (method === 'POST' && url.pathname === '/v2/sandboxes') return this.create(req, res, entry);
    if (parts[0] === 'sandboxes' && parts[1]) {
      this.checkApiKey(req, entry);
      const sandbox = this.sandboxes.get(parts[1]);
      entry.sandboxId = parts[1];
      if (method === 'DELETE' && parts.length === 2) {
        this.statusFault('kill', entry);
        if (!sandbox) throw new HttpReply(404, { code: 404, message: `sandbox ${parts[1]} not found` });
        this.kill(sandbox, 'killed');
        return this.send(res, entry, 204);
      }
      if (method === 'POST' && parts[2] === 'timeout') {
        this.statusFault('timeout', entry);
        const body = JSON.parse(await readBody(req)) as { timeout?: number };
        if (!sandbox) throw new HttpReply(404, { code: 404, message: `sandbox ${parts[1]} not found` });
        sandbox.setLifetime(body.timeout);
        return this.send(res, entry, 204);
      }
      if (method === 'GET' && parts.length === 2) {
        if (!sandbox) throw new HttpReply(404, { code: 404, message: `sandbox ${parts[1]} not found` });
        return this.send(res, entry, 200, {
          sandboxID: sandbox.id,
          templateID: sandbox.record.templateID,
          metadata: sandbox.record.metadata,
          startedAt: new Date(sandbox.startedAt).toISOString(),
          envdVersion: ENVD_VERSION,
          state: 'running',
        });
      }
    }
    if (method === 'GET' && url.pathname === '/health') {
      const port = req.headers['e2b-sandbox-port'] === JUPYTER_PORT ? JUPYTER_PORT : ENVD_PORT;
      this.sandboxFor(req, port, entry);
      return port === JUPYTER_PORT
        ? this.send(res, entry, 200, 'Request was successful')
        : this.send(res, entry, 204);
    }
    if (method === 'POST' && url.pathname === '/files') return this.files(req, res, url, entry);
    if (method === 'POST' && url.pathname === '/execute') return this.execute(req, res, entry);
    throw new HttpReply(404, { code: 404, message: `no route for ${method} ${url.pathname}` });
  }

  private async create(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    entry: RequestLogEntry,
  ): Promise<void> {
    this.checkApiKey(req, entry);
    const body = JSON.parse(await readBody(req)) as {
      templateID?: string;
      timeout?: number;
      allow_internet_access?: boolean;
      metadata?: Record<string, string>;
    };
    this.statusFault('create', entry);
    const slow = this.takeFault('slow-create');
    if (slow) {
      entry.fault = 'slow-create';
      const stillWaiting = await waitUnlessClosed(req, res, slow.delayMs);
      if (!stillWaiting) {
        entry.status = 499; // client went away: nothing was made
        return;
      }
    }
    const malformed = this.takeFault('malformed-create');
    if (malformed) {
      entry.fault = 'malformed-create';
      const reply =
        malformed.body === 'not-json'
          ? '<html>upstream error</html>'
          : malformed.body === 'empty'
            ? ''
            : JSON.stringify({ templateID: body.templateID, clientID: 'standin' });
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(reply);
      entry.status = 201;
      return;
    }
    const record = {
      templateID: body.templateID ?? 'base',
      timeout: body.timeout,
      allowInternetAccess: body.allow_internet_access,
      metadata: body.metadata ?? {},
    };
    const sandbox = new StandinSandbox(
      record,
      this.options.python ?? 'python3',
      (expired) => this.kill(expired, 'expired'),
      this.options.lifetimeScale ?? 1,
      this.options.kernel === 'jupyter',
    );
    this.sandboxes.set(sandbox.id, sandbox);
    this.counters.created += 1;
    this.creates.push({ sandboxID: sandbox.id, ...record });
    entry.sandboxId = sandbox.id;
    return this.send(res, entry, 201, {
      sandboxID: sandbox.id,
      templateID: record.templateID,
      clientID: 'standin',
      envdVersion: ENVD_VERSION,
      envdAccessToken: sandbox.envdAccessToken,
      domain: null,
    });
  }

  private kill(sandbox: StandinSandbox, why: 'killed' | 'expired'): void {
    if (!this.sandboxes.delete(sandbox.id)) return;
    sandbox.kill();
    this.counters[why] += 1;
    this.options.log?.(`sandbox ${sandbox.id} ${why}`);
  }

  private async files(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    entry: RequestLogEntry,
  ): Promise<void> {
    const sandbox = this.sandboxFor(req, ENVD_PORT, entry);
    this.statusFault('files', entry);
    const raw = await readBodyBytes(req);
    const contentType = req.headers['content-type'] ?? '';
    const written = [];
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Request('http://standin/files', {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: raw,
      }).formData();
      for (const value of form.getAll('file')) {
        if (typeof value === 'string')
          throw new HttpReply(400, { code: 400, message: 'file field is not a file' });
        const target = url.searchParams.get('path') ?? value.name;
        written.push(sandbox.writeFile(target, new Uint8Array(await value.arrayBuffer())));
      }
    } else {
      const target = url.searchParams.get('path');
      if (!target) throw new HttpReply(400, { code: 400, message: 'path is required' });
      written.push(sandbox.writeFile(target, raw));
    }
    if (written.length === 0) throw new HttpReply(400, { code: 400, message: 'no file in the request' });
    return this.send(res, entry, 200, written);
  }

  private async execute(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    entry: RequestLogEntry,
  ): Promise<void> {
    const sandbox = this.sandboxFor(req, JUPYTER_PORT, entry);
    this.statusFault('execute', entry);
    const body = JSON.parse(await readBody(req)) as { code?: unknown };
    if (typeof body.code !== 'string') throw new HttpReply(422, { code: 422, message: 'code is required' });
    this.counters.executions += 1;
    const endless = this.takeFault('endless-run');
    const cut = endless ? undefined : this.takeFault('cut-stream');
    entry.fault = endless?.kind ?? cut?.kind;
    entry.status = 200;
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    // When the sandbox dies mid-run the VM is gone: the connection drops without an orderly end.
    const forget = sandbox.onKill(() => res.destroy());
    let lines = 0;
    let cutting = false;
    const send = (line: OutputLine): void => {
      if (res.destroyed || cutting) return;
      lines += 1;
      // Cut once this line is on the wire, so the client has received everything before the cut.
      cutting = cut !== undefined && lines >= cut.afterLines;
      res.write(JSON.stringify(line) + '\n', () => {
        if (cutting) res.destroy();
      });
    };
    if (endless) {
      send({ type: 'number_of_executions', execution_count: 1 });
      await new Promise<void>((resolve) => res.on('close', () => resolve()));
    } else if (this.options.kernel === 'instant') {
      send({ type: 'number_of_executions', execution_count: 1 });
      send({ type: 'stdout', text: 'hello\n', timestamp: new Date().toISOString() });
      res.end();
    } else {
      await sandbox.execute(body.code, send);
      if (!res.destroyed && !cutting) res.end();
    }
    forget();
  }

  private async control(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    what: string | undefined,
    entry: RequestLogEntry,
  ): Promise<void> {
    if (what === 'stats' && req.method === 'GET') return this.send(res, entry, 200, this.stats());
    if (what === 'faults' && req.method === 'POST') {
      this.inject(JSON.parse(await readBody(req)) as Fault);
      return this.send(res, entry, 204);
    }
    if (what === 'faults' && req.method === 'DELETE') {
      this.clearFaults();
      return this.send(res, entry, 204);
    }
    if (what === 'reset' && req.method === 'POST') {
      this.reset();
      return this.send(res, entry, 204);
    }
    throw new HttpReply(404, { code: 404, message: 'unknown control endpoint' });
  }

  private send(res: http.ServerResponse, entry: RequestLogEntry, status: number, body?: unknown): void {
    entry.status = status;
    if (body === undefined) {
      res.writeHead(status);
      res.end();
      return;
    }
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json' });
    res.end(text);
  }
}

function readBodyBytes(req: http.IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const text = Buffer.from(await readBodyBytes(req)).toString('utf8');
  return text === '' ? '{}' : text;
}

/** Waits `ms`; resolves false early if the client hangs up meanwhile. */
function waitUnlessClosed(req: http.IncomingMessage, res: http.ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    res.once('close', onClose);
    req.resume();
  });
}

export async function startStandin(options: StandinOptions = {}): Promise<E2BStandin> {
  const standin = new E2BStandin(options);
  await standin.listen();
  return standin;
}

function parseArgs(argv: string[]): StandinOptions {
  const options: StandinOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--port') options.port = Number(value());
    else if (arg === '--api-key') options.apiKey = value();
    else if (arg === '--python') options.python = value();
    else throw new Error(`unknown option ${arg}; use --port N, --api-key KEY, --python PATH`);
  }
  if (
    options.port !== undefined &&
    !(Number.isInteger(options.port) && options.port >= 0 && options.port < 65536)
  ) {
    throw new Error('--port must be an integer from 0 to 65535');
  }
  return options;
}

if (require.main === module) {
  let options: StandinOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`e2b-standin: ${(error as Error).message}`);
    process.exit(2);
  }
  options.log = (line) => console.error(`e2b-standin: ${line}`);
  startStandin(options).then(
    (standin) => {
      console.log(standin.url);
      console.error(
        `e2b-standin: point the SDK here with E2B_API_URL=${standin.url} E2B_SANDBOX_URL=${standin.url}` +
          ` (key: ${options.apiKey === undefined ? 'any key starting with e2b_' : 'the one given with --api-key'});` +
          ` faults: POST ${standin.url}/_standin/faults, stats: GET ${standin.url}/_standin/stats`,
      );
      const stop = (): void => void standin.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (error: unknown) => {
      console.error(`e2b-standin: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
