// The run audit log: one JSON object per line for every run the gate saw (allowed, refused, stopped),
// recording what ran and how it ended without recording the program itself. An entry holds the time, the
// file, the SHA-256 of the code, the runner, the duration, the outcome, the limit that stopped it and the
// policy findings. It never holds the code, its output, error messages (which may quote the code or its
// secrets) or any API key: only the exception's class name.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  boundaryNames,
  type Backend,
  type LimitKind,
  type RunFinding,
  type RunResult,
  type RunStatus,
} from './run-types';

/** How the policy gate treated the run. */
export type AuditGate = 'allowed' | 'warned' | 'overridden' | 'refused';

export interface AuditFinding {
  ruleId: string;
  severity: RunFinding['severity'];
  violation: boolean;
  /** 1-based, as people read it. */
  line: number;
}

export interface AuditEntry {
  /** ISO 8601, UTC. */
  time: string;
  file: string;
  sha256: string;
  codeBytes: number;
  runner: Backend;
  preset: string;
  gate: AuditGate;
  outcome: RunStatus;
  durationMs: number;
  limit?: LimitKind;
  /** The exception class name only (e.g. `ZeroDivisionError`), never its message. */
  error?: string;
  findings: AuditFinding[];
  /** The walls in force around a local run, innermost first (`jail`, `process`, `node-permissions`, `bubblewrap`). */
  boundaries?: string[];
}

export interface AuditInput {
  time: Date;
  file: string;
  code: string;
  runner: Backend;
  preset: string;
  gate: AuditGate;
  result: Pick<RunResult, 'status' | 'durationMs' | 'limit' | 'error' | 'findings' | 'boundaries'>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_.]{0,199}$/;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function auditEntry(input: AuditInput): AuditEntry {
  const { result } = input;
  const entry: AuditEntry = {
    time: input.time.toISOString(),
    file: input.file,
    sha256: sha256Hex(input.code),
    codeBytes: Buffer.byteLength(input.code, 'utf8'),
    runner: input.runner,
    preset: input.preset,
    gate: input.gate,
    outcome: result.status,
    durationMs: Math.max(0, Math.round(result.durationMs)),
    findings: result.findings
      .filter((f) => !f.suppressed)
      .map((f) => ({
        ruleId: f.ruleId,
        severity: f.severity,
        violation: f.violation,
        line: f.range.start.line + 1,
      })),
  };
  if (result.limit) entry.limit = result.limit.kind;
  if (result.boundaries) entry.boundaries = boundaryNames(result.boundaries);
  // A class name is kept only if it looks like one: a runner's name field must not smuggle text in.
  if (result.error && IDENTIFIER.test(result.error.name)) entry.error = result.error.name;
  return entry;
}

/** The human one-line form for the log channel: `ok pyodide 12 ms app.py sha256:ab12… (production, 0 findings)`. */
export function describeAuditEntry(entry: AuditEntry): string {
  const violations = entry.findings.filter((f) => f.violation).length;
  const parts = [
    `run ${entry.outcome}`,
    entry.runner,
    `${entry.durationMs} ms`,
    entry.file,
    `sha256:${entry.sha256.slice(0, 12)}`,
    `preset ${entry.preset}`,
    `gate ${entry.gate}`,
    `${entry.findings.length} findings (${violations} violations)`,
  ];
  if (entry.limit) parts.push(`limit ${entry.limit}`);
  if (entry.error) parts.push(`error ${entry.error}`);
  if (entry.boundaries) parts.push(`walls ${entry.boundaries.join('+')}`);
  return parts.join(' · ');
}

export interface AuditLogOptions {
  /** When the file passes this size it is rotated to `<name>.1` (one generation kept). */
  maxBytes?: number;
}

/** Appends entries to a JSON-lines file, one write at a time, creating its folder on first use. */
export class AuditLog {
  private queue: Promise<void> = Promise.resolve();
  private readonly maxBytes: number;

  constructor(
    readonly filePath: string,
    options: AuditLogOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  }

  /** Resolves when the line is on disk; rejects with the file system's error (the caller logs it). */
  append(entry: AuditEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    const write = this.queue.then(() => this.write(line));
    // Later appends wait for this one but do not inherit its failure.
    this.queue = write.catch(() => undefined);
    return write;
  }

  private async write(line: string): Promise<void> {
    await fs.promises.mkdir(path.dirname(this.filePath), { recursive: true });
    const size = await fs.promises.stat(this.filePath).then(
      (stat) => stat.size,
      () => 0,
    );
    if (size > 0 && size + Buffer.byteLength(line) > this.maxBytes) {
      await fs.promises.rename(this.filePath, `${this.filePath}.1`);
    }
    await fs.promises.appendFile(this.filePath, line, { encoding: 'utf8', mode: 0o600 });
  }
}
