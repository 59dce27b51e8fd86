// Every propagator row (src/policy/python/catalog/propagators.ts) is reachable: the analyzer follows its
// name from the seeds (a row the evaluator handles but the seed-side filter drops would silently lose
// `X.attr` reads), and its example passes a dangerous value on to the sink the row says it reports.
import assert from 'node:assert/strict';
import { PROPAGATORS } from '../../../src/policy/python/catalog/propagators';
import { interesting } from '../../../src/policy/python/values';
import { check } from './helpers';

describe('propagator rows', () => {
  it('have unique names', () => {
    const names = PROPAGATORS.map((row) => row.name);
    assert.deepEqual(names, [...new Set(names)]);
  });

  for (const row of PROPAGATORS) {
    it(`${row.name} (${row.kind}) is followed from the seeds and reports ${row.reports}`, async () => {
      assert.ok(interesting(row.name), `${row.name} is not among the names the analyzer follows`);
      const findings = await check(row.example);
      assert.ok(
        findings.some((finding) => finding.ruleId === row.reports && !finding.suppressed),
        `the example of ${row.name} reports no ${row.reports}:\n${row.example}\ngot: ${JSON.stringify(
          findings.map((f) => [f.ruleId, f.message]),
        )}`,
      );
    });
  }
});
