// One stand-in sandbox: a temporary directory standing for the VM's /home/user, and at most one running
// "kernel" process (the local python3 running a cell through the harness).
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { HARNESS_PY } from './harness';

/** The sandbox user's home in a real E2B sandbox (the code-interpreter kernel's working directory). */
export const SANDBOX_HOME = '/home/user';

export type OutputLine =
  | { type: 'stdout' | 'stderr'; text: string; timestamp: string }
  | { type: 'result'; text?: string; png?: string; is_main_result: boolean }
  | { type: 'error'; name: string; value: string; traceback: string }
  | { type: 'number_of_executions'; execution_count: number };

export interface SandboxRecord {
  sandboxID: string;
  templateID: string;
  /** Lifetime the client asked for, in seconds (`timeout` in the create body). */
  timeout: number | undefined;
  allowInternetAccess: boolean | undefined;
  metadata: Record<string, string>;
}

export class StandinSandbox {
  readonly id = `sbx${crypto.randomBytes(8).toString('hex')}`;
  readonly envdAccessToken = crypto.randomBytes(16).toString('hex');
  readonly dir: string;
  readonly startedAt = Date.now();
  private executionCount = 0;
  private lifetimeTimer: NodeJS.Timeout | undefined;
  private readonly running = new Set<ChildProcess>();
  private readonly closers = new Set<() => void>();
  alive = true;

  constructor(
    readonly record: Omit<SandboxRecord, 'sandboxID'>,
    private readonly python: string,
    private readonly onExpire: (sandbox: StandinSandbox) => void,
    private readonly lifetimeScale = 1,
    /** One python3 for every cell, so that state carries over (the `jupyter` kernel of server.ts). */
    private readonly stateful = false,
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2b-standin-'));
    fs.writeFileSync(path.join(this.dir, '.standin_harness.py'), HARNESS_PY);
    this.setLifetime(record.timeout);
  }

  /** E2B kills a sandbox when its lifetime ends; so does the stand-in. */
  setLifetime(seconds: number | undefined): void {
    if (this.lifetimeTimer) clearTimeout(this.lifetimeTimer);
    if (seconds === undefined) return;
    this.lifetimeTimer = setTimeout(() => this.onExpire(this), seconds * 1000 * this.lifetimeScale);
    this.lifetimeTimer.unref();
  }

  /** Maps a path inside the sandbox to the temp directory; refuses paths that leave it. */
  resolve(sandboxPath: string): string {
    const relative = sandboxPath.startsWith(`${SANDBOX_HOME}/`)
      ? sandboxPath.slice(SANDBOX_HOME.length + 1)
      : sandboxPath.startsWith('/')
        ? path.posix.join('.root', sandboxPath)
        : sandboxPath;
    const target = path.resolve(this.dir, relative);
    if (!target.startsWith(this.dir + path.sep)) throw new Error(`path outside the sandbox: ${sandboxPath}`);
    return target;
  }

