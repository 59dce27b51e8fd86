// The one result and event vocabulary shared by every runner (Pyodide, E2B), the run panel, the CLI
// and the audit log, so that each of them treats a local and a remote run alike.

export type Backend = 'pyodide' | 'e2b';

/**
 * How a run ended.
 * - ok: the program finished; error: it raised (or the runner failed; see `error`);
 * - timeout / memory / output: a run limit stopped it (see `limit`);
 * - blocked: refused before running, by the policy gate or input validation (see `findings`, `error`);
 * - cancelled: the user stopped it;
 * - rate-limited / budget: refused before running by a creation-rate or spending limit (E2B).
 */
export type RunStatus =
  'ok' | 'error' | 'timeout' | 'memory' | 'output' | 'blocked' | 'cancelled' | 'rate-limited' | 'budget';

export type LimitKind = 'timeout' | 'memory' | 'output' | 'code-size' | 'rate' | 'concurrency' | 'budget';

export interface RunError {
  /** Python exception class name (`ZeroDivisionError`) or a runner error name (`E2BAuthenticationError`). */
  name: string;
  /** The message, already safe to show (never contains an API key). */
  value: string;
  /** Formatted traceback lines, possibly empty. */
  traceback: string;
}

/** A rich result returned by the program (E2B `onResult`): text and/or a base64 PNG. */
export interface RunOutput {
  text?: string;
  /** Base64 PNG data, without a data: prefix. */
  png?: string;
  isMainResult?: boolean;
}

export type RunEvent =
  | { type: 'status'; message: string } // progress ("Loading Python runtime", "Creating sandbox")
  /** A notebook run starts this code cell (`index`: 1-based among all the notebook's cells); what follows is its. */
  | { type: 'cell'; index: number }
  | { type: 'stdout'; text: string }
  | { type: 'stderr'; text: string }
  | { type: 'result'; output: RunOutput }
  | { type: 'error'; error: RunError }
  | { type: 'limit'; kind: LimitKind; message: string }
  | { type: 'done'; status: RunStatus; durationMs: number };

/** A policy finding as carried in run results (same shape as the policy engine's findings). */
export interface RunFinding {
  ruleId: string;
  severity: 'SAFE' | 'LOW' | 'MEDIUM' | 'HIGH';
  violation: boolean;
  suppressed: boolean;
  message: string;
  /** 0-based lines, 0-based UTF-16 columns. */
  range: { start: { line: number; column: number }; end: { line: number; column: number } };
}

export interface RunResult {
  status: RunStatus;
  backend: Backend;
  /** Everything printed, up to the output cap (a truncation marker is appended when capped). */
  stdout: string;
  stderr: string;
  error: RunError | null;
  results: RunOutput[];
  findings: RunFinding[];
  durationMs: number;
  /** The limit that stopped or refused the run, if any. */
  limit?: { kind: LimitKind; message: string };
  /** The walls that were in force around a local run (absent for remote runs: the VM is the wall). */
  boundaries?: RunBoundaries;
  /** A notebook run: what each code cell did, in order (see src/sandbox/notebook-cells.ts). */
  cells?: CellResult[];
}

/**
 * How one code cell of a notebook run ended: `ok`; the run's own status (`error`, `timeout`,
 * `memory`, `output`, `cancelled`) for the cell that stopped it; `not-run` for the cells after it.
 */
export type CellStatus = RunStatus | 'not-run';

export interface CellResult {
  /** 1-based among all the notebook's cells (markdown and raw included), as editors number them. */
  index: number;
  status: CellStatus;
  stdout: string;
  stderr: string;
  error: RunError | null;
  results: RunOutput[];
}

/** One code cell to run: its position in the notebook and its source (IPython syntax allowed). */
export interface NotebookRunCell {
  /** 1-based among all the notebook's cells. */
  index: number;
  source: string;
}

/** The walls around a local (Pyodide) run, innermost first. */
export interface RunBoundaries {
  /** The jail: Pyodide in a realm without Node (always true for a local run). */
  jail: boolean;
  /** `process`: a separate sandbox process; `thread`: a worker thread of the host process. */
  isolation: 'process' | 'thread';
  /** Node's permission model in the sandbox process (no file writes, no child processes, reads of the runtime only). */
  permissionModel: boolean;
  /** The OS sandbox around the sandbox process. */
  osSandbox: 'bubblewrap' | 'seatbelt' | 'none';
  /** Why there is no OS sandbox, when there is none; what it lacks, when it lacks something. */
  osSandboxNote?: string;
}

/** The walls in force, innermost first, as short names: `jail`, `process`, `node-permissions`, `bubblewrap`. */
export function boundaryNames(boundaries: RunBoundaries): string[] {
  const names: string[] = [];
  if (boundaries.jail) names.push('jail');
  if (boundaries.isolation === 'process') names.push('process');
  if (boundaries.permissionModel) names.push('node-permissions');
  if (boundaries.osSandbox !== 'none') names.push(boundaries.osSandbox);
  return names;
}

/** One line for the run panel's header and the CLI: `jail + process + node-permissions + bubblewrap`. */
export function describeBoundaries(boundaries: RunBoundaries): string {
  const names = boundaryNames(boundaries).join(' + ');
  return boundaries.osSandbox === 'none'
    ? `${names}; no OS sandbox: ${boundaries.osSandboxNote ?? 'unavailable'}`
    : names;
}

export interface RunLimits {
  /** Wall-clock limit for the program itself (not runtime start-up). */
  timeoutMs: number;
  /** Memory cap for the program (Pyodide: wasm linear memory; E2B: informational). */
  memoryMb: number;
  /** Cap on stdout + stderr bytes; past it the run stops with status `output`. */
  maxOutputBytes: number;
  /** Cap on the program's source size in bytes. */
  maxCodeBytes: number;
}

export const DEFAULT_LIMITS: RunLimits = {
  timeoutMs: 30_000,
  memoryMb: 512,
  maxOutputBytes: 1_000_000,
  maxCodeBytes: 1_000_000,
};

/**
 * Policy enforcement inside the runtime (not the security boundary: that is the jail / the remote VM).
 * Derived from the resolved policy by the policy engine's `runtimeRestrictions(policy)`.
 */
export interface RuntimeRestrictions {
  /** Builtins the user's code does not get (e.g. `eval`, `exec`, `compile`, `__import__`). */
  blockedBuiltins: string[];
  /** Top-level module names the user's code may not import (e.g. `subprocess`, `socket`). */
  blockedModules: string[];
  /** Whether the user's code may open files for writing. */
  allowFileWrites: boolean;
}

export interface RunRequest {
  /** The program text (the editor's unsaved text in VS Code); for a notebook, its code cells joined (for the input checks). */
  code: string;
  /**
   * A notebook: these code cells run in order in one fresh interpreter under one set of limits, and the
   * run stops at the first cell that fails. Each cell's output follows a `cell` event.
   */
  cells?: readonly NotebookRunCell[];
  /** A display name for tracebacks and logs, e.g. `analysis.py`. */
  filename: string;
  limits: RunLimits;
  restrictions?: RuntimeRestrictions;
  /** Aborting ends the run within a second with status `cancelled`. */
  signal?: AbortSignal;
  /** Streamed as the run progresses; the last event is always `done`. */
  onEvent?: (event: RunEvent) => void;
}

export interface Runner {
  readonly backend: Backend;
  /** Never rejects for anything the program does: every outcome is a RunResult. */
  run(request: RunRequest): Promise<RunResult>;
  /** Releases workers, processes and remote sandboxes. */
  dispose(): Promise<void>;
}
