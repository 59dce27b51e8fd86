// A sandbox in a child Node process (in VS Code: the editor's own binary with ELECTRON_RUN_AS_NODE=1).
// Whatever the program does to that process, including aborting it, the host survives. The child
// gets a minimal environment (never the host's: no API keys), no stdin/stdout, a stderr that is only
// kept (capped) to classify crashes, and a dedicated framed pipe for messages. Where the Node binary
// supports it, the child also runs under Node's permission model (no file writes, no reads outside
// the runtime files, no child processes, no native addons) and without string code generation, as a
// second wall behind the jail, and where the machine offers one, inside an OS sandbox (os-sandbox.ts)
// as a third.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type net from 'node:net';
import { FRAME_BINARY, FRAME_JSON, FrameDecoder, encodeMessage, parseMessage, writeFrame } from './framing';
import type { OsSandboxLaunch } from './os-sandbox-policy';
import {
  MAX_OUTCOME_CHARS,
  parseSupervisorMessage,
  type ExitKind,
  type HostToSupervisor,
  type ProgramRequest,
  type SandboxExit,
} from './protocol';
import type { BootInfo, Sandbox, SandboxEvent, SandboxOptions } from './sandbox';
import type { SnapshotFileRef } from './snapshot-cache';
import { SNAPSHOT_CHUNK_BYTES, SUPERVISOR_ARG } from './supervisor';

/**
 * Frames from the child carry output (≤ 64K chars), outcomes (three fields of ≤ 256K chars each) or
 * snapshot chunks (1 MB). JSON writes a control character or a lone surrogate as a 6-byte escape, so
 * the largest legitimate outcome is 3 × 256K × 6 bytes (≈ 4.5 MB): a cap below that would
 * report a program's own exception as a crashed sandbox.
 */
const MAX_CHILD_FRAME_BYTES = 3 * MAX_OUTCOME_CHARS * 6 + 64 * 1024;
const MAX_SNAPSHOT_BYTES = 1024 * 1024 * 1024;
const STDERR_TAIL_BYTES = 8 * 1024;
/** A profiled sandbox process (cpuProfileDir) that has not exited this long after its pipe closed is killed. */
const PROFILE_EXIT_MS = 60_000;
/** A sandbox process ended during the OS sandbox's set-up (by closing its pipe) is killed after this long. */
const SETUP_EXIT_MS = 10_000;
/** How long the pipes may stay open after the sandbox process exits (held by a process it left behind). */
const PIPE_DRAIN_MS = 2_000;
const OUT_OF_MEMORY =
  /heap out of memory|Reached heap limit|Allocation failed|ERR_WORKER_OUT_OF_MEMORY|out of memory/i;

/** The sandbox process found that the snapshot file it was pointed at (snapshotFile) does not check out. */
export class SnapshotRejectedError extends Error {
  override name = 'SnapshotRejectedError';
}

export interface ProcessSandboxOptions extends SandboxOptions {
  /**
   * Restore this cache file (instead of `snapshot`): the sandbox process reads it through `fd`, which
   * it gets as its descriptor SNAPSHOT_FD (and this object closes here once the process has it), and
   * checks it against `sha256` and `prefix` before use.
   */
  snapshotFile?: SnapshotFileRef & { fd: number };
  nodePath: string;
  /** The child's whole environment. */
  env: NodeJS.ProcessEnv;
  /** Node flags placed before the script (hardening; see hardening.ts). */
  nodeFlags: string[];
  /** The supervisor ends the process when its resident memory passes this. */
  rssLimitMb: number;
  /** The OS sandbox the process starts in (bubblewrap, sandbox-exec), if any. */
  osSandbox?: OsSandboxLaunch;
}

export class ProcessSandbox implements Sandbox {
  readonly ready: Promise<BootInfo>;
  readonly exited: Promise<SandboxExit>;
  private readonly child: ChildProcess;
  private readonly channel: net.Socket;
  private readonly profiled: boolean;
  private listener: ((event: SandboxEvent) => void) | undefined;
  private stderrTail = Buffer.alloc(0);
  private bootSettled = false;
  private finished = false;
  private killed = false;
  /** The supervisor has sent something: past bubblewrap's set-up. */
  private spokeOnce = false;
  private readonly osSandboxed: boolean;
  private reportedExit: SandboxExit | undefined;
  private snapshot: { bytes: Uint8Array; received: number; bootMs: number } | undefined;
  private resolveReady: (info: BootInfo) => void = () => {};
  private rejectReady: (error: Error) => void = () => {};
  private resolveExited: (exit: SandboxExit) => void = () => {};

