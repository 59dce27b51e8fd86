// Ranges: 0-based lines and 0-based UTF-16 columns (VS Code's convention), including non-ASCII lines.
import assert from 'node:assert/strict';
import { check } from './helpers';

describe('finding positions', () => {
  it('counts columns in UTF-16 code units after accents and astral characters (Python)', async () => {
    // "é" is one code unit, "😀" two: `eval` starts at UTF-16 column 11 (13 bytes in UTF-8).
    const [finding] = await check('s = "é😀"; eval(x)');
    assert.deepEqual(finding.range, { start: { line: 0, column: 11 }, end: { line: 0, column: 15 } });
  });

  it('counts columns in UTF-16 code units in JavaScript', async () => {
    const [finding] = await check('const s = "日本語😀"; eval(x);', { language: 'javascript' });
    assert.deepEqual(finding.range.start, { line: 0, column: 19 });
  });

  it('handles CRLF line endings', async () => {
    const [finding] = await check('x = 1\r\ny = 2\r\n  \teval(x)\r\n');
    assert.deepEqual(finding.range.start, { line: 2, column: 3 });
  });

  it('spans lines for a multi-line finding', async () => {
    const [finding] = await check('import os\nos.environ[\n  "X"\n]', {
      config: { rules: { 'env-access': 'HIGH' } },
    });
    assert.deepEqual(finding.range, { start: { line: 1, column: 0 }, end: { line: 1, column: 10 } });
  });
});
