// Behaviour of the Pyodide runner in its default (process) isolation: the standard library works,
// errors come back with tracebacks that point at the user's file, every limit is hit and reported,
// nothing survives from one run to the next, the warm spare is used, cancellation is prompt.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createPyodideRunner, type PyodideRunner } from '../../../../src/sandbox/pyodide';
import { laneMode } from '../../lane-slot';
import { TEST_SNAPSHOT_CACHE_DIR } from '../../snapshot-cache-dir';
import {
  DEFAULT_LIMITS,
  type RunEvent,
  type RunLimits,
  type RunRequest,
} from '../../../../src/sandbox/run-types';

const LIMITS: RunLimits = { ...DEFAULT_LIMITS, timeoutMs: 20_000, memoryMb: 256 };
/** How long an interrupted program may run on before it is killed, where the kill is what is tested. */
const GRACE_MS = 3000;
/**
 * The grace where the interrupt landing is what is tested (its traceback says where the program was): long
 * enough that no loaded machine outlasts it, so that only a program that swallows the interrupt is killed.
 */
const PATIENT_GRACE_MS = 30_000;
/** Slack for a loaded CI machine on top of what a limit allows. */
const SLACK_MS = 2500;

function request(code: string, overrides: Partial<RunRequest> = {}): RunRequest {
  return { code, filename: 'analysis.py', limits: LIMITS, ...overrides };
}

