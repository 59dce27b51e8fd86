// The development-only CPU profiles of a sandbox (cpuProfileDir): a profiled sandbox process ends
// normally, so that Node writes the profiles of its main thread and of the jail's thread; the option
// is refused where it could not work or would need a writable OS sandbox.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPyodideRunner } from '../../../../src/sandbox/pyodide';
import { DEFAULT_LIMITS } from '../../../../src/sandbox/run-types';
import { TEST_SNAPSHOT_CACHE_DIR } from '../../snapshot-cache-dir';

describe('Pyodide runner CPU profiles (development only)', function () {
  this.timeout(120_000);
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-cpu-profile-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the profiles of the sandbox process and of the jail thread, and still reports the run', async () => {
    const runner = createPyodideRunner({
      warmSpare: false,
      snapshots: true,
      snapshotCacheDir: TEST_SNAPSHOT_CACHE_DIR,
      osSandbox: 'off',
      cpuProfileDir: dir,
    });
    try {
      const result = await runner.run({
        code: 'print("profiled")',
        filename: 'p.py',
        limits: DEFAULT_LIMITS,
      });
      assert.equal(result.status, 'ok');
      assert.equal(result.stdout, 'profiled\n');
      assert.equal(result.boundaries?.permissionModel, false);
    } finally {
      await runner.dispose();
    }
    const profiles = fs.readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is a process's main thread.
    const threads = new Set(profiles.map((name) => name.split('.')[4]));
    assert.ok(threads.has('0'), `no main-thread profile among ${profiles.join(', ')}`);
    assert.ok(
      [...threads].some((thread) => thread !== '0'),
      `no jail-thread profile among ${profiles.join(', ')}`,
    );
    for (const name of profiles) {
      const profile = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { nodes?: unknown[] };
      assert.ok(Array.isArray(profile.nodes) && profile.nodes.length > 0, `${name} is not a CPU profile`);
    }
  });

  it('is refused with the OS sandbox on, or with a relative folder', () => {
    assert.throws(
      () => createPyodideRunner({ warmSpare: false, osSandbox: 'auto', cpuProfileDir: dir }),
      /needs osSandbox "off"/,
    );
    assert.throws(
      () => createPyodideRunner({ warmSpare: false, osSandbox: 'off', cpuProfileDir: 'profiles' }),
      /absolute path/,
    );
  });
});