  writeFile(sandboxPath: string, data: Uint8Array): { name: string; type: 'file'; path: string } {
    const target = this.resolve(sandboxPath);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, data);
    return { name: path.posix.basename(sandboxPath), type: 'file', path: sandboxPath };
  }

  /**
   * Runs one cell, calling `send` for each NDJSON output as it comes; resolves when the cell ends or the
   * sandbox is killed. The cell text has the sandbox home mapped to the temp directory, as the VM would.
   */
  execute(code: string, send: (line: OutputLine) => void): Promise<void> {
    const count = ++this.executionCount;
    const cellPath = path.join(this.dir, `.standin_cell_${count}.py`);
    fs.writeFileSync(cellPath, code.split(SANDBOX_HOME).join(this.dir));
    send({ type: 'number_of_executions', execution_count: count });
    if (this.stateful) return this.executeInKernel(cellPath, send);
    const child = spawn(this.python, ['-u', path.join(this.dir, '.standin_harness.py'), cellPath], {
      cwd: this.dir,
      env: this.userCodeEnv(),
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    this.running.add(child);
    let error: OutputLine | undefined;
    const streamText = (stream: NodeJS.ReadableStream, type: 'stdout' | 'stderr'): void => {
      const decoder = new StringDecoder('utf8');
      stream.on('data', (chunk: Buffer) => {
        const text = decoder.write(chunk);
        if (text) send({ type, text, timestamp: new Date().toISOString() });
      });
    };
    streamText(child.stdout!, 'stdout');
    streamText(child.stderr!, 'stderr');
    const events = child.stdio[3] as NodeJS.ReadableStream;
    let pending = '';
    events.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = JSON.parse(pending.slice(0, newline)) as OutputLine;
        pending = pending.slice(newline + 1);
        // Jupyter reports the error after the cell's output; hold it until the process has ended.
        if (line.type === 'error') error = line;
        else send(line);
      }
    });
    return new Promise((resolve) => {
      child.on('close', () => {
        this.running.delete(child);
        if (error && this.alive) send(error);
        resolve();
      });
      child.on('error', (spawnError) => {
        this.running.delete(child);
        send({ type: 'error', name: 'StandinError', value: spawnError.message, traceback: '' });
        resolve();
      });
    });
  }

  private kernel:
    { child: ChildProcess; cell?: { send: (line: OutputLine) => void; done: () => void } } | undefined;

  /** Runs the cell in this sandbox's one kernel process (started on first use; again if it died). */
  private executeInKernel(cellPath: string, send: (line: OutputLine) => void): Promise<void> {
    const kernel = (this.kernel ??= this.startKernel());
    return new Promise((resolve) => {
      kernel.cell = { send, done: resolve };
      kernel.child.stdin!.write(`${cellPath}\n`);
    });
  }

  /** A clean environment: nothing of the test process (an API key in particular) reaches user code. */
  private userCodeEnv(): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.dir,
      LANG: 'C.UTF-8',
      PYTHONIOENCODING: 'utf-8',
      PYTHONDONTWRITEBYTECODE: '1',
    };
  }

  private startKernel(): NonNullable<StandinSandbox['kernel']> {
    const child = spawn(this.python, ['-u', path.join(this.dir, '.standin_harness.py'), '--kernel'], {
      cwd: this.dir,
      env: this.userCodeEnv(),
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const kernel: NonNullable<StandinSandbox['kernel']> = { child };
    this.running.add(child);
    let error: OutputLine | undefined;
    const stamp = (): string => new Date().toISOString();
    // What the process writes past Python's streams (a C extension, a crash) still reaches the cell.
    for (const type of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8');
      child[type]!.on('data', (chunk: Buffer) => {
        const text = decoder.write(chunk);
        if (text) kernel.cell?.send({ type, text, timestamp: stamp() });
      });
    }
    let pending = '';
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = JSON.parse(pending.slice(0, newline)) as OutputLine | { type: 'done' };
        pending = pending.slice(newline + 1);
        const cell = kernel.cell;
        if (line.type === 'done') {
          if (error && this.alive) cell?.send(error);
          error = undefined;
          kernel.cell = undefined;
          cell?.done();
        } else if (line.type === 'error') error = line;
        else if (line.type === 'stdout' || line.type === 'stderr') {
          cell?.send({ type: line.type, text: (line as { text: string }).text, timestamp: stamp() });
        } else cell?.send(line);
      }
    });
    child.on('close', () => {
      this.running.delete(child);
      if (this.kernel === kernel) this.kernel = undefined;
      kernel.cell?.done();
    });
    child.on('error', (spawnError) => {
      kernel.cell?.send({ type: 'error', name: 'StandinError', value: spawnError.message, traceback: '' });
    });
    return kernel;
  }

  /** Registers something to tear down when the sandbox dies (an open execute stream). */
  onKill(closer: () => void): () => void {
    this.closers.add(closer);
    return () => this.closers.delete(closer);
  }

  kill(): void {
    if (!this.alive) return;
    this.alive = false;
    if (this.lifetimeTimer) clearTimeout(this.lifetimeTimer);
    for (const child of this.running) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }
    for (const close of this.closers) close();
    this.closers.clear();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
