// The reused read buffer of a warm `check`: every file's exact bytes, whatever its size and whatever came before.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ReusedBuffer } from '../../../src/cli/file-bytes';
import { makeDir } from './check-helpers';

describe('ReusedBuffer', () => {
  it('reads each file exactly, growing past its first size and shrinking back to a small file', () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 251;
    const dir = makeDir({ 'small.py': 'print(1)\n', 'big.bin': big, 'empty.py': '' });
    try {
      const reader = new ReusedBuffer();
      assert.equal(reader.read(path.join(dir, 'small.py')).toString(), 'print(1)\n');
      assert.ok(reader.read(path.join(dir, 'big.bin')).equals(big));
      assert.equal(reader.read(path.join(dir, 'empty.py')).length, 0);
      assert.equal(reader.read(path.join(dir, 'small.py')).toString(), 'print(1)\n');
      assert.throws(() => reader.read(path.join(dir, 'missing.py')), { code: 'ENOENT' });
      assert.throws(() => reader.read(dir), { code: 'EISDIR' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
