// The Pyodide runner: one fresh interpreter per run (nothing of one run — variables, files, timers — can
// reach the next), a warm spare so that a run starts at once, the limits, and one RunResult per run.
import fs from 'node:fs';
import path from 'node:path';
import { pyodideDir as defaultPyodideDir, pyodideWorkerScript } from '../../assets';
import {
  DEFAULT_LIMITS,
  type RunBoundaries,
  type RunRequest,
  type RunResult,
  type Runner,
} from '../run-types';
import { EXIT_INVALID_OPTION, sandboxEnvironment, sandboxNodeFlags, scriptRoot } from './hardening';
import { checkLimits, checkProgram } from './limits';
import { planOsSandbox, sameLaunch, type OsSandboxPlan, type OsSandboxStatus } from './os-sandbox';
import { OS_SANDBOX_SETTINGS, type OsSandboxLaunch, type OsSandboxSetting } from './os-sandbox-policy';
import { ProcessSandbox, SnapshotRejectedError } from './process-sandbox';
import { RunSession } from './run-session';
import type { BootInfo, Sandbox } from './sandbox';
import { SnapshotCache, runtimeSnapshotKey, type SnapshotFileRef, type SnapshotLoad } from './snapshot-cache';
import { ThreadSandbox } from './thread-sandbox';
import { errorMessage } from '../../error-message';

export type IsolationMode = 'process' | 'thread';

/**
 * `process`: the jail runs in a child Node process, so nothing the program does (including exhausting
 * the JavaScript heap, which aborts the hosting process) can take the host down. `thread`: a worker
 * thread of the host; faster to start, the same jail, but a JavaScript-heap bomb kills the host.
 */
export const DEFAULT_ISOLATION: IsolationMode = 'process';

export interface PyodideRunnerOptions {
  isolation?: IsolationMode;
  /** Keep one booted interpreter ready for the next run (default true). */
  warmSpare?: boolean;
  /** Process mode: the Node binary (default `process.execPath`; in VS Code pass it with ELECTRON_RUN_AS_NODE=1). */
  nodePath?: string;
  /** Process mode: the sandbox process's whole environment (default empty; secrets are removed anyway). */
  env?: NodeJS.ProcessEnv;
  /** Boot interpreters from a memory snapshot of a fresh one (~10× faster; default: same as warmSpare). */
  snapshots?: boolean;
  /**
   * Keep that snapshot on disk in this folder (see cache-dir.ts for the user's cache folder), so that
   * the next process restores it instead of booting Pyodide first. Unset: the snapshot lives only as
   * long as this runner.
   */
  snapshotCacheDir?: string;
  /** Told what the on-disk snapshot cache did (hit, missing, discarded and why, saved or not). */
  onSnapshotCache?: (event: SnapshotCacheEvent) => void;
  /** How long a program may ignore the interrupt after its time is up before it is killed (default 1000 ms). */
  interruptGraceMs?: number;
  /** Cap on the jail thread's JavaScript heap (default 256 MB). */
  heapMb?: number;
  /** Where pyodide-worker.js and Pyodide's files are (default: found by src/assets.ts). */
  workerScript?: string;
  pyodideDir?: string;
  /**
   * Process mode: start the sandbox process inside the OS sandbox (bubblewrap, sandbox-exec). `auto`
   * (default): where available; `required`: runs are refused without it; `off`: never.
   */
  osSandbox?: OsSandboxSetting;
  /** The platform whose OS sandbox is looked for (default `process.platform`; tests mock it). */
  platform?: NodeJS.Platform;
  /**
   * Development only: write V8 CPU profiles of every sandbox (see SandboxOptions.cpuProfileDir) to this
   * absolute folder. Process mode needs `osSandbox: 'off'` (the OS sandbox has nothing writable), and
   * the profiled processes run without Node's permission model (Node 20 writes no profile under it).
   */
  cpuProfileDir?: string;
}