  constructor(options: ProcessSandboxOptions) {
    this.ready = new Promise<BootInfo>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => {});
    this.exited = new Promise<SandboxExit>((resolve) => {
      this.resolveExited = resolve;
    });
    this.profiled = options.cpuProfileDir !== undefined;
    this.osSandboxed = options.osSandbox !== undefined;
    const profileFlags = options.cpuProfileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`]
      : [];
    const nodeArgs = [...options.nodeFlags, ...profileFlags, options.workerScript, SUPERVISOR_ARG];
    const [command, args] = options.osSandbox
      ? [options.osSandbox.command, [...options.osSandbox.args, options.nodePath, ...nodeArgs]]
      : [options.nodePath, nodeArgs];
    const snapshotFile = options.snapshot ? undefined : options.snapshotFile;
    try {
      this.child = spawn(command, args, {
        env: options.env,
        stdio: ['ignore', 'ignore', 'pipe', 'pipe', snapshotFile ? snapshotFile.fd : 'ignore'],
        windowsHide: true,
      });
    } finally {
      if (options.snapshotFile) fs.closeSync(options.snapshotFile.fd);
    }
    this.channel = this.child.stdio[3] as net.Socket;
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = Buffer.concat([this.stderrTail, chunk]).subarray(-STDERR_TAIL_BYTES);
    });
    this.child.on('error', (error) =>
      this.settleBoot(new Error(`cannot start ${options.nodePath}: ${error.message}`)),
    );
    // 'close', not 'exit': the pipe is read to its end first, so no frame the process sent is lost. But a
    // process that inherited the pipes may outlive the child (bubblewrap's namespace init, orphaned when its
    // parent is killed during set-up, waits forever): after 'exit' the pipes get PIPE_DRAIN_MS, then ours close.
    this.child.on('close', (code, signal) => this.onExit(code, signal));
    this.child.on('exit', () => {
      setTimeout(() => {
        this.channel.destroy();
        this.child.stderr?.destroy();
      }, PIPE_DRAIN_MS).unref();
    });
    const decoder = new FrameDecoder(
      MAX_CHILD_FRAME_BYTES,
      (kind, payload) => (kind === FRAME_JSON ? this.onJson(payload) : this.onBinary(payload)),
      (error) => this.protocolError(error.message),
    );
    this.channel.on('data', (chunk: Buffer) => {
      this.spokeOnce = true;
      decoder.push(chunk);
    });
    this.channel.on('error', () => {});

    if (options.snapshot instanceof Promise)
      throw new Error('a sandbox process takes snapshot bytes or a file');
    const snapshot = options.snapshot;
    this.send({
      type: 'boot',
      pyodideDir: options.pyodideDir,
      memoryMb: options.memoryMb,
      heapMb: options.heapMb,
      rssLimitMb: options.rssLimitMb,
      makeSnapshot: options.makeSnapshot === true,
      warmUp: options.warmUp !== false,
      snapshotBytes: snapshot?.length ?? 0,
      ...(snapshotFile ? { snapshotFile: { sha256: snapshotFile.sha256, prefix: snapshotFile.prefix } } : {}),
    });
    if (snapshot) {
      for (let offset = 0; offset < snapshot.length; offset += SNAPSHOT_CHUNK_BYTES) {
        writeFrame(this.channel, FRAME_BINARY, snapshot.subarray(offset, offset + SNAPSHOT_CHUNK_BYTES));
      }
    }
  }

  start(program: ProgramRequest, listener: (event: SandboxEvent) => void): void {
    if (this.listener) throw new Error('a sandbox runs one program only');
    this.listener = listener;
    this.send({ type: 'run', ...program });
  }

  interrupt(): void {
    this.send({ type: 'interrupt' });
  }

  kill(): void {
    if (this.killed) return;
    this.killed = true;
    if (this.profiled || (this.osSandboxed && !this.spokeOnce)) {
      // Profiled: the supervisor ends its jail thread and exits when the pipe closes, so that Node writes the
      // profiles. In the OS sandbox before the supervisor has spoken: bubblewrap may still be setting up,
      // and killed then it leaves its namespace's init waiting forever; with the pipe closed the supervisor
      // exits as soon as it starts.
      this.channel.destroy();
      setTimeout(() => this.child.kill('SIGKILL'), this.profiled ? PROFILE_EXIT_MS : SETUP_EXIT_MS).unref();
      return;
    }
    this.child.kill('SIGKILL');
  }

  private send(message: HostToSupervisor): void {
    if (!this.channel.destroyed) this.channel.write(encodeMessage(message));
  }

  private onJson(payload: Buffer): void {
    const fields = parseMessage(payload);
    const message = fields && parseSupervisorMessage(fields);
    if (!message) return this.protocolError('the sandbox process sent an invalid message');
    switch (message.type) {
      case 'ready':
        this.settleBoot({ bootMs: message.bootMs });
        break;
      case 'snapshot':
        if (message.bytes > MAX_SNAPSHOT_BYTES) return this.protocolError('the snapshot is too large');
        this.snapshot = { bytes: new Uint8Array(message.bytes), received: 0, bootMs: message.bootMs };
        break;
      case 'boot-failed':
        this.settleBoot(
          message.snapshotRejected ? new SnapshotRejectedError(message.message) : new Error(message.message),
        );
        this.kill();
        break;
      case 'output':
        this.emit({ type: 'output', stream: message.stream, text: message.text });
        break;
      case 'output-capped':
        this.emit({ type: 'output-capped' });
        break;
      case 'finished':
        if (this.finished) break;
        this.finished = true;
        this.emit({ type: 'finished', outcome: message.outcome });
        break;
      case 'exit':
        this.reportedExit ??= { kind: message.kind, detail: message.detail };
        // The supervisor's memory watchdog fired. Its own exit waits for the jail's thread, which may be
        // inside one uninterruptible call (filling a 16 GiB ArrayBuffer, redteam 54): kill it from here.
        if (message.kind === 'out-of-memory') this.kill();
        break;
    }
  }

  private onBinary(payload: Buffer): void {
    const snapshot = this.snapshot;
    if (!snapshot || snapshot.received + payload.length > snapshot.bytes.length) {
      return this.protocolError('the sandbox process sent unexpected binary data');
    }
    snapshot.bytes.set(payload, snapshot.received);
    snapshot.received += payload.length;
    if (snapshot.received === snapshot.bytes.length) {
      this.snapshot = undefined;
      this.settleBoot({ bootMs: snapshot.bootMs, snapshot: snapshot.bytes });
    }
  }

  private protocolError(detail: string): void {
    this.reportedExit ??= { kind: 'crashed', detail };
    this.kill();
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const stderr = this.stderrTail.toString('utf8');
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    let kind: ExitKind;
    let detail: string;
    if (this.reportedExit) ({ kind, detail } = this.reportedExit);
    else if (this.killed) [kind, detail] = ['killed', 'stopped by the runner'];
    else if (OUT_OF_MEMORY.test(stderr))
      [kind, detail] = ['out-of-memory', `the sandbox process ran out of memory (${how})`];
    else [kind, detail] = ['crashed', `the sandbox process stopped unexpectedly (${how})`];
    const exit: SandboxExit = { kind, detail };
    if (code !== null) exit.exitCode = code;
    // Before the program ran, stderr is Node's own (a bad flag, a missing file): worth showing.
    const firstLine = stderr.split('\n').find((line) => line.trim() && !/warning/i.test(line));
    this.settleBoot(
      new Error(
        `the Python sandbox process stopped before it was ready (${detail})${firstLine ? `: ${firstLine.trim().slice(0, 300)}` : ''}`,
      ),
    );
    if (!this.finished) this.emit({ type: 'exit', exit });
    this.resolveExited(exit);
  }

  private settleBoot(result: BootInfo | Error): void {
    if (this.bootSettled) return;
    this.bootSettled = true;
    if (result instanceof Error) this.rejectReady(result);
    else this.resolveReady(result);
  }

  private emit(event: SandboxEvent): void {
    try {
      this.listener?.(event);
    } catch {
      // a listener's failure must not stop the sandbox's bookkeeping
    }
  }
}
