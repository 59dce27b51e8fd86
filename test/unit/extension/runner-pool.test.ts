// The extension's runner pool keeps the fresh interpreter's snapshot in its storage folder: the first
// pool (a first VS Code session) boots Pyodide and saves the snapshot, the next one restores it, and
// the log says which happened. Runs really execute in both.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunnerPool } from '../../../src/vscode/runners';
import { DEFAULT_LIMITS, type RunRequest } from '../../../src/sandbox/run-types';
import type { KeyValueStore } from '../../../src/sandbox/limits/store';

const REQUEST: RunRequest = {
  code: 'print(6 * 7)\n',
  filename: 'session.py',
  limits: { ...DEFAULT_LIMITS, timeoutMs: 60_000, memoryMb: 256 },
};

function recordingLog(lines: string[]) {
  const record = (message: string): void => void lines.push(message);
  return { info: record, warn: record, error: record };
}

const noStore: KeyValueStore = {
  get: () => undefined,
  update: async () => {},
};

describe('Runner pool: interpreter snapshot across sessions', function () {
  this.timeout(240_000);
  let storage: string;

  before(() => {
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-policy-pool-'));
  });

  after(() => {
    fs.rmSync(storage, { recursive: true, force: true });
  });

  async function session(): Promise<{ lines: string[]; stdout: string }> {
    const lines: string[] = [];
    const pool = new RunnerPool(noStore, recordingLog(lines), storage);
    try {
      const result = await pool.pyodideRunner('process', 'off').run(REQUEST);
      assert.equal(result.status, 'ok', result.error?.value);
      return { lines, stdout: result.stdout };
    } finally {
      await pool.dispose();
    }
  }

  it('saves the snapshot in the first session and restores it in the next', async () => {
    const first = await session();
    assert.equal(first.stdout, '42\n');
    assert.ok(
      first.lines.some((line) => /No interpreter snapshot in the cache yet/.test(line)),
      first.lines.join('\n'),
    );
    assert.ok(
      first.lines.some((line) => /Interpreter snapshot saved to /.test(line)),
      first.lines.join('\n'),
    );
    assert.ok(fs.readdirSync(storage).length > 0, 'the snapshot file is in the storage folder');

    const second = await session();
    assert.equal(second.stdout, '42\n');
    assert.ok(
      second.lines.some((line) => line.startsWith('Interpreter snapshot restored from the cache')),
      second.lines.join('\n'),
    );
  });
});
