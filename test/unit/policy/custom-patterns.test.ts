// Custom patterns run on RE2 (linear time), skip strings and comments unless asked, and respect languages.
import assert from 'node:assert/strict';
import { check } from './helpers';

const boto = { pattern: 'boto3\\.client\\(', description: 'Cloud SDK usage', severity: 'HIGH' as const };

describe('custom patterns', () => {
  it('reports a match in code with the pattern description and severity', async () => {
    const [finding] = await check('import boto3\ns3 = boto3.client("s3")', {
      config: { customPatterns: [boto] },
    });
    assert.equal(finding.ruleId, 'custom-pattern');
    assert.equal(finding.message, 'Cloud SDK usage');
    assert.equal(finding.severity, 'HIGH');
    assert.deepEqual(finding.range.start, { line: 1, column: 5 });
  });

  it('skips strings and comments unless the pattern asks to see them', async () => {
    const code = 'x = "boto3.client("\n# boto3.client(\n';
    assert.deepEqual(await check(code, { config: { customPatterns: [boto] } }), []);
    const seen = await check(code, { config: { customPatterns: [{ ...boto, matchStrings: true }] } });
    assert.equal(seen.length, 2);
  });

  it('applies only to its languages', async () => {
    const config = {
      customPatterns: [{ ...boto, pattern: 'console\\.log', languages: ['python' as const] }],
    };
    assert.deepEqual(await check('console.log(1);', { language: 'javascript', config }), []);
  });

  it('cannot be made to backtrack: a classic ReDoS pattern runs in linear time', async () => {
    // (a+)+$ on "aaaa...b" takes exponential time with a backtracking engine; RE2 answers at once.
    // This is a behaviour check (the test would hang, not fail, with a backtracking engine).
    const config = {
      customPatterns: [{ pattern: '(a+)+$', description: 'redos', severity: 'LOW' as const }],
    };
    const findings = await check(`x = 1\n${'a'.repeat(5000)}b = 2\n`, { config });
    assert.deepEqual(findings, []);
  });
});
