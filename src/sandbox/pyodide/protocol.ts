// Messages between the host, the sandbox process's supervisor and the jail's worker thread, with
// validators: whatever crosses a thread or process boundary is checked field by field before use.
import { DRIVER_STATUSES, type DriverStatus } from './driver-source';
import { isOutputRingBuffers, type OutputRingBuffers } from './output-ring';
import type { SnapshotFileCheck } from './snapshot-cache';

/** The descriptor a sandbox process reads a cached snapshot file from (stdio slot 4). */
export const SNAPSHOT_FD = 4;

/**
 * `script`: `code` is the program. `notebook`: `code` is the JSON of `NotebookProgram`, whose cells run
 * in order in the one interpreter.
 */
export type ProgramKind = 'script' | 'notebook';

/** What a notebook program's `code` holds. */
export interface NotebookProgram {
  /** Written to stdout before each cell as `\u001e<marker>:<index>\u001e` (see cell-markers.ts). */
  marker: string;
  cells: Array<{ index: number; source: string }>;
}

/** One program for one fresh interpreter. */
export interface ProgramRequest {
  kind: ProgramKind;
  code: string;
  filename: string;
  /** JSON of RuntimeRestrictions, or '' for none. */
  restrictions: string;
  maxOutputBytes: number;
}

export interface ProgramOutcome {
  status: DriverStatus;
  name: string;
  value: string;
  traceback: string;
}

export type ExitKind = 'killed' | 'crashed' | 'out-of-memory';

/** Why a sandbox stopped existing. */
export interface SandboxExit {
  kind: ExitKind;
  /** A short, safe description (exit code, signal); never program output. */
  detail: string;
  /** The sandbox process's exit code, when it exited by itself. */
  exitCode?: number;
}

// ---- host (or supervisor) → jail worker thread ------------------------------------------------

export interface JailWorkerData {
  pyodideDir: string;
  memoryMb: number;
  makeSnapshot: boolean;
  /** Run the driver's warm-up program after the boot (SandboxOptions.warmUp). */
  warmUp: boolean;
  snapshot?: Uint8Array;
  /** The snapshot arrives later in a SnapshotMessage (the worker reads the runtime files meanwhile). */
  snapshotFollows: boolean;
  ring: OutputRingBuffers;
}

export interface SnapshotMessage {
  type: 'snapshot';
  bytes: Uint8Array;
}

export interface RunMessage extends ProgramRequest {
  type: 'run';
}

// ---- jail worker thread → its parent ----------------------------------------------------------

export type JailWorkerMessage =
  | { type: 'ready'; bootMs: number; interruptBuffer: SharedArrayBuffer }
  | { type: 'snapshot'; bootMs: number; bytes: Uint8Array }
  | { type: 'boot-failed'; message: string }
  | { type: 'finished'; outcome: ProgramOutcome }
  | { type: 'fatal'; message: string };

// ---- host ↔ sandbox process (JSON frames; a snapshot travels as binary frames) -----------------

export type HostToSupervisor =
  | {
      type: 'boot';
      pyodideDir: string;
      memoryMb: number;
      heapMb: number;
      rssLimitMb: number;
      makeSnapshot: boolean;
      warmUp: boolean;
      snapshotBytes: number;
      /** Instead of bytes on the pipe: the cache file open as SNAPSHOT_FD, to be checked against these. */
      snapshotFile?: SnapshotFileCheck;
    }
  | ({ type: 'run' } & ProgramRequest)
  | { type: 'interrupt' };

export type SupervisorToHost =
  | { type: 'ready'; bootMs: number }
  | { type: 'snapshot'; bootMs: number; bytes: number }
  /** `snapshotRejected`: the snapshot file (snapshotFile) did not pass its check. */
  | { type: 'boot-failed'; message: string; snapshotRejected?: boolean }
  | { type: 'output'; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'output-capped' }
  | { type: 'finished'; outcome: ProgramOutcome }
  | { type: 'exit'; kind: ExitKind; detail: string };

// ---- validators --------------------------------------------------------------------------------

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null;
const isString = (value: unknown, max = Number.MAX_SAFE_INTEGER): value is string =>
  typeof value === 'string' && value.length <= max;
const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isDuration = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

const MAX_MESSAGE_CHARS = 2_000;
export const MAX_OUTCOME_CHARS = 256 * 1024;
export const MAX_OUTPUT_TEXT_CHARS = 64 * 1024;

export function parseOutcome(value: unknown): ProgramOutcome | undefined {
  if (!isObject(value)) return undefined;
  const { status, name, value: text, traceback } = value;
  if (!(DRIVER_STATUSES as readonly unknown[]).includes(status)) return undefined;
  if (!isString(name, MAX_OUTCOME_CHARS) || !isString(text, MAX_OUTCOME_CHARS)) return undefined;
  if (!isString(traceback, MAX_OUTCOME_CHARS)) return undefined;
  return { status: status as DriverStatus, name, value: text, traceback };
}

export function parseProgram(value: Fields): ProgramRequest | undefined {
  const { kind, code, filename, restrictions, maxOutputBytes } = value;
  if (kind !== 'script' && kind !== 'notebook') return undefined;
  if (!isString(code) || !isString(filename, 4096) || !isString(restrictions) || !isCount(maxOutputBytes)) {
    return undefined;
  }
  return { kind, code, filename, restrictions, maxOutputBytes };
}

