// A cold `sandbox-policy run`: the sandbox process starts before the policy engine loads, runs nothing
// of the script until the gate lets it through, and is killed unused when the gate refuses; a sandbox
// process started early in the OS sandbox's first launch is used only once the start-up check has
// passed for that launch. Spawns are observed by wrapping child_process.spawn (the modules call it
// through the module object, so the wrapper sees every sandbox process).
import assert from 'node:assert/strict';
import childProcess, { type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../../src/cli';
import type { CliIO } from '../../../../src/cli/io';
import { gateGrammars } from '../../../../src/cli/run-gate';
import { PolicyEngine } from '../../../../src/policy/engine';
import { createPyodideRunner } from '../../../../src/sandbox/pyodide';
import { findExecutable, planOsSandbox, sameLaunch } from '../../../../src/sandbox/pyodide/os-sandbox';
import { SANDBOX_V8_FLAGS } from '../../../../src/sandbox/pyodide/hardening';
import { SUPERVISOR_ARG } from '../../../../src/sandbox/pyodide/supervisor';
import { DEFAULT_LIMITS } from '../../../../src/sandbox/run-types';
import { TEST_SNAPSHOT_CACHE_DIR } from '../../snapshot-cache-dir';

interface Spawned {
  command: string;
  child: ChildProcess;
  at: number;
  /** Everything the host wrote to the sandbox process's message pipe. */
  sent: () => string;
}

/** Records the sandbox processes started while `body` runs. */
async function watchingSpawns<T>(body: (spawned: Spawned[]) => Promise<T>): Promise<T> {
  const original = childProcess.spawn;
  const spawned: Spawned[] = [];
  const wrapped = (...args: Parameters<typeof original>): ChildProcess => {
    const child = (original as (...a: unknown[]) => ChildProcess)(...args);
    const argv = args[1];
    if (Array.isArray(argv) && argv.includes(SUPERVISOR_ARG)) {
      const chunks: Buffer[] = [];
      const pipe = child.stdio[3] as NodeJS.WritableStream & { write: (...a: unknown[]) => boolean };
      const write = pipe.write.bind(pipe);
      pipe.write = (chunk: unknown, ...rest: unknown[]) => {
        if (Buffer.isBuffer(chunk) && chunks.length < 64) chunks.push(chunk);
        return write(chunk, ...rest);
      };
      spawned.push({
        command: String(args[0]),
        child,
        at: performance.now(),
        sent: () => Buffer.concat(chunks).toString('latin1'),
      });
    }
    return child;
  };
  (childProcess as { spawn: unknown }).spawn = wrapped;
  try {
    return await body(spawned);
  } finally {
    (childProcess as { spawn: unknown }).spawn = original;
  }
}

const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

async function endsWithin(child: ChildProcess, ms: number): Promise<void> {
  if (exited(child)) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`process ${child.pid} still running after ${ms} ms`)),
      ms,
    );
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('a cold run: the sandbox process starts early', function () {
  this.timeout(300_000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-early-start-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIO = {
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
      // The tests' shared snapshot cache is $XDG_CACHE_HOME/sandbox-policy-test-snapshots-<uid>: not this.
      env: { XDG_CACHE_HOME: path.join(dir, 'cache') },
      cwd: dir,
      signal: new AbortController().signal,
    };
    const code = await main(['run', ...args], io);
    return { code, stdout, stderr };
  }

  it('a refused script: the process started before the engine loaded, got nothing of the script, and is gone', async () => {
    const marker = 'early_start_marker_5d1c';
    fs.writeFileSync(path.join(dir, 'refused.py'), `import subprocess\nsubprocess.run(["${marker}"])\n`);
    const create = PolicyEngine.create.bind(PolicyEngine);
    let engineAt = Number.POSITIVE_INFINITY;
    PolicyEngine.create = (...args) => {
      engineAt = Math.min(engineAt, performance.now());
      return create(...args);
    };
    try {
      await watchingSpawns(async (spawned) => {
        const result = await run(['--os-sandbox', 'off', 'refused.py']);
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stderr, /not run: blocked by the production policy/);
        assert.equal(spawned.length, 1, 'one sandbox process was started for the run');
        const [sandbox] = spawned;
        assert.ok(sandbox.at < engineAt, 'the sandbox process started before the policy engine was created');
        assert.ok(!sandbox.sent().includes(marker), 'no byte of the script went to the sandbox process');
        assert.ok(!sandbox.sent().includes('"type":"run"'), 'no run request went to the sandbox process');
        assert.ok(exited(sandbox.child), 'the sandbox process has ended when the command returns');
      });
    } finally {
      PolicyEngine.create = create;
    }
  });

  it('a clean script runs in that early process', async () => {
    fs.writeFileSync(path.join(dir, 'clean.py'), 'print("early", 6 * 7)\n');
    await watchingSpawns(async (spawned) => {
      const result = await run(['--os-sandbox', 'off', '--json', 'clean.py']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(JSON.parse(result.stdout).stdout, 'early 42\n');
      // With an empty cache the first process makes the snapshot; either way the last one ran the program.
      const ran = spawned.filter((sandbox) => sandbox.sent().includes('"type":"run"'));
      assert.equal(ran.length, 1);
      // The snapshot maker (if one ran) was killed once it had sent its snapshot: it goes soon after.
      await Promise.all(spawned.map((sandbox) => endsWithin(sandbox.child, 30_000)));
    });
  });

  it('the boot message of a CLI run skips the warm-up (no spare); a runner with a spare warms up', async () => {
    await watchingSpawns(async (spawned) => {
      const cold = createPyodideRunner({
        warmSpare: false,
        osSandbox: 'off',
        snapshotCacheDir: TEST_SNAPSHOT_CACHE_DIR,
      });
      const spare = createPyodideRunner({ osSandbox: 'off', snapshotCacheDir: TEST_SNAPSHOT_CACHE_DIR });
      try {
        await cold.prewarm(DEFAULT_LIMITS.memoryMb);
        await spare.whenSpareReady();
      } finally {
        await Promise.all([cold.dispose(), spare.dispose()]);
      }
      const boots = spawned
        .map((sandbox) => sandbox.sent())
        .filter((sent) => !sent.includes('"makeSnapshot":true'));
      assert.ok(boots.some((sent) => sent.includes('"warmUp":false')));
      assert.ok(boots.some((sent) => sent.includes('"warmUp":true')));
    });
  });
});

