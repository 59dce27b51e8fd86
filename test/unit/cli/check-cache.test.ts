// The result cache's pack and the lazily loaded parts of `sandbox-policy check`: a warm run of the built CLI
// loads neither the engine, nor the policy schema, nor a worker; a file that misses still gets the engine's
// verdict; entries unused for a week are dropped; overlapping writers merge; a stored policy that is not
// whole is resolved again.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  MAX_UNUSED_DAYS,
  ResultCache,
  cacheKey,
  prepareCache,
  type CacheLocation,
} from '../../../src/cli/check-cache';
import type { FileVerdict } from '../../../src/cli/check-verdict';
import { resolvePolicy } from '../../../src/policy';
import { makeDir, runCheck } from './check-helpers';

const root = path.resolve(__dirname, '../../../..');
const dist = path.join(root, 'dist');
const DAY = 86_400_000;

const safe: FileVerdict = { safe: true, syntaxErrors: false, truncated: false, findings: [] };

/** Runs dist/cli.js with a hook that reports, at exit, which of dist/'s bundles it loaded and how many workers it started. */
async function runBuilt(
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; bundles: string[]; workers: number }> {
  const hook = path.join(cwd, 'load-hook.cjs');
  fs.writeFileSync(
    hook,
    `const wt = require('node:worker_threads');
// -r runs in the worker threads too: only the main thread reports.
if (wt.isMainThread) {
let workers = 0;
const Base = wt.Worker;
wt.Worker = class extends Base { constructor(...args) { workers++; super(...args); } };
process.on('exit', () => {
  const bundles = Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(dist + path.sep)}));
  process.stderr.write('\\nloaded=' + JSON.stringify({ bundles: bundles.map((f) => f.slice(${dist.length + 1})).sort(), workers }) + '\\n');
});
}
`,
  );
  const result = await promisify(execFile)(
    process.execPath,
    ['-r', hook, path.join(dist, 'cli.js'), 'check', ...args],
    { cwd, maxBuffer: 64 * 1024 * 1024 },
  ).then(
    (ok) => ({ code: 0, stdout: ok.stdout, stderr: ok.stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  const loaded = /loaded=(.*)/.exec(result.stderr);
  assert.ok(loaded, result.stderr);
  const { bundles, workers } = JSON.parse(loaded[1]) as { bundles: string[]; workers: number };
  return { code: result.code, stdout: result.stdout, bundles, workers };
}

describe('sandbox-policy check: the cache pack and what a warm run loads', () => {
  it('dist/cli.js holds neither the engine nor the policy schema: they are bundles of their own', () => {
    const cli = fs.readFileSync(path.join(dist, 'cli.js'), 'utf8');
    assert.ok(!cli.includes('node_modules/web-tree-sitter/'), 'web-tree-sitter is not in dist/cli.js');
    assert.ok(!cli.includes('node_modules/zod/'), 'zod is not in dist/cli.js');
    assert.ok(fs.readFileSync(path.join(dist, 'cli-engine.js'), 'utf8').includes('web-tree-sitter'));
  });

  it('a warm run loads no engine, no schema and no worker; a file that misses is analysed as without the cache', async function () {
    this.timeout(240_000);
    const files: Record<string, string> = { 'changed.py': 'print(1)\n' };
    for (let i = 0; i < 6; i++)
      files[`pkg/mod${i}.py`] = i % 2 ? `import os\nos.system("x${i}")\n` : `print(${i})\n`;
    const dir = makeDir(files);
    try {
      const args = ['--format', 'sarif', '--preset', 'strict', '--threads', '2', '--cache-dir', 'cache', '.'];
      const cold = await runBuilt(args, dir);
      assert.equal(cold.code, 1);
      assert.ok(cold.workers >= 1, 'the cold run used the pool');
      const warm = await runBuilt(args, dir);
      assert.deepEqual(warm, { ...cold, bundles: ['cli.js'], workers: 0 });
      // One file changed: only the engine's verdict on it can show the change.
      fs.writeFileSync(path.join(dir, 'changed.py'), 'eval(input())\n');
      const missed = await runBuilt(args, dir);
      assert.deepEqual(missed.bundles, ['cli-engine.js', 'cli-policy.js', 'cli.js']);
      assert.equal(missed.workers, 0, 'one file is checked on the main thread');
      const uncached = await runBuilt(
        args.filter((a) => a !== 'cache' && a !== '--cache-dir').concat('--no-cache'),
        dir,
      );
      assert.equal(missed.stdout, uncached.stdout);
      assert.match(missed.stdout, /changed\.py/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a stored policy that is not whole is resolved again, and the report is the same', async () => {
    const dir = makeDir({ 'a.py': 'import pickle\npickle.loads(x)\n' });
    try {
      const args = ['--format', 'sarif', '--threshold', 'LOW', '--cache-dir', 'cache', 'a.py'];
      const first = await runCheck(args, dir);
      const location = prepareCache(path.join(dir, 'cache'), { threshold: 'LOW' });
      const packPath = new ResultCache(location).packPath;
      const pack = JSON.parse(fs.readFileSync(packPath, 'utf8')) as { policy: { threshold: string } };
      assert.equal(pack.policy.threshold, 'LOW', 'the resolved policy is stored');
      for (const broken of [undefined, 'LOUD']) {
        pack.policy.threshold = broken as string;
        fs.writeFileSync(packPath, JSON.stringify(pack));
        assert.equal(new ResultCache(location).storedPolicy(), undefined);
        assert.deepEqual(await runCheck(args, dir), first);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('the pack', () => {
    let dir: string;
    let location: CacheLocation;
    const policy = resolvePolicy({});
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-policy-pack-'));
      location = prepareCache(dir, {});
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it(`drops entries no run used for more than ${MAX_UNUSED_DAYS} days; a hit keeps an entry`, () => {
      const day0 = Date.UTC(2026, 0, 1);
      const first = new ResultCache(location, day0);
      first.set('old', safe);
      first.set('used', safe);
      first.save(policy);
      // A hit on day MAX_UNUSED_DAYS renews `used`; `old` is still within its week.
      const later = new ResultCache(location, day0 + MAX_UNUSED_DAYS * DAY);
      assert.deepEqual(later.get('used'), safe);
      later.save(policy);
      const after = new ResultCache(location, day0 + (MAX_UNUSED_DAYS + 1) * DAY);
      // (A get would count as a use of `old` and keep it.)
      assert.deepEqual(after.get('used'), safe);
      after.set('new', safe);
      after.save(policy);
      const reread = new ResultCache(location, day0 + (MAX_UNUSED_DAYS + 1) * DAY);
      assert.equal(reread.get('old'), undefined);
      assert.deepEqual(reread.get('used'), safe);
      assert.deepEqual(reread.get('new'), safe);
    });

    it('a writer merges what another run stored after it read the pack', () => {
      const a = new ResultCache(location);
      const b = new ResultCache(location);
      assert.equal(a.hasEntries(), false);
      assert.equal(b.hasEntries(), false);
      a.set('from-a', safe);
      a.save(policy);
      b.set('from-b', safe);
      b.save(policy);
      const reread = new ResultCache(location);
      assert.deepEqual(reread.get('from-a'), safe);
      assert.deepEqual(reread.get('from-b'), safe);
      assert.deepEqual(reread.storedPolicy(), policy);
    });

    it('a run that only hits entries used today writes nothing', () => {
      const key = cacheKey(Buffer.from('print(1)\n'), { file: 'a.py', language: 'python' });
      const first = new ResultCache(location);
      first.set(key, safe);
      first.save(policy);
      const written = fs.statSync(first.packPath).mtimeMs;
      fs.utimesSync(first.packPath, new Date(0), new Date(0));
      const warm = new ResultCache(location);
      assert.deepEqual(warm.get(key), safe);
      warm.save(policy);
      assert.equal(fs.statSync(first.packPath).mtimeMs, 0, `not rewritten (was ${written})`);
    });
  });
});
