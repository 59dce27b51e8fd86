// The on-disk snapshot cache: where it lives on each platform, and that only an intact file made for
// this runtime's key is ever handed back (a truncated, flipped, foreign or stale one is deleted).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pyodideDir, pyodideWorkerScript } from '../../../../src/assets';
import { createPyodideRunner } from '../../../../src/sandbox/pyodide';
import type { SnapshotCacheEvent } from '../../../../src/sandbox/pyodide/runner';
import { userCacheDir } from '../../../../src/sandbox/pyodide/cache-dir';
import {
  SnapshotCache,
  encodeSnapshotFile,
  runtimeSnapshotKey,
  verifySnapshotFile,
  type SnapshotKey,
} from '../../../../src/sandbox/pyodide/snapshot-cache';
import { DEFAULT_LIMITS } from '../../../../src/sandbox/run-types';

describe('userCacheDir', () => {
  it('uses $XDG_CACHE_HOME on Linux, and ~/.cache without it or when it is relative', () => {
    assert.equal(
      userCacheDir({
        platform: 'linux',
        env: { XDG_CACHE_HOME: '/var/cache/alice' },
        homedir: '/home/alice',
      }),
      '/var/cache/alice/sandbox-policy',
    );
    assert.equal(
      userCacheDir({ platform: 'linux', env: {}, homedir: '/home/alice' }),
      '/home/alice/.cache/sandbox-policy',
    );
    assert.equal(
      userCacheDir({
        platform: 'freebsd',
        env: { XDG_CACHE_HOME: 'relative/cache' },
        homedir: '/home/alice',
      }),
      '/home/alice/.cache/sandbox-policy',
    );
  });

  it('uses ~/Library/Caches on macOS, whatever XDG says', () => {
    assert.equal(
      userCacheDir({ platform: 'darwin', env: { XDG_CACHE_HOME: '/tmp/x' }, homedir: '/Users/alice' }),
      '/Users/alice/Library/Caches/sandbox-policy',
    );
  });

  it('uses %LOCALAPPDATA% on Windows, and the profile’s AppData\\Local without it', () => {
    assert.equal(
      userCacheDir({
        platform: 'win32',
        env: { LOCALAPPDATA: 'C:\\Users\\alice\\AppData\\Local' },
        homedir: 'C:\\Users\\alice',
      }),
      'C:\\Users\\alice\\AppData\\Local\\sandbox-policy\\Cache',
    );
    assert.equal(
      userCacheDir({ platform: 'win32', env: {}, homedir: 'C:\\Users\\bob' }),
      'C:\\Users\\bob\\AppData\\Local\\sandbox-policy\\Cache',
    );
  });
});

const KEY: SnapshotKey = {
  format: 1,
  pyodideVersion: '314.0.7',
  pyodideFiles: 'a'.repeat(64),
  jail: 'b'.repeat(64),
  boot: { memoryMb: 512 },
  runtime: 'node 20.20.2 linux-x64',
};

