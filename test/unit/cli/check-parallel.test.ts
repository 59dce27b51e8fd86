// `sandbox-policy check` on worker threads and with its result cache: the same report whatever the thread
// count, a worker failure reported as a finding (fail closed) while the rest completes, and a cache that
// hits, misses on any change of content, policy or engine, survives corrupt entries and overlapping runs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ResultCache, cacheKey, engineFingerprint, prepareCache } from '../../../src/cli/check-cache';
import { resolvePolicy } from '../../../src/policy';
import { makeDir, runCheck } from './check-helpers';

const root = path.resolve(__dirname, '../../../..');

/** A few hundred files: dangerous, benign, suppressed, broken and undecodable, Python, JS and TS. */
function generatedTree(): string {
  const files: Record<string, string | Buffer> = {};
  const bodies = [
    'import os\nos.system("ls")\n',
    'print(sum(range(10)))\n',
    'import pickle\npickle.loads(data)\n',
    'eval(x)  # sandbox-policy: ignore[dynamic-code]\n',
    'def broken(:\n    pass\nexec(code)\n',
    'import subprocess\nsubprocess.run(cmd, shell=True)\n',
    'while True:\n    pass\n',
  ];
  for (let i = 0; i < 300; i++) {
    const dir = `pkg${i % 7}/sub${i % 3}`;
    if (i % 10 === 3)
      files[`${dir}/mod${i}.js`] = `const cp = require("child_process");\ncp.exec("x${i}");\n`;
    else if (i % 10 === 7)
      files[`${dir}/mod${i}.ts`] = `export const f${i} = (s: string) => new Function(s);\n`;
    else if (i % 50 === 11) files[`${dir}/mod${i}.py`] = Buffer.from(`s = "caf\xe9 ${i}"\n`, 'latin1');
    else files[`${dir}/mod${i}.py`] = `# file ${i}\n${bodies[i % bodies.length]}`;
  }
  return makeDir(files);
}

const json = async (args: string[], cwd: string): Promise<{ code: number; report: unknown }> => {
  const { code, stdout, stderr } = await runCheck(['--format', 'json', ...args], cwd);
  assert.ok(stdout.startsWith('{'), stderr);
  return { code, report: JSON.parse(stdout) };
};