describe('Pyodide runner (process isolation)', function () {
  this.timeout(90_000);
  let runner: PyodideRunner;

  before(async () => {
    runner = createPyodideRunner({ interruptGraceMs: GRACE_MS, snapshotCacheDir: TEST_SNAPSHOT_CACHE_DIR });
    await runner.whenSpareReady();
  });

  after(async () => {
    await runner?.dispose();
  });

  describe('programs', () => {
    it('runs a tour of the standard library', async () => {
      const result = await runner.run(
        request(`import json, re, dataclasses, decimal, sqlite3, hashlib, traceback, io

@dataclasses.dataclass
class Point:
    x: int
    y: int = 0

db = sqlite3.connect(":memory:")
db.execute("create table t (n integer)")
db.executemany("insert into t values (?)", [(i,) for i in range(10)])
print(json.dumps({"sum": db.execute("select sum(n) from t").fetchone()[0]}))
print(re.sub(r"(\\d+)", r"<\\1>", "a1b22"))
print(Point(1), decimal.Decimal("0.1") + decimal.Decimal("0.2"))
print(hashlib.sha256(b"sandbox").hexdigest()[:16])
try:
    {}["missing"]
except KeyError:
    buffer = io.StringIO()
    traceback.print_exc(file=buffer)
    print(buffer.getvalue().splitlines()[-1])
`),
      );
      assert.equal(result.status, 'ok', result.error?.traceback);
      assert.equal(
        result.stdout,
        [
          '{"sum": 45}',
          'a<1>b<22>',
          'Point(x=1, y=0) 0.3',
          createHash('sha256').update('sandbox').digest('hex').slice(0, 16),
          "KeyError: 'missing'",
          '',
        ].join('\n'),
      );
      assert.equal(result.backend, 'pyodide');
      assert.equal(result.error, null);
    });

    it('reports an exception with a traceback that points at the file and line', async () => {
      const result = await runner.run(
        request('def ratio(a, b):\n    return a / b\n\nprint("before")\nratio(1, 0)\n'),
      );
      assert.equal(result.status, 'error');
      assert.equal(result.stdout, 'before\n');
      assert.deepEqual(
        { name: result.error?.name, value: result.error?.value },
        { name: 'ZeroDivisionError', value: 'division by zero' },
      );
      assert.match(result.error?.traceback ?? '', /File "analysis.py", line 5, in <module>/);
      assert.match(result.error?.traceback ?? '', /File "analysis.py", line 2, in ratio\n {4}return a \/ b/);
      assert.doesNotMatch(result.error?.traceback ?? '', /sandbox-driver/);
    });

    it("reports the program's own outcome when its trace, profile or monitoring hooks raise in the report", async () => {
      // The hooks still fire in the driver's report after the program ended: the report raised out of the
      // driver and the program's own error (or success) read as a failure of the runtime. The jail turns
      // them off from JavaScript and the driver reports again (red-team cases 82 and 83).
      const hooks = [
        'import sys',
        'def hook(*args):',
        '    code = getattr(args[0], "f_code", args[0])',
        '    if code.co_filename != __file__:',
        '        raise RuntimeError("a hook in the driver")',
        '    return hook',
        'm = sys.monitoring',
        'm.use_tool_id(5, "hostile")',
        'm.register_callback(5, m.events.PY_START, hook)',
        'm.set_events(5, m.events.PY_START)',
        'sys.settrace(hook)',
        'print("hooked")',
      ].join('\n');
      const failed = await runner.run(request(`${hooks}\nraise ValueError("mine")\n`));
      assert.deepEqual(
        [failed.status, failed.stdout, failed.error?.name, failed.error?.value],
        ['error', 'hooked\n', 'ValueError', 'mine'],
      );
      assert.match(failed.error?.traceback ?? '', /File "analysis.py", line 13, in <module>/);
      const succeeded = await runner.run(request(`${hooks}\nprint("done")\n`));
      assert.deepEqual([succeeded.status, succeeded.stdout], ['ok', 'hooked\ndone\n']);
      // In async code the report runs in the event loop's callbacks, and what escapes them ends as a
      // rejected promise: the jail checks the main task's state on an unhandled rejection.
      const later = await runner.run(
        request(`import asyncio\nawait asyncio.sleep(0)\n${hooks}\nraise ValueError("mine, later")\n`),
      );
      assert.deepEqual(
        [later.status, later.error?.name, later.error?.value],
        ['error', 'ValueError', 'mine, later'],
      );
      const next = await runner.run(request('import sys\nprint(sys.gettrace(), sys.monitoring.get_tool(5))'));
      assert.deepEqual([next.status, next.stdout], ['ok', 'None None\n']);
    });

    it("says plainly that the interpreter's stack ran out, and the next run works", async () => {
      // Recursion inside C code (json of a deeply nested list) overflows the JavaScript stack under the
      // wasm frames: Pyodide calls that a fatal error of its own; it is the program's doing.
      const result = await runner.run(
        request(
          'import json\nx = []\nfor _ in range(1_000_000):\n    x = [x]\nprint("built")\njson.dumps(x)\n',
        ),
      );
      assert.equal(result.status, 'error');
      assert.equal(result.stdout.split('\n')[0], 'built');
      assert.match(result.error?.value ?? '', /^the interpreter's stack ran out: recursion too deep/);
      // Python recursion under a raised limit gets there too: Pyodide's Python calls go through C frames.
      const python = await runner.run(
        request('import sys\nsys.setrecursionlimit(10**9)\ndef f(n):\n    return f(n + 1) + 1\nf(0)\n'),
      );
      assert.equal(python.error?.name, 'PyodideFatalError');
      assert.match(
        python.error?.value ?? '',
        /^the interpreter's stack ran out: recursion too deep \(Python code under a raised sys.setrecursionlimit\(\)/,
      );
      const next = await runner.run(request('print(6 * 7)'));
      assert.equal(next.status, 'ok');
      assert.equal(next.stdout, '42\n');
    });

    it('says that the program replaced JavaScript built-ins when the runtime then fails on them', async () => {
      // Getters on Object.prototype that raise in Python make every error Pyodide's glue handles raise
      // again until the stack runs out (red-team case 87): the run blamed C recursion, or the runtime.
      const result = await runner.run(
        request(`from pyodide.ffi import create_proxy, to_js
Obj = to_js({}).constructor
def boom(*args):
    raise RuntimeError("poisoned intrinsic")
spec = to_js({"get": create_proxy(boom), "set": create_proxy(boom), "configurable": True}, dict_converter=Obj.fromEntries)
for key in ("name", "message", "stack", "then", "type", "length", "0"):
    Obj.defineProperty(Obj.prototype, key, spec)
print("poisoned", flush=True)
`),
      );
      assert.deepEqual(
        [result.status, result.stdout, result.error?.name],
        ['error', 'poisoned\n', 'PyodideFatalError'],
      );
      assert.match(
        result.error?.value ?? '',
        /^the program replaced JavaScript built-ins of the sandbox's runtime, which then failed: the interpreter's stack ran out/,
      );
      const next = await runner.run(request('print(6 * 7)'));
      assert.deepEqual([next.status, next.stdout], ['ok', '42\n']);
    });

    it("reports an exception with a 300 MB message as the program's, with its traceback", async () => {
      // The report handed the message and the traceback to JavaScript whole: copied into the jail's heap,
      // they took the sandbox process past its memory watchdog's limit (the memory limit + 768 MB), and
      // the run read as the memory limit. Without room to format it, the traceback was lost (case 94).
      const result = await runner.run(
        request('def fail(m):\n    raise ValueError(m)\nfail("x" * 300_000_000)\n', {
          limits: { ...LIMITS, memoryMb: 1024 },
        }),
      );
      assert.deepEqual([result.status, result.limit, result.error?.name], ['error', undefined, 'ValueError']);
      assert.equal(result.error?.value, 'x'.repeat(256 * 1024));
      assert.match(result.error?.traceback ?? '', /File "analysis.py", line 2, in fail\n/);
    });

    it('reports a syntax error with the line', async () => {
      const result = await runner.run(request('x = 1\nif x >\n    pass\n'));
      assert.equal(result.status, 'error');
      assert.equal(result.error?.name, 'SyntaxError');
      assert.match(result.error?.traceback ?? '', /File "analysis.py", line 2/);
    });

    it('treats sys.exit(0) as success and sys.exit(n) as failure', async () => {
      const ok = await runner.run(request('import sys\nprint("bye")\nsys.exit(0)\nprint("not reached")'));
      assert.deepEqual([ok.status, ok.stdout], ['ok', 'bye\n']);
      const failed = await runner.run(request('import sys\nsys.exit(3)'));
      assert.deepEqual(
        [failed.status, failed.error?.name, failed.error?.value],
        ['error', 'SystemExit', 'exit code 3'],
      );
      const message = await runner.run(request('import sys\nsys.exit("no input file")'));
      assert.deepEqual([message.status, message.stderr], ['error', 'no input file\n']);
    });

    it('runs a top-level asyncio.run(main()) on Pyodide’s event loop', async () => {
      const result = await runner.run(
        request(`import asyncio

async def work(n):
    await asyncio.sleep(0.01 * n)
    return n * n

async def main():
    results = await asyncio.gather(*(work(n) for n in range(4)))
    print("results", results)
    return sum(results)

if __name__ == "__main__":
    total = asyncio.run(main())
    print("total", total)
`),
      );
      assert.equal(result.status, 'ok', result.error?.traceback);
      assert.equal(result.stdout, 'results [0, 1, 4, 9]\ntotal 14\n');
    });

    it('says what to do when asyncio.run() is called where it cannot block', async () => {
      const result = await runner.run(
        request(
          'import asyncio\nasync def main():\n    return 1\ndef go():\n    return asyncio.run(main())\ngo()\n',
        ),
      );
      assert.equal(result.status, 'error');
      assert.equal(result.error?.name, 'RuntimeError');
      assert.match(result.error?.value ?? '', /top level of the script/);
      assert.match(result.error?.value ?? '', /Run in E2B/);
    });

    it('says plainly when the program awaits something that can never complete', async () => {
      const result = await runner.run(request('import asyncio\nprint("waiting")\nawait asyncio.Future()\n'));
      assert.equal(result.status, 'error');
      assert.equal(result.stdout, 'waiting\n');
      assert.match(result.error?.value ?? '', /waiting for something that can never happen/);
    });

    it('gives input() a clear end of file', async () => {
      const result = await runner.run(request('name = input("Name: ")\n'));
      assert.equal(result.status, 'error');
      assert.equal(result.error?.name, 'EOFError');
      assert.match(result.error?.value ?? '', /standard input is empty/);
      assert.equal(result.stdout, 'Name: ');
    });

    it('says that only the standard library is available', async () => {
      const result = await runner.run(request('import requests\n'));
      assert.equal(result.status, 'error');
      assert.equal(result.error?.name, 'ModuleNotFoundError');
      assert.match(result.error?.value ?? '', /only the standard library is available in the local sandbox/);
      assert.match(result.error?.value ?? '', /Run in E2B/);
      const numpy = await runner.run(request('import numpy as np\n'));
      assert.match(numpy.error?.value ?? '', /only the standard library/);
      assert.doesNotMatch(numpy.error?.traceback ?? '', /micropip/);
    });

    it('streams output while the program still runs', async () => {
      const events: Array<{ event: RunEvent; at: number }> = [];
      const started = Date.now();
      const result = await runner.run(
        request('import time\nprint("first", flush=True)\ntime.sleep(2)\nprint("second")\n', {
          onEvent: (event) => events.push({ event, at: Date.now() - started }),
        }),
      );
      assert.equal(result.status, 'ok');
      const first = events.find(({ event }) => event.type === 'stdout' && event.text.includes('first'));
      const done = events.at(-1);
      assert.equal(done?.event.type, 'done');
      assert.ok(
        first && done && done.at - first.at >= 1500,
        `"first" arrived ${first?.at} ms, done ${done?.at} ms`,
      );
    });

    it('emits events in order and ends with done', async () => {
      const events: RunEvent[] = [];
      const result = await runner.run(
        request('import sys\nprint("out")\nprint("err", file=sys.stderr)\nraise ValueError("bad")\n', {
          onEvent: (event) => events.push(event),
        }),
      );
      const types = events.map((event) => event.type).filter((type) => type !== 'status');
      assert.deepEqual(types.slice(-2), ['error', 'done']);
      assert.ok(types.includes('stdout') && types.includes('stderr'));
      assert.deepEqual(events.at(-1), { type: 'done', status: 'error', durationMs: result.durationMs });
      assert.equal(result.stderr, 'err\n');
    });
  });

  describe('fresh state', () => {
    it('shows one run nothing of the previous one (variables, files, modules, timers)', async () => {
      const first = await runner.run(
        request(`import asyncio, builtins, sys, types
secret = 42
builtins.left_behind = True
sys.modules["left_behind"] = types.ModuleType("left_behind")
open("/tmp/left-behind.txt", "w").write("x")
loop = asyncio.get_event_loop()
def tick():
    print("tick from the first run")
    loop.call_later(0.05, tick)
tick()
`),
      );
      assert.equal(first.status, 'ok');
      const second = await runner.run(
        request(`import asyncio, builtins, os, sys
await asyncio.sleep(0.3)
print("secret" in globals(), hasattr(builtins, "left_behind"), "left_behind" in sys.modules, os.path.exists("/tmp/left-behind.txt"))
`),
      );
      assert.equal(second.status, 'ok', second.error?.traceback);
      assert.equal(second.stdout, 'False False False False\n');
    });

    it('gives each run its own random state', async () => {
      const code = 'import random\nprint(random.random())\n';
      const [a, b] = [await runner.run(request(code)), await runner.run(request(code))];
      assert.notEqual(a.stdout, b.stdout);
    });
  });

  describe('warm spare', () => {
    it('starts a run on the spare without waiting for the runtime', async () => {
      await runner.whenSpareReady();
      const events: RunEvent[] = [];
      const result = await runner.run(request('print("warm")', { onEvent: (event) => events.push(event) }));
      assert.equal(result.stdout, 'warm\n');
      assert.ok(!events.some((event) => event.type === 'status'), 'the run waited for a runtime to start');
    });

    it('boots a matching interpreter when the memory limit changes', async () => {
      const result = await runner.run(
        request('print("other size")', { limits: { ...LIMITS, memoryMb: 128 } }),
      );
      assert.equal(result.status, 'ok');
      assert.equal(result.stdout, 'other size\n');
    });
  });

  describe('limits', function () {
    laneMode(this, 'exclusive');
    // For the programs that honour the interrupt: a grace no loaded machine outlasts, which costs nothing
    // when the interrupt lands. (3 s once ran out in a fresh-clone CI, with no traceback: that was the lost
    // interrupt of interrupt-delivery.test.ts.) The traceback is the proof that the interrupt, not the kill,
    // ended them; no stopwatch.
    let patient: PyodideRunner;
    before(() => {
      patient = createPyodideRunner({
        interruptGraceMs: PATIENT_GRACE_MS,
        snapshotCacheDir: TEST_SNAPSHOT_CACHE_DIR,
      });
    });
    after(async () => {
      await patient?.dispose();
    });

    it('stops a busy loop at the time limit, keeping what it printed and where it was', async () => {
      const limits = { ...LIMITS, timeoutMs: 1500 };
      const result = await patient.run(request('print("before")\nwhile True:\n    pass\n', { limits }));
      assert.equal(result.status, 'timeout');
      assert.equal(result.limit?.kind, 'timeout');
      assert.equal(result.stdout, 'before\n');
      assert.equal(result.error?.name, 'TimeoutError');
      assert.match(result.error?.traceback ?? '', /File "analysis.py", line [23], in <module>/);
    });

    it('kills a program that swallows the interrupt', async () => {
      const limits = { ...LIMITS, timeoutMs: 1500 };
      const result = await runner.run(
        request(
          'while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass\n',
          {
            limits,
          },
        ),
      );
      assert.equal(result.status, 'timeout');
      assert.ok(result.durationMs >= limits.timeoutMs, `${result.durationMs} ms`);
      assert.ok(result.durationMs <= limits.timeoutMs + GRACE_MS + SLACK_MS, `${result.durationMs} ms`);
    });

    it('interrupts time.sleep at the time limit', async () => {
      const limits = { ...LIMITS, timeoutMs: 1500 };
      const result = await patient.run(request('import time\ntime.sleep(3600)\n', { limits }));
      assert.equal(result.status, 'timeout');
      assert.match(result.error?.traceback ?? '', /line 2/);
    });

    it('stops a memory bomb at the memory limit', async () => {
      const limits = { ...LIMITS, memoryMb: 128 };
      const result = await runner.run(
        request(
          'print("allocating")\nchunks = []\nwhile True:\n    chunks.append(bytearray(16 * 1024 * 1024))\n',
          {
            limits,
          },
        ),
      );
      assert.equal(result.status, 'memory');
      assert.equal(result.limit?.kind, 'memory');
      assert.equal(result.error?.name, 'MemoryError');
      assert.equal(result.stdout, 'allocating\n');
      assert.match(result.limit?.message ?? '', /128 MB/);
    });

    it('ends the sandbox process at once when one uninterruptible call outgrows the memory watchdog', async () => {
      // One %TypedArray%.prototype.fill over a 6 GiB ArrayBuffer (outside the wasm cap and the heap limit): the
      // supervisor's own exit would wait for it to finish; the host kills the process instead (redteam 54).
      const result = await runner.run(
        request(
          'import pyodide_js\nF64 = pyodide_js._module.HEAPF64.constructor\nF64.new(6 * 1024 ** 3 // 8).fill(1)\nprint("filled")\n',
        ),
      );
      assert.equal(result.status, 'memory');
      assert.equal(result.stdout, '');
      assert.ok(result.durationMs < 8000, `${result.durationMs} ms`);
    });

    it("reports a program's own exception whose text is all control characters", async () => {
      // JSON escapes each as 6 bytes: the outcome must still fit a frame from the sandbox process.
      const result = await runner.run(
        request('E = type("\\x01" * 300_000, (Exception,), {})\nraise E("\\x02" * 300_000)\n'),
      );
      assert.equal(result.status, 'error');
      assert.equal(result.error?.name, '\x01'.repeat(256 * 1024));
      assert.equal(result.error?.value, '\x02'.repeat(256 * 1024));
    });

    it('stops an output flood at the output cap inside the sandbox', async () => {
      const limits = { ...LIMITS, maxOutputBytes: 200_000 };
      const result = await runner.run(
        request('print("start")\nwhile True:\n    print("x" * 10000)\n', { limits }),
      );
      assert.equal(result.status, 'output');
      assert.equal(result.limit?.kind, 'output');
      assert.ok(result.stdout.startsWith('start\nxxxx'));
      const [kept, marker] = result.stdout.split('\n[output truncated: ');
      assert.ok(marker, 'the truncation marker is appended');
      assert.ok(Buffer.byteLength(kept) <= limits.maxOutputBytes, `${Buffer.byteLength(kept)} bytes kept`);
      assert.ok(
        Buffer.byteLength(kept) >= limits.maxOutputBytes - 10_100,
        `${Buffer.byteLength(kept)} bytes kept`,
      );
    });

    it('counts the error record against the output budget: print to just under it, then raise a huge exception', async () => {
      // Name, message and traceback leave the jail too: they share the budget with stdout and stderr.
      const limits = { ...LIMITS, maxOutputBytes: 100_000 };
      const code = [
        'import sys',
        'sys.stdout.write("o" * 99_000)',
        'sys.stdout.flush()',
        'def deep(n):',
        '    if n == 0:',
        '        raise type("N" * 40_000, (Exception,), {})("m" * 40_000)',
        '    deep(n - 1)',
        'deep(300)',
      ].join('\n');
      const result = await runner.run(request(code, { limits }));
      assert.equal(result.status, 'output', JSON.stringify(result.limit));
      assert.equal(result.limit?.kind, 'output');
      assert.ok(result.stdout.startsWith('o'.repeat(99_000)));
      assert.match(result.stdout, /\n\[output truncated: [^\n]*\]\n$/);
      const reached = [
        result.stdout,
        result.stderr,
        result.error?.name,
        result.error?.value,
        result.error?.traceback,
      ]
        .map((text) => Buffer.byteLength(text ?? ''))
        .reduce((sum, n) => sum + n, 0);
      assert.ok(reached <= limits.maxOutputBytes + 200, `${reached} bytes reached the host`);
    });

    it('passes a long line written to /dev/tty on in pieces, capped by the output limit', async () => {
      // Emscripten's terminal keeps a line in a JavaScript array until a newline (redteam 58).
      const limits = { ...LIMITS, maxOutputBytes: 300_000 };
      const code = [
        'import os',
        'fd = os.open("/dev/tty", os.O_WRONLY)',
        'for _ in range(40):',
        '    os.write(fd, "é".encode() * (1 << 19))',
      ].join('\n');
      const result = await runner.run(request(code, { limits }));
      assert.equal(result.status, 'output');
      const [kept] = result.stdout.split('\n[output truncated: ');
      const lines = kept.split('\n');
      assert.ok(lines.length >= 4, `${lines.length} lines`);
      for (const line of lines.slice(0, -1)) {
        assert.ok(Buffer.byteLength(line) <= 65536, `a line of ${Buffer.byteLength(line)} bytes`);
        assert.match(line, /^é+$/);
      }
    });

    it('hands on a /dev/tty line still held without a newline when the program ends', async () => {
      // Emscripten hands a held line on only at its own exit, which a run never reaches (redteam 80).
      const code = [
        'import os',
        'fd = os.open("/dev/tty", os.O_WRONLY)',
        'os.write(fd, b"first line\\n")',
        'os.write(fd, b"last words")',
        'raise SystemExit(0)',
      ].join('\n');
      const result = await runner.run(request(code));
      assert.equal(result.status, 'ok', result.error?.value);
      assert.equal(result.stdout, 'first line\nlast words\n');
    });

    it("reports Emscripten's exit (os._exit, a signal's default action) as the exit code, in async code too", async () => {
      // A timer callback that threw it was swallowed: the dead interpreter waited for the time limit (redteam 81).
      const cases: Array<[string, string, string | undefined]> = [
        ['import os\nos._exit(0)', 'ok', undefined],
        ['import os\nos._exit(4)', 'error', 'exit code 4'],
        [
          'import asyncio, os\nasyncio.get_event_loop().call_later(600, print)\nawait asyncio.sleep(0)\nos._exit(5)',
          'error',
          'exit code 5',
        ],
        [
          'import signal\nawait __import__("asyncio").sleep(0)\nsignal.raise_signal(signal.SIGTERM)',
          'error',
          'exit code 143',
        ],
      ];
      for (const [code, status, value] of cases) {
        const result = await runner.run(request(code));
        assert.equal(result.status, status, `${code}: ${result.error?.name} ${result.error?.value}`);
        if (value) assert.deepEqual([result.error?.name, result.error?.value], ['SystemExit', value]);
      }
    });

    it('reports a fatal error of the runtime in async code at once, not at the time limit', async () => {
      const code = [
        'import asyncio, json',
        'asyncio.get_event_loop().call_later(600, print)',
        'await asyncio.sleep(0)',
        'x = []',
        'for _ in range(1_000_000):',
        '    x = [x]',
        'json.dumps(x)',
      ].join('\n');
      const result = await runner.run(request(code));
      assert.equal(result.status, 'error', JSON.stringify(result.limit));
      assert.equal(result.error?.name, 'PyodideFatalError');
    });

    it('refuses a file larger than the memory limit with ENOMEM, a memory outcome', async () => {
      // MEMFS allocates a file at once, outside the wasm cap, and copies it whole as it grows (redteam 76).
      const code = [
        'import errno, os',
        'fd = os.open("/tmp/f", os.O_RDWR | os.O_CREAT)',
        'os.ftruncate(fd, 200 << 20)',
        'os.pwrite(fd, b"x", (200 << 20) - 1)',
        'print("200 MB", os.fstat(fd).st_size)',
        'for attempt in (lambda: os.ftruncate(fd, 8 << 30), lambda: os.pwrite(fd, b"x", 300 << 20)):',
        '    try:',
        '        attempt()',
        '    except OSError as error:',
        '        print(errno.errorcode[error.errno])',
        'os.ftruncate(fd, 257 << 20)',
      ].join('\n');
      const result = await runner.run(request(code));
      assert.equal(result.stdout, `200 MB ${200 << 20}\nENOMEM\nENOMEM\n`);
      assert.equal(result.status, 'memory', result.error?.value);
      assert.equal(result.error?.name, 'OSError');
    });

    it('refuses file names and symlink targets past NAME_MAX and PATH_MAX', async () => {
      // Emscripten keeps them as JavaScript strings with no limit (redteam 59).
      const code = [
        'import errno, os',
        'for label, attempt in (',
        '    ("name", lambda: open("/tmp/" + "n" * 256, "w")),',
        '    ("directory", lambda: os.mkdir("/tmp/" + "d" * 256)),',
        '    ("target", lambda: os.symlink("t" * 4096, "/tmp/link")),',
        '):',
        '    try:',
        '        attempt()',
        '        print(label, "accepted")',
        '    except OSError as error:',
        '        print(label, errno.errorcode[error.errno])',
        'open("/tmp/" + "n" * 255, "w").write("ok")',
        'os.symlink("t" * 4095, "/tmp/link")',
        'print(open("/tmp/" + "n" * 255).read(), len(os.readlink("/tmp/link")))',
      ].join('\n');
      const result = await runner.run(request(code));
      assert.equal(result.status, 'ok', result.error?.value);
      assert.equal(
        result.stdout,
        'name ENAMETOOLONG\ndirectory ENAMETOOLONG\ntarget ENAMETOOLONG\nok 4095\n',
      );
    });

    it('refuses code over the size limit', async () => {
      const result = await runner.run(
        request('x = 1\n'.repeat(100), { limits: { ...LIMITS, maxCodeBytes: 100 } }),
      );
      assert.equal(result.status, 'blocked');
      assert.equal(result.limit?.kind, 'code-size');
      assert.match(result.error?.value ?? '', /600 bytes, over the 100-byte limit/);
    });

    it('refuses code with a NUL byte', async () => {
      const result = await runner.run(request('x = 1\ny = "\0"\n'));
      assert.equal(result.status, 'blocked');
      assert.match(result.error?.value ?? '', /NUL byte at line 2/);
    });

    it('refuses impossible limits with a message that names them', async () => {
      const result = await runner.run(request('print(1)', { limits: { ...LIMITS, memoryMb: 8 } }));
      assert.equal(result.status, 'blocked');
      assert.match(result.error?.value ?? '', /memory limit must be a whole number of MB from 64/);
    });
  });

  describe('cancellation', function () {
    laneMode(this, 'exclusive');
    // `cancelled` is the proof, not a stopwatch: an abort that did nothing would end this endless loop at
    // the time limit, as `timeout`.
    it('ends a running program as cancelled when aborted', async () => {
      const controller = new AbortController();
      let abortedAt = 0;
      const pending = runner.run(
        request('print("running", flush=True)\nwhile True:\n    pass\n', {
          signal: controller.signal,
          onEvent: (event) => {
            if (event.type === 'stdout' && !abortedAt) {
              abortedAt = Date.now();
              controller.abort();
            }
          },
        }),
      );
      const result = await pending;
      assert.equal(result.status, 'cancelled');
      assert.equal(result.stdout, 'running\n');
    });

    it('ends a running program as cancelled when the runner is disposed', async () => {
      const own = createPyodideRunner({
        warmSpare: false,
        isolation: 'thread',
        snapshots: true,
        snapshotCacheDir: TEST_SNAPSHOT_CACHE_DIR,
      });
      let disposing: Promise<void> | undefined;
      const result = await own.run(
        request('print("running", flush=True)\nwhile True:\n    pass\n', {
          onEvent: (event) => {
            if (event.type === 'stdout') disposing ??= own.dispose();
          },
        }),
      );
      await disposing;
      assert.equal(result.status, 'cancelled');
      const after = await own.run(request('print(1)'));
      assert.equal(after.status, 'error');
      assert.match(after.error?.value ?? '', /has been disposed/);
    });

    it('does not start a program whose signal is already aborted', async () => {
      const result = await runner.run(request('print(1)', { signal: AbortSignal.abort() }));
      assert.equal(result.status, 'cancelled');
      assert.equal(result.stdout, '');
    });
  });

  describe('runtime restrictions (policy, not the boundary)', () => {
    const restrictions = {
      blockedBuiltins: ['eval', 'exec', 'compile', '__import__'],
      blockedModules: ['socket', 'subprocess'],
      allowFileWrites: false,
    };

    it('refuses blocked builtins and modules in the user’s code with clear messages', async () => {
      const cases: Array<[string, string, RegExp]> = [
        ['eval("1 + 1")', 'PermissionError', /eval\(\) is not allowed by the sandbox policy/],
        ['import socket', 'ImportError', /import of 'socket' is blocked by the sandbox policy/],
        ['from subprocess import run', 'ImportError', /'subprocess' is blocked/],
        ['__import__("os")', 'PermissionError', /__import__\(\) is not allowed/],
        ['open("/tmp/out.txt", "w")', 'PermissionError', /writing files is not allowed/],
      ];
      for (const [code, name, message] of cases) {
        const result = await runner.run(request(code, { restrictions }));
        assert.equal(result.status, 'error', code);
        assert.equal(result.error?.name, name, code);
        assert.match(result.error?.value ?? '', message, code);
      }
    });

    it('leaves the standard library its real builtins', async () => {
      const result = await runner.run(
        request(
          'import http.client, json\nimport os\nprint(json.loads("[1]"), open(os.devnull).read() == "")\n',
          {
            restrictions,
          },
        ),
      );
      assert.equal(result.status, 'ok', result.error?.traceback);
      assert.equal(result.stdout, '[1] True\n');
    });
  });
});

describe('Pyodide runner (thread isolation)', function () {
  // Each test here hits a limit or ends a worker on time: no other mocha lane runs meanwhile.
  laneMode(this, 'exclusive');
  this.timeout(90_000);
  let runner: PyodideRunner;

  before(() => {
    runner = createPyodideRunner({
      isolation: 'thread',
      interruptGraceMs: GRACE_MS,
      snapshotCacheDir: TEST_SNAPSHOT_CACHE_DIR,
    });
  });

  after(async () => {
    await runner?.dispose();
  });

  it('runs programs, reports errors and keeps runs apart', async () => {
    const first = await runner.run(request('import json\nvalue = 7\nprint(json.dumps({"v": value}))\n'));
    assert.deepEqual([first.status, first.stdout], ['ok', '{"v": 7}\n']);
    const second = await runner.run(request('print("value" in globals())\n1 / 0\n'));
    assert.deepEqual(
      [second.status, second.stdout, second.error?.name],
      ['error', 'False\n', 'ZeroDivisionError'],
    );
  });

  it('ends the worker when ArrayBuffers grow the process past the memory limit', async () => {
    // ArrayBuffers are outside the wasm cap and the worker's heap limit (redteam 54); bounded at 3 GB.
    const code = [
      'import pyodide_js',
      'U8 = pyodide_js._module.HEAPU8.constructor',
      'held = []',
      'while len(held) < 48:',
      '    held.append(U8.new(64 * 1024 * 1024))',
      '    held[-1].fill(1)',
      'print("held", len(held) * 64, "MB")',
    ].join('\n');
    const result = await runner.run(request(code));
    assert.equal(result.status, 'memory');
    assert.match(result.limit?.message ?? '', /grew this process's memory/);
    assert.equal(result.stdout, '');
  });

  it('enforces the time limit and the output cap', async () => {
    const timeout = await runner.run(
      request('while True:\n    pass\n', { limits: { ...LIMITS, timeoutMs: 1000 } }),
    );
    assert.equal(timeout.status, 'timeout');
    const flood = await runner.run(
      request('while True:\n    print("y" * 1000)\n', { limits: { ...LIMITS, maxOutputBytes: 50_000 } }),
    );
    assert.equal(flood.status, 'output');
    const record = await runner.run(
      request('print("o" * 49_000)\nraise type("N" * 20_000, (Exception,), {})("m" * 20_000)\n', {
        limits: { ...LIMITS, maxOutputBytes: 50_000 },
      }),
    );
    assert.equal(record.status, 'output', 'the error record counts against the output budget');
    assert.ok(Buffer.byteLength(record.stdout) + Buffer.byteLength(record.stderr) < 50_200);
  });
});
