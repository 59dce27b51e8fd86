'use strict';
// The jail: Pyodide inside a `node:vm` context whose global has no prototype, no Node objects and no
// string code generation. This file is the host side of it (the "outer realm" of the worker that hosts
// the jail). Its rules: no host-realm object is ever handed to the jail except the callbacks given once
// to the prelude; callbacks take and return primitives, and copy bytes through captured built-ins; the
// host never awaits a jail promise, never reads a property of a jail object after boot, never
// inspects, logs or stringifies a jail value; file reads are refused once the interpreter has booted.
// Strict mode matters here too: a sloppy host function on the stack would be visible to jail code
// through `Function.prototype.caller`.
import vm from 'node:vm';
import { randomFillSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { PyodideArtifacts } from './artifacts';
import { outcomeWithMemoryCap } from './memory-outcome';
import {
  DRIVER_FILENAME,
  DRIVER_SOURCE,
  DRIVER_STATUSES,
  REPORT_FIELD_CHARS,
  type DriverStatus,
} from './driver-source';
import { JAIL_PRELUDE } from './jail-prelude';
import type { ProgramKind, ProgramOutcome } from './protocol';

// Captured once, before any jail code exists, so that nothing can stand in for them.
const TYPED_ARRAY_PROTOTYPE: object = Object.getPrototypeOf(Uint8Array.prototype);
function typedArrayGetter(key: string | symbol): (this: unknown) => unknown {
  const getter = Object.getOwnPropertyDescriptor(TYPED_ARRAY_PROTOTYPE, key)?.get;
  if (!getter) throw new Error(`%TypedArray%.prototype has no ${String(key)} getter`);
  return getter;
}
const TA_TAG = typedArrayGetter(Symbol.toStringTag);
const TA_BUFFER = typedArrayGetter('buffer');
const TA_BYTE_OFFSET = typedArrayGetter('byteOffset');
const TA_LENGTH = typedArrayGetter('length');
const HostUint8Array = Uint8Array;
const hostApply = Reflect.apply;

/**
 * A host Uint8Array over the same bytes as a jail Uint8Array, or undefined for anything else (a
 * Proxy, a look-alike, another type). Reads internal slots only, so no jail code runs.
 */
export function hostViewOf(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (hostApply(TA_TAG, value, []) !== 'Uint8Array') return undefined;
  const buffer = hostApply(TA_BUFFER, value, []) as ArrayBufferLike;
  const offset = hostApply(TA_BYTE_OFFSET, value, []) as number;
  const length = hostApply(TA_LENGTH, value, []) as number;
  return new HostUint8Array(buffer, offset, length);
}

/** Longest text accepted from one log call (console output, Emscripten messages). */
const MAX_LOG_CHARS = 64 * 1024;
/** Pending timers a program may have at once. */
const MAX_TIMERS = 10_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
const MAX_RANDOM_BYTES = 65_536;
const MAX_REPORT_CHARS = REPORT_FIELD_CHARS;

export interface JailHooks {
  /** Python wrote bytes to stdout (1) or stderr (2). Called synchronously on the jail's thread. */
  output(stream: 1 | 2, bytes: Uint8Array): void;
  /** Text the runtime printed outside Python's streams (console, Emscripten messages). */
  log(stream: 1 | 2, text: string): void;
  /** The program ended (the driver's report); called at most once. */
  finished(outcome: ProgramOutcome): void;
}

export interface JailOptions {
  artifacts: PyodideArtifacts;
  /** Boot from the snapshot in `artifacts.files` instead of from scratch. */
  restoreSnapshot: boolean;
  /** Boot only to take a memory snapshot (the interpreter never runs a program). */
  makeSnapshot: boolean;
  /** Run the driver's warm-up program once booted (SandboxOptions.warmUp). */
  warmUp?: boolean;
  /** The largest file the in-memory file system may hold (the memory limit): past it, ENOMEM. */
  maxFileBytes: number;
  hooks: JailHooks;
}

interface Bridge {
  fireTimer(id: number): void;
  unhandledRejection(): void;
  importError(): unknown;
  boot(
    lock: string,
    restore: boolean,
    make: boolean,
    driver: string,
    driverFile: string,
    warmUp: boolean,
    maxFileBytes: number,
  ): void;
  interruptBuffer(): unknown;
  snapshot(): unknown;
  run(kind: string, code: string, filename: string, restrictions: string): void;
}

export class JailError extends Error {
  override name = 'JailError';
}

function asBridge(value: unknown): Bridge {
  // Read once, right after the prelude ran and before any other jail code exists.
  const source = value as Record<keyof Bridge, unknown>;
  const bridge = {
    fireTimer: source.fireTimer,
    unhandledRejection: source.unhandledRejection,
    importError: source.importError,
    boot: source.boot,
    interruptBuffer: source.interruptBuffer,
    snapshot: source.snapshot,
    run: source.run,
  };
  for (const [name, fn] of Object.entries(bridge)) {
    if (typeof fn !== 'function') throw new JailError(`the jail prelude returned no ${name}()`);
  }
  return bridge as Bridge;
}

export class Jail {
  private finishedOnce = false;
  private disposed = false;
  /** @internal set when the host callbacks attach to this jail */
  onFinished?: (outcome: ProgramOutcome) => void;

  private constructor(
    private readonly bridge: Bridge,
    /** The interrupt flag Pyodide polls (a SharedArrayBuffer created inside the jail). */
    readonly interruptBuffer: SharedArrayBuffer | undefined,
    readonly bootMs: number,
    private readonly teardown: () => void,
  ) {}

  static async create(options: JailOptions): Promise<Jail> {
    const started = performance.now();
    await assertDynamicImportContained();
    const context = vm.createContext(Object.create(null), {
      name: 'sandbox-policy pyodide jail',
      codeGeneration: { strings: false, wasm: true },
    });
    // Set once the prelude has run; the import hook and the timers need it before that line.
    const installed: { bridge?: Bridge } = {};
    // Any `import()` in jail code would otherwise reject with an error from Node's realm.
    const runScript = (source: string, filename: string): unknown =>
      new vm.Script(source, {
        filename,
        importModuleDynamically: denyImport(() => {
          throw installed.bridge
            ? installed.bridge.importError()
            : new JailError('import() before the jail was ready');
        }),
      }).runInContext(context);
    const host = createHostCallbacks(options, () => installed.bridge);
    const install = runScript(JAIL_PRELUDE, 'jail-prelude.js') as (host: object) => unknown;
    const bridge = asBridge(install(host.callbacks));
    installed.bridge = bridge;
    runScript(options.artifacts.loaderScript, 'pyodide.js');
    runScript(options.artifacts.asmScript, 'pyodide.asm.js');

    const booted = host.bootResult();
    bridge.boot(
      options.artifacts.lockFile,
      options.restoreSnapshot,
      options.makeSnapshot,
      DRIVER_SOURCE,
      DRIVER_FILENAME,
      options.warmUp !== false,
      options.maxFileBytes,
    );
    const failure = await booted;
    host.endBoot();
    if (failure !== undefined) {
      host.dispose();
      throw new JailError(`the Python runtime failed to start: ${failure || 'unknown error'}`);
    }
    let interruptBuffer: SharedArrayBuffer | undefined;
    if (!options.makeSnapshot) {
      const view = bridge.interruptBuffer();
      if (typeof view !== 'object' || view === null || hostApply(TA_TAG, view, []) !== 'Int32Array') {
        host.dispose();
        throw new JailError('the jail has no interrupt buffer');
      }
      interruptBuffer = hostApply(TA_BUFFER, view, []) as SharedArrayBuffer;
    }
    const jail = new Jail(bridge, interruptBuffer, performance.now() - started, () => host.dispose());
    host.attach(jail);
    return jail;
  }

  /** Copies the memory snapshot of a jail booted with `makeSnapshot` (no program has run in it). */
  snapshot(): Uint8Array {
    const view = hostViewOf(this.bridge.snapshot());
    if (!view) throw new JailError('the jail returned no snapshot');
    return new Uint8Array(view);
  }

  /** Starts the program; its end arrives through `hooks.finished`. Python runs synchronously inside. */
  run(kind: ProgramKind, code: string, filename: string, restrictionsJson: string): void {
    try {
      this.bridge.run(kind, code, filename, restrictionsJson);
    } catch {
      // A jail value was thrown: never touched. The prelude reports failures itself; this is a backstop.
      this.reportFinished({
        status: 'fatal',
        name: 'PyodideFatalError',
        value: 'the runtime failed',
        traceback: '',
      });
    }
  }

  dispose(): void {
    this.disposed = true;
    this.teardown();
  }

  /** @internal called by the host callbacks */
  reportFinished(outcome: ProgramOutcome): void {
    if (this.finishedOnce || this.disposed) return;
    this.finishedOnce = true;
    this.onFinished?.(outcome);
  }

  /**
   * A promise was rejected with no handler on this thread (the jail's, since the host's code handles its
   * own): the jail checks whether the program's report failed that way. Nothing of the rejection is
   * passed or read.
   */
  unhandledRejection(): void {
    if (this.disposed || this.finishedOnce) return;
    try {
      this.bridge.unhandledRejection();
    } catch {
      // never touched
    }
  }

  /** @internal called by host timers */
  fire(id: number): void {
    if (this.disposed) return;
    try {
      this.bridge.fireTimer(id);
    } catch {
      // never touched
    }
  }
}

interface HostCallbackSet {
  callbacks: object;
  bootResult(): Promise<string | undefined>;
  endBoot(): void;
  attach(jail: Jail): void;
  dispose(): void;
}

/** The host callbacks the prelude captures. Every one: primitives in, primitives out, never throws. */
function createHostCallbacks(options: JailOptions, bridgeOf: () => Bridge | undefined): HostCallbackSet {
  const files = options.artifacts.files;
  const hooks = options.hooks;
  const timers = new Map<number, NodeJS.Timeout>();
  let booting = true;
  let jail: Jail | undefined;
  let resolveBoot: (failure: string | undefined) => void = () => {};
  const bootResult = new Promise<string | undefined>((resolve) => {
    resolveBoot = resolve;
  });

  const fileSize = (name: unknown): number => {
    try {
      if (!booting || typeof name !== 'string') return -1;
      return files.get(name)?.length ?? -1;
    } catch {
      return -1;
    }
  };
  const readFile = (name: unknown, target: unknown): number => {
    try {
      if (!booting || typeof name !== 'string') return 0;
      const file = files.get(name);
      const view = hostViewOf(target);
      if (!file || !view || view.length !== file.length) return 0;
      view.set(file);
      return 1;
    } catch {
      return 0;
    }
  };
  const writeOutput = (fd: unknown, bytes: unknown): number => {
    try {
      if (booting || (fd !== 1 && fd !== 2)) return 0;
      const view = hostViewOf(bytes);
      if (!view) return 0;
      hooks.output(fd, view);
      return view.length;
    } catch {
      return 0;
    }
  };
  const log = (fd: unknown, text: unknown): number => {
    try {
      if (booting || typeof text !== 'string') return 0;
      const line = (text.length > MAX_LOG_CHARS ? text.slice(0, MAX_LOG_CHARS) : text) + '\n';
      hooks.log(fd === 1 ? 1 : 2, line);
      return 1;
    } catch {
      return 0;
    }
  };
  const now = (): number => performance.now();
  const randomFill = (target: unknown): number => {
    try {
      const view = hostViewOf(target);
      if (!view || view.length > MAX_RANDOM_BYTES) return 0;
      randomFillSync(view);
      return 1;
    } catch {
      return 0;
    }
  };
  const setTimer = (id: unknown, ms: unknown): number => {
    try {
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof ms !== 'number') return 0;
      if (timers.size >= MAX_TIMERS && !timers.has(id)) return 0;
      const delay = Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_TIMER_MS) : 0;
      clearTimeout(timers.get(id));
      timers.set(
        id,
        setTimeout(() => {
          timers.delete(id);
          if (jail) jail.fire(id);
          else bridgeFire(id);
        }, delay),
      );
      return 1;
    } catch {
      return 0;
    }
  };
  const bridgeFire = (id: number): void => {
    try {
      bridgeOf()?.fireTimer(id);
    } catch {
      // never touched
    }
  };
  const clearTimer = (id: unknown): number => {
    try {
      if (typeof id !== 'number') return 0;
      clearTimeout(timers.get(id));
      timers.delete(id);
      return 1;
    } catch {
      return 0;
    }
  };
  const decode = (label: unknown, fatal: unknown, ignoreBOM: unknown, bytes: unknown): string | null => {
    try {
      if (typeof label !== 'string' || label.length > 64) return null;
      const view = hostViewOf(bytes);
      if (!view) return null;
      return new TextDecoder(label, { fatal: fatal === true, ignoreBOM: ignoreBOM === true }).decode(view);
    } catch {
      return null;
    }
  };
  const booted = (ok: unknown, message: unknown): number => {
    if (ok === true) resolveBoot(undefined);
    else resolveBoot(typeof message === 'string' ? message.slice(0, 2000) : '');
    return 1;
  };
  const text = (value: unknown): string =>
    typeof value === 'string'
      ? value.length > MAX_REPORT_CHARS
        ? value.slice(0, MAX_REPORT_CHARS)
        : value
      : '';
  const finished = (
    status: unknown,
    name: unknown,
    value: unknown,
    traceback: unknown,
    growthRefused: unknown,
  ): number => {
    try {
      if (booting || !jail) return 0;
      const known = (DRIVER_STATUSES as readonly unknown[]).includes(status)
        ? (status as DriverStatus)
        : 'fatal';
      const outcome = { status: known, name: text(name), value: text(value), traceback: text(traceback) };
      jail.reportFinished(outcomeWithMemoryCap(outcome, growthRefused === true));
      return 1;
    } catch {
      return 0;
    }
  };

  const callbacks = Object.assign(Object.create(null) as object, {
    fileSize,
    readFile,
    writeOutput,
    log,
    now,
    randomFill,
    setTimer,
    clearTimer,
    decode,
    booted,
    finished,
  });
  return {
    callbacks,
    bootResult: () => bootResult,
    endBoot: () => {
      booting = false;
    },
    attach: (attached) => {
      jail = attached;
      attached.onFinished = hooks.finished;
    },
    dispose: () => {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}

type ImportHook = vm.ScriptOptions['importModuleDynamically'];
/** An `importModuleDynamically` hook that always throws (what it throws is chosen by `thrower`). */
function denyImport(thrower: () => never): ImportHook {
  return thrower as unknown as ImportHook;
}

let dynamicImportChecked: Promise<void> | undefined;

/**
 * Refuses to build a jail unless `import()` inside a vm context rejects with an error we create in
 * that context. Without `--experimental-vm-modules`, Node 20 rejects with its own (host-realm) error,
 * whose constructor chain leads to the host's Function constructor. Checked once per thread, in a
 * throwaway context.
 */
export function assertDynamicImportContained(): Promise<void> {
  dynamicImportChecked ??= new Promise<void>((resolve, reject) => {
    const probe = vm.createContext(Object.create(null), { codeGeneration: { strings: false, wasm: false } });
    const makeError = vm.runInContext('(m) => new TypeError(m)', probe) as (message: string) => unknown;
    const marker = 'sandbox-policy import probe';
    const start = new vm.Script(
      `(report) => import("sandbox:probe").then(() => report(false), (e) => report(e instanceof TypeError && e.message === ${JSON.stringify(marker)}))`,
      {
        importModuleDynamically: denyImport(() => {
          throw makeError(marker);
        }),
      },
    ).runInContext(probe) as (report: (contained: unknown) => void) => void;
    const timer = setTimeout(
      () => reject(new JailError('the import() containment check did not finish')),
      5000,
    );
    start((contained) => {
      clearTimeout(timer);
      if (contained === true) resolve();
      else
        reject(
          new JailError(
            'import() inside the jail would reject with a host-realm error; start the worker with --experimental-vm-modules',
          ),
        );
    });
  });
  return dynamicImportChecked;
}