describe('SnapshotCache', () => {
  let dir: string;
  const snapshot = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31) % 251);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-snapshot-cache-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function saved(key = KEY): Promise<SnapshotCache> {
    const cache = new SnapshotCache(path.join(dir, 'cache'), key);
    await cache.save(snapshot);
    return cache;
  }

  function gone(cache: SnapshotCache): boolean {
    return !fs.existsSync(cache.file) && !fs.existsSync(cache.digestFile);
  }

  it('hands back exactly what was saved, with a sha256sum-style digest beside it', async () => {
    const cache = await saved();
    const loaded = await cache.load();
    assert.ok('snapshot' in loaded, JSON.stringify(loaded));
    assert.deepEqual(Buffer.from(loaded.snapshot), Buffer.from(snapshot));
    assert.match(
      fs.readFileSync(cache.digestFile, 'latin1'),
      new RegExp(`^[0-9a-f]{64}  ${path.basename(cache.file).replaceAll('.', '\\.')}\\n$`),
    );
    // Only the two files: the temporary ones were renamed into place.
    assert.deepEqual(fs.readdirSync(cache.dir).sort(), [
      path.basename(cache.file),
      path.basename(cache.digestFile),
    ]);
    if (process.platform !== 'win32') assert.equal(fs.statSync(cache.file).mode & 0o077, 0);
  });

  it('says missing when nothing was saved', async () => {
    assert.deepEqual(await new SnapshotCache(dir, KEY).load(), { missing: true });
  });

  it('discards a snapshot cut short by one byte', async () => {
    const cache = await saved();
    fs.truncateSync(cache.file, fs.statSync(cache.file).size - 1);
    const loaded = await cache.load();
    assert.ok('discarded' in loaded && loaded.discarded === 'corrupt', JSON.stringify(loaded));
    assert.ok(gone(cache));
  });

  it('discards a snapshot with one flipped byte (in the header or in the memory)', async () => {
    for (const where of ['header', 'memory'] as const) {
      const cache = await saved();
      const bytes = fs.readFileSync(cache.file);
      const offset = where === 'header' ? 20 : bytes.length - 5000;
      bytes[offset] ^= 0x01;
      fs.writeFileSync(cache.file, bytes);
      const loaded = await cache.load();
      assert.ok(
        'discarded' in loaded && loaded.discarded === 'corrupt',
        `${where}: ${JSON.stringify(loaded)}`,
      );
      assert.ok(gone(cache));
    }
  });

  it('discards a snapshot whose digest file is missing or garbled', async () => {
    const cache = await saved();
    fs.rmSync(cache.digestFile);
    assert.equal(((await cache.load()) as { discarded?: string }).discarded, 'corrupt');
    assert.ok(gone(cache));
    const again = await saved();
    fs.writeFileSync(again.digestFile, 'not a digest\n');
    assert.equal(((await again.load()) as { discarded?: string }).discarded, 'corrupt');
    assert.ok(gone(again));
  });

  it('discards an intact snapshot made for another key (foreign), even under this key’s name', async () => {
    const foreign = await saved({ ...KEY, runtime: 'electron 37 darwin-arm64' });
    const mine = new SnapshotCache(path.join(dir, 'cache'), KEY);
    assert.notEqual(foreign.file, mine.file);
    // A consistent pair (file + its true digest) moved under this key's names: the digest matches, the key does not.
    fs.renameSync(foreign.file, mine.file);
    fs.writeFileSync(
      mine.digestFile,
      fs
        .readFileSync(foreign.digestFile, 'latin1')
        .replace(path.basename(foreign.file), path.basename(mine.file)),
    );
    const loaded = await mine.load();
    assert.ok('discarded' in loaded && loaded.discarded === 'foreign', JSON.stringify(loaded));
    assert.ok(gone(mine));
  });

  it('discards a snapshot of another Pyodide version or jail (stale)', async () => {
    for (const other of [{ pyodideVersion: '313.0.0' }, { jail: 'c'.repeat(64) }]) {
      const stale = new SnapshotCache(path.join(dir, 'cache'), KEY);
      const contents = encodeSnapshotFile({ ...KEY, ...other }, snapshot);
      fs.mkdirSync(stale.dir, { recursive: true });
      fs.writeFileSync(stale.file, contents);
      fs.writeFileSync(
        stale.digestFile,
        `${createHash('sha256').update(contents).digest('hex')}  ${path.basename(stale.file)}\n`,
      );
      const loaded = await stale.load();
      assert.ok('discarded' in loaded && loaded.discarded === 'stale', JSON.stringify(loaded));
      assert.ok(gone(stale));
    }
  });

  it('discards a file that is not a snapshot file at all', async () => {
    const cache = new SnapshotCache(dir, KEY);
    const contents = Buffer.from('hello, not a snapshot');
    fs.writeFileSync(cache.file, contents);
    fs.writeFileSync(cache.digestFile, `${createHash('sha256').update(contents).digest('hex')}  x\n`);
    assert.equal(((await cache.load()) as { discarded?: string }).discarded, 'corrupt');
    assert.ok(gone(cache));
  });

  describe('locate(), for a sandbox process that reads and checks the file itself', () => {
    it('points at an intact file, which then checks out to exactly what was saved', async () => {
      const cache = await saved();
      const located = await cache.locate();
      assert.ok('snapshotFile' in located, JSON.stringify(located));
      assert.equal(located.snapshotFile.path, cache.file);
      const checked = verifySnapshotFile(fs.readFileSync(cache.file), located.snapshotFile);
      assert.ok(typeof checked !== 'string', checked as string);
      assert.deepEqual(Buffer.from(checked), Buffer.from(snapshot));
      assert.deepEqual(await new SnapshotCache(path.join(dir, 'none'), KEY).locate(), { missing: true });
    });

    it('reads only the header, so a flipped byte in the memory is caught by the check, and reject() discards', async () => {
      const cache = await saved();
      const bytes = fs.readFileSync(cache.file);
      bytes[bytes.length - 5000] ^= 0x01;
      fs.writeFileSync(cache.file, bytes);
      const located = await cache.locate();
      assert.ok('snapshotFile' in located, JSON.stringify(located));
      assert.equal(
        verifySnapshotFile(fs.readFileSync(cache.file), located.snapshotFile),
        'the sha-256 does not match',
      );
      assert.deepEqual(await cache.reject('the sha-256 does not match'), {
        discarded: 'corrupt',
        detail: 'the sha-256 does not match',
      });
      assert.ok(gone(cache));
    });

    it('refuses a file whose digest matches but whose header is not the one located (swapped in between)', async () => {
      const cache = await saved();
      const located = await cache.locate();
      assert.ok('snapshotFile' in located);
      // Another key's consistent file: its true digest, handed over as if it were the located one.
      const other = encodeSnapshotFile({ ...KEY, runtime: 'another runtime' }, snapshot);
      const sha256 = createHash('sha256').update(other).digest('hex');
      assert.equal(
        verifySnapshotFile(other, { ...located.snapshotFile, sha256 }),
        'the header is not the one that was checked',
      );
    });

    it('discards what load() discards: no digest, a header cut off, another key, another version', async () => {
      const noDigest = await saved();
      fs.rmSync(noDigest.digestFile);
      assert.equal(((await noDigest.locate()) as { discarded?: string }).discarded, 'corrupt');
      assert.ok(gone(noDigest));

      const cut = await saved();
      fs.truncateSync(cut.file, 30);
      assert.equal(((await cut.locate()) as { discarded?: string }).discarded, 'corrupt');
      assert.ok(gone(cut));

      const shorter = await saved();
      fs.truncateSync(shorter.file, fs.statSync(shorter.file).size - 1);
      assert.equal(((await shorter.locate()) as { discarded?: string }).discarded, 'corrupt');

      for (const [other, kind] of [
        [{ runtime: 'electron 37 darwin-arm64' }, 'foreign'],
        [{ pyodideVersion: '313.0.0' }, 'stale'],
      ] as const) {
        const cache = new SnapshotCache(path.join(dir, 'cache'), KEY);
        const contents = encodeSnapshotFile({ ...KEY, ...other }, snapshot);
        fs.mkdirSync(cache.dir, { recursive: true });
        fs.writeFileSync(cache.file, contents);
        fs.writeFileSync(
          cache.digestFile,
          `${createHash('sha256').update(contents).digest('hex')}  ${path.basename(cache.file)}\n`,
        );
        assert.equal(((await cache.locate()) as { discarded?: string }).discarded, kind);
        assert.ok(gone(cache));
      }
    });
  });

  it('keys by the Pyodide version, the jail’s code and the boot inputs of this runtime', async () => {
    const input = { workerScript: pyodideWorkerScript(), pyodideDir: pyodideDir(), makerMemoryMb: 512 };
    const key = await runtimeSnapshotKey(input);
    assert.equal(
      key.pyodideVersion,
      JSON.parse(fs.readFileSync(path.join(pyodideDir(), 'package.json'), 'utf8')).version,
    );
    assert.deepEqual(await runtimeSnapshotKey(input), key);
    assert.notEqual(
      new SnapshotCache(dir, { ...key, boot: { memoryMb: 1024 } }).file,
      new SnapshotCache(dir, key).file,
    );
    // A change to any of the jail's modules changes the jail hash.
    const copy = path.join(dir, 'sandbox', 'pyodide');
    fs.mkdirSync(copy, { recursive: true });
    const sourceDir = path.dirname(pyodideWorkerScript());
    for (const name of fs.readdirSync(sourceDir).filter((n) => n.endsWith('.js'))) {
      fs.copyFileSync(path.join(sourceDir, name), path.join(copy, name));
    }
    const workerScript = path.join(copy, path.basename(pyodideWorkerScript()));
    const copied = await runtimeSnapshotKey({ ...input, workerScript });
    fs.appendFileSync(path.join(copy, 'jail-prelude.js'), '\n// changed\n');
    const changed = await runtimeSnapshotKey({ ...input, workerScript });
    assert.equal(copied.jail, key.jail);
    assert.notEqual(changed.jail, key.jail);
  });
});

