// A program's trace, profile and sys.monitoring hooks that raise on the driver's own lines (the frame
// that ran the program, the notebook's cell loop): the run must still end as the program ended. Before
// the jail made the program's steps with C calls and turned the hooks off before any driver line ran
// after them, a hook replaced the program's exception, or its success, with its own (red-team case 93);
// a notebook whose async cell installed them ended as "waiting for something that can never happen".
import assert from 'node:assert/strict';
import { runNotebook } from '../../../../src/sandbox/notebook-run';
import { createPyodideRunner, type PyodideRunner } from '../../../../src/sandbox/pyodide';
import { DEFAULT_LIMITS, type RunLimits } from '../../../../src/sandbox/run-types';
import { TEST_SNAPSHOT_CACHE_DIR } from '../../snapshot-cache-dir';

const LIMITS: RunLimits = { ...DEFAULT_LIMITS, timeoutMs: 20_000, memoryMb: 256 };

/** Hooks that raise in any frame but the program's own (the file, or a notebook's cells). */
const HOOKS = `import sys
def foreign(code):
    name = getattr(code, "co_filename", "")
    return name != __file__ and not name.startswith("<cell")
class HookError(Exception):
    pass
def hook(*args):
    code = getattr(args[0], "f_code", args[0])
    if foreign(code):
        raise HookError("a hook on the driver's lines")
    return hook
m = sys.monitoring
m.use_tool_id(4, "hostile-lines")
for event in (m.events.LINE, m.events.RAISE, m.events.EXCEPTION_HANDLED, m.events.PY_UNWIND, m.events.JUMP):
    m.register_callback(4, event, hook)
m.set_events(4, m.events.LINE | m.events.RAISE | m.events.EXCEPTION_HANDLED | m.events.PY_UNWIND | m.events.JUMP)
sys.settrace(hook)
sys.setprofile(hook)
caller = sys._getframe().f_back
if caller is not None:
    caller.f_trace = hook
print("hooked")`;

describe("the program's outcome, whatever its hooks do on the driver's lines", function () {
  this.timeout(120_000);
  for (const isolation of ['process', 'thread'] as const) {
    describe(`${isolation} isolation`, () => {
      let runner: PyodideRunner;
      before(async () => {
        runner = createPyodideRunner({ isolation, snapshotCacheDir: TEST_SNAPSHOT_CACHE_DIR });
        await runner.whenSpareReady();
      });
      after(async () => {
        await runner?.dispose();
      });

      it("a script: its own exception, or its success, not the hook's", async () => {
        const failed = await runner.run({
          code: `${HOOKS}\nraise ValueError("mine")\n`,
          filename: 'hooked.py',
          limits: LIMITS,
        });
        assert.deepEqual(
          [failed.status, failed.stdout, failed.error?.name, failed.error?.value],
          ['error', 'hooked\n', 'ValueError', 'mine'],
        );
        assert.match(failed.error?.traceback ?? '', /File "hooked.py", line 23, in <module>/);
        const succeeded = await runner.run({
          code: `${HOOKS}\nprint("done")\n`,
          filename: 'hooked.py',
          limits: LIMITS,
        });
        assert.deepEqual(
          [succeeded.status, succeeded.stdout, succeeded.error ?? null],
          ['ok', 'hooked\ndone\n', null],
        );
      });

      it('a notebook: hooks from an async cell, then a cell that fails or one that succeeds', async () => {
        const hookedCell = `import asyncio\nawait asyncio.sleep(0)\n${HOOKS}`;
        const failed = await runNotebook(runner, {
          filename: 'hooked.ipynb',
          limits: LIMITS,
          cells: [
            { index: 1, source: hookedCell },
            { index: 2, source: 'print("second")\nraise ValueError("cell 2")' },
          ],
        });
        assert.deepEqual(
          [failed.status, failed.error?.name, failed.error?.value],
          ['error', 'ValueError', 'cell 2'],
        );
        assert.deepEqual(
          failed.cells?.map((cell) => cell.stdout),
          ['hooked\n', 'second\n'],
        );
        const succeeded = await runNotebook(runner, {
          filename: 'hooked.ipynb',
          limits: LIMITS,
          cells: [
            { index: 1, source: hookedCell },
            { index: 2, source: 'print("second")' },
          ],
        });
        assert.deepEqual([succeeded.status, succeeded.error ?? null], ['ok', null]);
      });
    });
  }
});
