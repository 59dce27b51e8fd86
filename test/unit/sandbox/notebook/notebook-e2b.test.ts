// A notebook run in E2B, against the loopback stand-in with a stateful ("jupyter") kernel: the cells go
// one by one to the one sandbox's kernel, each with its own output and images, the run stops at the
// first failing cell, `!cmd` runs as the kernel runs it, the time limit covers the whole run, and the
// sandbox is killed in every outcome.
import assert from 'node:assert/strict';
import { createE2BRunner, type E2BRunner } from '../../../../src/sandbox/e2b';
import { MemoryStore } from '../../../../src/sandbox/limits';
import { stoppingCell } from '../../../../src/sandbox/notebook-cells';
import { runNotebook } from '../../../../src/sandbox/notebook-run';
import type { NotebookRunCell, RunLimits } from '../../../../src/sandbox/run-types';
import { startStandin, type E2BStandin } from '../../../e2b-standin/server';
import { KEY, LIMITS, TEST_SETTINGS } from '../e2b/fixture';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PICTURE = `import struct, zlib

def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)

class Picture:
    def _repr_png_(self):
        rows = b''.join(b'\\x00' + b'\\xff\\x00\\x00' * 4 for _ in range(4))
        header = struct.pack('>IIBBBBB', 4, 4, 8, 2, 0, 0, 0)
        return b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b'')`;

function cells(...sources: string[]): NotebookRunCell[] {
  return sources.map((source, i) => ({ index: 1 + i * 2, source }));
}

describe('notebook runs in E2B (stand-in)', function () {
  this.timeout(120_000);
  let standin: E2BStandin;
  let runner: E2BRunner;

  before(async () => {
    standin = await startStandin({ apiKey: KEY, kernel: 'jupyter' });
    runner = createE2BRunner({
      apiKey: KEY,
      store: new MemoryStore(),
      settings: TEST_SETTINGS,
      ...standin.connection(),
      env: {},
    });
  });
  after(async () => {
    await runner?.dispose();
    await standin?.close();
  });

  async function run(sources: string[], limits: RunLimits = { ...LIMITS, timeoutMs: 60_000 }) {
    const result = await runNotebook(runner, {
      cells: cells(...sources),
      filename: 'analysis.ipynb',
      limits,
    });
    const deadline = Date.now() + 5000;
    while (standin.liveSandboxes > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(standin.liveSandboxes, 0, 'the sandbox was killed');
    return { result, cells: result.cells ?? [] };
  }

  it('runs three cells in one sandbox kernel, each with its own output and images', async () => {
    const created = standin.stats().created;
    const { result, cells: out } = await run([
      `${PICTURE}\nvalues = [3, 1, 4]\nprint("loaded", len(values))`,
      'import sys\nprint("drawing", file=sys.stderr)\ndisplay(Picture())\nprint("sum", sum(values))',
      'print("max", max(values))',
    ]);
    assert.equal(result.status, 'ok', JSON.stringify(result.error));
    assert.equal(standin.stats().created, created + 1, 'one sandbox for the whole notebook');
    assert.deepEqual(
      out.map((c) => [c.index, c.status, c.stdout, c.stderr]),
      [
        [1, 'ok', 'loaded 3\n', ''],
        [3, 'ok', 'sum 8\n', 'drawing\n'],
        [5, 'ok', 'max 4\n', ''],
      ],
    );
    const png = out[1].results[0]?.png;
    assert.ok(png, 'cell 3 carries its image');
    assert.deepEqual(Buffer.from(png, 'base64').subarray(0, 8), PNG_SIGNATURE);
    assert.deepEqual(out[0].results, []);
  });

  it('stops at a failing middle cell and says which', async () => {
    const { result, cells: out } = await run([
      'rows = [1, 0]\nprint("ready")',
      'for row in rows:\n    10 / row',
      'print("cell three ran")',
    ]);
    assert.equal(result.status, 'error');
    assert.deepEqual(
      out.map((c) => c.status),
      ['ok', 'error', 'not-run'],
    );
    assert.equal(stoppingCell(out)?.index, 3);
    assert.equal(out[1].error?.name, 'ZeroDivisionError');
    assert.match(out[1].error?.traceback ?? '', /line 2/);
    assert.equal(result.stdout.includes('cell three ran'), false);
  });

  it('runs !cmd as the kernel runs it, inside the remote sandbox', async () => {
    const { result, cells: out } = await run(['!echo from-the-shell', 'print("after")']);
    assert.equal(result.status, 'ok', JSON.stringify(result.error));
    assert.equal(out[0].stdout, 'from-the-shell\n');
    assert.equal(out[1].stdout, 'after\n');
  });

  it('applies the time limit to the whole run, not to each cell', async () => {
    // The sleeping cells take 6 s and 12 s, each under the 15 s limit; together (18 s) they are over it,
    // so it fires in the third cell unless the kernel's start alone takes 9 s.
    const { result, cells: out } = await run(
      ['import time\nprint("ready")', 'time.sleep(6)', 'time.sleep(6)\ntime.sleep(6)', 'print("never")'],
      { ...LIMITS, timeoutMs: 15_000 },
    );
    assert.equal(result.status, 'timeout');
    assert.equal(result.limit?.kind, 'timeout');
    assert.deepEqual(
      out.map((c) => c.status),
      ['ok', 'ok', 'timeout', 'not-run'],
    );
  });
});
