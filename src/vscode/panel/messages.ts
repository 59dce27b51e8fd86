// The messages between the extension host and the run panel's webview, as one typed union each way,
// with validators for both ends: a message is trusted by neither side until it has passed them.
// No vscode import and no DOM: the host (src/vscode/panel/run-panel.ts), the webview script
// (src/vscode/panel/webview/main.ts) and the unit tests all load this file.

import type { Backend, LimitKind, RunFinding, RunStatus } from '../../sandbox/run-types';

export type PanelBackend = Backend;
export type PanelSeverity = RunFinding['severity'];
export type PanelStatus = RunStatus;
export type PanelLimitKind = LimitKind;
/** How the policy gate let the run through: clean, with violations shown as warnings, or after the user said yes. */
export type PanelGate = 'allowed' | 'warned' | 'overridden' | 'refused';

export interface PanelFinding {
  ruleId: string;
  severity: PanelSeverity;
  violation: boolean;
  message: string;
  /** 0-based, as in the editor. */
  line: number;
  column: number;
  /** A notebook run: the cell the finding is in (1-based among all cells); line and column are within it. */
  cell?: number;
}

export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

export type HostToWebview =
  | {
      type: 'runStarted';
      runId: number;
      file: string;
      backend: PanelBackend;
      preset: string;
      gate: PanelGate;
      findings: PanelFinding[];
      /** The walls around a local run (jail, process, OS sandbox), or why one is missing. */
      walls?: string;
    }
  | { type: 'status'; runId: number; message: string }
  /** A notebook run starts this cell (1-based among all cells): the output that follows is its. */
  | { type: 'cell'; runId: number; index: number }
  /** Output batched by the host; `droppedChars` counts output the panel cap kept back (see Copy Output). */
  | { type: 'output'; runId: number; chunks: OutputChunk[]; droppedChars: number }
  | { type: 'image'; runId: number; png: string; text?: string }
  | { type: 'resultText'; runId: number; text: string }
  | {
      type: 'finished';
      runId: number;
      status: PanelStatus;
      durationMs: number;
      error?: { name: string; value: string; traceback: string };
      limit?: { kind: PanelLimitKind; message: string };
      findings: PanelFinding[];
      message?: string;
      /** A notebook run: the cell that failed or was running when the run stopped. */
      stoppedAtCell?: number;
    };

export type WebviewToHost =
  | { type: 'ready' }
  /** `cell`: a place in that cell of the notebook that ran (line and column within the cell). */
  | { type: 'openLocation'; runId: number; line: number; column: number; cell?: number }
  | { type: 'openRuleDocs'; ruleId: string }
  | { type: 'copyOutput'; runId: number }
  | { type: 'rerun'; runId: number }
  | { type: 'stop'; runId: number };

// Records keyed by the union types, so the compiler says when run-types.ts gains a value we do not accept.
const BACKENDS: Record<PanelBackend, true> = { pyodide: true, e2b: true };
const SEVERITIES: Record<PanelSeverity, true> = { SAFE: true, LOW: true, MEDIUM: true, HIGH: true };
const STATUSES: Record<PanelStatus, true> = {
  ok: true,
  error: true,
  timeout: true,
  memory: true,
  output: true,
  blocked: true,
  cancelled: true,
  'rate-limited': true,
  budget: true,
};
const LIMIT_KINDS: Record<PanelLimitKind, true> = {
  timeout: true,
  memory: true,
  output: true,
  'code-size': true,
  rate: true,
  concurrency: true,
  budget: true,
};
const GATES: Record<PanelGate, true> = { allowed: true, warned: true, overridden: true, refused: true };
const RULE_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Upper bound on any one string in a message, so a hostile value cannot balloon the other side. */
const MAX_TEXT = 4_000_000;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function isText(value: unknown, max = MAX_TEXT): value is string {
  return typeof value === 'string' && value.length <= max;
}
function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
function isOneOf(value: unknown, allowed: Record<string, true>): value is string {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(allowed, value);
}

export function isRuleId(value: unknown): value is string {
  return typeof value === 'string' && RULE_ID.test(value);
}

