import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
// Type only (erased at run time): VS Code's Memento must fit the store interface as it is.
import type { Memento } from 'vscode';
import {
  JsonFileStore,
  SandboxLimits,
  defaultLimitsStorePath,
  withStoreLock,
  type KeyValueStore,
} from '../../../../src/sandbox/limits';

export const mementoFits: (memento: Memento) => KeyValueStore = (memento) => memento;

const run = promisify(execFile);

describe('JsonFileStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'limits-store-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lives in $XDG_CONFIG_HOME or ~/.config under sandbox-policy/limits.json', () => {
    assert.equal(
      defaultLimitsStorePath({ XDG_CONFIG_HOME: '/xdg' }, '/home/u'),
      path.join('/xdg', 'sandbox-policy', 'limits.json'),
    );
    assert.equal(
      defaultLimitsStorePath({}, '/home/u'),
      path.join('/home/u', '.config', 'sandbox-policy', 'limits.json'),
    );
    // A relative XDG_CONFIG_HOME is invalid per the XDG spec and ignored.
    assert.equal(
      defaultLimitsStorePath({ XDG_CONFIG_HOME: 'rel' }, '/home/u'),
      path.join('/home/u', '.config', 'sandbox-policy', 'limits.json'),
    );
  });

  it('creates its folder, persists values across instances and leaves no temp or lock file', async () => {
    const file = path.join(dir, 'nested', 'sandbox-policy', 'limits.json');
    const store = new JsonFileStore(file);
    assert.equal(store.get('a'), undefined);
    await store.update('a', { n: 1 });
    await store.update('b', [1, 2]);
    await store.update('b', undefined);
    assert.deepEqual(new JsonFileStore(file).get('a'), { n: 1 });
    assert.equal(new JsonFileStore(file).get('b'), undefined);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['limits.json']);
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it('fails closed, naming the file, when it is not JSON', async () => {
    const file = path.join(dir, 'limits.json');
    fs.writeFileSync(file, '{ not json');
    const store = new JsonFileStore(file);
    assert.throws(
      () => store.get('a'),
      /E2B limits file .*limits\.json is not valid JSON; delete it to reset/,
    );
    await assert.rejects(store.update('a', 1), /is not valid JSON/);
  });

  it('breaks a stale lock left by a crashed process, but waits for a fresh one', async () => {
    const file = path.join(dir, 'limits.json');
    const store = new JsonFileStore(file, { lockTimeoutMs: 300, staleLockMs: 10_000 });
    fs.writeFileSync(store.lockPath, '999999 crashed\n');
    await assert.rejects(
      store.update('a', 1),
      /locked by another sandbox-policy process .*delete the lock file/,
    );
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(store.lockPath, old, old);
    await store.update('a', 1);
    assert.equal(store.get('a'), 1);
    assert.equal(fs.existsSync(store.lockPath), false);
  });

  it('is re-entrant: update inside withLock does not deadlock', async () => {
    const store = new JsonFileStore(path.join(dir, 'limits.json'));
    await store.withLock(async () => {
      await store.update('n', ((store.get<number>('n') ?? 0) as number) + 1);
      await store.update('n', (store.get<number>('n') ?? 0) + 1);
    });
    assert.equal(store.get('n'), 2);
  });

  it('withLock is a transaction: its updates are seen inside, written together, and dropped if it throws', async () => {
    const file = path.join(dir, 'limits.json');
    const store = new JsonFileStore(file);
    await store.update('kept', 1);
    await store.withLock(async () => {
      await store.update('a', 1);
      await store.update('b', 2);
      assert.equal(store.get('a'), 1);
      assert.equal(new JsonFileStore(file).get('a'), undefined, 'not on disk until the transaction ends');
    });
    assert.deepEqual([store.get('a'), store.get('b')], [1, 2]);
    await assert.rejects(
      store.withLock(async () => {
        await store.update('kept', 99);
        throw new Error('half-way');
      }),
      /half-way/,
    );
    assert.equal(new JsonFileStore(file).get('kept'), 1, 'a failed transaction writes nothing');
    assert.equal(fs.existsSync(store.lockPath), false, 'and releases the lock');
  });

  it('loses no update when two CLI processes race on the same file', async function () {
    this.timeout(30_000);
    const file = path.join(dir, 'limits.json');
    const limitsModule = path.resolve(__dirname, '../../../../src/sandbox/limits/index.js');
    // Each process admits 25 runs through SandboxLimits (the real read-modify-write) and increments a
    // plain counter; with a lost update either total would come out short.
    const script = `
      const { JsonFileStore, SandboxLimits, withStoreLock } = require(${JSON.stringify(limitsModule)});
      (async () => {
        const store = new JsonFileStore(${JSON.stringify(file)});
        const limits = new SandboxLimits(store, { rate: { burst: 1e6, hourly: 1e6, daily: 1e6 }, maxConcurrent: 1e6, dailyBudgetUsd: 1e6, costPerSecondUsd: 0.0001 });
        for (let i = 0; i < 25; i++) {
          const admitted = await limits.admit(process.pid + '-' + i, 60000);
          if (!admitted.ok) throw new Error(admitted.message);
          await withStoreLock(store, async () => store.update('counter', (store.get('counter') ?? 0) + 1));
        }
      })().catch((e) => { console.error(e); process.exit(1); });`;
    await Promise.all([run(process.execPath, ['-e', script]), run(process.execPath, ['-e', script])]);
    const store: KeyValueStore = new JsonFileStore(file);
    assert.equal(store.get('counter'), 50);
    const usage = new SandboxLimits(store, {
      rate: { burst: 1e6, hourly: 1e6, daily: 1e6 },
      maxConcurrent: 1e6,
      dailyBudgetUsd: 1e6,
      costPerSecondUsd: 0.0001,
    }).usage();
    assert.equal(usage.creations.daily, 50);
    assert.equal(usage.running, 50);
    await withStoreLock(store, async () => undefined); // the lock is free again
  });
});
