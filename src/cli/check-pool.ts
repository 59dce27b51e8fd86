// Checks files on a pool of worker threads (check-worker.js next to this file, in dist/ or out/). Only paths
// cross to the workers, each worker reads its own files and holds at most PER_WORKER of them in flight, so
// memory stays bounded whatever the tree's size. Verdicts land at their target's index: the report's order
// does not depend on scheduling. A worker that dies blames the file it was on (an `unreadable-source`
// verdict: fail closed), is replaced, and the rest complete.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CheckTarget } from './check-files';
import { unreadableVerdict, type FileCheckerOptions, type FileVerdict } from './check-one';

export type ToWorker = { type: 'check'; index: number; target: CheckTarget } | { type: 'stop' };
export type FromWorker =
  { type: 'verdict'; index: number; verdict: FileVerdict } | { type: 'fatal'; error: string };

/** Files queued per worker: one being checked, one waiting, so a worker never idles on a round trip. */
const PER_WORKER = 2;

export function workerScript(): string {
  return path.join(__dirname, 'check-worker.js');
}

export async function checkInWorkers(
  targets: readonly CheckTarget[],
  threads: number,
  options: FileCheckerOptions,
  signal: AbortSignal,
): Promise<Array<FileVerdict | undefined>> {
  const verdicts: Array<FileVerdict | undefined> = new Array(targets.length);
  let next = 0;
  let done = 0;
  // Files a dead worker had not started yet, taken before new ones.
  const retry: number[] = [];
  const take = (): number | undefined => retry.pop() ?? (next < targets.length ? next++ : undefined);
  const live = new Set<Worker>();
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      for (const worker of live) void worker.terminate();
      live.clear();
      if (error) reject(error);
      else resolve(verdicts);
    };
    const onAbort = (): void => finish();
    signal.addEventListener('abort', onAbort);

    const start = (): void => {
      const inFlight: number[] = [];
      const worker = new Worker(workerScript(), { workerData: options });
      live.add(worker);
      const feed = (): void => {
        while (inFlight.length < PER_WORKER && !signal.aborted) {
          const index = take();
          if (index === undefined) break;
          inFlight.push(index);
          worker.postMessage({ type: 'check', index, target: targets[index] } satisfies ToWorker);
        }
        if (inFlight.length === 0) {
          live.delete(worker);
          worker.postMessage({ type: 'stop' } satisfies ToWorker);
        }
      };
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'fatal') {
          finish(new Error(`a check worker could not start the engine: ${message.error}`));
          return;
        }
        inFlight.splice(inFlight.indexOf(message.index), 1);
        verdicts[message.index] = message.verdict;
        if (++done === targets.length) finish();
        else feed();
      });
      const died = (why: string): void => {
        if (settled || !live.has(worker)) return;
        live.delete(worker);
        // The worker checks its queue in order: the first file in flight is the one it died on.
        const [culprit, ...waiting] = inFlight;
        if (culprit !== undefined) {
          verdicts[culprit] = unreadableVerdict(
            `the engine's worker stopped while checking this file (${why})`,
          );
          done++;
        }
        // Files it had not started go back to the front of the queue, to a new worker.
        retry.push(...waiting.reverse());
        if (done === targets.length) finish();
        else if (!signal.aborted) start();
      };
      worker.on('error', (error) => died(error.message));
      worker.on('exit', (code) => died(`exit code ${code}`));
      feed();
    };

    const count = Math.max(1, Math.min(threads, targets.length));
    if (targets.length === 0) finish();
    else for (let i = 0; i < count; i++) start();
  });
}
