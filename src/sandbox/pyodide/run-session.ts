// One run from the host's side: sends the program, streams its output as events, enforces the time
// limit (interrupt first, then kill) and cancellation, and turns whatever happened into one RunResult.
// The last event is always `done`.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type {
  LimitKind,
  RunBoundaries,
  RunError,
  RunEvent,
  RunRequest,
  RunResult,
  RunStatus,
} from '../run-types';
import { CellMarkerParser } from './cell-markers';
import { formatBytes, formatSeconds } from './limits';
import { INTRINSICS_REPLACED } from './jail-intrinsics';
import { outcomeBytes } from './output-budget';
import type { NotebookProgram, ProgramOutcome, ProgramRequest, SandboxExit } from './protocol';
import type { Sandbox, SandboxEvent } from './sandbox';

type Stream = 'stdout' | 'stderr';

/** The worker enforces the output cap exactly; the host allows for re-encoding and stops anything beyond. */
const HOST_OUTPUT_FACTOR = 3;
const HOST_OUTPUT_SLACK = 4096;
/**
 * After the time limit kills a sandbox, how long the run waits for it to be gone (its last output
 * delivered) before it ends without it. A killed thread or process is normally gone within milliseconds.
 */
const KILLED_EXIT_WAIT_MS = 5000;

interface Ending {
  status: RunStatus;
  error?: RunError | null;
  limit?: { kind: LimitKind; message: string };
}

export class RunSession {
  private readonly createdAt = performance.now();
  private programStartedAt: number | undefined;
  private stdout = '';
  private stderr = '';
  private outputBytes = 0;
  private lastStream: Stream = 'stdout';
  private settled = false;
  private timedOut = false;
  /** The output budget ran out: the marker is written once, whatever comes later. */
  private outputTruncated = false;
  private timers: NodeJS.Timeout[] = [];
  private sandbox: Sandbox | undefined;
  private resolve: (result: RunResult) => void = () => {};
  private readonly onAbort = (): void => this.finish({ status: 'cancelled' });
  /** A notebook run: splits stdout at the driver's cell markers. */
  private cellMarkers: CellMarkerParser | undefined;
  private readonly cellIndexes = new Set<number>();
  /** Recorded in the result: the walls this run had. */
  boundaries: RunBoundaries | undefined;

  constructor(
    private readonly request: RunRequest,
    private readonly graceMs: number,
  ) {}

  /** Tells the caller that the run is waiting for an interpreter to boot. */
  status(message: string): void {
    this.emit({ type: 'status', message });
  }

  /** Refused before anything started (input or limits). */
  refuse(message: string, limit?: LimitKind): RunResult {
    return this.settle({
      status: 'blocked',
      error: { name: 'InputError', value: message, traceback: '' },
      limit: limit && { kind: limit, message },
    });
  }

  cancelledBeforeStart(): RunResult {
    return this.settle({ status: 'cancelled' });
  }

  failedToStart(message: string): RunResult {
    return this.settle({
      status: 'error',
      error: {
        name: 'SandboxStartError',
        value: `the local Python sandbox could not start: ${message}`,
        traceback: '',
      },
    });
  }

  /** Runs the program in a booted sandbox. Never rejects. */
  execute(sandbox: Sandbox): Promise<RunResult> {
    if (this.settled) throw new Error('this run has already ended');
    this.sandbox = sandbox;
    const { code, filename, limits, restrictions, signal } = this.request;
    return new Promise<RunResult>((resolve) => {
      this.resolve = resolve;
      if (signal?.aborted) return this.finish({ status: 'cancelled' });
      signal?.addEventListener('abort', this.onAbort, { once: true });
      this.programStartedAt = performance.now();
      this.timers.push(setTimeout(() => this.onTimeout(), limits.timeoutMs));
      const program: ProgramRequest = {
        kind: 'script',
        code,
        filename,
        restrictions: restrictions ? JSON.stringify(restrictions) : '',
        maxOutputBytes: limits.maxOutputBytes,
      };
      sandbox.start(this.request.cells ? this.notebookProgram(program) : program, (event) =>
        this.onSandboxEvent(event),
      );
    });
  }

  /** The notebook's cells for the driver, with a marker made for this run only. */
  private notebookProgram(program: ProgramRequest): ProgramRequest {
    const marker = randomBytes(16).toString('hex');
    this.cellMarkers = new CellMarkerParser(marker);
    const cells = (this.request.cells ?? []).map(({ index, source }) => ({ index, source }));
    for (const cell of cells) this.cellIndexes.add(cell.index);
    const notebook: NotebookProgram = { marker, cells };
    return { ...program, kind: 'notebook', code: JSON.stringify(notebook) };
  }

