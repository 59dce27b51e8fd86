// What a run reports when the time limit and another limit meet, in both isolation modes: the limit
// that stopped the program is the status, and a run stopped by the time limit keeps every line it
// printed. Also the output budget's other road out of the jail: warnings, on stderr.
import assert from 'node:assert/strict';
import { createPyodideRunner, type PyodideRunner } from '../../../../src/sandbox/pyodide';
import { DEFAULT_LIMITS, type RunLimits } from '../../../../src/sandbox/run-types';
import { laneMode } from '../../lane-slot';
import {
  CATCH_THE_TIME_LIMIT_THEN_ALLOCATE,
  lineNumbers,
  PRINT_THEN_IGNORE_THE_TIME_LIMIT,
  spendTheBudgetThenSpin,
} from '../../limit-programs';
import { TEST_SNAPSHOT_CACHE_DIR } from '../../snapshot-cache-dir';

/** Long enough that the interrupt lands in the program's loop, not while a loaded machine starts it. */
const LIMITS: RunLimits = { ...DEFAULT_LIMITS, timeoutMs: 5000, memoryMb: 128 };
/**
 * Long enough that a program which ignores the interrupt meets the memory limit, or prints, before it is
 * killed; the program that ignores it for good waits all of it. (Lost lines here, in fresh-clone runs, were
 * a lost interrupt, not a short grace: see interrupt-delivery.test.ts.)
 */
const GRACE_MS = 5_000;

for (const isolation of ['process', 'thread'] as const) {
  describe(`Pyodide runner (${isolation} isolation): limits that meet`, function () {
    laneMode(this, 'exclusive');
    this.timeout(120_000);
    let runner: PyodideRunner;

    before(() => {
      runner = createPyodideRunner({
        isolation,
        interruptGraceMs: GRACE_MS,
        snapshotCacheDir: TEST_SNAPSHOT_CACHE_DIR,
      });
    });

    after(async () => {
      await runner?.dispose();
    });

    it('reports memory for a program that catches the time limit and then runs out of memory', async () => {
      const result = await runner.run({
        code: CATCH_THE_TIME_LIMIT_THEN_ALLOCATE,
        filename: 'late.py',
        limits: LIMITS,
      });
      assert.deepEqual(
        [result.status, result.limit?.kind, result.error?.name],
        ['memory', 'memory', 'MemoryError'],
      );
      assert.equal(result.stdout, 'interrupted\n');
    });

    it('reports memory when memory outside the wasm cap grows past the watchdog after the interrupt', async () => {
      // ArrayBuffers (outside the wasm cap, redteam 54). In process mode one call fills 6 GiB, so the
      // interrupt cannot land and the watchdog ends it long before the grace period would. In thread mode
      // a call in progress holds up the worker's end, so it fills 64 MB pieces (the watchdog still ends it).
      const fill =
        isolation === 'process'
          ? ['    F64.new(6 * 1024 ** 3 // 8).fill(1)']
          : [
              '    held = []',
              '    while len(held) < 48:',
              '        held.append(F64.new(8 * 1024 ** 2))',
              '        held[-1].fill(1)',
            ];
      const code = [
        'import pyodide_js',
        'F64 = pyodide_js._module.HEAPF64.constructor',
        'try:',
        '    while True:',
        '        pass',
        'except KeyboardInterrupt:',
        ...fill,
        '    print("filled")',
      ].join('\n');
      const result = await runner.run({ code, filename: 'fill.py', limits: LIMITS });
      assert.deepEqual([result.status, result.limit?.kind], ['memory', 'memory']);
      assert.equal(result.stdout, '');
      assert.ok(result.durationMs < LIMITS.timeoutMs + GRACE_MS, `${result.durationMs} ms`);
    });

    it('keeps every line a program printed when the time limit kills it', async () => {
      const result = await runner.run({
        code: PRINT_THEN_IGNORE_THE_TIME_LIMIT,
        filename: 'lines.py',
        limits: LIMITS,
      });
      assert.deepEqual([result.status, result.limit?.kind], ['timeout', 'timeout']);
      // 300 lines before the time limit, 200 after its one interrupt, then nothing until the kill.
      assert.deepEqual(
        lineNumbers(result.stdout),
        Array.from({ length: 500 }, (_, index) => index),
      );
    });

    it("reports timeout when the time limit's traceback meets a nearly spent output budget", async () => {
      // The time limit stopped the program; its traceback only found the budget nearly spent. It is cut
      // within the budget, with the marker, and everything printed before is kept.
      const limits = { ...LIMITS, maxOutputBytes: 20_000 };
      const left = 200;
      const result = await runner.run({
        code: spendTheBudgetThenSpin(limits.maxOutputBytes, left),
        filename: 'spent.py',
        limits,
      });
      assert.deepEqual(
        [result.status, result.limit?.kind, result.error?.name],
        ['timeout', 'timeout', 'TimeoutError'],
      );
      const printed = 'x'.repeat(limits.maxOutputBytes - left);
      assert.ok(result.stdout.startsWith(printed), 'everything printed before the time limit is kept');
      assert.match(result.stdout.slice(printed.length), /^(\n\[output truncated: [^\n]*\]\n)?$/);
      const { traceback } = result.error ?? { traceback: '' };
      assert.match(traceback, /^Traceback[\s\S]* …\[truncated: the output limit\]$/, JSON.stringify(result));
      assert.ok(Buffer.byteLength(traceback) <= left, `${Buffer.byteLength(traceback)} bytes`);
    });
  });
}

describe('Pyodide runner: the output budget counts warnings', function () {
  laneMode(this, 'exclusive');
  this.timeout(120_000);
  let runner: PyodideRunner;

  before(() => {
    runner = createPyodideRunner({ snapshotCacheDir: TEST_SNAPSHOT_CACHE_DIR });
  });

  after(async () => {
    await runner?.dispose();
  });

  it('stops a flood of warnings at the output budget, with the marker on stderr', async () => {
    const limits = { ...DEFAULT_LIMITS, timeoutMs: 20_000, maxOutputBytes: 50_000 };
    const code = [
      'import warnings',
      'warnings.simplefilter("always")',
      'print("start")',
      'n = 0',
      'while True:',
      '    warnings.warn(f"warning {n} " + "w" * 200)',
      '    n += 1',
    ].join('\n');
    const result = await runner.run({ code, filename: 'warn.py', limits });
    assert.deepEqual([result.status, result.limit?.kind], ['output', 'output']);
    assert.equal(result.stdout, 'start\n');
    const [kept, marker] = result.stderr.split('\n[output truncated: ');
    assert.ok(marker, 'the marker ends stderr, where the budget ran out');
    assert.match(kept, /UserWarning: warning 0 w+/);
    assert.ok(Buffer.byteLength(kept) + 'start\n'.length <= limits.maxOutputBytes, `${kept.length} bytes`);
  });
});
