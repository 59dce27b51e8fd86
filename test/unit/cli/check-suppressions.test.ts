// `check --ignore-suppressions` and `"inlineSuppressions": false`: code whose author is not trusted cannot
// waive its own findings with `sandbox-policy: ignore` comments.
import assert from 'node:assert/strict';
import { makeDir, runCheck } from './check-helpers';

const WAIVED = 'import os\nos.system(cmd)  # sandbox-policy: ignore[command-execution]\n';

describe('sandbox-policy check and suppression comments', () => {
  it('honours them by default, and counts every finding with --ignore-suppressions', async () => {
    const dir = makeDir({ 'waived.py': WAIVED });
    const honoured = await runCheck(['--no-cache', 'waived.py'], dir);
    assert.equal(honoured.code, 0);
    assert.match(honoured.stdout, /1 suppressed/);
    const ignored = await runCheck(['--no-cache', '--ignore-suppressions', 'waived.py'], dir);
    assert.equal(ignored.code, 1);
    assert.match(ignored.stdout, /^waived\.py:2:1: HIGH command-execution /m);
    assert.doesNotMatch(ignored.stdout, /suppressed/);
  });

  it('does the same from a policy file, and the cache keeps the two verdicts apart', async () => {
    const dir = makeDir({ 'waived.py': WAIVED, 'strict.json': '{"inlineSuppressions": false}' });
    assert.equal((await runCheck(['waived.py'], dir)).code, 0);
    assert.equal((await runCheck(['--config', 'strict.json', 'waived.py'], dir)).code, 1);
    assert.equal((await runCheck(['waived.py'], dir)).code, 0);
  });

  it('refuses a value that is not a boolean, naming the key', async () => {
    const dir = makeDir({ 'waived.py': WAIVED, 'bad.json': '{"inlineSuppressions": "no"}' });
    const bad = await runCheck(['--config', 'bad.json', 'waived.py'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /inlineSuppressions/);
  });
});
