// One sandbox = one fresh interpreter that runs one program and is then thrown away. Two
// implementations run the same jail: ThreadSandbox (a worker thread of the calling process) and
// ProcessSandbox (a child Node process that hosts that worker thread).
import type { ProgramOutcome, ProgramRequest, SandboxExit } from './protocol';

export interface BootInfo {
  /** Time the worker took to load (or restore) the interpreter. */
  bootMs: number;
  /** Set for a sandbox started with `makeSnapshot`: the memory snapshot of a fresh interpreter. */
  snapshot?: Uint8Array;
}

export type SandboxEvent =
  | { type: 'output'; stream: 'stdout' | 'stderr'; text: string }
  /** The output cap was reached inside the sandbox; later output was dropped there. */
  | { type: 'output-capped' }
  | { type: 'finished'; outcome: ProgramOutcome }
  /** The sandbox is gone (killed, crashed, out of memory); no more events follow. */
  | { type: 'exit'; exit: SandboxExit };

export interface SandboxOptions {
  /** The bundled (or transpiled) pyodide-worker.js. */
  workerScript: string;
  pyodideDir: string;
  /** Cap on the interpreter's wasm memory. */
  memoryMb: number;
  /** Cap on the jail thread's JavaScript heap. */
  heapMb: number;
  makeSnapshot?: boolean;
  /**
   * Run the driver's small warm-up program after the boot (default true), so that the first program
   * does not pay for compiling the interpreter's common paths. Worth it only when the boot is ahead of
   * the program (a warm spare); a sandbox booted for a program that is already waiting (the CLI) skips
   * it, since the program would wait for it.
   */
  warmUp?: boolean;
  /**
   * The snapshot to restore. A promise (thread mode only, used by the sandbox process) lets the worker
   * start while the snapshot is still being read; its bytes are transferred, and a rejection fails the boot.
   */
  snapshot?: Uint8Array | Promise<Uint8Array>;
  /**
   * Thread mode: while the program runs, the worker is ended (as out of memory) when the resident
   * memory of this whole process grows by more than this over what it was when the program started.
   * ArrayBuffers and extra WebAssembly memories live outside both the wasm cap and the JavaScript
   * heap limit (redteam 54). Process mode has the supervisor's watchdog instead.
   */
  rssGrowthLimitMb?: number;
  /**
   * Development only (benchmarks, profiling; no setting reaches it): V8 CPU profiles of the jail's
   * thread, and in process mode of the sandbox process, are written to this folder. A profiled sandbox
   * process is ended by closing its pipe (it exits normally, so that Node writes the profiles) rather
   * than by SIGKILL. Nothing inside the jail can see or change it.
   */
  cpuProfileDir?: string;
}

export interface Sandbox {
  /** Resolves when the interpreter is ready (or with the snapshot); rejects with a clear Error if it cannot start. */
  readonly ready: Promise<BootInfo>;
  /** Resolves when the sandbox has stopped existing, for whatever reason. */
  readonly exited: Promise<SandboxExit>;
  /** Runs the one program this sandbox will ever run. Events arrive until `finished` or `exit`. */
  start(program: ProgramRequest, listener: (event: SandboxEvent) => void): void;
  /** Raises KeyboardInterrupt in the program (it may ignore it; `kill` cannot be ignored). */
  interrupt(): void;
  /** Ends the sandbox at once. Idempotent. */
  kill(): void;
}

/** SIGINT, as Pyodide expects it in the interrupt buffer. */
export const INTERRUPT_SIGNAL = 2;