describe('the OS sandbox launch started before its check', function () {
  this.timeout(300_000);
  const linuxWithBwrap = process.platform === 'linux' && findExecutable('bwrap') !== undefined;

  it('on this machine the check passes for the launch started first (no second start)', async function () {
    if (!linuxWithBwrap) this.skip();
    const plan = planOsSandbox({
      platform: 'linux',
      nodePath: process.execPath,
      env: { PATH: process.env.PATH },
      readableDirs: [os.tmpdir()],
    });
    const status = await plan.probe();
    assert.ok(status.available, !status.available ? status.reason : '');
    assert.ok(sameLaunch(plan.first, status.launch));
  });

  it('a first launch that fails its check is killed unused, and the run starts again in the launch that passed', async function () {
    if (!linuxWithBwrap || !findExecutable('unshare')) this.skip();
    // An `unshare` that cannot make the namespace: the first launch (network down) fails the check,
    // the fallback (bubblewrap's own loopback) passes.
    const fakeBin = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-fake-unshare-'));
    fs.writeFileSync(path.join(fakeBin, 'unshare'), '#!/bin/sh\necho "unshare: cannot" >&2\nexit 1\n', {
      mode: 0o755,
    });
    try {
      await watchingSpawns(async (spawned) => {
        const runner = createPyodideRunner({
          warmSpare: false,
          osSandbox: 'required',
          env: { PATH: `${fakeBin}:${process.env.PATH ?? ''}` },
          snapshotCacheDir: TEST_SNAPSHOT_CACHE_DIR,
        });
        try {
          const result = await runner.run({
            code: 'print("second")',
            filename: 'x.py',
            limits: DEFAULT_LIMITS,
          });
          assert.equal(result.status, 'ok', result.error?.value);
          assert.equal(result.stdout, 'second\n');
          assert.equal(result.boundaries?.osSandbox, 'bubblewrap');
          assert.match(result.boundaries?.osSandboxNote ?? '', /loopback/);
        } finally {
          await runner.dispose();
        }
        const unverified = spawned.filter((sandbox) => sandbox.command === path.join(fakeBin, 'unshare'));
        assert.ok(unverified.length >= 1, 'a process was started in the first launch');
        for (const sandbox of unverified) {
          assert.ok(!sandbox.sent().includes('"type":"run"'), 'the unverified process never got the program');
          assert.ok(exited(sandbox.child));
        }
        const ran = spawned.filter((sandbox) => sandbox.sent().includes('"type":"run"'));
        assert.equal(ran.length, 1);
        assert.equal(ran[0].command, findExecutable('bwrap'));
      });
    } finally {
      fs.rmSync(fakeBin, { recursive: true, force: true });
    }
  });

  it('sameLaunch compares the whole command line', () => {
    const launch = {
      kind: 'bubblewrap' as const,
      command: '/usr/bin/bwrap',
      args: ['--a', 'b'],
      network: 'loopback' as const,
    };
    assert.ok(sameLaunch(launch, { ...launch, args: ['--a', 'b'] }));
    assert.ok(!sameLaunch(launch, { ...launch, args: ['--a', 'c'] }));
    assert.ok(!sameLaunch(launch, { ...launch, network: 'down' }));
    assert.ok(!sameLaunch(launch, undefined));
    assert.ok(sameLaunch(undefined, undefined));
  });
});

describe('the cold path’s smaller costs', () => {
  it('the gate compiles the file’s grammar and the two embedded code can need, never TypeScript’s for Python', () => {
    assert.deepEqual(gateGrammars('x.py'), ['python', 'javascript']);
    assert.deepEqual(gateGrammars('x.tsx'), ['tsx', 'python', 'javascript']);
    assert.deepEqual(gateGrammars('noext'), ['python', 'javascript']);
  });

  it('an engine made with fewer grammars refuses text of another grammar instead of passing it', async () => {
    const engine = await PolicyEngine.create(['python']);
    try {
      assert.throws(
        () => engine.hasSyntaxErrors('let x = 1;', 'javascript'),
        /javascript grammar is not loaded/,
      );
      assert.equal(engine.hasSyntaxErrors('x = 1\n', 'python'), false);
    } finally {
      engine.dispose();
    }
  });

  it('the sandbox process raises the wasm tier-up budget (a V8 flag this runtime knows)', () => {
    const known = childProcess.spawnSync(process.execPath, [SANDBOX_V8_FLAGS, '-e', '0'], {
      encoding: 'utf8',
    });
    assert.equal(known.status, 0, known.stderr);
    assert.match(SANDBOX_V8_FLAGS, /^--wasm-tiering-budget=\d+$/);
  });
});
