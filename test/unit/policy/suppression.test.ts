// `sandbox-policy: ignore[...]` comments: on the line or the line before, bare ignore, ignore-file,
// only real comments count, and suppressed findings stay visible.
import assert from 'node:assert/strict';
import { check, sharedEngine } from './helpers';
import { resolvePolicy } from '../../../src/policy';

describe('suppression comments', () => {
  it('suppresses a rule on the same line and keeps the finding as suppressed', async () => {
    const [finding] = await check('eval("1")  # sandbox-policy: ignore[dynamic-code]');
    assert.equal(finding.ruleId, 'dynamic-code');
    assert.equal(finding.suppressed, true);
  });

  it('suppresses from the line before', async () => {
    const findings = await check('# sandbox-policy: ignore[dynamic-code]\neval("1")\neval("2")');
    assert.deepEqual(
      findings.map((f) => [f.range.start.line, f.suppressed]),
      [
        [1, true],
        [2, false],
      ],
    );
  });

  it('a comment after code covers only its own line, not the next', async () => {
    const findings = await check('eval("1")  # sandbox-policy: ignore[dynamic-code]\neval("2")');
    assert.deepEqual(
      findings.map((f) => [f.range.start.line, f.suppressed]),
      [
        [0, true],
        [1, false],
      ],
    );
    const js = await check('eval(a); // sandbox-policy: ignore[dynamic-code]\neval(b);', {
      language: 'javascript',
    });
    assert.deepEqual(
      js.map((f) => [f.range.start.line, f.suppressed]),
      [
        [0, true],
        [1, false],
      ],
    );
  });

  it('a bare ignore suppresses every rule on that line', async () => {
    const findings = await check('import os\nos.system("rm -rf /")  # sandbox-policy: ignore');
    assert.ok(findings.length >= 2);
    assert.ok(findings.every((f) => f.suppressed));
  });

  it('an ignore for another rule does not suppress', async () => {
    const [finding] = await check('eval("1")  # sandbox-policy: ignore[file-write, env-access]');
    assert.equal(finding.suppressed, false);
  });

  it('several rules in one comment', async () => {
    const findings = await check(
      'import os\nos.system(os.environ["X"])  # sandbox-policy: ignore[command-execution, env-access]',
    );
    assert.ok(findings.length === 2 && findings.every((f) => f.suppressed));
  });

  it('text in a string is not a suppression', async () => {
    const [finding] = await check('eval("# sandbox-policy: ignore[dynamic-code]")');
    assert.equal(finding.suppressed, false);
  });

  it('ignore-file covers the whole file', async () => {
    const findings = await check('# sandbox-policy: ignore-file[dynamic-code]\n\n\neval("1")\nexec("2")');
    assert.ok(findings.every((f) => f.suppressed));
  });

  it('uses // comments in JavaScript', async () => {
    const [finding] = await check('// sandbox-policy: ignore[dynamic-code]\neval(x);', {
      language: 'javascript',
    });
    assert.equal(finding.suppressed, true);
    const [inString] = await check('eval("// sandbox-policy: ignore[dynamic-code]");', {
      language: 'javascript',
    });
    assert.equal(inString.suppressed, false);
  });

  it('a file whose only violations are suppressed is safe', async () => {
    const engine = await sharedEngine();
    const result = engine.analyze(
      'eval("1")  # sandbox-policy: ignore[dynamic-code]',
      'python',
      resolvePolicy({}),
    );
    assert.equal(result.safe, true);
  });

  it('suppresses nothing when the policy turns the comments off (code whose author is not trusted)', async () => {
    const code =
      '# sandbox-policy: ignore-file\nimport os\nos.system("id")  # sandbox-policy: ignore[command-execution]\n' +
      '# sandbox-policy: ignore\neval(payload)\n';
    const engine = await sharedEngine();
    const honoured = engine.analyze(code, 'python', resolvePolicy({}));
    assert.equal(honoured.safe, true);
    const ignored = engine.analyze(code, 'python', resolvePolicy({ inlineSuppressions: false }));
    assert.equal(ignored.safe, false);
    assert.deepEqual(
      ignored.findings.map((finding) => [finding.ruleId, finding.suppressed, finding.violation]),
      [
        ['command-execution', false, true],
        ['dynamic-code', false, true],
      ],
    );
    const js = '// sandbox-policy: ignore-file\nrequire("child_process").execSync("id");\n';
    assert.equal(engine.analyze(js, 'javascript', resolvePolicy({ inlineSuppressions: false })).safe, false);
  });
});
