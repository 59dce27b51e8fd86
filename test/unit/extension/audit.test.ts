import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditLog, auditEntry, describeAuditEntry, sha256Hex } from '../../../src/sandbox/audit';
import type { RunResult } from '../../../src/sandbox/run-types';

const SECRET = 'e2b_0123456789abcdefSECRETKEY';
const CODE = `API_KEY = "${SECRET}"\nprint(API_KEY)\nraise ValueError(API_KEY)\n`;

function result(overrides: Partial<RunResult> = {}): RunResult {
  return {
    status: 'error',
    backend: 'e2b',
    stdout: `${SECRET}\n`,
    stderr: '',
    error: { name: 'ValueError', value: SECRET, traceback: `File "a.py", line 3\nValueError: ${SECRET}` },
    results: [],
    findings: [
      {
        ruleId: 'env-access',
        severity: 'LOW',
        violation: false,
        suppressed: false,
        message: `reads ${SECRET}`,
        range: { start: { line: 1, column: 0 }, end: { line: 1, column: 5 } },
      },
      {
        ruleId: 'eval',
        severity: 'HIGH',
        violation: true,
        suppressed: true,
        message: 'suppressed',
        range: { start: { line: 2, column: 0 }, end: { line: 2, column: 5 } },
      },
    ],
    durationMs: 1234.6,
    ...overrides,
  };
}

describe('audit log', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-audit-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('records what ran and how it ended, by hash, without the code, output, messages or key', () => {
    const entry = auditEntry({
      time: new Date('2025-01-02T03:04:05Z'),
      file: '/work/a.py',
      code: CODE,
      runner: 'e2b',
      preset: 'production',
      gate: 'allowed',
      result: result(),
    });
    assert.deepEqual(entry, {
      time: '2025-01-02T03:04:05.000Z',
      file: '/work/a.py',
      sha256: sha256Hex(CODE),
      codeBytes: Buffer.byteLength(CODE),
      runner: 'e2b',
      preset: 'production',
      gate: 'allowed',
      outcome: 'error',
      durationMs: 1235,
      error: 'ValueError',
      findings: [{ ruleId: 'env-access', severity: 'LOW', violation: false, line: 2 }],
    });
    assert.equal(entry.sha256, sha256Hex(CODE));
    assert.match(entry.sha256, /^[0-9a-f]{64}$/);
    assert.doesNotMatch(JSON.stringify(entry), /SECRETKEY|print/);
    assert.doesNotMatch(describeAuditEntry(entry), /SECRETKEY/);
  });

  it('keeps an exception name only when it is a plain identifier', () => {
    const entry = auditEntry({
      time: new Date(),
      file: 'a.py',
      code: 'x',
      runner: 'pyodide',
      preset: 'strict',
      gate: 'allowed',
      result: result({ error: { name: `Oops ${SECRET}`, value: '', traceback: '' } }),
    });
    assert.equal(entry.error, undefined);
  });

  it('records the limit that stopped a run', () => {
    const entry = auditEntry({
      time: new Date(),
      file: 'loop.py',
      code: 'while True: pass',
      runner: 'pyodide',
      preset: 'development',
      gate: 'warned',
      result: result({
        status: 'timeout',
        error: null,
        findings: [],
        limit: { kind: 'timeout', message: 'x' },
      }),
    });
    assert.equal(entry.limit, 'timeout');
    assert.match(describeAuditEntry(entry), /limit timeout/);
  });

  it('appends JSON lines in order, creating the folder, and rotates past the size cap', async () => {
    const file = path.join(dir, 'nested', 'audit.jsonl');
    const make = (i: number) =>
      auditEntry({
        time: new Date(0),
        file: `f${i}.py`,
        code: String(i),
        runner: 'pyodide',
        preset: 'production',
        gate: 'allowed',
        result: result({ status: 'ok', error: null, findings: [] }),
      });
    const lineBytes = JSON.stringify(make(0)).length + 1;
    const log = new AuditLog(file, { maxBytes: lineBytes * 3 + 5 });
    await Promise.all([0, 1, 2].map((i) => log.append(make(i))));
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    assert.deepEqual(
      lines.map((l) => JSON.parse(l).file),
      ['f0.py', 'f1.py', 'f2.py'],
    );
    for (let i = 3; i < 8; i++) await log.append(make(i));
    assert.ok(fs.existsSync(`${file}.1`), 'rotated file exists');
    assert.ok(fs.statSync(file).size <= lineBytes * 3 + 5);
    const all = [`${file}.1`, file].flatMap((f) => fs.readFileSync(f, 'utf8').trim().split('\n'));
    assert.equal(JSON.parse(all[all.length - 1]).file, 'f7.py');
  });

  it('reports a write failure to the caller and keeps working afterwards', async () => {
    const blocker = path.join(dir, 'not-a-dir');
    fs.writeFileSync(blocker, '');
    const bad = new AuditLog(path.join(blocker, 'audit.jsonl'));
    const entry = auditEntry({
      time: new Date(0),
      file: 'a.py',
      code: 'x',
      runner: 'pyodide',
      preset: 'production',
      gate: 'allowed',
      result: result({ status: 'ok', error: null, findings: [] }),
    });
    await assert.rejects(bad.append(entry));
    const good = new AuditLog(path.join(dir, 'ok.jsonl'));
    await good.append(entry);
    assert.equal(fs.readFileSync(path.join(dir, 'ok.jsonl'), 'utf8').trim().split('\n').length, 1);
  });

  it('records which walls were in force around a local run', () => {
    const walls = {
      jail: true,
      isolation: 'process' as const,
      permissionModel: true,
      osSandbox: 'bubblewrap' as const,
    };
    const entry = auditEntry({
      time: new Date(),
      file: 'a.py',
      code: 'print(1)',
      runner: 'pyodide',
      preset: 'production',
      gate: 'allowed',
      result: result({ status: 'ok', error: null, findings: [], boundaries: walls }),
    });
    assert.deepEqual(entry.boundaries, ['jail', 'process', 'node-permissions', 'bubblewrap']);
    assert.match(describeAuditEntry(entry), /walls jail\+process\+node-permissions\+bubblewrap/);
    const without = auditEntry({
      time: new Date(),
      file: 'a.py',
      code: 'print(1)',
      runner: 'pyodide',
      preset: 'production',
      gate: 'allowed',
      result: result({
        status: 'ok',
        error: null,
        findings: [],
        boundaries: { ...walls, permissionModel: false, osSandbox: 'none', osSandboxNote: 'bwrap missing' },
      }),
    });
    assert.deepEqual(without.boundaries, ['jail', 'process']);
    assert.ok(!JSON.stringify(without).includes('bwrap missing'), 'only names, never free text');
  });
});
