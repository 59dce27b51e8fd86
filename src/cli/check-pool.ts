// Checks files on a pool of worker threads (check-worker.js next to this file, in dist/ or out/). The pool may
// be started before the files are known, so that the workers load their grammars while the main thread walks
// the tree. Only paths cross to the workers, in small batches (fewer messages), and each worker holds at most
// IN_FLIGHT batches, so memory stays bounded whatever the tree's size; each verdict comes back on its own, so
// a worker that dies is known to have died on the first file it had not answered: that file gets an
// `unreadable-source` verdict (fail closed), the rest of its batches go to a new worker. Verdicts land at
// their target's index: the report's order does not depend on scheduling.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CheckTarget } from './check-files';
import type { FileCheckerOptions } from './check-one';
import { unreadableVerdict, type KeyedVerdict } from './check-verdict';

export type ToWorker =
  { type: 'check'; batch: Array<{ index: number; target: CheckTarget }> } | { type: 'stop' };
export type FromWorker =
  { type: 'verdict'; index: number; checked: KeyedVerdict } | { type: 'fatal'; error: string };

/** Batches queued per worker: one being checked, one waiting, so a worker never idles on a round trip. */
const IN_FLIGHT = 2;
/** Files per batch at most; batches shrink towards the end so that the last files spread over the workers. */
const MAX_BATCH = 16;

export function workerScript(): string {
  return path.join(__dirname, 'check-worker.js');
}

interface PoolWorker {
  worker: Worker;
  /** Indexes sent and not yet answered, in the order the worker checks them. */
  inFlight: number[];
  /** Sizes of the batches in flight (their files are inFlight's, in order). */
  batches: number[];
}

export class CheckPool {
  private readonly live = new Set<PoolWorker>();
  private targets: readonly CheckTarget[] = [];
  private verdicts: Array<KeyedVerdict | undefined> = [];
  private next = 0;
  private done = 0;
  /** Files a dead worker had not started yet, taken before new ones. */
  private readonly retry: number[] = [];
  private running = false;
  private settled = false;
  private resolve: (verdicts: Array<KeyedVerdict | undefined>) => void = () => undefined;
  private reject: (error: Error) => void = () => undefined;

  /** Starts `threads` workers at once: they load the engine while the caller finds the files. */
  constructor(
    private readonly threads: number,
    private readonly options: FileCheckerOptions,
    private readonly signal: AbortSignal,
  ) {
    for (let i = 0; i < threads; i++) this.start();
    signal.addEventListener('abort', this.onAbort);
  }

  /** Checks `targets` (once per pool); the verdicts in their order, undefined for files an abort left out. */
  run(targets: readonly CheckTarget[]): Promise<Array<KeyedVerdict | undefined>> {
    if (this.running) throw new Error('a check pool runs once');
    this.running = true;
    this.targets = targets;
    this.verdicts = new Array(targets.length);
    return new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      if (targets.length === 0 || this.signal.aborted) {
        this.finish();
        return;
      }
      // Workers that died before the run (nothing in flight, nothing lost) are replaced now.
      while (this.live.size < Math.min(this.threads, targets.length)) this.start();
      for (const w of [...this.live]) this.feed(w);
    });
  }

  /** Stops the workers (a run that found nothing to check, or an error before run). */
  close(): void {
    this.finish();
  }

  private readonly onAbort = (): void => this.finish();

  private finish(error?: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.signal.removeEventListener('abort', this.onAbort);
    for (const w of this.live) void w.worker.terminate();
    this.live.clear();
    if (error) this.reject(error);
    else this.resolve(this.verdicts);
  }

  private take(): number | undefined {
    return this.retry.pop() ?? (this.next < this.targets.length ? this.next++ : undefined);
  }

  private batchSize(): number {
    const left = this.targets.length - this.next + this.retry.length;
    return Math.max(1, Math.min(MAX_BATCH, Math.floor(left / (this.threads * 4))));
  }

  private feed(w: PoolWorker): void {
    if (!this.running || this.settled) return;
    while (w.batches.length < IN_FLIGHT && !this.signal.aborted) {
      const batch: Array<{ index: number; target: CheckTarget }> = [];
      for (let size = this.batchSize(); batch.length < size;) {
        const index = this.take();
        if (index === undefined) break;
        batch.push({ index, target: this.targets[index] });
      }
      if (batch.length === 0) break;
      w.inFlight.push(...batch.map((item) => item.index));
      w.batches.push(batch.length);
      w.worker.postMessage({ type: 'check', batch } satisfies ToWorker);
    }
    if (w.inFlight.length === 0) {
      this.live.delete(w);
      w.worker.postMessage({ type: 'stop' } satisfies ToWorker);
    }
  }

  private start(): PoolWorker {
    const w: PoolWorker = {
      worker: new Worker(workerScript(), { workerData: this.options }),
      inFlight: [],
      batches: [],
    };
    this.live.add(w);
    w.worker.on('message', (message: FromWorker) => {
      if (message.type === 'fatal') {
        this.finish(new Error(`a check worker could not start the engine: ${message.error}`));
        return;
      }
      w.inFlight.shift();
      if (--w.batches[0] === 0) w.batches.shift();
      this.verdicts[message.index] = message.checked;
      if (++this.done === this.targets.length) this.finish();
      else this.feed(w);
    });
    const died = (why: string): void => {
      if (this.settled || !this.live.has(w)) return;
      this.live.delete(w);
      // The worker checks its files in order: the first one not answered is the one it died on.
      const [culprit, ...waiting] = w.inFlight;
      if (culprit !== undefined) {
        this.verdicts[culprit] = {
          verdict: unreadableVerdict(`the engine's worker stopped while checking this file (${why})`),
        };
        this.done++;
      }
      // Files it had not started go back to the front of the queue, to a new worker.
      this.retry.push(...waiting.reverse());
      if (!this.running || this.signal.aborted) return;
      if (this.done === this.targets.length) this.finish();
      else if (this.retry.length > 0 || this.next < this.targets.length) this.feed(this.start());
    };
    w.worker.on('error', (error) => died(error.message));
    w.worker.on('exit', (code) => died(`exit code ${code}`));
    return w;
  }
}