export type SnapshotCacheEvent =
  | SnapshotLoad
  | { snapshotFile: string }
  | { saved: string }
  | { saveFailed: string }
  | { keyFailed: string };

/**
 * Where a sandbox's snapshot comes from: bytes in this process (made here, or read from the cache in
 * thread mode), or a cache file that the sandbox process reads and checks itself.
 */
type SnapshotSource = { bytes: Uint8Array } | { file: SnapshotFileRef; cache: SnapshotCache };

const SNAPSHOT_MAKER_MEMORY_MB = 512;
const DEFAULT_HEAP_MB = 256;
/** Room for the runtime itself, the snapshot copies and the JavaScript heaps, above the wasm cap. */
const RSS_HEADROOM_MB = 512;
const DEFAULT_GRACE_MS = 1000;

interface Spare {
  /** Resolves with a booted sandbox (rejects if it could not boot). */
  sandbox: Promise<Sandbox>;
  memoryMb: number;
  ready: boolean;
  dead: boolean;
}

export class PyodideRunner implements Runner {
  readonly backend = 'pyodide' as const;
  readonly isolation: IsolationMode;
  private readonly warmSpare: boolean;
  private readonly useSnapshots: boolean;
  private readonly workerScript: string;
  private readonly pyodideDir: string;
  private readonly nodePath: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly graceMs: number;
  private readonly heapMb: number;
  private readonly cpuProfileDir: string | undefined;
  /** Profiled sandboxes whose run has ended, still writing their profiles as they exit. */
  private readonly profiledExits = new Set<Promise<unknown>>();
  private permissionModel = true;
  readonly osSandboxSetting: OsSandboxSetting;
  private readonly platform: NodeJS.Platform;
  private osSandbox: Promise<OsSandboxStatus> | undefined;
  private osSandboxPlan: OsSandboxPlan | undefined;
  /** Told when a sandbox process has been started (see prewarm). */
  private launchWaiters: (() => void)[] = [];
  private snapshot: Promise<SnapshotSource | undefined> | undefined;
  private readonly snapshotCacheDir: string | undefined;
  private readonly onSnapshotCache: (event: SnapshotCacheEvent) => void;
  private pendingSave: Promise<void> = Promise.resolve();
  private spare: Spare | undefined;
  private readonly live = new Set<Sandbox>();
  /** Sandboxes started but not yet booted (or checked): dispose() kills them instead of awaiting the boot. */
  private readonly booting = new Set<Sandbox>();
  private disposed = false;
  private spareMemoryMb = DEFAULT_LIMITS.memoryMb;

  constructor(options: PyodideRunnerOptions = {}) {
    this.isolation = options.isolation ?? DEFAULT_ISOLATION;
    if (this.isolation !== 'process' && this.isolation !== 'thread') {
      throw new Error(`isolation must be "process" or "thread", got ${JSON.stringify(this.isolation)}`);
    }
    this.warmSpare = options.warmSpare ?? true;
    this.useSnapshots = options.snapshots ?? this.warmSpare;
    this.workerScript = options.workerScript ?? pyodideWorkerScript();
    this.pyodideDir = options.pyodideDir ?? defaultPyodideDir();
    this.nodePath = options.nodePath ?? process.execPath;
    this.env = sandboxEnvironment(options.env);
    this.graceMs = options.interruptGraceMs ?? DEFAULT_GRACE_MS;
    this.heapMb = options.heapMb ?? DEFAULT_HEAP_MB;
    this.osSandboxSetting = options.osSandbox ?? 'auto';
    if (!OS_SANDBOX_SETTINGS.includes(this.osSandboxSetting)) {
      throw new Error(
        `osSandbox must be "auto", "required" or "off", got ${JSON.stringify(this.osSandboxSetting)}`,
      );
    }
    this.platform = options.platform ?? process.platform;
    this.cpuProfileDir = options.cpuProfileDir;
    if (this.cpuProfileDir !== undefined) {
      if (!path.isAbsolute(this.cpuProfileDir)) throw new Error('cpuProfileDir must be an absolute path');
      if (this.isolation === 'process' && this.osSandboxSetting !== 'off')
        throw new Error(
          'cpuProfileDir needs osSandbox "off" in process mode: the OS sandbox has nothing writable',
        );
      // Node 20 writes no profile of a main thread under its permission model.
      this.permissionModel = false;
    }
    this.snapshotCacheDir = options.snapshotCacheDir;
    this.onSnapshotCache = options.onSnapshotCache ?? (() => {});
    if (this.warmSpare) this.replenish();
  }

