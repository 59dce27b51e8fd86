// `sandbox-policy run`, driven in-process through the CLI's main(): the gate, streaming, --json, limits,
// Ctrl-C, the usage errors, and the E2B backend against the loopback stand-in.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../../src/cli';
import { findExecutable } from '../../../../src/sandbox/pyodide/os-sandbox';
import type { CliIO } from '../../../../src/cli/io';
import { startStandin, type E2BStandin } from '../../../e2b-standin/server';
import { laneMode } from '../../lane-slot';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

const PROGRAMS: Record<string, string> = {
  'hello.py': 'import sys\nprint("hello from the sandbox")\nprint("to stderr", file=sys.stderr)\n',
  'shell.py': 'import subprocess\nsubprocess.run(["ls"])\n',
  'net.py': 'import socket\nprint("connected")\n',
  'loop.py': 'print("looping", flush=True)\nwhile True:\n    pass\n',
  'fails.py': 'def f():\n    raise ValueError("bad value")\nf()\n',
  'waived.py': 'open("notes.txt", "w").write("x")  # sandbox-policy: ignore\nprint("ran")\n',
};

describe('sandbox-policy run', function () {
  this.timeout(120_000);
  let dir: string;
  /** The user's cache folder for these runs ($XDG_CACHE_HOME), so that the real one is left alone. */
  let cacheHome: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-run-cli-'));
    cacheHome = path.join(dir, 'cache-home');
    for (const [name, code] of Object.entries(PROGRAMS)) fs.writeFileSync(path.join(dir, name), code);
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function run(
    args: string[],
    options: { env?: NodeJS.ProcessEnv; abortOnOutput?: boolean } = {},
  ): Promise<Captured> {
    const controller = new AbortController();
    let stdout = '';
    let stderr = '';
    const io: CliIO = {
      stdout: (text) => {
        stdout += text;
        if (options.abortOnOutput) controller.abort();
      },
      stderr: (text) => {
        stderr += text;
      },
      env: { XDG_CACHE_HOME: cacheHome, ...options.env },
      cwd: dir,
      signal: controller.signal,
    };
    const code = await main(['run', ...args], io);
    return { code, stdout, stderr };
  }

  it('runs a clean file and streams its output', async () => {
    const result = await run(['hello.py']);
    assert.deepEqual(result, { code: 0, stdout: 'hello from the sandbox\n', stderr: 'to stderr\n' });
  });

  it('keeps the fresh interpreter’s snapshot in the user’s cache folder for the next run', async () => {
    const cacheDir = path.join(cacheHome, 'sandbox-policy');
    const snapshots = (): string[] => fs.readdirSync(cacheDir).filter((name) => name.endsWith('.snapshot'));
    // The runner saves the snapshot before the command returns (made now, or by an earlier test's run).
    assert.equal((await run(['hello.py'])).code, 0);
    assert.equal(snapshots().length, 1);
    const [file] = snapshots();
    assert.ok(fs.existsSync(path.join(cacheDir, `${file}.sha256`)));
    const before = fs.statSync(path.join(cacheDir, file));
    const result = await run(['hello.py']);
    assert.equal(result.code, 0);
    // Restored, not rewritten: the same inode, and still the only snapshot.
    assert.deepEqual(snapshots(), [file]);
    assert.equal(fs.statSync(path.join(cacheDir, file)).ino, before.ino);
  });

  it('prints one JSON object with --json', async () => {
    const result = await run(['--json', 'hello.py']);
    assert.equal(result.code, 0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(report), [
      'status',
      'stdout',
      'stderr',
      'error',
      'findings',
      'durationMs',
      'backend',
      'boundaries',
    ]);
    assert.equal(report.status, 'ok');
    assert.equal(report.stdout, 'hello from the sandbox\n');
    assert.equal(report.backend, 'pyodide');
    assert.equal(report.error, null);
    const walls = report.boundaries as { jail: boolean; isolation: string };
    assert.equal(walls.jail, true);
    assert.equal(walls.isolation, 'process');
  });

  it('with --os-sandbox required runs inside bubblewrap and says so in the JSON (Linux)', async function () {
    if (process.platform !== 'linux' || !findExecutable('bwrap')) this.skip();
    const result = await run(['--os-sandbox', 'required', '--json', 'hello.py']);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { status: string; boundaries: { osSandbox: string } };
    assert.equal(report.status, 'ok');
    assert.equal(report.boundaries.osSandbox, 'bubblewrap');
  });

  it('refuses a file with policy violations, listing the findings (exit 1)', async () => {
    const text = await run(['shell.py']);
    assert.equal(text.code, 1);
    assert.equal(text.stdout, '');
    assert.match(text.stderr, /^shell\.py:\d+:\d+: HIGH command-execution /m);
    assert.match(text.stderr, /sandbox-policy: not run: blocked by the production policy/);
    const json = await run(['--json', 'shell.py']);
    const report = JSON.parse(json.stdout) as { status: string; findings: Array<{ ruleId: string }> };
    assert.equal(json.code, 1);
    assert.equal(report.status, 'blocked');
    assert.ok(report.findings.some((finding) => finding.ruleId === 'command-execution'));
  });

  it('with --ignore-suppressions the gate counts findings the code waived for itself', async () => {
    // Past the gate, the policy's runtime restrictions still refuse the write: the program runs and fails.
    const honoured = await run(['--json', 'waived.py']);
    const report = JSON.parse(honoured.stdout) as { status: string; error?: { name: string } };
    assert.deepEqual([report.status, report.error?.name], ['error', 'PermissionError']);
    const ignored = await run(['--ignore-suppressions', 'waived.py']);
    assert.equal(ignored.code, 1);
    assert.equal(ignored.stdout, '');
    assert.match(ignored.stderr, /^waived\.py:1:\d+: MEDIUM file-write /m);
    assert.match(ignored.stderr, /not run: blocked by the production policy/);
  });

  it('with --no-gate runs the file, and the policy’s runtime restrictions still apply', async () => {
    const gated = await run(['net.py']);
    assert.equal(gated.code, 1);
    assert.match(gated.stderr, /not run/);
    const ungated = await run(['--no-gate', 'net.py']);
    assert.equal(ungated.code, 1);
    assert.equal(ungated.stdout, '');
    assert.match(ungated.stderr, /ImportError: import of 'socket' is blocked by the sandbox policy/);
  });

  it('prints the traceback of a failing program (exit 1)', async () => {
    const result = await run(['fails.py']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /File "fails.py", line 2, in f\n/);
    assert.match(result.stderr, /ValueError: bad value\n$/);
  });

  // A limit test: no other mocha lane runs meanwhile (test/lanes.mjs).
  laneMode(
    it('stops a program at --timeout', async () => {
      // An endless loop is itself a policy violation (resource-exhaustion): --no-gate lets it run.
      // 3 s: on a busy machine the first line of a restored interpreter can take more than a second.
      const result = await run(['--no-gate', '--timeout', '3', '--json', 'loop.py']);
      const report = JSON.parse(result.stdout) as { status: string; stdout: string; error: { name: string } };
      assert.equal(result.code, 1);
      assert.deepEqual(
        [report.status, report.stdout, report.error.name],
        ['timeout', 'looping\n', 'TimeoutError'],
      );
    }),
    'exclusive',
  );

  it('cancels cleanly on Ctrl-C', async () => {
    const result = await run(['--no-gate', 'loop.py'], { abortOnOutput: true });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, 'looping\n');
    assert.match(result.stderr, /sandbox-policy: cancelled/);
  });

  it('explains bad arguments (exit 2)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /run needs a FILE/],
      [['missing.py'], /cannot read missing\.py \(no such file\)/],
      [['--timeout', 'soon', 'hello.py'], /--timeout: "soon" is not a number of seconds/],
      [['--memory', '12', 'hello.py'], /--memory: the local sandbox takes 64 to 4096 MB, got 12/],
      [['--backend', 'docker', 'hello.py'], /--backend: "docker" is not a backend; expected pyodide or e2b/],
      [['--preset', 'lenient', 'hello.py'], /--preset: "lenient" is not a preset/],
      [['--frobnicate', 'hello.py'], /unknown option "--frobnicate"/],
      [
        ['--os-sandbox', 'sometimes', 'hello.py'],
        /--os-sandbox: "sometimes" is not one of auto, required, off/,
      ],
      [['hello.py', 'net.py'], /run takes one FILE/],
      [['--backend', 'e2b', 'hello.py'], /E2B_API_KEY is not set/],
    ];
    for (const [args, message] of cases) {
      const result = await run(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, message, args.join(' '));
    }
  });

  it('prints its help', async () => {
    const result = await run(['--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /--backend NAME +pyodide \(default\) or e2b/);
  });

  describe('--backend e2b (against the loopback stand-in)', () => {
    const key = 'e2b_Cli-Run-Test-Key-7hQ2';
    let standin: E2BStandin;
    let config: string;

    before(async () => {
      standin = await startStandin({ apiKey: key });
      config = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-run-cli-e2b-'));
    });

    after(async () => {
      await standin?.close();
      fs.rmSync(config, { recursive: true, force: true });
    });

    it('runs the file remotely with the same result shape', async () => {
      const env = {
        E2B_API_KEY: key,
        E2B_API_URL: standin.url,
        E2B_SANDBOX_URL: standin.url,
        XDG_CONFIG_HOME: config,
      };
      const result = await run(['--backend', 'e2b', '--json', 'hello.py'], { env });
      const report = JSON.parse(result.stdout) as { status: string; backend: string; stdout: string };
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual([report.status, report.backend], ['ok', 'e2b']);
      assert.ok(!result.stdout.includes(key) && !result.stderr.includes(key));
    });
  });
});