  private onSandboxEvent(event: SandboxEvent): void {
    if (this.settled) return;
    switch (event.type) {
      case 'output':
        this.onOutput(event.stream, event.text);
        break;
      case 'output-capped':
        this.finishOutputLimit();
        break;
      case 'finished':
        this.onFinished(event.outcome);
        break;
      case 'exit':
        this.onExit(event.exit);
        break;
    }
  }

  private onOutput(stream: Stream, text: string): void {
    if (stream === 'stderr' || !this.cellMarkers) return this.append(stream, text);
    for (const segment of this.cellMarkers.feed(text)) {
      if ('text' in segment) this.append('stdout', segment.text);
      else if (this.cellIndexes.has(segment.cell)) this.emit({ type: 'cell', index: segment.cell });
      if (this.settled) return;
    }
  }

  private append(stream: Stream, text: string): void {
    const { maxOutputBytes } = this.request.limits;
    this.outputBytes += Buffer.byteLength(text, 'utf8');
    if (this.outputBytes > maxOutputBytes * HOST_OUTPUT_FACTOR + HOST_OUTPUT_SLACK) {
      this.finishOutputLimit();
      return;
    }
    if (stream === 'stdout') this.stdout += text;
    else this.stderr += text;
    this.lastStream = stream;
    this.emit({ type: stream, text });
  }

  private finishOutputLimit(): void {
    const { maxOutputBytes } = this.request.limits;
    const message = `the program printed more than ${formatBytes(maxOutputBytes)} (the output limit); the rest was dropped`;
    if (!this.outputTruncated) {
      this.outputTruncated = true;
      const marker = `\n[output truncated: ${message}]\n`;
      if (this.lastStream === 'stdout') this.stdout += marker;
      else this.stderr += marker;
    }
    // Once the time limit has asked the program to stop, the time limit is what stops it: what it sends
    // meanwhile (the interrupt's traceback, or the output of a program that ignores it) is cut at the
    // budget, and the run ends as `timeout` (or `memory`) when the program stops or is killed.
    if (this.timedOut) return;
    this.finish({ status: 'output', limit: { kind: 'output', message } });
  }

  private onTimeout(): void {
    if (this.settled) return;
    this.timedOut = true;
    this.sandbox?.interrupt();
    // Python may ignore KeyboardInterrupt (except BaseException, a blocking call): then it is killed.
    // The run ends when the killed sandbox is gone (onExit), not here: what it printed before the kill
    // may still be on its way (the output ring, the pipe), and a memory limit it passed meanwhile is
    // reported by then. The second timer only bounds that wait.
    this.timers.push(
      setTimeout(() => {
        this.sandbox?.kill();
        this.timers.push(setTimeout(() => this.finishTimeout(undefined), KILLED_EXIT_WAIT_MS));
      }, this.graceMs),
    );
  }

  private finishTimeout(outcome: ProgramOutcome | undefined): void {
    const seconds = formatSeconds(this.request.limits.timeoutMs);
    const message = `the program did not finish within ${seconds} (the time limit)`;
    const traceback = outcome && outcome.name === 'KeyboardInterrupt' ? outcome.traceback : '';
    this.finish({
      status: 'timeout',
      error: { name: 'TimeoutError', value: message, traceback },
      limit: { kind: 'timeout', message },
    });
  }

  private onFinished(outcome: ProgramOutcome): void {
    // After the time limit asked the program to stop, an allocation was refused before it stopped: the
    // memory limit is what ended it (on a busy machine the MemoryError's report can trail the time limit).
    if (this.timedOut && outcome.status !== 'memory') return this.finishTimeout(outcome);
    // The jail charges the error record to the output budget; this holds even if it did not.
    this.outputBytes += outcomeBytes(outcome);
    if (this.outputBytes > this.request.limits.maxOutputBytes * HOST_OUTPUT_FACTOR + HOST_OUTPUT_SLACK) {
      return this.finishOutputLimit();
    }
    const error: RunError = { name: outcome.name, value: outcome.value, traceback: outcome.traceback };
    switch (outcome.status) {
      case 'ok':
        return this.finish({ status: 'ok' });
      case 'error':
        return this.finish({ status: 'error', error });
      case 'memory': {
        const message = `the program ran out of memory (the limit is ${this.request.limits.memoryMb} MB)`;
        return this.finish({
          status: 'memory',
          error: { ...error, value: error.value || message },
          limit: { kind: 'memory', message },
        });
      }
      case 'fatal':
        return this.finish({
          status: 'error',
          error: {
            name: outcome.name || 'PyodideFatalError',
            value: explainFatal(outcome.value),
            traceback: outcome.traceback,
          },
        });
    }
  }

