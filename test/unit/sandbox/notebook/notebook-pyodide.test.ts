// A notebook run in the local jail: the code cells run in order in one fresh interpreter, each cell's
// output stays with it, the run stops at the first failing cell, the limits are one budget for the
// whole run, and IPython's shell syntax is refused with a clear error.
import assert from 'node:assert/strict';
import { stoppingCell } from '../../../../src/sandbox/notebook-cells';
import { runNotebook } from '../../../../src/sandbox/notebook-run';
import { createPyodideRunner, type PyodideRunner } from '../../../../src/sandbox/pyodide';
import {
  DEFAULT_LIMITS,
  type NotebookRunCell,
  type RunEvent,
  type RunLimits,
} from '../../../../src/sandbox/run-types';
import { laneMode } from '../../lane-slot';
import { TEST_SNAPSHOT_CACHE_DIR } from '../../snapshot-cache-dir';

const LIMITS: RunLimits = { ...DEFAULT_LIMITS, timeoutMs: 20_000, memoryMb: 256 };

/** Code cells at these notebook positions (2 and 4 stand for markdown cells, which never reach a runner). */
function cells(...sources: string[]): NotebookRunCell[] {
  return sources.map((source, i) => ({ index: 1 + i * 2, source }));
}

describe('notebook runs in the local sandbox', function () {
  this.timeout(120_000);
  let runner: PyodideRunner;

  before(async () => {
    runner = createPyodideRunner({ snapshotCacheDir: TEST_SNAPSHOT_CACHE_DIR });
    await runner.whenSpareReady();
  });
  after(() => runner?.dispose());

  async function run(sources: string[], limits: RunLimits = LIMITS) {
    const events: RunEvent[] = [];
    const result = await runNotebook(runner, {
      cells: cells(...sources),
      filename: 'analysis.ipynb',
      limits,
      onEvent: (event) => events.push(event),
    });
    return { result, events, cells: result.cells ?? [] };
  }

  it('runs three cells in one interpreter, each with its own output', async () => {
    const {
      result,
      events,
      cells: out,
    } = await run([
      'import statistics\nvalues = [3, 1, 4, 1, 5]\nprint("loaded", len(values))',
      'import sys\nmean = statistics.mean(values)\nprint("warning: small sample", file=sys.stderr)\nprint("mean", mean)',
      'print(f"max {max(values)}, mean {mean}")',
    ]);
    assert.equal(result.status, 'ok', JSON.stringify(result.error));
    assert.deepEqual(
      out.map((c) => [c.index, c.status, c.stdout, c.stderr]),
      [
        [1, 'ok', 'loaded 5\n', ''],
        [3, 'ok', 'mean 2.8\n', 'warning: small sample\n'],
        [5, 'ok', 'max 5, mean 2.8\n', ''],
      ],
    );
    assert.equal(result.stdout, 'loaded 5\nmean 2.8\nmax 5, mean 2.8\n', 'no cell marker reaches the output');
    assert.deepEqual(
      events.filter((e) => e.type === 'cell').map((e) => (e as { index: number }).index),
      [1, 3, 5],
    );
  });

  it('stops at a failing middle cell and says which, with the line in that cell', async () => {
    const { result, cells: out } = await run([
      'rows = [1, 2, 0]\nprint("rows ready")',
      'total = 0\nfor row in rows:\n    total += 10 / row\nprint("never")',
      'print("cell three ran")',
    ]);
    assert.equal(result.status, 'error');
    assert.deepEqual(
      out.map((c) => c.status),
      ['ok', 'error', 'not-run'],
    );
    const failed = stoppingCell(out);
    assert.equal(failed?.index, 3);
    assert.equal(failed?.error?.name, 'ZeroDivisionError');
    assert.match(failed?.error?.traceback ?? '', /File "<cell 3>", line 3, in <module>/);
    assert.match(failed?.error?.traceback ?? '', /total \+= 10 \/ row/, 'the traceback quotes the cell line');
    assert.equal(out[0].stdout, 'rows ready\n');
    assert.equal(result.stdout.includes('cell three ran'), false);
  });

  it('keeps state across an awaiting cell', async () => {
    const { result, cells: out } = await run([
      'import asyncio\nasync def fetch():\n    await asyncio.sleep(0.05)\n    return 42\nvalue = await fetch()',
      'print("value", value)',
    ]);
    assert.equal(result.status, 'ok', JSON.stringify(result.error));
    assert.equal(out[1].stdout, 'value 42\n');
  });

  // Limit tests: no other mocha lane runs meanwhile (test/lanes.mjs).
  laneMode(
    it('applies the time limit to the whole run, not to each cell', async () => {
      // Each cell sleeps 3 s, under the 5 s limit; the two together are over it, so it fires in cell 2.
      const { result, cells: out } = await run(
        [
          'import time\ntime.sleep(3)\nprint("first done")',
          'time.sleep(3)\nprint("second done")',
          'print("third")',
        ],
        { ...LIMITS, timeoutMs: 5000 },
      );
      assert.equal(result.status, 'timeout');
      assert.equal(result.limit?.kind, 'timeout');
      assert.deepEqual(
        out.map((c) => c.status),
        ['ok', 'timeout', 'not-run'],
      );
      assert.equal(out[0].stdout, 'first done\n');
    }),
    'exclusive',
  );

  laneMode(
    it('applies the output limit to the whole run, not to each cell', async () => {
      // 600 bytes per cell under a 1000-byte cap: the second cell crosses it.
      const { result, cells: out } = await run(['print("a" * 599)', 'print("b" * 599)', 'print("c" * 599)'], {
        ...LIMITS,
        maxOutputBytes: 1000,
      });
      assert.equal(result.status, 'output');
      assert.equal(result.limit?.kind, 'output');
      assert.equal(stoppingCell(out)?.index, 3);
      assert.equal(out[0].status, 'ok');
      assert.equal(out[2].status, 'not-run');
    }),
    'exclusive',
  );

  it('refuses shell commands and package installs with a clear error, at their line', async () => {
    for (const [source, message, line] of [
      ['x = 1\n!ls -la /', 'shell commands are not available in the local sandbox (!ls -la /)', 2],
      ['%%bash\nls /', 'shell commands are not available in the local sandbox (%%bash)', 1],
      ['%system id', 'shell commands are not available in the local sandbox (%system id)', 1],
      ['%pip install requests', 'installing packages is not available in the local sandbox', 1],
    ] as const) {
      const { result, cells: out } = await run(['print("before")', source]);
      assert.equal(result.status, 'error', source);
      assert.equal(stoppingCell(out)?.index, 3, source);
      assert.equal(result.error?.name, 'RuntimeError', source);
      assert.ok(result.error?.value.includes(message), `${source}: ${result.error?.value}`);
      assert.match(result.error?.traceback ?? '', new RegExp(`File "<cell 3>", line ${line}`), source);
    }
  });

  it('accepts display magics that change no result', async () => {
    const { result, cells: out } = await run(['%matplotlib inline\nprint("plotted")']);
    assert.equal(result.status, 'ok', JSON.stringify(result.error));
    assert.equal(out[0].stdout, 'plotted\n');
  });

  it('starts every notebook run in a fresh interpreter', async () => {
    await run(['secret = "from the last run"']);
    const { result } = await run(['print(secret)']);
    assert.equal(result.status, 'error');
    assert.equal(result.error?.name, 'NameError');
  });

  it('keeps output that only looks like a cell marker', async () => {
    const fake = '\\x1e0123456789abcdef0123456789abcdef:5\\x1e';
    const { result, cells: out } = await run([`print("${fake}", end="")`, 'print("\\x1e")']);
    assert.equal(result.status, 'ok', JSON.stringify(result.error));
    assert.equal(out[0].stdout, '\x1e0123456789abcdef0123456789abcdef:5\x1e');
    assert.equal(out[1].stdout, '\x1e\n');
  });
});
