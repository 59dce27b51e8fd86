// A sandbox in a worker thread of the calling process. Cheap and fast, but the worker shares the
// process: exhausting the JavaScript heap from Python (redteam 26) aborts the whole process. The
// process mode hosts this same class inside a child process, where that abort costs only the child.
import { TextDecoder } from 'node:util';
import { Worker } from 'node:worker_threads';
import {
  OutputRingReader,
  STDERR,
  createOutputRing,
  type OutputRingBuffers,
  type StreamId,
} from './output-ring';
import {
  parseJailWorkerMessage,
  type ExitKind,
  type JailWorkerData,
  type ProgramRequest,
  type RunMessage,
  type SandboxExit,
  type SnapshotMessage,
} from './protocol';
import {
  INTERRUPT_SIGNAL,
  type BootInfo,
  type Sandbox,
  type SandboxEvent,
  type SandboxOptions,
} from './sandbox';

/** How long the reader lets a burst of output accumulate before it drains (fewer, larger events). */
const COALESCE_MS = 8;
const IDLE_WAIT_MS = 500;
const WATCHDOG_INTERVAL_MS = 100;
/** The Node option the jail needs so that `import()` in jail code can be answered from inside the jail. */
export const JAIL_WORKER_EXEC_ARGV = ['--experimental-vm-modules'];

export class ThreadSandbox implements Sandbox {
  readonly ready: Promise<BootInfo>;
  readonly exited: Promise<SandboxExit>;
  private readonly worker: Worker;
  private readonly ring: OutputRingBuffers;
  private readonly reader: OutputRingReader;
  private readonly decoders = new Map<StreamId, TextDecoder>();
  private interruptView: Int32Array | undefined;
  private listener: ((event: SandboxEvent) => void) | undefined;
  private pumping = false;
  private cappedReported = false;
  private finished = false;
  private killed = false;
  private exitKind: ExitKind | undefined;
  private exitDetail = '';
  private resolveReady: (info: BootInfo) => void = () => {};
  private rejectReady: (error: Error) => void = () => {};
  private resolveExited: (exit: SandboxExit) => void = () => {};
  private bootSettled = false;
  private watchdog: NodeJS.Timeout | undefined;
  /** The memory watchdog's check, run at once (true when it ended the worker). */
  private checkMemory = (): boolean => false;
  private readonly rssGrowthLimitMb: number | undefined;

  constructor(options: SandboxOptions) {
    this.rssGrowthLimitMb = options.rssGrowthLimitMb;
    this.ring = createOutputRing();
    this.reader = new OutputRingReader(this.ring);
    this.ready = new Promise<BootInfo>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection here
    this.exited = new Promise<SandboxExit>((resolve) => {
      this.resolveExited = resolve;
    });
    // The worker gets its own copy: a transfer would empty the caller's snapshot. One that follows
    // (a promise) is handed over, not copied: it was made for this sandbox.
    const follows = options.snapshot instanceof Promise ? options.snapshot : undefined;
    const snapshot = options.snapshot instanceof Uint8Array ? options.snapshot.slice() : undefined;
    const workerData: JailWorkerData = {
      pyodideDir: options.pyodideDir,
      memoryMb: options.memoryMb,
      makeSnapshot: options.makeSnapshot === true,
      warmUp: options.warmUp !== false,
      snapshot,
      snapshotFollows: follows !== undefined,
      ring: this.ring,
    };
    this.worker = new Worker(options.workerScript, {
      name: 'sandbox-policy pyodide jail',
      workerData,
      transferList: snapshot ? [snapshot.buffer as ArrayBuffer] : [],
      execArgv: options.cpuProfileDir
        ? [...JAIL_WORKER_EXEC_ARGV, '--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`]
        : JAIL_WORKER_EXEC_ARGV,
      argv: [],
      env: {},
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: options.heapMb, stackSizeMb: 4 },
    });
    // The worker never writes to its stdio; anything Node itself prints there is dropped.
    this.worker.stdout.resume();
    this.worker.stderr.resume();
    this.worker.on('message', (message: unknown) => this.onMessage(message));
    this.worker.on('error', (error: unknown) => {
      // A clone made by Node in this realm, not a jail value; only its code is read.
      const code =
        typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
      this.exitKind ??= code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'crashed';
      this.exitDetail ||=
        code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'the worker ran out of JavaScript memory' : 'the worker failed';
    });
    this.worker.on('exit', (code) => this.onExit(code));
    follows?.then(
      (bytes) => {
        if (this.killed) return;
        const message: SnapshotMessage = { type: 'snapshot', bytes };
        this.worker.postMessage(message, [bytes.buffer as ArrayBuffer]);
      },
      (error: unknown) => {
        this.settleBoot(error instanceof Error ? error : new Error('the snapshot could not be read'));
        this.kill();
      },
    );
  }