  private onExit(exit: SandboxExit): void {
    // A memory watchdog that fired while the program ignored the time limit's interrupt (one
    // uninterruptible call filling memory) ended the run: `memory`, whichever limit was reached first.
    if (this.timedOut && exit.kind !== 'out-of-memory') return this.finishTimeout(undefined);
    // Only the runner kills a sandbox mid-run: when it is disposed.
    if (exit.kind === 'killed') return this.finish({ status: 'cancelled' });
    if (exit.kind === 'out-of-memory') {
      const message = `the program ran out of memory: ${exit.detail}`;
      this.finish({
        status: 'memory',
        error: { name: 'MemoryError', value: message, traceback: '' },
        limit: { kind: 'memory', message },
      });
      return;
    }
    this.finish({
      status: 'error',
      error: {
        name: 'SandboxCrashed',
        value: `the local Python sandbox stopped unexpectedly (${exit.detail}); the next run starts a fresh one`,
        traceback: '',
      },
    });
  }

  private finish(ending: Ending): void {
    if (this.settled) return;
    this.resolve(this.settle(ending));
  }

  private settle(ending: Ending): RunResult {
    const held = this.cellMarkers?.flush();
    if (held) {
      // At most a marker's length: not worth the output cap's bookkeeping.
      this.stdout += held;
      this.emit({ type: 'stdout', text: held });
    }
    this.settled = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    this.request.signal?.removeEventListener('abort', this.onAbort);
    const result: RunResult = {
      status: ending.status,
      backend: 'pyodide',
      stdout: this.stdout,
      stderr: this.stderr,
      error: ending.error ?? null,
      results: [],
      findings: [],
      durationMs: Math.round(performance.now() - (this.programStartedAt ?? this.createdAt)),
    };
    if (ending.limit) result.limit = ending.limit;
    if (this.boundaries) {
      const { jail, isolation, permissionModel, osSandbox, osSandboxNote } = this.boundaries;
      result.boundaries = { jail, isolation, permissionModel, osSandbox };
      if (osSandboxNote) result.boundaries.osSandboxNote = osSandboxNote;
    }
    if (result.error) this.emit({ type: 'error', error: result.error });
    if (result.limit) this.emit({ type: 'limit', kind: result.limit.kind, message: result.limit.message });
    this.emit({ type: 'done', status: result.status, durationMs: result.durationMs });
    return result;
  }

  private emit(event: RunEvent): void {
    try {
      this.request.onEvent?.(event);
    } catch {
      // a listener that throws must not break the run
    }
  }
}

/**
 * Pyodide's own wording for a fatal error blames Pyodide ("please report this"); the usual cause is the
 * program, so say what it did and that the interpreter was discarded.
 */
function explainFatal(value: string): string {
  if (value.startsWith(INTRINSICS_REPLACED)) {
    const cause = explainFatal(value.slice(INTRINSICS_REPLACED.length));
    return `the program replaced JavaScript built-ins of the sandbox's runtime, which then failed: ${cause}`;
  }
  if (/Maximum call stack size exceeded/i.test(value)) {
    // V8's stack ran out under the interpreter's frames (Pyodide's Python calls go through C frames too,
    // so a raised recursion limit gets there before RecursionError). Deep recursion is one cause; the
    // other is code of the program's that the runtime runs again each time it handles an error (redteam
    // 87 replaced JavaScript built-ins that Pyodide's error path uses with Python functions that raise).
    return (
      "the interpreter's stack ran out: recursion too deep (Python code under a raised " +
      'sys.setrecursionlimit(), or C code such as json.dumps or repr of a very deeply nested structure), ' +
      "or code of the program's that the runtime runs again each time it handles an error (a replaced " +
      "JavaScript built-in, a hook that raises in the runtime's own code); the interpreter was discarded"
    );
  }
  return value ? `the Python runtime failed: ${value}` : 'the Python runtime failed';
}
