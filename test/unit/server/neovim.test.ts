// A real third-party LSP client: Neovim's built-in client, headless, against `node dist/cli.js server
// --stdio` (test/lsp/init.lua). It receives the finding, sees it disappear when the code is edited, and
// applies the server's line-suppression code action. Neovim is installed by test/lsp/neovim.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureNeovim } from '../../lsp/neovim';
import { CLI, ROOT } from './lsp-client';

interface Published {
  version?: number;
  diagnostics: {
    code?: string;
    source?: string;
    severity?: number;
    message: string;
    range: { start: { line: number } };
  }[];
}

interface NeovimRecord {
  error?: string;
  steps: { step: string; published: Published }[];
  server?: { change?: number };
  actions?: string[];
  lines?: string[];
}

describe('language server: Neovim as the client', function () {
  this.timeout(300_000);
  let dir: string;

  before(function () {
    const neovim = ensureNeovim();
    if (!neovim.ok) {
      console.log(`  (skipped: ${neovim.reason})`);
      this.skip();
    }
  });
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-policy-nvim-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gets the finding, follows an edit, and applies the suppression quick fix', () => {
    const file = path.join(dir, 'risky.py');
    const out = path.join(dir, 'record.json');
    fs.writeFileSync(file, 'import os\n\nos.system("ls")\n');
    const result = spawnSync(
      'nvim',
      ['--headless', '--clean', '-u', path.join(ROOT, 'test', 'lsp', 'init.lua')],
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: 240_000,
        env: { ...process.env, SANDBOX_POLICY_CLI: CLI, SANDBOX_POLICY_FILE: file, SANDBOX_POLICY_OUT: out },
      },
    );
    assert.ok(
      fs.existsSync(out),
      `Neovim wrote no record (exit ${result.status ?? result.signal}): ${result.stderr}`,
    );
    const record = JSON.parse(fs.readFileSync(out, 'utf8')) as NeovimRecord;
    assert.equal(record.error ?? null, null, record.error);

    const [found, gone, back, suppressed] = record.steps;
    const finding = found.published.diagnostics.find((d) => d.code === 'command-execution')!;
    assert.equal(finding.source, 'sandbox-policy');
    assert.equal(finding.severity, 1);
    assert.equal(finding.range.start.line, 2);
    assert.equal(record.server?.change, 2, 'the server asks for incremental sync');
    assert.ok(!gone.published.diagnostics.some((d) => d.code === 'command-execution'));
    assert.ok(back.published.diagnostics.some((d) => d.code === 'command-execution'));
    assert.ok(
      record.actions?.includes('Suppress command-execution in this file'),
      record.actions?.join(' | '),
    );
    assert.ok(!suppressed.published.diagnostics.some((d) => d.code === 'command-execution'));
    assert.deepEqual(record.lines, [
      'import os',
      '',
      '# sandbox-policy: ignore[command-execution]',
      'os.system("ls")',
    ]);
  });
});
