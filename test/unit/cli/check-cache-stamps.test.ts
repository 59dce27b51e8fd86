// The result cache's stat stamps: a file whose stat is unchanged since its bytes were hashed is not read
// again; a change of size, mtime, ctime or inode reads it; a file changed too recently to trust its
// timestamps ("racily clean") gets no stamp, so an edit within the same clock tick is never missed. And the
// compact pack: findings of every shape survive a round trip, a corrupt row reads as a miss.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  RACY_MARGIN_MS,
  ResultCache,
  prepareCache,
  type CacheLocation,
  type FileStat,
} from '../../../src/cli/check-cache';
import type { FileVerdict } from '../../../src/cli/check-verdict';
import { resolvePolicy } from '../../../src/policy';
import type { Finding } from '../../../src/policy/types';
import { makeDir, runCheck } from './check-helpers';

const policy = resolvePolicy({});
const safe: FileVerdict = { safe: true, syntaxErrors: false, truncated: false, findings: [] };
const finding: Finding = {
  ruleId: 'code-execution',
  severity: 'HIGH',
  violation: true,
  suppressed: false,
  message: 'eval runs a string as code',
  range: { start: { line: 0, column: 0 }, end: { line: 0, column: 4 } },
};
const unsafe: FileVerdict = { safe: false, syntaxErrors: true, truncated: false, findings: [finding] };

describe('sandbox-policy check: stat stamps in the result cache', () => {
  let dir: string;
  let location: CacheLocation;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-policy-stamps-'));
    location = prepareCache(dir, {});
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const now = Date.UTC(2026, 11, 2, 12);
  const old: FileStat = { size: 10, mtimeMs: now - 60_000, ctimeMs: now - 60_000, ino: 42 };

  it('an unchanged stamp answers without the bytes; any changed field misses', () => {
    const writer = new ResultCache(location, now);
    writer.startReading(now);
    writer.set('k', unsafe);
    writer.stamp('/p/a.py', old, 'k');
    writer.save(policy);
    const reader = new ResultCache(location, now);
    assert.deepEqual(reader.verdictByStat('/p/a.py', old), unsafe);
    assert.equal(reader.verdictByStat('/p/b.py', old), undefined, 'another path');
    for (const changed of [
      { size: 11 },
      { mtimeMs: old.mtimeMs + 0.001 },
      { ctimeMs: old.ctimeMs + 1 },
      { ino: 43 },
    ])
      assert.equal(
        reader.verdictByStat('/p/a.py', { ...old, ...changed }),
        undefined,
        JSON.stringify(changed),
      );
  });

  it(`a file changed less than ${RACY_MARGIN_MS} ms before the run started reading gets no stamp`, () => {
    const writer = new ResultCache(location, now);
    writer.startReading(now);
    const recent = now - RACY_MARGIN_MS + 1;
    writer.set('k', safe);
    writer.stamp('/p/mtime.py', { ...old, mtimeMs: recent }, 'k');
    writer.stamp('/p/ctime.py', { ...old, ctimeMs: recent }, 'k');
    writer.stamp('/p/old.py', old, 'k');
    writer.save(policy);
    const reader = new ResultCache(location, now);
    assert.equal(reader.verdictByStat('/p/mtime.py', { ...old, mtimeMs: recent }), undefined);
    assert.equal(reader.verdictByStat('/p/ctime.py', { ...old, ctimeMs: recent }), undefined);
    assert.deepEqual(reader.verdictByStat('/p/old.py', old), safe);
  });

  it('without startReading (no clock sampled) nothing is stamped', () => {
    const writer = new ResultCache(location, now);
    writer.set('k', safe);
    writer.stamp('/p/a.py', old, 'k');
    writer.save(policy);
    assert.equal(new ResultCache(location, now).verdictByStat('/p/a.py', old), undefined);
  });

  it("the clock sampled from the cache directory is not later than this machine's", () => {
    const cache = new ResultCache(location);
    const before = Date.now();
    cache.startReading();
    cache.set('k', safe);
    const justBefore: FileStat = {
      ...old,
      // The file system's clock is coarse (a kernel tick behind): a second is what "not later" may be off by.
      mtimeMs: before - RACY_MARGIN_MS - 1000,
      ctimeMs: before - RACY_MARGIN_MS - 1000,
    };
    cache.stamp('/p/a.py', justBefore, 'k');
    cache.stamp('/p/b.py', { ...old, mtimeMs: Date.now(), ctimeMs: Date.now() }, 'k');
    cache.save(policy);
    const reader = new ResultCache(location);
    assert.deepEqual(reader.verdictByStat('/p/a.py', justBefore), safe);
    assert.equal(
      reader.verdictByStat('/p/b.py', { ...old, mtimeMs: Date.now(), ctimeMs: Date.now() }),
      undefined,
    );
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
      'the clock probe is removed',
    );
  });

  it('a stamp whose entry expired or is corrupt is a miss, and is dropped when the pack is written', () => {
    const writer = new ResultCache(location, now);
    writer.startReading(now);
    writer.set('k', safe);
    writer.stamp('/p/a.py', old, 'k');
    writer.save(policy);
    const pack = JSON.parse(fs.readFileSync(writer.packPath, 'utf8')) as {
      entries: Record<string, unknown>;
      files: Record<string, unknown>;
    };
    pack.entries.k = [0, 9, []];
    fs.writeFileSync(writer.packPath, JSON.stringify(pack));
    const reader = new ResultCache(location, now);
    assert.equal(reader.verdictByStat('/p/a.py', old), undefined);
    reader.set('other', safe);
    reader.save(policy);
    const rewritten = JSON.parse(fs.readFileSync(writer.packPath, 'utf8')) as { files: object };
    assert.deepEqual(Object.keys(rewritten.files), []);
  });

  it('findings of every shape survive the pack; a corrupt row is a miss', () => {
    const withCell = { ...finding, cell: 3 } as Finding;
    const odd = { ...finding, extra: 'kept' } as Finding;
    const verdict: FileVerdict = {
      safe: false,
      syntaxErrors: false,
      truncated: true,
      findings: [finding, withCell, odd, { ...finding, suppressed: true, violation: false, severity: 'LOW' }],
    };
    const writer = new ResultCache(location, now);
    writer.set('k', verdict);
    writer.set('bad', verdict);
    writer.save(policy);
    const pack = JSON.parse(fs.readFileSync(writer.packPath, 'utf8')) as {
      entries: Record<string, [number, number, unknown[]]>;
      strings: string[];
    };
    assert.ok(Array.isArray(pack.entries.k[2][0]), 'the usual shape is a row');
    pack.entries.bad[2][0] = [0, 0, 0, pack.strings.length, 0, 0, 0, 0];
    fs.writeFileSync(writer.packPath, JSON.stringify(pack));
    const reader = new ResultCache(location, now);
    assert.deepEqual(reader.get('k'), verdict);
    assert.equal(reader.get('bad'), undefined);
  });
});

