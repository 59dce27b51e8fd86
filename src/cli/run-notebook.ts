// `sandbox-policy run notebook.ipynb`: the notebook's code cells gated as one program, then run in order
// in one fresh interpreter (or one E2B sandbox), streaming `--- cell N ---` before each cell's output, or
// one JSON object with `cells` at the end. A notebook that is not nbformat 4 JSON is refused, never run.
import fs from 'node:fs';
import path from 'node:path';
import { NotebookFormatError, parseNotebook, type Notebook } from '../notebook/model';
import type { ResolvedPolicy } from '../policy/config';
import { PolicyEngine } from '../policy/engine';
import { runtimeRestrictions } from '../policy/restrictions';
import { unreadableFinding } from '../policy/source';
import { blockedResult } from '../sandbox/gate';
import { stoppingCell } from '../sandbox/notebook-cells';
import { codeCells, gateNotebook } from '../sandbox/notebook-gate';
import { runNotebook } from '../sandbox/notebook-run';
import type { Backend, RunLimits, RunResult, Runner } from '../sandbox/run-types';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliIO } from './io';
import { reportRunEnd } from './run-report';

export interface NotebookRunOptions {
  backend: Backend;
  limits: RunLimits;
  gate: boolean;
  json: boolean;
  file: string;
  osSandbox: 'auto' | 'required' | 'off';
}

export function isNotebookPath(file: string): boolean {
  return path.extname(file).toLowerCase() === '.ipynb';
}

/** The notebook, or why it cannot be read as one (a usage error when the file cannot be read at all). */
export function readNotebook(file: string, cwd: string): Notebook | { problem: string } {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
    throw new UsageError(`cannot read ${file} (${why})`);
  }
  try {
    return parseNotebook(text);
  } catch (error) {
    if (error instanceof NotebookFormatError)
      return { problem: `${file} is not a notebook: ${error.message}` };
    throw error;
  }
}

function jsonReport(result: RunResult): string {
  const { status, stdout, stderr, error, findings, durationMs, backend, boundaries } = result;
  const cells = (result.cells ?? []).map(({ index, status, stdout, stderr, error }) => ({
    index,
    status,
    stdout,
    stderr,
    error,
  }));
  const stoppedAtCell = stoppingCell(result.cells ?? [])?.index ?? null;
  return `${JSON.stringify({ status, cells, stoppedAtCell, stdout, stderr, error, findings, durationMs, backend, boundaries })}\n`;
}

function refuse(result: RunResult, message: string, options: NotebookRunOptions, io: CliIO): number {
  if (options.json) io.stdout(jsonReport(result));
  else {
    for (const finding of result.findings.filter((f) => f.violation && !f.suppressed)) {
      const { line, column } = finding.range.start;
      const cell = (finding as { cell?: number }).cell;
      const where = cell ? `cell ${cell}:${line + 1}:${column + 1}` : `${line + 1}:${column + 1}`;
      io.stderr(`${options.file}:${where}: ${finding.severity} ${finding.ruleId} ${finding.message}\n`);
    }
    io.stderr(`sandbox-policy: not run: ${message}\n`);
  }
  return EXIT_FAILURE;
}

/** Gates and runs a notebook; `runner()` is called only when the gate lets the run through. */
export async function runNotebookFile(
  notebook: Notebook | { problem: string },
  policy: ResolvedPolicy,
  options: NotebookRunOptions,
  runner: () => Runner,
  io: CliIO,
): Promise<number> {
  if ('problem' in notebook) {
    // Even with --no-gate: a file that is not a notebook cannot be run as one.
    const refused = {
      allowed: false,
      findings: [unreadableFinding(notebook.problem)],
      reason: notebook.problem,
    };
    return refuse(blockedResult(options.backend, refused, 0), notebook.problem, options, io);
  }
  const cells = codeCells(notebook);
  let findings: RunResult['findings'] = [];
  if (options.gate) {
    const engine = await PolicyEngine.create();
    try {
      const decision = gateNotebook(engine, notebook, policy, options.limits);
      if (!decision.allowed) {
        const result = blockedResult(options.backend, decision, 0);
        return refuse(result, decision.reason ?? 'blocked by the policy', options, io);
      }
      findings = decision.findings;
    } finally {
      engine.dispose();
    }
  } else if (cells.length === 0) {
    const reason = 'the notebook has no code cells: nothing to run';
    return refuse(
      blockedResult(options.backend, { allowed: false, findings: [], reason }, 0),
      reason,
      options,
      io,
    );
  }

  let atLineStart = true;
  const write = (text: string): void => {
    if (text === '') return;
    io.stdout(text);
    atLineStart = text.endsWith('\n');
  };
  const result = {
    ...(await runNotebook(runner(), {
      cells,
      filename: path.basename(options.file),
      limits: options.limits,
      restrictions: runtimeRestrictions(policy),
      signal: io.signal,
      onEvent: (event) => {
        if (options.json) return;
        if (event.type === 'cell') write(`${atLineStart ? '' : '\n'}--- cell ${event.index} ---\n`);
        else if (event.type === 'stdout') write(event.text);
        else if (event.type === 'stderr') io.stderr(event.text);
        else if (event.type === 'result' && event.output.text) write(`${event.output.text}\n`);
      },
    })),
    findings,
  };

  if (options.json) io.stdout(jsonReport(result));
  else {
    const stopped = stoppingCell(result.cells ?? []);
    reportRunEnd(io, result, options.osSandbox);
    if (stopped) {
      const skipped = (result.cells ?? []).filter((cell) => cell.status === 'not-run').length;
      const rest = skipped > 0 ? `; ${skipped} later cell${skipped === 1 ? '' : 's'} not run` : '';
      io.stderr(`sandbox-policy: stopped at cell ${stopped.index} (${stopped.status})${rest}\n`);
    }
  }
  return result.status === 'ok' ? EXIT_OK : EXIT_FAILURE;
}
