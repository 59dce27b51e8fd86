// The parser's work budget (src/policy/parse-budget.ts): tangled syntax whose error recovery explodes is
// unreadable-source at once, never a parse that holds the CLI, a check worker or the language server for
// minutes (this fixture, 32 KB of random bytes read as TypeScript, took 4 minutes to parse without it);
// ordinary code is far inside the budget; the parser works on after a parse it gave up.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { resolvePolicy } from '../../../src/policy';
import { sharedEngine } from './helpers';

const policy = resolvePolicy({});
const TANGLED = fs
  .readFileSync(path.resolve(__dirname, '../../../../test/fixtures/parse-budget/tangled-typescript.txt'))
  .toString('latin1');

describe('the parse budget', () => {
  it('reports tangled syntax as unreadable-source, not safe, and the engine analyses the next file', async () => {
    const engine = await sharedEngine();
    const result = engine.analyze(TANGLED, 'typescript', policy);
    assert.equal(result.safe, false);
    assert.deepEqual(
      result.findings.map((finding) => [finding.ruleId, finding.violation]),
      [['unreadable-source', true]],
    );
    assert.match(result.findings[0].message, /parser gave up.*too tangled to read/);
    // The cancelled parse is not resumed by the next one.
    const next = engine.analyze(
      'import { execSync } from "child_process";\nexecSync("id");\n',
      'typescript',
      policy,
    );
    assert.ok(next.findings.some((finding) => finding.ruleId === 'command-execution'));
  });

  it('gives up the same way in an open document, which is parsed afresh after', async () => {
    const engine = await sharedEngine();
    const docId = 'file:///tangled.ts';
    const tangled = engine.update(docId, TANGLED, 'typescript', policy);
    assert.deepEqual(
      tangled.findings.map((finding) => finding.ruleId),
      ['unreadable-source'],
    );
    const fixed = engine.update(docId, 'eval(x);\n', 'typescript', policy, [
      { rangeOffset: 0, rangeLength: TANGLED.length, text: 'eval(x);\n' },
    ]);
    assert.deepEqual(
      fixed.findings.map((finding) => finding.ruleId),
      ['dynamic-code'],
    );
    engine.close(docId);
  });

  it('leaves ordinary code far inside it: a 1 MB file of ordinary TypeScript is analysed', async () => {
    const engine = await sharedEngine();
    const unit = [
      'export class Store<T extends { id: string }> {',
      '  private readonly items = new Map<string, T>();',
      '  add(item: T): void { if (!this.items.has(item.id)) this.items.set(item.id, { ...item }); }',
      '  find(predicate: (item: T) => boolean): T | undefined { return [...this.items.values()].find(predicate); }',
      '}',
      '',
    ].join('\n');
    const text = `${unit.repeat(Math.ceil((1024 * 1024) / unit.length))}import { execSync } from "child_process";\nexecSync("id");\n`;
    assert.ok(text.length > 1024 * 1024);
    const result = engine.analyze(text, 'typescript', policy);
    assert.deepEqual(
      result.findings.filter((finding) => finding.ruleId === 'unreadable-source'),
      [],
    );
    assert.ok(result.findings.some((finding) => finding.ruleId === 'command-execution'));
  });
});
