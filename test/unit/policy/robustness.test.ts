// Hostile inputs: no exception, bounded time (mocha's timeout), a useful result.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { resolvePolicy } from '../../../src/policy';
import { rulesOf, sharedEngine } from './helpers';

const policy = resolvePolicy({});

describe('robustness', () => {
  it('random bytes: a result with syntax errors, no exception; with NUL bytes, unreadable-source', async () => {
    const engine = await sharedEngine();
    for (let i = 0; i < 3; i++) {
      const bytes = randomBytes(32 * 1024).toString('latin1');
      const text = bytes.replace(/\0/g, ' ');
      for (const language of ['python', 'javascript', 'typescript'] as const) {
        const result = engine.analyze(text, language, policy);
        assert.equal(result.syntaxErrors, true);
        assert.ok(Array.isArray(result.findings));
        const binary = engine.analyze(`${bytes}\0`, language, policy);
        assert.equal(binary.safe, false);
        assert.deepEqual(
          binary.findings.map((f) => f.ruleId),
          ['unreadable-source'],
        );
      }
    }
  });

  // Names from the analysed code index the engine's own tables: none may answer from Object.prototype.
  const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);

  it('Object.prototype names as Python modules, attributes and getattr names: analysed, not a crash', async () => {
    for (const name of PROTOTYPE_NAMES) {
      const code = [
        'import os, posix',
        `import ${name}`,
        `from os import ${name} as x`,
        `os.${name}`,
        `posix.${name}.${name}()`,
        `getattr(os, "${name}")()`,
        `getattr(getattr(os, "${name}"), "${name}")`,
        `().__class__.${name}`,
        `${name}(os)`,
        'os.system("ls")',
      ].join('\n');
      const rules = await rulesOf(code);
      assert.ok(rules.includes('command-execution'), `${name}: ${rules.join(', ')}`);
      assert.ok(
        !rules.includes('unreadable-source'),
        `${name}: the engine failed on ${JSON.stringify(code)}`,
      );
    }
  });

  it('Object.prototype names as JavaScript modules, members and computed keys: analysed, not a crash', async () => {
    for (const name of PROTOTYPE_NAMES) {
      const code = [
        "const cp = require('child_process');",
        `const m = require('${name}');`,
        `cp.${name}; cp['${name}'](); m.${name}.${name}();`,
        `const { ${name}: y } = cp; y();`,
        `Reflect.get(cp, '${name}')();`,
        "cp.exec('ls');",
      ].join('\n');
      for (const language of ['javascript', 'typescript'] as const) {
        const rules = await rulesOf(code, { language });
        assert.ok(rules.includes('command-execution'), `${name} (${language}): ${rules.join(', ')}`);
        assert.ok(!rules.includes('unreadable-source'), `${name} (${language}): the engine failed`);
      }
    }
  });

  it('a 5 MB file: the finding at its very end is still found', async () => {
    const engine = await sharedEngine();
    const block = [
      'import os',
      'import json',
      '',
      'def load(path):',
      '    """Reads a JSON file relative to the working directory."""',
      '    with open(os.path.join("data", path)) as handle:',
      '        return json.load(handle)',
      '',
      'class Report:',
      '    def __init__(self, rows):',
      '        self.rows = [dict(r) for r in rows if r]',
      '    def total(self):',
      '        return sum(len(r) for r in self.rows)',
      '',
    ].join('\n');
    const text = `${block.repeat(Math.ceil((5 * 1024 * 1024) / block.length))}os.system("id")\n`;
    assert.ok(text.length >= 5 * 1024 * 1024);
    const result = engine.analyze(text, 'python', policy);
    assert.equal(result.truncated, undefined);
    const lastLine = text.split('\n').length - 2;
    assert.ok(
      result.findings.some((f) => f.ruleId === 'command-execution' && f.range.start.line === lastLine),
    );
  });

  it('10,000-deep nested parentheses, with a finding inside and after', async () => {
    const engine = await sharedEngine();
    const deep = `${'('.repeat(10_000)}eval(x)${')'.repeat(10_000)}`;
    const result = engine.analyze(`y = ${deep}\nimport os\nos.system("id")\n`, 'python', policy);
    assert.ok(result.findings.some((f) => f.ruleId === 'dynamic-code' && f.range.start.line === 0));
    assert.ok(result.findings.some((f) => f.ruleId === 'command-execution' && f.range.start.line === 2));
  });

  it('10,000 unclosed brackets in JavaScript', async () => {
    const engine = await sharedEngine();
    const result = engine.analyze(`${'['.repeat(10_000)}\neval(x);`, 'javascript', policy);
    assert.equal(result.syntaxErrors, true);
    assert.ok(Array.isArray(result.findings));
  });

  it('2,000 nested blocks (deep indentation)', async () => {
    const engine = await sharedEngine();
    let text = '';
    for (let i = 0; i < 2000; i++) text += `${' '.repeat(i)}if x:\n`;
    text += `${' '.repeat(2000)}eval(y)\n`;
    const result = engine.analyze(text, 'python', policy);
    assert.ok(result.findings.some((f) => f.ruleId === 'dynamic-code'));
  });

  it('a file of only comments: clean and safe', async () => {
    const engine = await sharedEngine();
    const text = '# eval(x)\n# import os; os.system("rm -rf /")\n#\n'.repeat(1000);
    const result = engine.analyze(text, 'python', policy);
    assert.deepEqual(result, { findings: [], safe: true, syntaxErrors: false });
  });

  it('an empty file', async () => {
    const engine = await sharedEngine();
    assert.deepEqual(engine.analyze('', 'python', policy), { findings: [], safe: true, syntaxErrors: false });
  });
});
