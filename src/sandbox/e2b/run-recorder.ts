// Collects one run's output into its RunResult while streaming events to the caller: redacts every
// string, caps stdout + stderr (with a visible marker), never lets the caller's handler break the run,
// and makes sure `done` is the last event, sent once.
import type { Backend, RunEvent, RunOutput, RunResult, RunError } from '../run-types';
import type { Ending } from './errors';
import type { Redactor } from './redact';
import { formatBytes } from './uploads';

/** A program's results (images) are capped too: a loop of `display()` calls must not exhaust memory. */
export const MAX_RESULTS = 100;
export const MAX_RESULT_BYTES = 20 * 1024 * 1024;

/** Same wording as the Pyodide runner's, so both backends read alike. */
export function outputCapMessage(capBytes: number): string {
  return `the program printed more than ${formatBytes(capBytes)} (the output limit); it was stopped and the rest was dropped`;
}

export function truncationMarker(capBytes: number): string {
  return `\n[output truncated: ${outputCapMessage(capBytes)}]\n`;
}

export class RunRecorder {
  private stdout = '';
  private stderr = '';
  private outputBytes = 0;
  private resultBytes = 0;
  private readonly results: RunOutput[] = [];
  private programError: RunError | null = null;
  private finished: RunResult | undefined;
  private closed = false;
  /** Set when the caller's `onEvent` threw; the run is stopped with it. */
  handlerError: unknown;
  onHandlerError: (error: unknown) => void = () => undefined;
  onOutputCap: (message: string) => void = () => undefined;

  constructor(
    private readonly backend: Backend,
    private readonly redact: Redactor,
    private readonly outputCapBytes: number,
    private readonly onEvent: ((event: RunEvent) => void) | undefined,
    private readonly started: number = performance.now(),
  ) {}

  get isFinished(): boolean {
    return this.finished !== undefined;
  }

  status(message: string): void {
    this.emit({ type: 'status', message });
  }

  /** A notebook run starts this cell: what follows is its. */
  cell(index: number): void {
    if (!this.finished) this.emit({ type: 'cell', index });
  }

  output(stream: 'stdout' | 'stderr', rawText: string): void {
    if (this.finished || this.outputBytes >= this.outputCapBytes) return;
    let text = this.redact(rawText);
    const bytes = Buffer.byteLength(text, 'utf8');
    let capped = false;
    if (this.outputBytes + bytes > this.outputCapBytes) {
      text = cutToBytes(text, this.outputCapBytes - this.outputBytes) + truncationMarker(this.outputCapBytes);
      capped = true;
    }
    this.outputBytes = capped ? this.outputCapBytes : this.outputBytes + bytes;
    if (stream === 'stdout') this.stdout += text;
    else this.stderr += text;
    this.emit({ type: stream, text });
    if (capped) this.onOutputCap(outputCapMessage(this.outputCapBytes));
  }

  result(output: RunOutput): void {
    if (this.finished) return;
    const clean: RunOutput = {};
    if (typeof output.text === 'string') clean.text = this.redact(output.text);
    if (typeof output.png === 'string' && /^[A-Za-z0-9+/=\s]*$/.test(output.png)) clean.png = output.png;
    if (output.isMainResult !== undefined) clean.isMainResult = output.isMainResult;
    if (clean.text === undefined && clean.png === undefined) return;
    this.resultBytes += (clean.text?.length ?? 0) + (clean.png?.length ?? 0);
    if (this.results.length >= MAX_RESULTS || this.resultBytes > MAX_RESULT_BYTES) {
      this.onOutputCap(
        `the program produced more than ${MAX_RESULTS} results or ${formatBytes(MAX_RESULT_BYTES)} of images ` +
          '(the result limit); it was stopped and the rest was dropped',
      );
      return;
    }
    this.results.push(clean);
    this.emit({ type: 'result', output: clean });
  }

  /** The program's own exception (Python), as reported by the kernel. */
  error(error: RunError): void {
    if (this.finished) return;
    this.programError = {
      name: this.redact(error.name),
      value: this.redact(error.value),
      traceback: this.redact(error.traceback),
    };
    this.emit({ type: 'error', error: this.programError });
  }

  get hasProgramError(): boolean {
    return this.programError !== null;
  }

  /** Ends the run: emits the limit (if any) and `done`, and returns the result. Later calls return the same. */
  finish(ending: Ending): RunResult {
    if (this.finished) return this.finished;
    const runnerError = ending.error && {
      name: this.redact(ending.error.name),
      value: this.redact(ending.error.value),
      traceback: this.redact(ending.error.traceback),
    };
    const error = runnerError ?? (ending.status === 'error' ? this.programError : null);
    if (runnerError) this.emit({ type: 'error', error: runnerError });
    const limit = ending.limit
      ? { kind: ending.limit.kind, message: this.redact(ending.limit.message) }
      : undefined;
    if (limit) this.emit({ type: 'limit', kind: limit.kind, message: limit.message });
    const durationMs = Math.round(performance.now() - this.started);
    this.finished = {
      status: ending.status,
      backend: this.backend,
      stdout: this.stdout,
      stderr: this.stderr,
      error,
      results: this.results,
      findings: [],
      durationMs,
      ...(limit ? { limit } : {}),
    };
    this.emit({ type: 'done', status: ending.status, durationMs });
    this.closed = true;
    return this.finished;
  }

  private emit(event: RunEvent): void {
    if (this.closed || !this.onEvent) return;
    try {
      this.onEvent(event);
    } catch (error) {
      if (event.type === 'done' || this.handlerError !== undefined) return;
      this.handlerError = error;
      this.onHandlerError(error);
    }
  }
}

/** The longest prefix of `text` that fits in `bytes` UTF-8 bytes, without splitting a character. */
function cutToBytes(text: string, bytes: number): string {
  if (bytes <= 0) return '';
  const encoded = Buffer.from(text, 'utf8').subarray(0, bytes);
  return encoded.toString('utf8').replace(/\uFFFD$/, '');
}
