// The limits on a busy machine: while other processes burn every core, in both isolation modes, each
// memory red-team case (23 memory bomb, 54 external memory bomb, 59 file-system bombs) must still end
// as `memory` and leave the next run fresh; a program that catches the time limit's interrupt and then
// runs out of memory must end as `memory` (the limit that stopped it); and a program the time limit
// kills must keep every line it printed. On a starved machine allocation is slow; the memory case's
// time limit (harness.ts, limitsFor) is long enough that only the memory limit can end it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { createPyodideRunner, type PyodideRunner } from '../../../src/sandbox/pyodide';
import { DEFAULT_LIMITS } from '../../../src/sandbox/run-types';
import { acquireSlot, laneMode } from '../lane-slot';
import {
  CATCH_THE_TIME_LIMIT_THEN_ALLOCATE,
  lineNumbers,
  PRINT_THEN_IGNORE_THE_TIME_LIMIT,
} from '../limit-programs';
import { TEST_SNAPSHOT_CACHE_DIR } from '../snapshot-cache-dir';
import {
  FRESHNESS_PROBE,
  REDTEAM_GRACE_MS,
  REDTEAM_TEST_TIMEOUT_MS,
  RedteamEnvironment,
  judge,
  judgeFreshness,
  limitsFor,
  loadCases,
} from './harness';

const MEMORY_CASES = loadCases().filter((testCase) => testCase.expect === 'memory');
/**
 * The time-limit cases: a grace period long enough that a program which ignores the interrupt gets to
 * allocate, or to print its 200 lines, before it is killed; it is waited in full by the program that
 * ignores the interrupt for good. (Runs under this load once lost the interrupt itself, with every grace
 * tried up to 30 s: Pyodide overwrote a signal stored while it polled. The jail now takes the signal
 * atomically (interrupt-delivery.test.ts), and the interrupt lands within a few bytecodes.)
 */
const CROSSING_LIMITS = { ...DEFAULT_LIMITS, timeoutMs: 5_000, memoryMb: 128 };
const CROSSING_GRACE_MS = 5_000;

/** One busy loop per core, in other processes: the `stress --cpu N` of this test. */
function startCpuLoad(): ChildProcess[] {
  return Array.from({ length: Math.max(2, os.availableParallelism()) }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
}

/** CPU seconds a process has used, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return undefined;
  }
}

describe('red team: memory cases while other processes load every core', function () {
  this.timeout(REDTEAM_TEST_TIMEOUT_MS);
  // It loads every core on purpose, from `before` to `after`: it holds the machine for that whole time,
  // so that other mocha lanes (test/lanes.mjs) never run a test under its load.
  laneMode(this, 'own');
  let releaseMachine: () => void = () => {};
  let env: RedteamEnvironment;
  let load: ChildProcess[] = [];

  before(async () => {
    assert.deepEqual(
      MEMORY_CASES.map((testCase) => testCase.id.slice(0, 2)),
      ['23', '54', '59', '65', '66', '70', '72', '73', '75', '76', '92'],
      'the memory cases this test is about',
    );
    releaseMachine = await acquireSlot('exclusive');
    env = await RedteamEnvironment.create();
    load = startCpuLoad();
  });

  after(async () => {
    for (const child of load) child.kill('SIGKILL');
    await env?.dispose();
    releaseMachine();
  });

  for (const isolation of ['process', 'thread'] as const) {
    describe(`${isolation} isolation`, () => {
      let runner: PyodideRunner;
      let patientRunner: PyodideRunner;

      before(() => {
        // Restored from the cached snapshot: the memory limit under load is the test, not a cold boot.
        runner = createPyodideRunner({
          isolation,
          interruptGraceMs: REDTEAM_GRACE_MS,
          snapshotCacheDir: TEST_SNAPSHOT_CACHE_DIR,
        });
        patientRunner = createPyodideRunner({
          isolation,
          interruptGraceMs: CROSSING_GRACE_MS,
          snapshotCacheDir: TEST_SNAPSHOT_CACHE_DIR,
        });
      });

      after(async () => {
        await runner?.dispose();
        await patientRunner?.dispose();
      });

      it('a program that catches the time limit and then runs out of memory ends as memory', async () => {
        const result = await patientRunner.run({
          code: CATCH_THE_TIME_LIMIT_THEN_ALLOCATE,
          filename: 'late.py',
          limits: CROSSING_LIMITS,
        });
        console.log(`        (${result.status} after ${result.durationMs} ms of program time)`);
        assert.deepEqual(
          [result.status, result.limit?.kind, result.error?.name, result.stdout],
          ['memory', 'memory', 'MemoryError', 'interrupted\n'],
        );
      });

      it('a program the time limit kills keeps every line it printed', async () => {
        const result = await patientRunner.run({
          code: PRINT_THEN_IGNORE_THE_TIME_LIMIT,
          filename: 'lines.py',
          limits: CROSSING_LIMITS,
        });
        console.log(`        (${result.status} after ${result.durationMs} ms of program time)`);
        assert.deepEqual([result.status, result.limit?.kind], ['timeout', 'timeout']);
        assert.deepEqual(
          lineNumbers(result.stdout),
          Array.from({ length: 500 }, (_, index) => index),
        );
      });

      for (const testCase of MEMORY_CASES) {
        it(`${testCase.id} ends as memory, not timeout, and the next run is fresh`, async () => {
          env.reset();
          const limits = limitsFor(testCase);
          const result = await runner.run({
            code: env.substitute(testCase.source),
            filename: `${testCase.id}.py`,
            limits,
          });
          console.log(`        (${result.status} after ${result.durationMs} ms of program time)`);
          // The load was really there while the case ran.
          for (const child of load) assert.equal(child.exitCode, null, 'a load process is still burning');
          const next = await runner.run({
            code: FRESHNESS_PROBE,
            filename: 'probe.py',
            limits: { ...DEFAULT_LIMITS, timeoutMs: 20_000 },
          });
          assert.deepEqual([...judge(env, testCase, result, limits), ...judgeFreshness(next)], []);
        });
      }
    });
  }

  // Declared last: mocha runs a suite's own tests before its nested suites.
  describe('afterwards', () => {
    it('the load was real (the load processes used CPU all along)', function () {
      const used = load.map((child) => cpuSeconds(child.pid));
      if (used.some((seconds) => seconds === undefined)) this.skip();
      for (const seconds of used) assert.ok((seconds ?? 0) > 1, `a load process used ${seconds} s of CPU`);
    });
  });
});
