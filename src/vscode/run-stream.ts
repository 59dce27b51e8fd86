// One run in flight: hands the request to the runner, streams its events into the run panel (output
// batched, images and result text as they come), shows a cancellable progress notification until the
// program starts, and keeps the output for Copy Output. A runner that breaks its promise not to reject
// still yields a RunResult.
import * as vscode from 'vscode';
import type { E2BRunRequest } from '../sandbox/e2b';
import { runNotebook } from '../sandbox/notebook-run';
import type { Backend, RunEvent, RunRequest, RunResult, Runner } from '../sandbox/run-types';
import { errorMessage } from './logger';
import { OutputBatcher } from './panel/output-batcher';
import type { RunPanel } from './panel/run-panel';

/** Output sent to the panel per run; beyond it the panel shows a marker (Copy Output has everything). */
const PANEL_OUTPUT_CHARS = 400_000;
const BATCH_INTERVAL_MS = 50;
const MAX_IMAGE_BASE64 = 15_000_000;

export const BACKEND_NAMES: Record<Backend, string> = { pyodide: 'Pyodide', e2b: 'E2B' };

export interface RunStreamOptions {
  runId: number;
  runner: Runner;
  /** Everything but `signal` and `onEvent`, which the stream provides. */
  request: Omit<E2BRunRequest, 'signal' | 'onEvent'>;
  panel: RunPanel;
  log: vscode.LogOutputChannel;
  /** Cancel in the progress notification. */
  onCancel: () => void;
}

export class RunStream {
  readonly abort = new AbortController();
  readonly done: Promise<RunResult>;
  private readonly chunks: string[] = [];
  private collected = 0;
  private readonly batcher: OutputBatcher;
  private startedProgram!: () => void;
  private readonly programStarted = new Promise<void>((resolve) => (this.startedProgram = resolve));
  private reportProgress: ((message: string) => void) | undefined;

  constructor(private readonly options: RunStreamOptions) {
    const { runId, panel, runner, request, log } = options;
    const backend = runner.backend;
    this.batcher = new OutputBatcher((batch) => panel.post({ type: 'output', runId, ...batch }), {
      intervalMs: BATCH_INTERVAL_MS,
      maxChars: PANEL_OUTPUT_CHARS,
    });
    const full: E2BRunRequest = {
      ...request,
      signal: this.abort.signal,
      onEvent: (event) => {
        try {
          this.onEvent(event);
        } catch (error) {
          log.error(`Run panel update failed: ${errorMessage(error)}`);
        }
      },
    };
    this.done = startRun(runner, full)
      .catch((error: unknown): RunResult => {
        log.error(`The ${BACKEND_NAMES[backend]} runner failed: ${errorMessage(error)}`);
        return {
          status: 'error',
          backend,
          stdout: '',
          stderr: '',
          error: { name: 'RunnerError', value: errorMessage(error), traceback: '' },
          results: [],
          findings: [],
          durationMs: 0,
        };
      })
      .finally(() => {
        this.startedProgram();
        this.batcher.flush();
        this.batcher.dispose();
      });
    this.showProgress(backend, request.filename);
  }

  /** stdout and stderr interleaved as they arrived (up to twice the output cap). */
  output(): string {
    return this.chunks.join('');
  }

  private onEvent(event: RunEvent): void {
    const { panel, runId, request } = this.options;
    switch (event.type) {
      case 'status':
        panel.post({ type: 'status', runId, message: event.message });
        this.reportProgress?.(event.message);
        return;
      case 'stdout':
      case 'stderr':
        this.startedProgram();
        if (this.collected < request.limits.maxOutputBytes * 2) {
          this.chunks.push(event.text);
          this.collected += event.text.length;
        }
        this.batcher.push(event.type, event.text);
        return;
      case 'cell':
        this.startedProgram();
        // The cell's header goes after everything the cell before it printed.
        this.batcher.flush();
        panel.post({ type: 'cell', runId, index: event.index });
        return;
      case 'result': {
        this.startedProgram();
        const { png, text } = event.output;
        if (png && png.length <= MAX_IMAGE_BASE64) panel.post({ type: 'image', runId, png, text });
        else if (text) panel.post({ type: 'resultText', runId, text });
        return;
      }
      default:
        return; // error, limit and done arrive in the final result
    }
  }

  private showProgress(backend: Backend, file: string): void {
    void vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Sandbox Policy: ${backend === 'e2b' ? 'starting an E2B sandbox' : 'loading Python (Pyodide)'} for ${file}`,
        cancellable: true,
      },
      (progress, token) => {
        this.reportProgress = (message) => progress.report({ message });
        token.onCancellationRequested(() => this.options.onCancel());
        return this.programStarted;
      },
    );
  }
}

/** A notebook's cells run through runNotebook, which sorts the events into the result's cells. */
function startRun(runner: Runner, request: RunRequest): Promise<RunResult> {
  const { cells } = request;
  return cells ? runNotebook(runner, { ...request, cells }) : runner.run(request);
}
