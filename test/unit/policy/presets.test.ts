// The same file judged by different presets, thresholds and per-rule overrides.
import assert from 'node:assert/strict';
import { resolvePolicy } from '../../../src/policy';
import { check, sharedEngine } from './helpers';

const SCRIPT = `import os
import requests

data = requests.get("https://example.com/data.csv").text
with open("data.csv", "w") as out:
    out.write(data)
print(os.environ.get("HOME"))
`;

describe('presets', () => {
  it('development allows what strict blocks', async () => {
    const engine = await sharedEngine();
    const development = engine.analyze(SCRIPT, 'python', resolvePolicy({ preset: 'development' }));
    const strict = engine.analyze(SCRIPT, 'python', resolvePolicy({ preset: 'strict' }));
    assert.equal(development.safe, true);
    assert.ok(development.findings.length > 0, 'development still reports below-threshold findings');
    assert.ok(development.findings.every((f) => !f.violation));
    assert.equal(strict.safe, false);
    assert.ok(strict.findings.some((f) => f.ruleId === 'network-http' && f.violation));
    assert.ok(strict.findings.some((f) => f.ruleId === 'restricted-module' && f.message.includes('os')));
  });

  it('data_science tolerates network reads and file writes; production does not', async () => {
    const engine = await sharedEngine();
    assert.equal(engine.analyze(SCRIPT, 'python', resolvePolicy({ preset: 'data_science' })).safe, true);
    const production = engine.analyze(SCRIPT, 'python', resolvePolicy({ preset: 'production' }));
    assert.equal(production.safe, false);
    assert.deepEqual(
      [...new Set(production.findings.filter((f) => f.violation).map((f) => f.ruleId))].sort(),
      ['env-access', 'file-write', 'network-http'],
    );
  });

  it('minimal blocks only the worst', async () => {
    const findings = await check('import os\nos.system("ls")\nos.system("rm -rf /")\n', {
      config: { preset: 'minimal' },
    });
    assert.deepEqual(
      findings.filter((f) => f.violation).map((f) => f.ruleId),
      ['destructive-command'],
    );
  });

  it('educational warns about eval without blocking it', async () => {
    const [finding] = await check('eval("1")', { config: { preset: 'educational' } });
    assert.equal(finding.ruleId, 'dynamic-code');
    assert.equal(finding.severity, 'LOW');
    assert.equal(finding.violation, false);
  });

  it('a threshold override turns warnings into violations', async () => {
    const [finding] = await check('eval("1")', { config: { preset: 'educational', threshold: 'LOW' } });
    assert.equal(finding.violation, true);
  });

  it('a rule set to off disappears; a rule severity override applies', async () => {
    assert.deepEqual(await check('eval("1")', { config: { rules: { 'dynamic-code': 'off' } } }), []);
    const [finding] = await check('eval("1")', { config: { rules: { 'dynamic-code': 'LOW' } } });
    assert.equal(finding.severity, 'LOW');
    assert.equal(finding.violation, false);
  });

  it('restricted modules carry their own severity, capped by the rule', async () => {
    const config = { restrictedModules: [{ name: 'psutil', severity: 'MEDIUM' as const }] };
    const [finding] = await check('import psutil.process', { config });
    assert.equal(finding.ruleId, 'restricted-module');
    assert.equal(finding.severity, 'MEDIUM');
    const [capped] = await check('import psutil', {
      config: { ...config, rules: { 'restricted-module': 'LOW' } },
    });
    assert.equal(capped.severity, 'LOW');
  });

  it('a restricted module imported dynamically is found too', async () => {
    const findings = await check('m = __import__("sub" + "process")', {});
    assert.ok(findings.some((f) => f.ruleId === 'restricted-module' && f.message.includes('dynamically')));
  });

  it('allowed modules drop their findings, except sandbox escapes', async () => {
    const code = 'import requests\nrequests.get("https://x")\nimport sys\nsys._getframe()\n';
    const findings = await check(code, { config: { allowedModules: ['requests', 'sys'] } });
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      ['sandbox-escape'],
    );
  });
});
