// Every red-team case against the runner in process isolation (the default), with this test process as
// the host: the README's passing conditions, then a fresh run that must see nothing the case left.
// Cases run on two lanes (each with its own runner, marker, canary and listener); a time-limit case runs
// alone. Interpreters are restored from the snapshot cached on disk, as the CLI's are.
// The static policy gate is not involved and no runtime restrictions are set: the jail alone is tested.
// (This mode adds a second wall, Node's permission model and no string code generation in the sandbox
// process; the thread-mode suite tests the jail without it.)
import assert from 'node:assert/strict';
import os from 'node:os';
import { createPyodideRunner, type PyodideRunner } from '../../../src/sandbox/pyodide';
import { TEST_SNAPSHOT_CACHE_DIR } from '../snapshot-cache-dir';
import {
  FRESHNESS_PROBE,
  REDTEAM_GRACE_MS,
  REDTEAM_LIMITS,
  REDTEAM_TEST_TIMEOUT_MS,
  limitsFor,
  RedteamEnvironment,
  judge,
  judgeFreshness,
  selectedCases,
  type RedteamCase,
} from './harness';
import { laneMode, inSlot, type SlotKind } from '../lane-slot';
import { laneCount, runCasesOnLanes } from './lanes';

describe('red team: process isolation (the host is this test process)', function () {
  this.timeout(REDTEAM_TEST_TIMEOUT_MS);
  // Its tests only wait for cases started in `before`: each case takes its own slot (lane-slot.ts).
  laneMode(this, 'own');
  const cases = selectedCases();
  let lanes: Array<{ env: RedteamEnvironment; runner: PyodideRunner }> = [];
  let outcomes: Array<Promise<string[]>> = [];

  before(async () => {
    const count = laneCount(os.cpus().length);
    lanes = await Promise.all(
      Array.from({ length: count }, async () => ({
        env: await RedteamEnvironment.create(),
        // Every interpreter is restored from the snapshot cached on disk (made once by a fresh sandbox).
        runner: createPyodideRunner({
          isolation: 'process',
          interruptGraceMs: REDTEAM_GRACE_MS,
          snapshotCacheDir: TEST_SNAPSHOT_CACHE_DIR,
        }),
      })),
    );
    outcomes = runCasesOnLanes(
      lanes,
      cases,
      ({ env, runner }, testCase, slot, endExclusive) => runCase(env, runner, testCase, slot, endExclusive),
      // A limit case starts when no other lane's spare is still booting.
      async () => {
        await Promise.all(lanes.map(({ runner }) => runner.whenSpareReady()));
      },
    );
  });

  after(async () => {
    await Promise.allSettled(outcomes);
    for (const { env, runner } of lanes) {
      await runner.dispose();
      await env.dispose();
    }
  });

  async function runCase(
    env: RedteamEnvironment,
    runner: PyodideRunner,
    testCase: RedteamCase,
    slot: SlotKind,
    endExclusive: () => void,
  ): Promise<string[]> {
    env.reset();
    const result = await inSlot(slot, () =>
      runner.run({
        code: env.substitute(testCase.source),
        filename: `${testCase.id}.py`,
        limits: limitsFor(testCase),
      }),
    );
    // The limit has fired: the fresh run after it needs no machine of its own.
    endExclusive();
    // The same memory limit as the case, so that the runner's warm spare fits the probe.
    const next = await inSlot('shared', () =>
      runner.run({
        code: FRESHNESS_PROBE,
        filename: 'probe.py',
        limits: { ...REDTEAM_LIMITS, timeoutMs: 20_000 },
      }),
    );
    // Judged after the fresh run, as before: an escape the case left for later (a timer) shows by now.
    return [...judge(env, testCase, result, limitsFor(testCase)), ...judgeFreshness(next)];
  }

  cases.forEach((testCase, index) => {
    it(`${testCase.id} (${testCase.expect})`, async () => {
      assert.deepEqual(await outcomes[index], []);
    });
  });
});