export function parseJailWorkerData(value: unknown): JailWorkerData | undefined {
  if (!isObject(value)) return undefined;
  const { pyodideDir, memoryMb, makeSnapshot, warmUp, snapshot, snapshotFollows, ring } = value;
  if (!isString(pyodideDir, 4096) || !isCount(memoryMb) || typeof makeSnapshot !== 'boolean')
    return undefined;
  if (typeof warmUp !== 'boolean') return undefined;
  if (snapshot !== undefined && !(snapshot instanceof Uint8Array)) return undefined;
  if (typeof snapshotFollows !== 'boolean' || (snapshotFollows && snapshot !== undefined)) return undefined;
  if (!isOutputRingBuffers(ring)) return undefined;
  return { pyodideDir, memoryMb, makeSnapshot, warmUp, snapshot, snapshotFollows, ring };
}

export function parseSnapshotMessage(value: unknown): SnapshotMessage | undefined {
  if (!isObject(value) || value.type !== 'snapshot' || !(value.bytes instanceof Uint8Array)) return undefined;
  return { type: 'snapshot', bytes: value.bytes };
}

export function parseRunMessage(value: unknown): RunMessage | undefined {
  if (!isObject(value) || value.type !== 'run') return undefined;
  const program = parseProgram(value);
  return program && { type: 'run', ...program };
}

export function parseJailWorkerMessage(value: unknown): JailWorkerMessage | undefined {
  if (!isObject(value)) return undefined;
  switch (value.type) {
    case 'ready':
      return isDuration(value.bootMs) &&
        value.interruptBuffer instanceof SharedArrayBuffer &&
        value.interruptBuffer.byteLength >= 4
        ? { type: 'ready', bootMs: value.bootMs, interruptBuffer: value.interruptBuffer }
        : undefined;
    case 'snapshot':
      return isDuration(value.bootMs) && value.bytes instanceof Uint8Array
        ? { type: 'snapshot', bootMs: value.bootMs, bytes: value.bytes }
        : undefined;
    case 'boot-failed':
    case 'fatal':
      return isString(value.message, MAX_MESSAGE_CHARS)
        ? { type: value.type, message: value.message }
        : undefined;
    case 'finished': {
      const outcome = parseOutcome(value.outcome);
      return outcome && { type: 'finished', outcome };
    }
    default:
      return undefined;
  }
}

export function parseHostMessage(value: Fields): HostToSupervisor | undefined {
  switch (value.type) {
    case 'boot': {
      const { pyodideDir, memoryMb, heapMb, rssLimitMb, makeSnapshot, warmUp, snapshotBytes } = value;
      if (!isString(pyodideDir, 4096) || !isCount(memoryMb) || !isCount(heapMb) || !isCount(rssLimitMb)) {
        return undefined;
      }
      if (typeof makeSnapshot !== 'boolean' || typeof warmUp !== 'boolean' || !isCount(snapshotBytes))
        return undefined;
      const boot: HostToSupervisor = {
        type: 'boot',
        pyodideDir,
        memoryMb,
        heapMb,
        rssLimitMb,
        makeSnapshot,
        warmUp,
        snapshotBytes,
      };
      if (value.snapshotFile === undefined) return boot;
      const snapshotFile = parseSnapshotFileRef(value.snapshotFile);
      return snapshotFile && snapshotBytes === 0 ? { ...boot, snapshotFile } : undefined;
    }
    case 'run': {
      const program = parseProgram(value);
      return program && { type: 'run', ...program };
    }
    case 'interrupt':
      return { type: 'interrupt' };
    default:
      return undefined;
  }
}

function parseSnapshotFileRef(value: unknown): SnapshotFileCheck | undefined {
  if (!isObject(value)) return undefined;
  const { sha256, prefix } = value;
  if (!isString(sha256) || !/^[0-9a-f]{64}$/.test(sha256)) return undefined;
  if (!isString(prefix, 2 * (12 + 64 * 1024)) || !/^(?:[0-9a-f]{2})+$/.test(prefix)) return undefined;
  return { sha256, prefix };
}

const EXIT_KINDS: readonly unknown[] = ['killed', 'crashed', 'out-of-memory'] satisfies ExitKind[];

export function parseSupervisorMessage(value: Fields): SupervisorToHost | undefined {
  switch (value.type) {
    case 'ready':
      return isDuration(value.bootMs) ? { type: 'ready', bootMs: value.bootMs } : undefined;
    case 'snapshot':
      return isDuration(value.bootMs) && isCount(value.bytes)
        ? { type: 'snapshot', bootMs: value.bootMs, bytes: value.bytes }
        : undefined;
    case 'boot-failed':
      if (!isString(value.message, MAX_MESSAGE_CHARS)) return undefined;
      return value.snapshotRejected === true
        ? { type: 'boot-failed', message: value.message, snapshotRejected: true }
        : { type: 'boot-failed', message: value.message };
    case 'output':
      return (value.stream === 'stdout' || value.stream === 'stderr') &&
        isString(value.text, MAX_OUTPUT_TEXT_CHARS)
        ? { type: 'output', stream: value.stream, text: value.text }
        : undefined;
    case 'output-capped':
      return { type: 'output-capped' };
    case 'finished': {
      const outcome = parseOutcome(value.outcome);
      return outcome && { type: 'finished', outcome };
    }
    case 'exit':
      return EXIT_KINDS.includes(value.kind) && isString(value.detail, MAX_MESSAGE_CHARS)
        ? { type: 'exit', kind: value.kind as ExitKind, detail: value.detail }
        : undefined;
    default:
      return undefined;
  }
}