describe('a runner with an on-disk snapshot cache', function () {
  // Six interpreter boots: minutes on a 2-core machine that others are loading.
  this.timeout(600_000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-snapshot-runner-'));
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** One run in a runner of its own (as the CLI does), with what the cache did. */
  async function runOnce(
    code: string,
    isolation: 'thread' | 'process' = 'thread',
  ): Promise<{ stdout: string; status: string; events: SnapshotCacheEvent[] }> {
    const events: SnapshotCacheEvent[] = [];
    const runner = createPyodideRunner({
      isolation,
      osSandbox: 'auto',
      warmSpare: false,
      snapshots: true,
      snapshotCacheDir: dir,
      onSnapshotCache: (event) => events.push(event),
    });
    try {
      const result = await runner.run({ code, filename: 'cached.py', limits: DEFAULT_LIMITS });
      return { stdout: result.stdout, status: result.status, events };
    } finally {
      await runner.dispose();
    }
  }

  const kinds = (events: SnapshotCacheEvent[]): string[] =>
    events.map((event) => ('discarded' in event ? `discarded:${event.discarded}` : Object.keys(event)[0]));

  it('makes and saves the snapshot once, restores it in the next process, and rebuilds a corrupt one', async () => {
    const first = await runOnce('print(6 * 7)');
    assert.equal(first.stdout, '42\n');
    assert.deepEqual(kinds(first.events), ['missing', 'saved']);
    const [file] = fs.readdirSync(dir).filter((name) => name.endsWith('.snapshot'));
    assert.ok(file, 'a snapshot file');

    const second = await runOnce('import sys\nprint(sys.version_info[:2])');
    assert.equal(second.stdout, '(3, 14)\n');
    assert.deepEqual(kinds(second.events), ['snapshot']);

    const bytes = fs.readFileSync(path.join(dir, file));
    bytes[bytes.length >> 1] ^= 0x40;
    fs.writeFileSync(path.join(dir, file), bytes);
    const third = await runOnce('print("after the flip")');
    assert.equal(third.stdout, 'after the flip\n');
    assert.deepEqual(kinds(third.events), ['discarded:corrupt', 'saved']);

    const fourth = await runOnce('print("restored again")');
    assert.equal(fourth.stdout, 'restored again\n');
    assert.deepEqual(kinds(fourth.events), ['snapshot']);
  });

  it('process mode: the sandbox process reads the file itself, and refuses a corrupt one, which is rebuilt', async () => {
    const first = await runOnce('print(6 * 7)', 'process');
    assert.equal(first.stdout, '42\n');
    const [file] = fs.readdirSync(dir).filter((name) => name.endsWith('.snapshot'));
    assert.ok(file, 'a snapshot file');

    const second = await runOnce('import sys\nprint(sys.version_info[:2])', 'process');
    assert.equal(second.stdout, '(3, 14)\n');
    assert.deepEqual(kinds(second.events), ['snapshotFile']);

    // Only the memory is flipped: the header and the digest file still look right to the host.
    const bytes = fs.readFileSync(path.join(dir, file));
    bytes[bytes.length >> 1] ^= 0x40;
    fs.writeFileSync(path.join(dir, file), bytes);
    const third = await runOnce('print("after the flip")', 'process');
    assert.equal(third.stdout, 'after the flip\n');
    assert.deepEqual(kinds(third.events), ['snapshotFile', 'discarded:corrupt', 'saved']);
    assert.match(JSON.stringify(third.events[1]), /sha-256 does not match/);

    const fourth = await runOnce('print("restored again")', 'process');
    assert.equal(fourth.stdout, 'restored again\n');
    assert.deepEqual(kinds(fourth.events), ['snapshotFile']);
  });
});
