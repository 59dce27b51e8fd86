// Every red-team case against the runner in process isolation (the default), with this test process as
// the host: the README's passing conditions, then a fresh run that must see nothing the case left.
// The static policy gate is not involved and no runtime restrictions are set: the jail alone is tested.
// (This mode adds a second wall, Node's permission model and no string code generation in the sandbox
// process; the thread-mode suite tests the jail without it.)
import assert from 'node:assert/strict';
import { createPyodideRunner, type PyodideRunner } from '../../../src/sandbox/pyodide';
import { DEFAULT_LIMITS } from '../../../src/sandbox/run-types';
import {
  FRESHNESS_PROBE,
  REDTEAM_GRACE_MS,
  REDTEAM_TEST_TIMEOUT_MS,
  limitsFor,
  RedteamEnvironment,
  judge,
  judgeFreshness,
  loadCases,
} from './harness';

describe('red team: process isolation (the host is this test process)', function () {
  this.timeout(REDTEAM_TEST_TIMEOUT_MS);
  let env: RedteamEnvironment;
  let runner: PyodideRunner;

  before(async () => {
    env = await RedteamEnvironment.create();
    runner = createPyodideRunner({ isolation: 'process', interruptGraceMs: REDTEAM_GRACE_MS });
  });

  after(async () => {
    await runner?.dispose();
    await env?.dispose();
  });

  for (const testCase of loadCases()) {
    it(`${testCase.id} (${testCase.expect})`, async () => {
      env.reset();
      const result = await runner.run({
        code: env.substitute(testCase.source),
        filename: `${testCase.id}.py`,
        limits: limitsFor(testCase),
      });
      const next = await runner.run({
        code: FRESHNESS_PROBE,
        filename: 'probe.py',
        limits: { ...DEFAULT_LIMITS, timeoutMs: 20_000 },
      });
      assert.deepEqual([...judge(env, testCase, result, limitsFor(testCase)), ...judgeFreshness(next)], []);
    });
  }
});
