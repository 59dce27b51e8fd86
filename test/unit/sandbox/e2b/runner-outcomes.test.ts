// Every way a run can end, against the loopback stand-in with the real SDK.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_RESULTS } from '../../../../src/sandbox/e2b/run-recorder';
import { KEY, LIMITS, Fixture, messageOf } from './fixture';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A real 4×4 PNG built with zlib and shown through IPython's display protocol (`_repr_png_`). */
const PNG_PROGRAM = `
import struct, zlib

def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)

def png(width, height):
    rows = b''.join(b'\\x00' + b'\\xff\\x00\\x00' * width for _ in range(height))
    header = struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)
    return b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b'')

class Picture:
    def _repr_png_(self):
        return png(4, 4)

display(Picture())
print('shown')
`;

describe('E2B runner outcomes (real SDK, loopback stand-in)', function () {
  this.timeout(20_000);
  const fixture = new Fixture();
  before(() => fixture.start());
  after(() => fixture.stop());
  afterEach(() => fixture.finish());

  it('runs the uploaded script from the working directory, streams output and kills the sandbox', async () => {
    const runner = fixture.runner();
    const { result, events } = await fixture.run(
      runner,
      [
        'import os, sys',
        "print('hello from', os.path.basename(__file__))",
        "print('cwd is the script folder:', os.getcwd() == os.path.dirname(__file__))",
        "print('careful', file=sys.stderr)",
      ].join('\n'),
    );
    assert.equal(result.status, 'ok');
    assert.equal(result.backend, 'e2b');
    assert.equal(result.stdout, 'hello from analysis.py\ncwd is the script folder: True\n');
    assert.equal(result.stderr, 'careful\n');
    assert.equal(result.error, null);
    assert.deepEqual(
      events.filter((e) => e.type === 'status').map((e) => (e as { message: string }).message),
      [
        'Creating an E2B sandbox (template code-interpreter-v1)',
        'Uploading analysis.py',
        'Running in the E2B sandbox',
      ],
    );
    const stats = fixture.standin.stats();
    assert.equal(stats.created, 1);
    assert.equal(stats.killed, 1, 'killed after success');
    assert.equal(stats.live, 0);
    // What the sandbox was created with: template, internet off, metadata, lifetime a little above the run timeout.
    assert.deepEqual(
      { ...stats.creates[0], sandboxID: undefined, metadata: { tool: stats.creates[0].metadata.tool } },
      {
        sandboxID: undefined,
        templateID: 'code-interpreter-v1',
        timeout: LIMITS.timeoutMs / 1000 + 30,
        allowInternetAccess: false,
        metadata: { tool: 'sandbox-policy' },
      },
    );
    const usage = runner.usage();
    assert.equal(usage.running, 0);
    assert.equal(usage.creations.daily, 1);
    assert.ok(usage.sandboxSeconds >= 1, 'sandbox-seconds counted');
    assert.ok(usage.spentUsd > 0);
    assert.equal(usage.reservedUsd, 0, 'the reservation was settled');
  });

  it('passes the template and internet-access settings to E2B', async () => {
    const runner = fixture.runner({ template: 'my-team/analysis:v2', allowInternetAccess: true });
    const { result } = await fixture.run(runner, 'print(1)');
    assert.equal(result.status, 'ok');
    const [created] = fixture.standin.stats().creates;
    assert.equal(created.templateID, 'my-team/analysis:v2');
    assert.equal(created.allowInternetAccess, true);
  });

  it('delivers a png result as an image', async () => {
    const { result, events } = await fixture.run(fixture.runner(), PNG_PROGRAM);
    assert.equal(result.status, 'ok');
    assert.equal(result.results.length, 1);
    const png = result.results[0].png;
    assert.ok(png, 'the result carries a png');
    assert.deepEqual(Buffer.from(png, 'base64').subarray(0, 8), PNG_SIGNATURE);
    assert.equal(result.results[0].isMainResult, false);
    const resultEvent = events.find((e) => e.type === 'result');
    assert.deepEqual(resultEvent, { type: 'result', output: result.results[0] });
    assert.equal(result.stdout, 'shown\n');
  });

  it('reports a Python exception with its traceback naming the file, after the output before it', async () => {
    const { result, events } = await fixture.run(fixture.runner(), "print('before')\nx = 1\n1 / 0\n");
    assert.equal(result.status, 'error');
    assert.equal(result.stdout, 'before\n');
    assert.equal(result.error?.name, 'ZeroDivisionError');
    assert.equal(result.error?.value, 'division by zero');
    assert.match(result.error?.traceback ?? '', /analysis\.py", line 3/);
    // IPython colours tracebacks (so does the stand-in); the result carries plain text.
    assert.equal(result.error?.traceback.includes('\u001b['), false, 'no ANSI escapes');
    assert.match(result.error?.traceback ?? '', /ZeroDivisionError: division by zero\n$/);
    assert.deepEqual(
      events.find((e) => e.type === 'error'),
      { type: 'error', error: result.error },
    );
    assert.equal(fixture.standin.stats().killed, 1, 'killed after a Python error');
  });

  it('treats sys.exit(0) as success and sys.exit(3) as an error', async () => {
    const runner = fixture.runner();
    assert.equal((await fixture.run(runner, "import sys\nprint('done')\nsys.exit(0)")).result.status, 'ok');
    const failed = await fixture.run(runner, 'import sys\nsys.exit(3)');
    assert.equal(failed.result.status, 'error');
    assert.equal(failed.result.error?.name, 'SystemExit');
    assert.equal(failed.result.error?.value, '3');
  });

  it('stops at the run time limit, says which limit, and kills the sandbox', async () => {
    const { result, events, elapsedMs } = await fixture.run(
      fixture.runner(),
      "import time\nprint('started', flush=True)\ntime.sleep(60)",
      { limits: { ...LIMITS, timeoutMs: 1000 } },
    );
    assert.equal(result.status, 'timeout');
    assert.deepEqual(result.limit, {
      kind: 'timeout',
      message: 'The program was stopped after 1 s: the run time limit.',
    });
    assert.deepEqual(
      events.find((e) => e.type === 'limit'),
      { type: 'limit', ...result.limit },
    );
    assert.equal(result.stdout, 'started\n');
    assert.ok(elapsedMs < 1000 + 4000, `ended with the limit, not much later (${Math.round(elapsedMs)} ms)`);
    assert.equal(fixture.standin.stats().killed, 1);
  });

  it('names the E2B run timeout setting when it is the lower limit', async () => {
    const { result } = await fixture.run(fixture.runner({ runTimeoutSeconds: 1 }), 'while True: pass');
    assert.equal(result.status, 'timeout');
    assert.equal(
      result.limit?.message,
      'The program was stopped after 1 s: the E2B run timeout (runTimeoutSeconds).',
    );
    // The sandbox's lifetime follows the effective run timeout.
    assert.equal(fixture.standin.stats().creates[0].timeout, 31);
  });

  it('names the lifetime cap when it bounds the run (as VS Code derives runTimeoutSeconds from it)', async () => {
    const runner = fixture.runner({ maxLifetimeSeconds: 31, runTimeoutSeconds: 1 });
    const { result } = await fixture.run(runner, 'while True: pass');
    assert.equal(result.status, 'timeout');
    assert.equal(
      result.limit?.message,
      'The program was stopped after 1 s: the E2B sandbox lifetime cap (maxLifetimeSeconds, less 30 s for setup).',
    );
    assert.equal(fixture.standin.stats().creates[0].timeout, 31);
  });

  it('cancels by killing the sandbox, without waiting for the program', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    const { result } = await fixture.run(
      fixture.runner(),
      "import time\nprint('tick', flush=True)\ntime.sleep(60)",
      {
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'stdout' && abortedAt === 0) {
            abortedAt = performance.now();
            controller.abort();
          }
        },
      },
    );
    const endedAfter = performance.now() - abortedAt;
    assert.equal(result.status, 'cancelled');
    assert.match(result.stdout, /^tick/);
    assert.equal(result.error, null);
    // The program sleeps 60 s: ending well inside that is not waiting for it, however busy the machine.
    assert.ok(endedAfter < 30_000, `ended ${Math.round(endedAfter)} ms after the cancel`);
    assert.equal(fixture.standin.stats().killed, 1, 'the sandbox was not killed');
  });

  it('does nothing for a request cancelled before it starts', async () => {
    const controller = new AbortController();
    controller.abort();
    const { result } = await fixture.run(fixture.runner(), 'print(1)', { signal: controller.signal });
    assert.equal(result.status, 'cancelled');
    assert.equal(fixture.standin.stats().created, 0);
  });

  it('stops the run and kills the sandbox when the event handler throws', async () => {
    const { result } = await fixture.run(
      fixture.runner(),
      "import time\nprint('one', flush=True)\ntime.sleep(30)",
      {
        onEvent: (event) => {
          if (event.type === 'stdout') throw new Error('panel went away');
        },
      },
    );
    assert.equal(result.status, 'error');
    assert.equal(result.error?.name, 'EventHandlerError');
    assert.equal(result.error?.value, 'The run was stopped because its event handler threw: panel went away');
    assert.equal(fixture.standin.stats().killed, 1);
  });

  it('caps stdout + stderr with a visible marker and stops the program', async () => {
    const runner = fixture.runner({ maxOutputBytes: 2048 });
    const { result, events } = await fixture.run(runner, "while True:\n    print('x' * 100, flush=True)");
    assert.equal(result.status, 'output');
    assert.equal(result.limit?.kind, 'output');
    assert.equal(
      result.limit?.message,
      'the program printed more than 2 KB (the output limit); it was stopped and the rest was dropped',
    );
    assert.ok(result.stdout.endsWith(`\n[output truncated: ${result.limit?.message}]\n`));
    const body = result.stdout.slice(0, result.stdout.indexOf('\n[output truncated'));
    assert.equal(Buffer.byteLength(body), 2048);
    const streamed = events
      .filter((e) => e.type === 'stdout')
      .map((e) => (e as { text: string }).text)
      .join('');
    assert.equal(streamed, result.stdout, 'the events carry exactly what the result holds');
    assert.equal(fixture.standin.stats().killed, 1);
  });

  it('caps the number of results (images) and stops the program', async () => {
    const program = PNG_PROGRAM.replace('display(Picture())', 'for _ in range(150):\n    display(Picture())');
    const { result } = await fixture.run(fixture.runner(), program);
    assert.equal(result.status, 'output');
    assert.equal(result.results.length, MAX_RESULTS);
    assert.match(
      result.limit?.message ?? '',
      /^the program produced more than 100 results or 20 MB of images \(the result limit\)/,
    );
    assert.equal(fixture.standin.stats().killed, 1);
  });

  it('disposing the runner mid-run stops the run, kills the sandbox, and refuses later runs', async () => {
    const runner = fixture.runner();
    const running = fixture.run(runner, "import time\nprint('up', flush=True)\ntime.sleep(60)", {
      onEvent: (event) => {
        if (event.type === 'stdout') void runner.dispose();
      },
    });
    const { result } = await running;
    assert.equal(result.status, 'cancelled');
    assert.equal(result.error?.name, 'E2BRunnerDisposed');
    await runner.dispose();
    assert.equal(fixture.standin.liveSandboxes, 0, 'dispose waits for the kill');
    const later = await fixture.run(runner, 'print(1)');
    assert.equal(later.result.status, 'cancelled');
    assert.equal(fixture.standin.stats().created, 1, 'no sandbox after dispose');
  });

  it('validates its input before anything is created or counted', async () => {
    const runner = fixture.runner();
    const big = await fixture.run(runner, 'x = 1\n'.repeat(100), {
      limits: { ...LIMITS, maxCodeBytes: 100 },
    });
    assert.equal(big.result.status, 'blocked');
    assert.equal(big.result.limit?.kind, 'code-size');
    assert.equal(big.result.error?.name, 'InputRejected');
    assert.match(messageOf(big.result), /600 bytes, over the 100-byte limit \(maxCodeBytes\)/);
    const nul = await fixture.run(runner, 'print(1)\0');
    assert.equal(nul.result.status, 'blocked');
    assert.match(messageOf(nul.result), /NUL byte/);
    const badLimits = await fixture.run(runner, 'print(1)', { limits: { ...LIMITS, timeoutMs: Number.NaN } });
    assert.equal(badLimits.result.status, 'blocked');
    assert.equal(
      messageOf(badLimits.result),
      "the run's limit timeoutMs must be a positive number (got NaN)",
    );
    assert.equal(fixture.standin.stats().created, 0);
    assert.equal(runner.usage().creations.daily, 0);
  });

  it('redacts the key even when the program prints it', async () => {
    const { result } = await fixture.run(fixture.runner(), `print(${JSON.stringify(KEY)})`);
    assert.equal(result.status, 'ok');
    assert.equal(result.stdout, '[redacted]\n');
  });
});