/** A webview → host message, or undefined when `raw` is not exactly one of the allowed shapes. */
export function parseWebviewMessage(raw: unknown): WebviewToHost | undefined {
  if (!isObject(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'openLocation': {
      if (!isCount(raw.runId) || !isCount(raw.line) || !isCount(raw.column)) return undefined;
      if (raw.cell !== undefined && !isCellIndex(raw.cell)) return undefined;
      const location = {
        type: 'openLocation' as const,
        runId: raw.runId,
        line: raw.line,
        column: raw.column,
      };
      return raw.cell === undefined ? location : { ...location, cell: raw.cell };
    }
    case 'openRuleDocs':
      return isRuleId(raw.ruleId) ? { type: 'openRuleDocs', ruleId: raw.ruleId } : undefined;
    case 'copyOutput':
    case 'rerun':
    case 'stop':
      return isCount(raw.runId) ? { type: raw.type, runId: raw.runId } : undefined;
    default:
      return undefined;
  }
}

/** A notebook cell's 1-based index. */
function isCellIndex(value: unknown): value is number {
  return isCount(value) && value >= 1;
}

function parseFinding(raw: unknown): PanelFinding | undefined {
  if (!isObject(raw)) return undefined;
  const { ruleId, severity, violation, message, line, column, cell } = raw;
  if (!isText(ruleId, 200) || !isOneOf(severity, SEVERITIES) || typeof violation !== 'boolean')
    return undefined;
  if (!isText(message, 10_000) || !isCount(line) || !isCount(column)) return undefined;
  if (cell !== undefined && !isCellIndex(cell)) return undefined;
  const finding: PanelFinding = {
    ruleId,
    severity: severity as PanelSeverity,
    violation,
    message,
    line,
    column,
  };
  if (cell !== undefined) finding.cell = cell;
  return finding;
}

function parseFindings(raw: unknown): PanelFinding[] | undefined {
  if (!Array.isArray(raw) || raw.length > 10_000) return undefined;
  const findings = raw.map(parseFinding);
  return findings.every((f): f is PanelFinding => f !== undefined) ? findings : undefined;
}

function parseChunks(raw: unknown): OutputChunk[] | undefined {
  if (!Array.isArray(raw) || raw.length > 100_000) return undefined;
  const chunks: OutputChunk[] = [];
  for (const chunk of raw) {
    if (!isObject(chunk) || (chunk.stream !== 'stdout' && chunk.stream !== 'stderr') || !isText(chunk.text)) {
      return undefined;
    }
    chunks.push({ stream: chunk.stream, text: chunk.text });
  }
  return chunks;
}

function parseFinished(raw: Json): HostToWebview | undefined {
  const findings = parseFindings(raw.findings);
  if (!isCount(raw.runId) || !isOneOf(raw.status, STATUSES) || !isCount(raw.durationMs) || !findings) {
    return undefined;
  }
  const message: HostToWebview = {
    type: 'finished',
    runId: raw.runId,
    status: raw.status as PanelStatus,
    durationMs: raw.durationMs,
    findings,
  };
  if (raw.error !== undefined) {
    const e = raw.error;
    if (!isObject(e) || !isText(e.name, 1000) || !isText(e.value) || !isText(e.traceback)) return undefined;
    message.error = { name: e.name, value: e.value, traceback: e.traceback };
  }
  if (raw.limit !== undefined) {
    const l = raw.limit;
    if (!isObject(l) || !isOneOf(l.kind, LIMIT_KINDS) || !isText(l.message, 10_000)) return undefined;
    message.limit = { kind: l.kind as PanelLimitKind, message: l.message };
  }
  if (raw.message !== undefined) {
    if (!isText(raw.message, 10_000)) return undefined;
    message.message = raw.message;
  }
  if (raw.stoppedAtCell !== undefined) {
    if (!isCellIndex(raw.stoppedAtCell)) return undefined;
    message.stoppedAtCell = raw.stoppedAtCell;
  }
  return message;
}

/** A host → webview message, or undefined when `raw` is not exactly one of the allowed shapes. */
export function parseHostMessage(raw: unknown): HostToWebview | undefined {
  if (!isObject(raw)) return undefined;
  switch (raw.type) {
    case 'runStarted': {
      const findings = parseFindings(raw.findings);
      if (!isCount(raw.runId) || !isText(raw.file, 4096) || !isOneOf(raw.backend, BACKENDS)) return undefined;
      if (!isText(raw.preset, 100) || !isOneOf(raw.gate, GATES) || !findings) return undefined;
      if (raw.walls !== undefined && !isText(raw.walls, 1000)) return undefined;
      return {
        type: 'runStarted',
        runId: raw.runId,
        file: raw.file,
        backend: raw.backend as PanelBackend,
        preset: raw.preset,
        gate: raw.gate as PanelGate,
        findings,
        ...(raw.walls !== undefined ? { walls: raw.walls } : {}),
      };
    }
    case 'cell':
      return isCount(raw.runId) && isCellIndex(raw.index)
        ? { type: 'cell', runId: raw.runId, index: raw.index }
        : undefined;
    case 'status':
      return isCount(raw.runId) && isText(raw.message, 10_000)
        ? { type: 'status', runId: raw.runId, message: raw.message }
        : undefined;
    case 'output': {
      const chunks = parseChunks(raw.chunks);
      return isCount(raw.runId) && chunks && isCount(raw.droppedChars)
        ? { type: 'output', runId: raw.runId, chunks, droppedChars: raw.droppedChars }
        : undefined;
    }
    case 'image': {
      if (!isCount(raw.runId) || !isText(raw.png) || !BASE64.test(raw.png)) return undefined;
      if (raw.text !== undefined && !isText(raw.text)) return undefined;
      return raw.text === undefined
        ? { type: 'image', runId: raw.runId, png: raw.png }
        : { type: 'image', runId: raw.runId, png: raw.png, text: raw.text as string };
    }
    case 'resultText':
      return isCount(raw.runId) && isText(raw.text)
        ? { type: 'resultText', runId: raw.runId, text: raw.text }
        : undefined;
    case 'finished':
      return parseFinished(raw);
    default:
      return undefined;
  }
}

/** Whether a base64 string is acceptable as PNG data for a `data:` image (charset only; size is capped by the caller). */
export function isBase64(value: string): boolean {
  return BASE64.test(value);
}