  async run(request: RunRequest): Promise<RunResult> {
    const session = new RunSession(request, this.graceMs);
    if (this.disposed) return session.failedToStart('the Pyodide runner has been disposed');
    const problem = checkLimits(request.limits) ?? checkProgram(request.code, request.limits);
    if (problem) return session.refuse(problem.message, problem.limit);
    if (request.signal?.aborted) return session.cancelledBeforeStart();
    const boundaries = await this.boundaries();
    session.boundaries = boundaries;
    if (boundaries.refusal) return session.failedToStart(boundaries.refusal);

    const memoryMb = request.limits.memoryMb;
    this.spareMemoryMb = memoryMb;
    const spare = this.takeSpare(memoryMb);
    if (!spare?.ready) session.status('Starting the Python runtime');
    let sandbox: Sandbox;
    try {
      sandbox = await untilAborted(spare?.sandbox ?? this.bootReady(memoryMb), request.signal);
    } catch (error) {
      this.replenishLater();
      if (request.signal?.aborted) return session.cancelledBeforeStart();
      return session.failedToStart(errorMessage(error));
    }
    this.live.add(sandbox);
    try {
      return await session.execute(sandbox);
    } finally {
      sandbox.kill();
      this.live.delete(sandbox);
      if (this.cpuProfileDir !== undefined) {
        // A profiled sandbox writes its profiles as it exits, after the run: dispose waits for them.
        const exit: Promise<unknown> = sandbox.exited.finally(() => this.profiledExits.delete(exit));
        this.profiledExits.add(exit);
      }
      this.replenishLater();
    }
  }