describe('sandbox-policy check: stat stamps in a run', () => {
  it('a warm run does not read a file whose stamp matches; an edit of the same size is seen', async function () {
    this.timeout(120_000);
    const dir = makeDir({ 'a.py': 'print(1)\n', 'b.py': 'print(2)\n' });
    const spied = fs.openSync;
    const opened: string[] = [];
    try {
      const args = ['--format', 'json', '--threads', '1', '--cache-dir', 'cache', '.'];
      // Files written now are racily clean: the first run hashes them and stamps none.
      const first = await runCheck(args, dir);
      await new Promise((resolve) => setTimeout(resolve, RACY_MARGIN_MS + 100));
      // Read and hashed (they hit), stamped now that their timestamps are old enough.
      assert.deepEqual(await runCheck(args, dir), first);
      (fs as { openSync: typeof fs.openSync }).openSync = ((file: fs.PathLike, ...rest: unknown[]) => {
        opened.push(String(file));
        return (spied as (...a: unknown[]) => number)(file, ...rest);
      }) as typeof fs.openSync;
      assert.deepEqual(await runCheck(args, dir), first);
      assert.deepEqual(
        opened.filter((f) => f.endsWith('.py')),
        [],
        'no source file is opened',
      );
      // The same size, within the same second: the run that follows sees it.
      fs.writeFileSync(path.join(dir, 'a.py'), 'eval(1)\n\n');
      const edited = await runCheck(args, dir);
      assert.equal(edited.code, 1);
      assert.match(edited.stdout, /"path": "a.py",\s+"safe": false/);
      assert.ok(
        opened.some((f) => f.endsWith('a.py')),
        'the edited file is read',
      );
    } finally {
      (fs as { openSync: typeof fs.openSync }).openSync = spied;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
