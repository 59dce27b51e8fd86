// What the Pyodide runner accepts before it starts anything: the program (size, NUL bytes) and the
// limits themselves, each refusal with a message that says what was wrong and what to do.
import { checkRunInput } from '../gate';
import type { LimitKind, RunLimits } from '../run-types';
import { WASM32_MAX_PAGES, WASM_PAGE_BYTES } from './wasm-memory';

/** Below this the interpreter cannot even start (its memory snapshot alone is ~31 MB). */
export const MIN_MEMORY_MB = 64;
/** Pyodide is a wasm32 build: 4 GiB of linear memory at most. */
export const MAX_MEMORY_MB = (WASM32_MAX_PAGES * WASM_PAGE_BYTES) / (1024 * 1024);
export const MAX_TIMEOUT_MS = 24 * 60 * 60 * 1000;

export interface InputProblem {
  message: string;
  /** Set when the refusal is a limit (the program is too large). */
  limit?: LimitKind;
}

/** Checks the program text with the gate's own input check: a runner is the last line. */
export function checkProgram(code: string, limits: RunLimits): InputProblem | undefined {
  const message = checkRunInput(code, limits);
  if (message === undefined) return undefined;
  return Buffer.byteLength(code, 'utf8') > limits.maxCodeBytes
    ? { message, limit: 'code-size' }
    : { message };
}

/** Checks the limits a caller passed (settings, CLI flags). */
export function checkLimits(limits: RunLimits): InputProblem | undefined {
  const { timeoutMs, memoryMb, maxOutputBytes, maxCodeBytes } = limits;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
    return { message: `the timeout must be more than 0 and at most 24 hours, got ${timeoutMs} ms` };
  }
  if (!Number.isInteger(memoryMb) || memoryMb < MIN_MEMORY_MB || memoryMb > MAX_MEMORY_MB) {
    return {
      message: `the memory limit must be a whole number of MB from ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB} for the local sandbox, got ${memoryMb}`,
    };
  }
  if (!Number.isSafeInteger(maxOutputBytes) || maxOutputBytes < 0) {
    return { message: `the output limit must be a whole number of bytes, got ${maxOutputBytes}` };
  }
  if (!Number.isSafeInteger(maxCodeBytes) || maxCodeBytes <= 0) {
    return { message: `the code-size limit must be a positive whole number of bytes, got ${maxCodeBytes}` };
  }
  return undefined;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024)
    return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KB`;
  return `${bytes} bytes`;
}

export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
