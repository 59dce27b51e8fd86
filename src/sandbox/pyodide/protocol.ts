// Messages between the host, the sandbox process's supervisor and the jail's worker thread, with
// validators: whatever crosses a thread or process boundary is checked field by field before use.
import { DRIVER_STATUSES, type DriverStatus } from './driver-source';
import { isOutputRingBuffers, type OutputRingBuffers } from './output-ring';

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
  snapshot?: Uint8Array;
  ring: OutputRingBuffers;
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
      snapshotBytes: number;
    }
  | ({ type: 'run' } & ProgramRequest)
  | { type: 'interrupt' };

export type SupervisorToHost =
  | { type: 'ready'; bootMs: number }
  | { type: 'snapshot'; bootMs: number; bytes: number }
  | { type: 'boot-failed'; message: string }
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
  const { pyodideDir, memoryMb, makeSnapshot, snapshot, ring } = value;
  if (!isString(pyodideDir, 4096) || !isCount(memoryMb) || typeof makeSnapshot !== 'boolean')
    return undefined;
  if (snapshot !== undefined && !(snapshot instanceof Uint8Array)) return undefined;
  if (!isOutputRingBuffers(ring)) return undefined;
  return { pyodideDir, memoryMb, makeSnapshot, snapshot, ring };
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
      const { pyodideDir, memoryMb, heapMb, rssLimitMb, makeSnapshot, snapshotBytes } = value;
      if (!isString(pyodideDir, 4096) || !isCount(memoryMb) || !isCount(heapMb) || !isCount(rssLimitMb)) {
        return undefined;
      }
      if (typeof makeSnapshot !== 'boolean' || !isCount(snapshotBytes)) return undefined;
      return { type: 'boot', pyodideDir, memoryMb, heapMb, rssLimitMb, makeSnapshot, snapshotBytes };
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
      return isString(value.message, MAX_MESSAGE_CHARS)
        ? { type: 'boot-failed', message: value.message }
        : undefined;
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