describe('sandbox-policy check: threads and cache', () => {
  let tree: string;
  before(() => {
    tree = generatedTree();
  });
  after(() => {
    fs.rmSync(tree, { recursive: true, force: true });
  });

  it('reports exactly the same on 1 thread and on 4 (the fixtures and a generated tree of 300 files)', async () => {
    for (const [dir, cwd] of [
      ['test/fixtures', root],
      ['.', tree],
    ]) {
      const one = await json(['--no-cache', '--threads', '1', dir], cwd);
      const four = await json(['--no-cache', '--threads', '4', dir], cwd);
      assert.deepEqual(four, one);
      assert.equal(one.code, 1);
      const files = (one.report as { files: Array<{ path: string }> }).files.map((f) => f.path);
      assert.deepEqual(files, [...files].sort(), 'sorted by path');
      if (cwd === tree) assert.equal(files.length, 300);
    }
  });

  it('a worker that throws on one file reports that file as unreadable-source and the rest complete', async () => {
    const expected = (await json(['--no-cache', '--threads', '1', '.'], tree)).report as {
      files: Array<{ path: string; safe: boolean; findings: Array<{ ruleId: string; message: string }> }>;
    };
    for (const mode of ['throw', 'exit']) {
      process.env.SANDBOX_POLICY_TEST_FAULT = `${mode}:mod42.py`;
      let got: typeof expected;
      try {
        got = (await json(['--no-cache', '--threads', '3', '.'], tree)).report as typeof expected;
      } finally {
        delete process.env.SANDBOX_POLICY_TEST_FAULT;
      }
      assert.equal(got.files.length, 300, mode);
      for (let i = 0; i < got.files.length; i++) {
        const file = got.files[i];
        if (file.path.endsWith('mod42.py')) {
          assert.equal(file.safe, false);
          assert.equal(file.findings.length, 1);
          assert.equal(file.findings[0].ruleId, 'unreadable-source');
          assert.match(
            file.findings[0].message,
            mode === 'throw'
              ? /the engine failed on this file \(fault injected/
              : /worker stopped while checking this file \(exit code 3\)/,
          );
        } else assert.deepEqual(file, expected.files[i], file.path);
      }
    }
  });

  it('caches: a hit reuses the stored verdict; content, policy and engine changes miss', async () => {
    const dir = makeDir({ 'a.py': 'print(1)\n', 'b.py': 'import os\nos.system("id")\n' });
    try {
      const cacheDir = path.join(dir, 'cache');
      const first = await json(['--cache-dir', cacheDir, '--threads', '1', '.'], dir);
      assert.equal(first.code, 1);
      assert.equal(fs.readFileSync(path.join(cacheDir, '.gitignore'), 'utf8').trim().split('\n').pop(), '*');
      // Poison a.py's entry: the next run reporting the poisoned verdict proves the entry is read.
      const policy = resolvePolicy({});
      const cache = new ResultCache(prepareCache(cacheDir, {}));
      const key = cacheKey(fs.readFileSync(path.join(dir, 'a.py')), { file: 'a.py', language: 'python' });
      assert.ok(cache.get(key), 'a.py was stored');
      const poisoned = {
        safe: false,
        syntaxErrors: false,
        truncated: false,
        findings: [
          {
            ruleId: 'dynamic-code',
            severity: 'HIGH' as const,
            violation: true,
            suppressed: false,
            message: 'from the cache',
            range: { start: { line: 0, column: 0 }, end: { line: 0, column: 1 } },
          },
        ],
      };
      cache.set(key, poisoned);
      cache.save(policy);
      const hit = (await runCheck(['--cache-dir', cacheDir, 'a.py'], dir)).stdout;
      assert.match(hit, /a\.py:1:1: HIGH dynamic-code from the cache/);
      // Another policy: another namespace, a real analysis.
      const otherPolicy = await runCheck(['--cache-dir', cacheDir, '--preset', 'strict', 'a.py'], dir);
      assert.ok(!otherPolicy.stdout.includes('from the cache'));
      // Changed content: another key.
      fs.writeFileSync(path.join(dir, 'a.py'), 'print(2)\n');
      const changed = await runCheck(['--cache-dir', cacheDir, 'a.py'], dir);
      assert.equal(changed.code, 0);
      assert.ok(!changed.stdout.includes('from the cache'));
      // Another engine: another namespace.
      const otherEngine = new ResultCache(prepareCache(cacheDir, {}, 'another engine'));
      assert.equal(otherEngine.get(key), undefined);
      assert.deepEqual(new ResultCache(prepareCache(cacheDir, {}, engineFingerprint())).get(key), poisoned);
      // --no-cache reads nothing.
      fs.writeFileSync(path.join(dir, 'a.py'), 'print(1)\n');
      assert.equal((await runCheck(['--no-cache', 'a.py'], dir)).code, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignores a corrupt pack or entry and rewrites it', async () => {
    const dir = makeDir({ 'b.py': 'import os\nos.system("id")\n' });
    try {
      const cacheDir = path.join(dir, 'cache');
      const location = prepareCache(cacheDir, {});
      const packPath = new ResultCache(location).packPath;
      const key = cacheKey(fs.readFileSync(path.join(dir, 'b.py')), { file: 'b.py', language: 'python' });
      const pack = (entry: unknown) => JSON.stringify({ format: 'v2', entries: { [key]: entry } });
      for (const corrupt of [
        '{"format": "v2", "entries": {"trunc',
        '[]',
        JSON.stringify({ format: 'v1', entries: {} }),
        pack({ seen: 1 }),
        pack({ seen: 'today', verdict: { safe: true, syntaxErrors: false, truncated: false, findings: [] } }),
        pack({ seen: 1, verdict: { safe: true } }),
        pack({ seen: 1, verdict: { safe: true, syntaxErrors: false, truncated: false, findings: [{}] } }),
      ]) {
        fs.writeFileSync(packPath, corrupt);
        const { code, stdout } = await runCheck(['--cache-dir', cacheDir, 'b.py'], dir);
        assert.equal(code, 1, corrupt);
        assert.match(stdout, /b\.py:2:1: HIGH command-execution/);
        assert.equal(new ResultCache(location).get(key)?.safe, false, 'rewritten with the real verdict');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('two overlapping runs share one cache safely', async () => {
    const cli = path.join(root, 'dist/cli.js');
    const cacheDir = path.join(tree, '.shared-cache');
    const expected = (await json(['--no-cache', '.'], tree)).report;
    const runOnce = () =>
      promisify(execFile)(
        process.execPath,
        [cli, 'check', '--format', 'json', '--threads', '2', '--cache-dir', cacheDir, '.'],
        {
          cwd: tree,
          maxBuffer: 64 * 1024 * 1024,
        },
      ).then(
        () => assert.fail('expected exit 1'),
        (error: { code: number; stdout: string }) => {
          assert.equal(error.code, 1);
          return JSON.parse(error.stdout) as unknown;
        },
      );
    const [a, b] = await Promise.all([runOnce(), runOnce()]);
    assert.deepEqual(a, expected);
    assert.deepEqual(b, expected);
    // The pack is whole, no temporary file is left, and a warm run gives the same report.
    const files = fs.readdirSync(cacheDir);
    assert.ok(!files.some((f) => f.endsWith('.tmp')), 'no temporary file left');
    const packs = files.filter((f) => f.startsWith('v3-') && f.endsWith('.json'));
    assert.equal(packs.length, 1, files.join(', '));
    const { entries } = JSON.parse(fs.readFileSync(path.join(cacheDir, packs[0]), 'utf8')) as {
      entries: Record<string, unknown>;
    };
    assert.ok(Object.keys(entries).length >= 250, `${Object.keys(entries).length} entries`);
    assert.deepEqual((await json(['--cache-dir', cacheDir, '.'], tree)).report, expected);
  });
});