describe('E2B runner sibling files', function () {
  this.timeout(20_000);
  const fixture = new Fixture();
  let dir: string;
  before(() => fixture.start());
  after(() => fixture.stop());
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2b-siblings-'));
    fs.writeFileSync(path.join(dir, 'analysis.py'), '# on disk');
    fs.writeFileSync(path.join(dir, 'data.csv'), 'a,b\n1,2\n');
    fs.mkdirSync(path.join(dir, 'lib'));
    fs.writeFileSync(path.join(dir, 'lib', 'helper.py'), 'GREETING = "hi from helper"\n');
  });
  afterEach(async () => {
    await fixture.finish();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uploads the listed files next to the script, where the program finds them', async () => {
    const runner = fixture.runner({ uploadFiles: ['data.csv', 'lib/helper.py'] });
    const { result, events } = await fixture.run(
      runner,
      "import sys\nsys.path.insert(0, 'lib')\nimport helper\nprint(open('data.csv').read().splitlines()[1])\nprint(helper.GREETING)",
      { sourcePath: path.join(dir, 'analysis.py') },
    );
    assert.equal(result.status, 'ok', messageOf(result));
    assert.equal(result.stdout, '1,2\nhi from helper\n');
    assert.ok(events.some((e) => e.type === 'status' && e.message === 'Uploading 3 files'));
  });

  it('refuses files that do not exist, leave the folder through a link, or exceed the upload cap', async () => {
    const sourcePath = path.join(dir, 'analysis.py');
    const missing = await fixture.run(fixture.runner({ uploadFiles: ['nope.csv'] }), 'print(1)', {
      sourcePath,
    });
    assert.equal(missing.result.status, 'blocked');
    assert.match(
      messageOf(missing.result),
      /uploadFiles entry "nope.csv" does not exist next to analysis.py/,
    );

    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'e2b-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'link.txt'));
    const escaped = await fixture.run(fixture.runner({ uploadFiles: ['link.txt'] }), 'print(1)', {
      sourcePath,
    });
    assert.equal(escaped.result.status, 'blocked');
    assert.match(messageOf(escaped.result), /leads outside the script's folder/);
    fs.rmSync(outside, { recursive: true, force: true });

    fs.writeFileSync(path.join(dir, 'big.bin'), Buffer.alloc(4096));
    const big = await fixture.run(
      fixture.runner({ uploadFiles: ['big.bin'], maxUploadBytes: 2048 }),
      'print(1)',
      {
        sourcePath,
      },
    );
    assert.equal(big.result.status, 'blocked');
    assert.match(messageOf(big.result), /exceed its cap of 2 KB at "big.bin" \(4 KB\); raise maxUploadBytes/);

    const unsaved = await fixture.run(fixture.runner({ uploadFiles: ['data.csv'] }), 'print(1)');
    assert.match(messageOf(unsaved.result), /the script is not saved to disk/);
    assert.equal(fixture.standin.stats().created, 0, 'nothing was created for a refused upload');
  });
});