  /**
   * Starts booting an interpreter for the next run now (for a runner without a warm spare: the CLI
   * boots while the policy gate reads the file). It runs nothing until `run()` hands it a program.
   */
  prewarm(memoryMb: number): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.spareMemoryMb = memoryMb;
    this.replenish();
    const spare = this.spare;
    // Resolves once its process is started (or the boot has failed): a caller about to do a lot of
    // synchronous work (loading the policy engine) waits for this much so that the start is not delayed.
    return new Promise<void>((resolve) => {
      this.launchWaiters.push(resolve);
      spare?.sandbox.then(
        () => resolve(),
        () => resolve(),
      );
    });
  }

  /** The next spare boots once this run is over, so that it does not compete with the run for CPU. */
  private replenishLater(): void {
    if (this.warmSpare && !this.disposed) this.replenish();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const spare = this.spare;
    this.spare = undefined;
    const sandboxes = [...this.live, ...this.booting];
    for (const sandbox of sandboxes) sandbox.kill();
    const spareSandbox = spare ? await spare.sandbox.catch(() => undefined) : undefined;
    spareSandbox?.kill();
    await Promise.all(
      [...sandboxes, ...(spareSandbox ? [spareSandbox] : [])].map((sandbox) => sandbox.exited),
    );
    await this.pendingSave;
    await Promise.all([...this.profiledExits]);
  }

  /**
   * The walls around a run: the jail always; in process mode a separate process, Node's permission
   * model where the binary has it, and the OS sandbox where the machine offers it. With `osSandbox:
   * required`, `refusal` says why runs are refused.
   */
  async boundaries(): Promise<RunBoundaries & { refusal?: string }> {
    const boundaries: RunBoundaries & { refusal?: string } = {
      jail: true,
      isolation: this.isolation,
      permissionModel: false,
      osSandbox: 'none',
    };
    if (this.isolation === 'thread') {
      boundaries.osSandboxNote = 'thread isolation runs the jail inside the host process';
    } else {
      boundaries.permissionModel = this.hardening().permissionModel;
      const status = await this.osSandboxStatus();
      if (status?.available) {
        boundaries.osSandbox = status.launch.kind;
        if (status.note) boundaries.osSandboxNote = status.note;
      } else boundaries.osSandboxNote = status ? status.reason : 'turned off (osSandbox: off)';
    }
    if (this.osSandboxSetting === 'required' && boundaries.osSandbox === 'none') {
      boundaries.refusal = `the OS sandbox is required (osSandbox: required) but not in force: ${boundaries.osSandboxNote}`;
    }
    return boundaries;
  }

  /** What this machine offers, looked up once per runner; undefined when the setting is `off`. */
  private osSandboxStatus(): Promise<OsSandboxStatus | undefined> {
    if (this.osSandboxSetting === 'off' || this.isolation === 'thread') return Promise.resolve(undefined);
    this.osSandbox ??= Promise.resolve()
      .then(() => this.plannedOsSandbox().probe())
      .catch((error: unknown) => ({
        available: false as const,
        reason: `the OS sandbox check failed: ${errorMessage(error)}`,
      }));
    return this.osSandbox;
  }

  private plannedOsSandbox(): OsSandboxPlan {
    this.osSandboxPlan ??= planOsSandbox({
      platform: this.platform,
      nodePath: this.nodePath,
      env: this.env,
      readableDirs: [scriptRoot(this.workerScript), this.pyodideDir],
    });
    return this.osSandboxPlan;
  }

  /** The launch the OS sandbox check tries first, to start a sandbox process in while it runs. */
  private unverifiedLaunch(): OsSandboxLaunch | undefined {
    if (this.osSandboxSetting === 'off' || this.isolation === 'thread') return undefined;
    try {
      return this.plannedOsSandbox().first;
    } catch {
      return undefined; // the check itself reports why
    }
  }

  private hardening(): ReturnType<typeof sandboxNodeFlags> {
    return sandboxNodeFlags({
      nodePath: this.nodePath,
      workerScript: this.workerScript,
      pyodideDir: this.pyodideDir,
      permissionModel: this.permissionModel,
    });
  }

  /** Resolves when the warm spare (if any) is booted; for benchmarks and tests. */
  async whenSpareReady(): Promise<void> {
    await this.spare?.sandbox.catch(() => undefined);
  }

  private takeSpare(memoryMb: number): Spare | undefined {
    const spare = this.spare;
    this.spare = undefined;
    if (!spare) return undefined;
    if (spare.dead || spare.memoryMb !== memoryMb) {
      void spare.sandbox.then(
        (sandbox) => sandbox.kill(),
        () => {},
      );
      return undefined;
    }
    return spare;
  }

  /** Boots the next spare unless one is on its way. */
  private replenish(): void {
    if (this.spare && !this.spare.dead) return;
    const spare: Spare = {
      sandbox: this.bootReady(this.spareMemoryMb),
      memoryMb: this.spareMemoryMb,
      ready: false,
      dead: false,
    };
    this.spare = spare;
    spare.sandbox.then(
      (sandbox) => {
        spare.ready = true;
        if (this.disposed) sandbox.kill();
        void sandbox.exited.then(() => {
          spare.dead = true;
        });
      },
      () => {
        spare.dead = true;
      },
    );
  }

  /** A sandbox that has finished booting. */
  private async bootReady(memoryMb: number): Promise<Sandbox> {
    const pending = this.useSnapshots ? this.snapshotSource() : undefined;
    const source = await pending;
    try {
      const { sandbox } = await this.started({ memoryMb, ...snapshotOptions(source) });
      return sandbox;
    } catch (error) {
      if (!(error instanceof SnapshotRejectedError) || !source || !('file' in source)) throw error;
      // The sandbox process found the cache file corrupt: never used; deleted, made afresh and saved.
      if (this.snapshot === pending) {
        this.onSnapshotCache(await source.cache.reject(error.message));
        this.snapshot = this.newSnapshot(source.cache);
      }
      const { sandbox } = await this.started({ memoryMb, ...snapshotOptions(await this.snapshotSource()) });
      return sandbox;
    }
  }

  /**
   * Creates a sandbox and waits until it has booted (or made its snapshot). In the OS sandbox, the
   * first sandbox process starts in the launch the start-up check tries first, while that check (a
   * whole runtime start inside the sandbox) runs: it is used only once the check has passed for that
   * same launch, else killed unused and started again in the launch the check found (or refused).
   */
  private async started(options: {
    memoryMb: number;
    snapshot?: Uint8Array;
    snapshotFile?: SnapshotFileRef;
    makeSnapshot?: boolean;
  }): Promise<{ sandbox: Sandbox; info: BootInfo }> {
    const boundaries = this.boundaries();
    let launch = this.unverifiedLaunch();
    let verified = launch === undefined;
    if (verified) {
      const known = await boundaries;
      if (known.refusal) throw new Error(known.refusal);
      const osSandbox = await this.osSandboxStatus();
      launch = osSandbox?.available ? osSandbox.launch : undefined;
    }
    let retriedWithoutPermissionModel = false;
    for (;;) {
      if (this.disposed) throw new Error('the Pyodide runner has been disposed');
      const usedPermissionModel = this.isolation === 'process' && this.permissionModel;
      const sandbox = this.createSandbox({ ...options, osSandbox: launch });
      for (const wake of this.launchWaiters.splice(0)) wake();
      this.booting.add(sandbox);
      void sandbox.exited.then(() => this.booting.delete(sandbox));
      const booted = sandbox.ready.then(
        (info) => ({ info }),
        (error: unknown) => ({ error }),
      );
      if (!verified) {
        const known = await boundaries;
        const osSandbox = await this.osSandboxStatus();
        verified = true;
        const checked = osSandbox?.available ? osSandbox.launch : undefined;
        if (known.refusal || !sameLaunch(checked, launch)) {
          sandbox.kill();
          if (known.refusal) throw new Error(known.refusal);
          launch = checked;
          continue;
        }
      }
      const outcome = await booted;
      this.booting.delete(sandbox);
      if ('info' in outcome) return { sandbox, info: outcome.info };
      sandbox.kill();
      const exit = await sandbox.exited;
      // A Node build without the permission model exits at once with "bad option": drop the flags.
      if (!retriedWithoutPermissionModel && usedPermissionModel && exit.exitCode === EXIT_INVALID_OPTION) {
        retriedWithoutPermissionModel = true;
        this.permissionModel = false;
        continue;
      }
      throw outcome.error;
    }
  }

  private createSandbox({
    osSandbox,
    snapshotFile,
    ...options
  }: {
    memoryMb: number;
    snapshot?: Uint8Array;
    snapshotFile?: SnapshotFileRef;
    makeSnapshot?: boolean;
    osSandbox: OsSandboxLaunch | undefined;
  }): Sandbox {
    const common = {
      workerScript: this.workerScript,
      pyodideDir: this.pyodideDir,
      heapMb: this.heapMb,
      cpuProfileDir: this.cpuProfileDir,
      // A spare boots ahead of its program, so its warm-up is free; without one the program is waiting.
      warmUp: this.warmSpare,
      ...options,
    };
    if (this.isolation === 'thread') {
      return new ThreadSandbox({
        ...common,
        rssGrowthLimitMb: options.memoryMb + this.heapMb + RSS_HEADROOM_MB,
      });
    }
    return new ProcessSandbox({
      ...common,
      snapshotFile: snapshotFile && openSnapshotFile(snapshotFile),
      nodePath: this.nodePath,
      env: this.env,
      nodeFlags: this.hardening().flags,
      osSandbox,
      rssLimitMb: options.memoryMb + this.heapMb + RSS_HEADROOM_MB,
    });
  }

  /**
   * One snapshot per runner, made by a sandbox that never runs a program (or an intact copy of one from
   * the on-disk cache); undefined if that failed.
   */
  private snapshotSource(): Promise<SnapshotSource | undefined> {
    this.snapshot ??= this.cachedOrNewSnapshot();
    return this.snapshot;
  }

  private async cachedOrNewSnapshot(): Promise<SnapshotSource | undefined> {
    const cache = await this.snapshotCache();
    if (!cache) return this.newSnapshot(undefined);
    // Process mode: the sandbox process reads the file through a descriptor opened here (it has no
    // right to open files there) and checks it itself; the 31 MB are read once, where they are used.
    if (this.isolation === 'process') {
      const located = await cache.locate();
      if ('snapshotFile' in located) {
        this.onSnapshotCache({ snapshotFile: located.snapshotFile.path });
        return { file: located.snapshotFile, cache };
      }
      this.onSnapshotCache(located);
      return this.newSnapshot(cache);
    }
    const loaded = await cache.load();
    this.onSnapshotCache(loaded);
    if ('snapshot' in loaded) return { bytes: loaded.snapshot };
    return this.newSnapshot(cache);
  }

  /** Makes the snapshot in a sandbox that never runs a program, and saves it when there is a cache. */
  private async newSnapshot(cache: SnapshotCache | undefined): Promise<SnapshotSource | undefined> {
    const made = await this.started({ memoryMb: SNAPSHOT_MAKER_MEMORY_MB, makeSnapshot: true }).then(
      ({ sandbox, info }) => {
        sandbox.kill();
        return info.snapshot;
      },
      // Boot from scratch instead; a real failure shows when that boot fails too.
      () => undefined,
    );
    if (made && cache) {
      // Not awaited by the boot; dispose() waits for it.
      this.pendingSave = cache.save(made).then(
        () => this.onSnapshotCache({ saved: cache.file }),
        (error: unknown) => this.onSnapshotCache({ saveFailed: errorMessage(error) }),
      );
    }
    return made && { bytes: made };
  }

  private async snapshotCache(): Promise<SnapshotCache | undefined> {
    if (this.snapshotCacheDir === undefined) return undefined;
    try {
      const key = await runtimeSnapshotKey({
        workerScript: this.workerScript,
        pyodideDir: this.pyodideDir,
        makerMemoryMb: SNAPSHOT_MAKER_MEMORY_MB,
        nodePath: this.isolation === 'process' ? this.nodePath : undefined,
      });
      return new SnapshotCache(this.snapshotCacheDir, key);
    } catch (error) {
      this.onSnapshotCache({ keyFailed: errorMessage(error) });
      return undefined;
    }
  }
}

/** A read-only descriptor of the cache file for the sandbox process; a file gone since is refused like a corrupt one. */
function openSnapshotFile(file: SnapshotFileRef): SnapshotFileRef & { fd: number } {
  try {
    return { ...file, fd: fs.openSync(file.path, 'r') };
  } catch (error) {
    throw new SnapshotRejectedError(
      `cannot open the snapshot file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

function snapshotOptions(source: SnapshotSource | undefined): {
  snapshot?: Uint8Array;
  snapshotFile?: SnapshotFileRef;
} {
  if (!source) return {};
  return 'bytes' in source ? { snapshot: source.bytes } : { snapshotFile: source.file };
}

/** Rejects as soon as the signal aborts (killing the sandbox if it arrives later). */
async function untilAborted(pending: Promise<Sandbox>, signal: AbortSignal | undefined): Promise<Sandbox> {
  if (!signal) return pending;
  return new Promise<Sandbox>((resolve, reject) => {
    const onAbort = (): void => {
      reject(new Error('cancelled'));
      void pending.then(
        (sandbox) => sandbox.kill(),
        () => {},
      );
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (sandbox) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) sandbox.kill();
        else resolve(sandbox);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
