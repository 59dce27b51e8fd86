// The JSON report is written by hand, in chunks: it must be byte for byte what JSON.stringify(report, null, 2)
// writes, whatever the strings hold, with notebook cells, skipped paths, empty lists.
import assert from 'node:assert/strict';
import path from 'node:path';
import { formatJson, type CheckReport } from '../../../src/cli/check-format';
import { resolvePolicy, type Finding } from '../../../src/policy';
import { ipynb } from '../notebook/helpers';
import { makeDir, runCheck } from './check-helpers';

const root = path.resolve(__dirname, '../../../..');

/** What JSON.stringify lays out for the same document. */
const reference = (text: string): string => `${JSON.stringify(JSON.parse(text), null, 2)}\n`;

function finding(message: string, cell?: number): Finding {
  const at = (line: number, column: number) => ({ line, column });
  return {
    ruleId: 'dynamic-code',
    severity: 'HIGH',
    violation: true,
    suppressed: false,
    message,
    range: { start: at(0, 4), end: at(2, 0) },
    ...(cell === undefined ? {} : { cell }),
  } as Finding;
}

describe('sandbox-policy check --format json: the hand-written layout', () => {
  it('is exactly JSON.stringify(report, null, 2), chunks joined, for any strings and shapes', () => {
    const odd =
      'quote " backslash \\ newline \n tab \t nul \u0000 line-sep \u2028 astral 😀 cjk 曩 lone \ud800';
    const files: CheckReport['files'] = [
      { path: 'a.py', safe: true, syntaxErrors: false, truncated: false, findings: [] },
      {
        path: odd,
        safe: false,
        syntaxErrors: true,
        truncated: true,
        findings: [finding(odd), finding('x', 3)],
      },
    ];
    // Enough files for several chunks.
    for (let i = 0; i < 500; i++)
      files.push({
        path: `pkg/m${i}.py`,
        safe: false,
        syntaxErrors: false,
        truncated: false,
        findings: [finding(`n ${i}`)],
      });
    for (const [shown, skipped] of [
      [files, [{ file: '/x', path: odd, reason: 'cannot list the directory (EACCES)' }]],
      [files.slice(0, 1), []],
      [[], []],
    ] as const) {
      const report: CheckReport = { policy: resolvePolicy({}), files: [...shown], skipped: [...skipped] };
      const chunks = formatJson(report);
      const text = chunks.join('');
      assert.equal(text, reference(text));
      if (shown.length > 100) assert.ok(chunks.length > 1, 'written in chunks');
    }
  });

  it('is what JSON.stringify writes on the fixtures and on notebooks (cells)', async () => {
    const fixtures = await runCheck(['--no-cache', '--format', 'json', 'test/fixtures/examples'], root);
    assert.equal(fixtures.stdout, reference(fixtures.stdout));
    assert.match(fixtures.stdout, /"findings": \[\n {8}\{/);
    const dir = makeDir({ 'n.ipynb': ipynb(['import os', 'os.system("ls")']) });
    const notebook = await runCheck(['--no-cache', '--format', 'json', 'n.ipynb'], dir);
    assert.match(notebook.stdout, /"cell": 2/);
    assert.equal(notebook.stdout, reference(notebook.stdout));
  });
});
