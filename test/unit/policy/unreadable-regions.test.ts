// Code the parser could not read is never passed over as safe when it names a way to a sink: a grammar
// that lags the language (TypeScript's `export import x = require(...)`) misreads code that runs.
import assert from 'node:assert/strict';
import type { Finding } from '../../../src/policy';
import { check } from './helpers';

const unreadable = (findings: Finding[]): Finding[] =>
  findings.filter((f) => f.ruleId === 'unreadable-source');

describe('regions the parser could not read', () => {
  it("fails closed on TypeScript's `export import x = require(...)`, which the grammar misreads", async () => {
    const code = 'export import cp = require("child_process");\ncp.execSync("id");\n';
    const findings = await check(code, { language: 'typescript', path: 'tool.ts' });
    // Read as an alias of `require`, a made-up `;` and a parenthesized string: nothing else would be found.
    assert.deepEqual(
      findings.filter((f) => f.ruleId !== 'unreadable-source'),
      [],
      'the misread code is otherwise invisible',
    );
    const [region] = unreadable(findings);
    assert.ok(region, 'no unreadable-source finding');
    assert.equal(region.severity, 'HIGH');
    assert.equal(region.violation, true);
    assert.equal(region.range.start.line, 0);
    assert.match(
      region.message,
      /the parser could not read this code .* mentions `import`, `require`, `child_process`/,
    );
  });

  it('fails closed on a Python region the parser skipped that mentions a way to a sink', async () => {
    const findings = await check('x = [1, 2\nexec(payload)\n');
    const [region] = unreadable(findings);
    assert.ok(region, 'no unreadable-source finding');
    assert.match(region.message, /mentions `exec`/);
  });

  it('fails closed on a JavaScript statement cut short before a require', async () => {
    const findings = await check('const x = {;\nrequire(name).run();\n', {
      language: 'javascript',
      path: 'a.js',
    });
    assert.match(unreadable(findings)[0]?.message ?? '', /mentions `require`/);
  });

  it('says nothing more about a syntax error that names no way to a sink', async () => {
    assert.deepEqual(unreadable(await check('def f(:\n    return 1\n')), []);
    assert.deepEqual(
      unreadable(await check('const a = [1, 2 3];\n', { language: 'javascript', path: 'a.js' })),
      [],
    );
  });

  it('leaves TypeScript declaration files alone: they hold types only and never run', async () => {
    const code = 'export import cp = require("child_process");\n';
    assert.deepEqual(unreadable(await check(code, { language: 'typescript', path: 'types/index.d.ts' })), []);
    assert.equal(unreadable(await check(code, { language: 'typescript', path: 'index.ts' })).length, 1);
  });

  it('fails closed when the search for such regions runs out (200,000 nodes), never stopping quietly', async () => {
    // Past 200,000 statements the walk stops before the error at the end, which names no sink at all.
    const code = 'a;\n'.repeat(200_100) + 'const x = {;\n';
    const [budget] = unreadable(await check(code, { language: 'javascript', path: 'big.js' }));
    assert.match(budget?.message ?? '', /too much code around syntax errors .*\(over 200,000 nodes/);
    assert.equal(budget?.violation, true);
    // Below the budget the same error is searched, names nothing, and stays a note.
    assert.deepEqual(
      unreadable(
        await check('a;\n'.repeat(1000) + 'const x = {;\n', { language: 'javascript', path: 'a.js' }),
      ),
      [],
    );
  });

  it('can be suppressed on its line, as any finding', async () => {
    const code =
      'export import cp = require("child_process"); // sandbox-policy: ignore[unreadable-source]\n';
    const [region] = unreadable(await check(code, { language: 'typescript', path: 'tool.ts' }));
    assert.equal(region?.suppressed, true);
  });
});
