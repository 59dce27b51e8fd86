// The run gate: input validation and the policy decision, and the blocked RunResult.
import assert from 'node:assert/strict';
import { resolvePolicy, type PolicyEngine } from '../../../src/policy';
import { blockedResult, checkRunInput, gateRun } from '../../../src/sandbox/gate';
import { DEFAULT_LIMITS } from '../../../src/sandbox/run-types';
import { sharedEngine } from './helpers';

describe('run gate', () => {
  it('accepts ordinary code', () => {
    assert.equal(checkRunInput('print("hé")\n', DEFAULT_LIMITS), undefined);
  });

  it('refuses code over the size limit, naming the limit', () => {
    const limits = { ...DEFAULT_LIMITS, maxCodeBytes: 10 };
    assert.match(checkRunInput('x = "éééééé"', limits) ?? '', /over the 10-byte limit \(maxCodeBytes\)/);
  });

  it('refuses NUL bytes and broken surrogates with a position', () => {
    assert.match(checkRunInput('x = 1\ny = "\0"', DEFAULT_LIMITS) ?? '', /NUL byte at line 2, column 6/);
    assert.match(checkRunInput('x = "\ud800"', DEFAULT_LIMITS) ?? '', /unpaired UTF-16 surrogate/);
  });

  it('allows safe code and blocks violations with the first reason', async () => {
    const engine = await sharedEngine();
    const policy = resolvePolicy({});
    const ok = gateRun(engine, 'print(sum(range(10)))\n', 'calc.py', policy, DEFAULT_LIMITS);
    assert.deepEqual(ok, { allowed: true, findings: [] });
    const blocked = gateRun(engine, 'import os\nos.system("id")\n', 'x.py', policy, DEFAULT_LIMITS);
    assert.equal(blocked.allowed, false);
    assert.match(blocked.reason ?? '', /production policy: line 2: command-execution/);
  });

  it('lets suppressed violations through but keeps them in the findings', async () => {
    const engine = await sharedEngine();
    const decision = gateRun(
      engine,
      'eval("1")  # sandbox-policy: ignore[dynamic-code]\n',
      'x.py',
      resolvePolicy({}),
      DEFAULT_LIMITS,
    );
    assert.equal(decision.allowed, true);
    assert.equal(decision.findings[0].suppressed, true);
  });

  it('turns a decision into a blocked RunResult', async () => {
    const engine = await sharedEngine();
    const decision = gateRun(engine, 'eval(x)', 'x.py', resolvePolicy({}), DEFAULT_LIMITS);
    const result = blockedResult('pyodide', decision, 3);
    assert.equal(result.status, 'blocked');
    assert.equal(result.backend, 'pyodide');
    assert.equal(result.error?.name, 'PolicyViolation');
    assert.equal(result.findings.length, 1);
    const tooBig = blockedResult(
      'e2b',
      gateRun(engine, 'x'.repeat(20), 'x.py', resolvePolicy({}), { ...DEFAULT_LIMITS, maxCodeBytes: 5 }),
      1,
    );
    assert.equal(tooBig.limit?.kind, 'code-size');
  });

  it('refuses a program the engine fails on, with an unreadable-source finding (fail closed)', () => {
    const failing = {
      analyze() {
        throw new TypeError('q.indexOf is not a function');
      },
    } as unknown as PolicyEngine;
    const decision = gateRun(failing, 'print(1)\n', 'ok.py', resolvePolicy({}), DEFAULT_LIMITS);
    assert.equal(decision.allowed, false);
    assert.deepEqual(
      decision.findings.map((f) => [f.ruleId, f.severity, f.violation]),
      [['unreadable-source', 'HIGH', true]],
    );
    assert.match(decision.reason ?? '', /the engine failed \(q\.indexOf is not a function\)/);
  });
});