  start(program: ProgramRequest, listener: (event: SandboxEvent) => void): void {
    if (this.listener) throw new Error('a sandbox runs one program only');
    this.listener = listener;
    const message: RunMessage = { type: 'run', ...program };
    this.worker.postMessage(message);
    this.pumping = true;
    void this.pump();
    this.watchMemory();
  }

  /** Ends the worker when the process's resident memory grows past the limit while the program runs. */
  private watchMemory(): void {
    const limitMb = this.rssGrowthLimitMb;
    if (limitMb === undefined) return;
    const ceiling = process.memoryUsage.rss() + limitMb * 1024 * 1024;
    this.checkMemory = () => {
      if (process.memoryUsage.rss() <= ceiling) return false;
      this.stopWatchdog();
      this.fail('out-of-memory', `the program grew this process's memory by more than ${limitMb} MB`);
      return true;
    };
    this.watchdog = setInterval(this.checkMemory, WATCHDOG_INTERVAL_MS);
  }

  private stopWatchdog(): void {
    clearInterval(this.watchdog);
    this.watchdog = undefined;
    this.checkMemory = () => false;
  }

  interrupt(): void {
    // The time limit: a memory limit already passed, not yet seen by a starved watchdog, ends the run.
    if (this.checkMemory()) return;
    if (this.interruptView) Atomics.store(this.interruptView, 0, INTERRUPT_SIGNAL);
  }

  kill(): void {
    this.stopWatchdog();
    if (this.killed) return;
    this.killed = true;
    this.exitKind ??= 'killed';
    void this.worker.terminate();
  }

  private onMessage(raw: unknown): void {
    const message = parseJailWorkerMessage(raw);
    if (!message) {
      this.fail('crashed', 'the sandbox worker sent an invalid message');
      return;
    }
    switch (message.type) {
      case 'ready':
        this.interruptView = new Int32Array(message.interruptBuffer);
        this.settleBoot({ bootMs: message.bootMs });
        break;
      case 'snapshot':
        this.settleBoot({ bootMs: message.bootMs, snapshot: message.bytes });
        break;
      case 'boot-failed':
        this.settleBoot(new Error(message.message));
        this.kill();
        break;
      case 'finished':
        if (this.finished) break;
        this.finished = true;
        this.stopWatchdog();
        this.stopPump();
        this.emit({ type: 'finished', outcome: message.outcome });
        break;
      case 'fatal':
        this.fail('crashed', message.message);
        break;
    }
  }

  private fail(kind: ExitKind, detail: string): void {
    this.exitKind ??= kind;
    this.exitDetail ||= detail;
    this.kill();
  }

  private onExit(code: number): void {
    this.stopWatchdog();
    this.stopPump();
    // Only `kill()` makes an exit "killed"; a worker that ends by itself has crashed, whatever its code.
    const kind: ExitKind = this.exitKind ?? (this.killed ? 'killed' : 'crashed');
    // A worker whose event loop ran dry before the program reported its end: the program awaited
    // something that nothing can ever complete (`await asyncio.Future()`), no timer left to wake it.
    const ranDry = code === 0 && !this.killed && this.listener !== undefined && !this.finished;
    const exit: SandboxExit = {
      kind,
      detail:
        this.exitDetail ||
        (ranDry
          ? 'the program was waiting for something that can never happen: nothing was left that could wake it'
          : `the worker exited with code ${code}`),
    };
    this.settleBoot(new Error(`the Python worker stopped before it was ready (${exit.detail})`));
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

  private async pump(): Promise<void> {
    while (this.pumping) {
      if (!this.reader.pending && !this.reader.capped) await this.reader.waitForWrite(IDLE_WAIT_MS);
      if (!this.pumping) break;
      await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
      if (!this.pumping) break;
      this.drain();
      if (this.cappedReported) break;
    }
  }

  private stopPump(): void {
    if (!this.listener) return;
    const wasPumping = this.pumping;
    this.pumping = false;
    this.reader.wake();
    if (wasPumping) this.drain(true);
  }

  /** Moves everything in the ring to the listener; reports the cap after the bytes before it. */
  private drain(final = false): void {
    if (this.cappedReported) return;
    const capped = this.reader.capped; // read first: every byte written before the flag is then drained
    this.reader.drain((stream, bytes) =>
      this.emitText(stream, this.decoder(stream).decode(bytes, { stream: true })),
    );
    if (final || capped) {
      for (const stream of this.decoders.keys()) this.emitText(stream, this.decoder(stream).decode());
    }
    if (capped) {
      this.cappedReported = true;
      this.emit({ type: 'output-capped' });
    }
  }

  private decoder(stream: StreamId): TextDecoder {
    let decoder = this.decoders.get(stream);
    if (!decoder) {
      decoder = new TextDecoder('utf-8');
      this.decoders.set(stream, decoder);
    }
    return decoder;
  }

  private emitText(stream: StreamId, text: string): void {
    if (text) this.emit({ type: 'output', stream: stream === STDERR ? 'stderr' : 'stdout', text });
  }
}
