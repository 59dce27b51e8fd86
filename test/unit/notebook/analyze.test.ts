// A notebook is one program: its code cells in order, IPython syntax masked, findings placed in their cell.
import assert from 'node:assert/strict';
import { resolvePolicy } from '../../../src/policy';
import { analyzeNotebook } from '../../../src/notebook/analyze';
import { analyze, notebook, notebookEngine, placesOf } from './helpers';

describe('notebook analysis: cells as one program', () => {
  it('resolves a name bound in an earlier cell in a later one, and places the finding in its cell', async () => {
    assert.deepEqual(
      await placesOf(['import os\n', ['markdown', 'Now run it:'], 'x = 1\n', '\n  \nos.system("ls")\n']),
      ['command-execution@4:3:1'],
    );
  });

  it('follows aliases and values across cells', async () => {
    assert.deepEqual(await placesOf(['import os as o', 'run = o.system', 'cmd = "ls"\nrun(cmd)']), [
      'command-execution@3:2:1',
    ]);
  });

  it('resolves a module-level name bound in a later cell too (cells are re-run out of order)', async () => {
    assert.deepEqual(await placesOf(['system("ls")', 'from os import system']), ['command-execution@1:1:1']);
  });

  it('keeps a use in an earlier cell when a later cell rebinds the name', async () => {
    assert.deepEqual(
      await placesOf(['from os import system', 'system("ls")', 'system = print\nsystem("ls")']),
      ['command-execution@2:1:1'],
    );
  });

  it('a rebinding in an earlier cell makes a later use harmless', async () => {
    assert.deepEqual(await placesOf(['from os import system', 'system = print', 'system("ls")']), []);
  });

  it('ignores markdown and raw cells, even when they hold code', async () => {
    assert.deepEqual(
      await placesOf([['markdown', 'import os\nos.system("ls")'], ['raw', 'eval(input())'], 'x = 1']),
      [],
    );
  });

  it('a notebook without code cells is safe', async () => {
    const result = await analyze([['markdown', '# Notes']]);
    assert.equal(result.safe, true);
    assert.deepEqual(result.findings, []);
  });

  it('reports the cell and the position within it in every finding', async () => {
    const result = await analyze(['import os', 'print(1)\nvalue = os.getenv("HOME")']);
    const [finding] = result.findings;
    assert.equal(finding.ruleId, 'env-access');
    assert.equal(finding.cell, 2);
    assert.deepEqual(finding.range.start, { cell: 2, line: 1, column: 8 });
    assert.equal(finding.range.end.cell, 2);
    assert.equal(finding.range.end.line, 1);
  });

  it('a cell with a syntax error cannot swallow the cells after it (an unclosed string)', async () => {
    const result = await analyze(['import os\ntext = """', 'os.system("rm -rf /tmp/x")', 'print(1)']);
    assert.deepEqual(result.cellsWithSyntaxErrors, [1]);
    assert.equal(result.syntaxErrors, true);
    assert.equal(result.safe, false);
    // Read as one text, cell 2 would be the inside of cell 1's string. Cell 1's unreadable region names a
    // way to a sink (`os`), so it fails closed too (src/policy/unreadable-regions.ts).
    const places = result.findings.map((f) => `${f.ruleId}@${f.cell}:${f.range.start.line + 1}`);
    assert.deepEqual(places, ['unreadable-source@1:2', 'command-execution@2:1']);
  });

  it('finds what a half-typed cell does, in the context of the cells before it', async () => {
    // The half-typed call is also a region the parser could not read, naming `os`: unreadable-source.
    assert.deepEqual(await placesOf(['import os', 'os.system("ls",\n']), [
      'command-execution@2:1:1',
      'unreadable-source@2:1:1',
    ]);
  });

  it('reports a notebook in another language as unreadable, never safe', async () => {
    const result = analyzeNotebook(
      await notebookEngine(),
      notebook([['markdown', 'x'], 'x <- 1'], 'r'),
      resolvePolicy({}),
    );
    assert.equal(result.safe, false);
    assert.equal(result.findings[0].ruleId, 'unreadable-source');
    assert.equal(result.findings[0].cell, 2);
    assert.match(result.findings[0].message, /language is "r", and only Python notebooks are checked/);
  });

  it('reports a cell holding a NUL byte as unreadable, and still checks the others', async () => {
    const result = await analyze(['import os', 'x = 1\0', 'os.system("ls")']);
    assert.equal(result.safe, false);
    assert.deepEqual(
      result.findings.map((f) => `${f.ruleId}@${f.cell}`),
      ['unreadable-source@2', 'command-execution@3'],
    );
  });
});

describe('notebook analysis: suppression comments', () => {
  it('work per line in a cell', async () => {
    const result = await analyze([
      'import os',
      'os.system("ls")  # sandbox-policy: ignore[command-execution]\nos.system("pwd")',
    ]);
    assert.deepEqual(
      result.findings.map((f) => `${f.cell}:${f.range.start.line + 1}:${f.suppressed}`),
      ['2:1:true', '2:2:false'],
    );
  });

  it('a comment alone on the last line of a cell does not cover the next cell', async () => {
    assert.deepEqual(await placesOf(['import os\n# sandbox-policy: ignore', 'os.system("ls")']), [
      'command-execution@2:1:1',
    ]);
  });

  it('ignore-file in any cell covers the whole notebook, cells before it included', async () => {
    const result = await analyze([
      'import os\nos.system("ls")',
      'x = 1',
      '# sandbox-policy: ignore-file[command-execution]',
    ]);
    assert.equal(result.findings.length, 1);
    assert.equal(result.findings[0].suppressed, true);
    assert.equal(result.safe, true);
  });
});
