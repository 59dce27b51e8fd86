// Runs a suite's cases on a few lanes at once, in order, and hands each test its case's promise.
// A lane owns its resources (its own marker file, canary and listener, its own runner), so that what
// one case does is never judged as another's. An exclusive case (a time limit: harness.ts,
// needsQuietMachine) starts only when every other lane is idle and keeps them idle while it runs, so that
// another case's CPU cannot stretch how long the limit takes to end it.
import type { SlotKind } from '../lane-slot';
import { needsQuietMachine, type RedteamCase } from './harness';

export interface LaneJob<Lane, Result> {
  exclusive: boolean;
  /**
   * An exclusive job may call `endExclusive` once the part that needs the machine is over (the limit
   * run): the other lanes go on while it finishes (the fresh run after it) on its own lane.
   */
  run: (lane: Lane, endExclusive: () => void) => Promise<Result>;
}

export function runOnLanes<Lane, Result>(
  lanes: readonly Lane[],
  jobs: ReadonlyArray<LaneJob<Lane, Result>>,
  /** Awaited before an exclusive job starts, once the other lanes are idle (e.g. their spares booted). */
  settle: () => Promise<void> = async () => {},
): Array<Promise<Result>> {
  const settlers = jobs.map(() => {
    let resolve!: (value: Result) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise<Result>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => {}); // reported by the test that awaits it
    return { promise, resolve, reject };
  });
  const idle = [...lanes];
  let next = 0;
  let running = 0;
  let exclusiveRunning = false;
  const pump = (): void => {
    while (next < jobs.length && idle.length > 0 && !exclusiveRunning) {
      const index = next;
      const job = jobs[index];
      if (job.exclusive && running > 0) return; // waits for the others to finish
      next += 1;
      running += 1;
      exclusiveRunning = job.exclusive;
      const lane = idle.shift() as Lane;
      let exclusiveOver = !job.exclusive;
      const endExclusive = (): void => {
        if (exclusiveOver) return;
        exclusiveOver = true;
        exclusiveRunning = false;
        pump();
      };
      const started = job.exclusive
        ? settle().then(() => job.run(lane, endExclusive))
        : job.run(lane, endExclusive);
      started
        .then(settlers[index].resolve, settlers[index].reject)
        .finally(() => {
          running -= 1;
          idle.push(lane);
          endExclusive();
          pump();
        })
        .catch(() => {});
    }
  };
  pump();
  return settlers.map((settler) => settler.promise);
}

/** Lanes for this machine: two where there are at least two cores (CI has two), else one. */
export function laneCount(cores: number): number {
  return cores >= 2 ? 2 : 1;
}

/**
 * Every red-team case as a lane job: a time-limit case is exclusive here (needsQuietMachine), and
 * `runCase` is told to hold an exclusive slot too, so that it also waits for the other mocha lanes to be idle
 * (test/lanes.mjs).
 */
export function runCasesOnLanes<Lane>(
  lanes: readonly Lane[],
  cases: readonly RedteamCase[],
  runCase: (lane: Lane, testCase: RedteamCase, slot: SlotKind, endExclusive: () => void) => Promise<string[]>,
  settle: () => Promise<void>,
): Array<Promise<string[]>> {
  return runOnLanes(
    lanes,
    cases.map((testCase) => {
      const exclusive = needsQuietMachine(testCase);
      return {
        exclusive,
        run: (lane, endExclusive) =>
          runCase(lane, testCase, exclusive ? 'exclusive' : 'shared', endExclusive),
      };
    }),
    settle,
  );
}
