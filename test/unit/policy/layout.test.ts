// test/layout/check.mjs (run by `npm run check`): it finds import cycles, imports across the language
// folders and oversized files, and finds none in src/policy.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../../..');
const checker = path.join(root, 'test/layout/check.mjs');

function runChecker(dir: string): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [checker, dir], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-policy-layout-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('policy layout check', () => {
  it('passes on src/policy', () => {
    const { status, stderr } = runChecker(path.join(root, 'src/policy'));
    assert.equal(stderr, '');
    assert.equal(status, 0);
  });

  it('finds an import cycle, type-only imports included', () => {
    const dir = tree({
      'python/a.ts': "import { b } from './b';\nexport const a = b;\n",
      'python/b.ts': "import type { C } from './c';\nexport const b: C = 1;\n",
      'python/c.ts': "import { a } from './a';\nexport type C = typeof a;\n",
    });
    const { status, stderr } = runChecker(dir);
    assert.equal(status, 1);
    assert.match(stderr, /import cycle: python\/a\.ts -> python\/b\.ts -> python\/c\.ts -> python\/a\.ts/);
  });

  it('finds javascript/ or shared/ importing from python/', () => {
    const dir = tree({
      'python/values.ts': 'export const v = 1;\n',
      'javascript/analyzer.ts': "import { v } from '../python/values';\nexport const w = v;\n",
      'shared/value.ts': "export { v } from '../python/values';\n",
    });
    const { status, stderr } = runChecker(dir);
    assert.equal(status, 1);
    assert.match(stderr, /javascript\/analyzer\.ts imports python\/values\.ts/);
    assert.match(stderr, /shared\/value\.ts imports python\/values\.ts/);
  });

  it('finds a file over 500 lines', () => {
    const dir = tree({ 'checks/big.ts': 'export const x = 1;\n'.repeat(501) });
    const { status, stderr } = runChecker(dir);
    assert.equal(status, 1);
    assert.match(stderr, /checks\/big\.ts: 501 lines, over 500/);
  });

  it('holds the Python role files to the same limit (the analyzer is split: no exception left)', () => {
    const dir = tree({
      'python/analyzer.ts': 'export const x = 1;\n'.repeat(501),
      'python/flow.ts': 'export const y = 1;\n'.repeat(501),
    });
    const { status, stderr } = runChecker(dir);
    assert.equal(status, 1);
    assert.match(stderr, /python\/analyzer\.ts: 501 lines, over 500/);
    assert.match(stderr, /python\/flow\.ts: 501 lines, over 500/);
  });
});
