// The notebook path into the jail (src/sandbox/notebook-run.ts → the driver's run_notebook) attacked
// as the script path is: red-team escapes placed in a notebook's cells, and techniques only a notebook
// has — the get_ipython() object the driver hands to user code (a way into the driver's own globals:
// the real builtins and importer), IPython shell syntax and a replaced shell. The gate is off and no
// runtime restrictions are set: the jail alone is tested.
// Judged as the red-team suite judges (marker file, canary, host listener, SANDBOX-ESCAPE lines), then
// a fresh run must see nothing the notebook left.
import assert from 'node:assert/strict';
import { runNotebook } from '../../../src/sandbox/notebook-run';
import { createPyodideRunner, type PyodideRunner } from '../../../src/sandbox/pyodide';
import type { NotebookRunCell } from '../../../src/sandbox/run-types';
import { TEST_SNAPSHOT_CACHE_DIR } from '../snapshot-cache-dir';
import {
  FRESHNESS_PROBE,
  REDTEAM_GRACE_MS,
  REDTEAM_LIMITS,
  RedteamEnvironment,
  judge,
  judgeFreshness,
  loadCases,
} from './harness';

/** Script cases whose technique a notebook cell can use as well: each runs as the middle cell. */
const SCRIPT_CASES = ['02', '03', '04', '30', '31', '32', '34', '37'];

/** Cells only a notebook has. `__X__` tokens are the harness's, as in the case files. */
const NOTEBOOK_CASES: Record<string, (env: RedteamEnvironment) => string[]> = {
  'driver globals through get_ipython()': () => [
    'shell = get_ipython()\ng = type(shell).system.__globals__',
    `real_import = g["_REAL_IMPORT"]
for attempt in (
    lambda: real_import("pyodide_js").loadPackage.constructor(__JS_PAYLOAD__)(),
    lambda: real_import("js").Function(__JS_PAYLOAD__)(),
    lambda: g["builtins"].__import__("pyodide").code.run_js(__JS_PAYLOAD__),
    lambda: real_import("os").system(__MARKER_CMD__),
    lambda: real_import("subprocess").run(__MARKER_CMD__, shell=True),
    lambda: print(open(__CANARY_PATH__).read()),
):
    try:
        attempt()
    except BaseException:
        pass
print("walked")`,
  ],
  // Each alone: the first refused line ends a run.
  'shell syntax: !cmd': (env) => [`!${env.markerCommand}`],
  'shell syntax: %system': (env) => [`%system ${env.markerCommand}`],
  'shell syntax: %%bash': (env) => [`%%bash\n${env.markerCommand}`],
  'shell syntax: %%script sh': (env) => [`%%script sh\n${env.markerCommand}`],
  'a replaced shell': () => [
    `import os, subprocess
def system(self, command):
    for run in (lambda: os.system(command), lambda: subprocess.run(command, shell=True), lambda: os.popen(command).read()):
        try:
            run()
        except BaseException:
            pass
type(get_ipython()).system = system`,
    '!__MARKER_SHELL__',
  ],
};

describe('red team: notebooks through the jail', function () {
  this.timeout(600_000);
  let env: RedteamEnvironment;
  let runner: PyodideRunner;

  before(async () => {
    env = await RedteamEnvironment.create();
    runner = createPyodideRunner({
      interruptGraceMs: REDTEAM_GRACE_MS,
      snapshotCacheDir: TEST_SNAPSHOT_CACHE_DIR,
    });
  });
  after(async () => {
    await runner?.dispose();
    await env?.dispose();
  });

  async function attack(sources: string[]): Promise<string[]> {
    env.reset();
    const cells: NotebookRunCell[] = sources.map((source, i) => ({
      index: i + 1,
      source: env.substitute(source).replaceAll('__MARKER_SHELL__', env.markerCommand),
    }));
    const result = await runNotebook(runner, { cells, filename: 'attack.ipynb', limits: REDTEAM_LIMITS });
    const failures = judge(
      env,
      { id: 'notebook', source: '', expect: 'escape-blocked', undefended: 'n/a', threadModeKillsHost: false },
      result,
      REDTEAM_LIMITS,
    );
    // Every cell's output is searched too: the canary must be in none of them.
    for (const cell of result.cells ?? []) {
      if (`${cell.stdout}${cell.stderr}${cell.error?.traceback ?? ''}`.includes(env.secret)) {
        failures.push(`cell ${cell.index} printed the canary`);
      }
    }
    const next = await runner.run({
      code: FRESHNESS_PROBE,
      filename: 'probe.py',
      limits: { ...REDTEAM_LIMITS, timeoutMs: 20_000 },
    });
    return [...failures, ...judgeFreshness(next)];
  }

  for (const [name, cells] of Object.entries(NOTEBOOK_CASES)) {
    it(`notebook: ${name}`, async () => {
      assert.deepEqual(await attack(cells(env)), []);
    });
  }

  it('notebook: the shell syntax cells are refused with the local sandbox error', async () => {
    env.reset();
    const result = await runNotebook(runner, {
      cells: [{ index: 1, source: `!${env.markerCommand}` }],
      filename: 'attack.ipynb',
      limits: REDTEAM_LIMITS,
    });
    assert.equal(result.status, 'error');
    assert.match(result.error?.value ?? '', /shell commands are not available in the local sandbox/);
    assert.deepEqual(env.escapes(result.stdout + result.stderr), []);
  });

  for (const prefix of SCRIPT_CASES) {
    it(`script case ${prefix} as a notebook's middle cell`, async () => {
      const testCase = loadCases().find((c) => c.id.startsWith(`${prefix}-`));
      assert.ok(testCase, `case ${prefix} exists`);
      assert.equal(testCase.expect, 'escape-blocked');
      assert.deepEqual(await attack(['state = {"before": 1}', testCase.source, 'print("after", state)']), []);
    });
  }
});
