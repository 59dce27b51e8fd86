// Every JavaScript propagator row (src/policy/javascript/catalog/propagators.ts) is reachable: its
// example passes a dangerous value on to the sink the row says it reports.
import assert from 'node:assert/strict';
import { JS_PROPAGATORS } from '../../../src/policy/javascript/catalog/propagators';
import { check } from './helpers';

describe('javascript propagator rows', () => {
  it('have unique names', () => {
    const names = JS_PROPAGATORS.map((row) => row.name);
    assert.deepEqual(names, [...new Set(names)]);
  });

  for (const row of JS_PROPAGATORS) {
    it(`${row.name} (${row.kind}) reports ${row.reports}`, async () => {
      const findings = await check(row.example, { language: 'javascript' });
      assert.ok(
        findings.some((finding) => finding.ruleId === row.reports && !finding.suppressed),
        `the example of ${row.name} reports no ${row.reports}:\n${row.example}\ngot: ${JSON.stringify(
          findings.map((f) => [f.ruleId, f.message]),
        )}`,
      );
    });
  }
});
