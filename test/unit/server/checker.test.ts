// The checker between the protocol and the engine: edits that pile up between two checks (typing while a
// check runs) reach the engine as one edit, so it still re-checks only the edited function, and finds
// the same as a check of the whole text.
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PolicyEngine, resolvePolicy, type TextEdit } from '../../../src/policy';
import { AnalysisPool } from '../../../src/server/analysis-pool';
import { Checker } from '../../../src/server/checker';
import { coalesceEdits } from '../../../src/server/coalesce-edits';

function apply(text: string, edit: TextEdit): string {
  return text.slice(0, edit.rangeOffset) + edit.text + text.slice(edit.rangeOffset + edit.rangeLength);
}

/** A small deterministic generator (the sequences must be the same on every run). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('language server: coalesced edits', () => {
  it('turns any sequence of edits into one that gives the same text', () => {
    const next = random(7);
    for (let trial = 0; trial < 500; trial++) {
      const original = 'def f(x):\n    return x + 1\n\nprint(f(2))\n'.repeat(1 + Math.floor(next() * 3));
      let text = original;
      const edits: TextEdit[] = [];
      const count = 2 + Math.floor(next() * 6);
      for (let i = 0; i < count; i++) {
        const rangeOffset = Math.floor(next() * (text.length + 1));
        const rangeLength = Math.floor(next() * Math.min(5, text.length - rangeOffset + 1));
        const edit = { rangeOffset, rangeLength, text: 'ab\n'.slice(0, Math.floor(next() * 4)) };
        edits.push(edit);
        text = apply(text, edit);
      }
      const one = coalesceEdits(edits, text);
      assert.equal(apply(original, one), text, `trial ${trial}: ${JSON.stringify(edits)}`);
      const first = Math.min(...edits.map((e) => e.rangeOffset));
      assert.equal(one.rangeOffset, first, 'the edit starts where the first change is, not at 0');
    }
  });

  it('covers typing at one place with the typed text alone', () => {
    const edits = [...'abc'].map((ch, i) => ({ rangeOffset: 10 + i, rangeLength: 0, text: ch }));
    assert.deepEqual(coalesceEdits(edits, `${'x'.repeat(10)}abc${'y'.repeat(5)}`), {
      rangeOffset: 10,
      rangeLength: 0,
      text: 'abc',
    });
  });

  it('re-checks only the edited function when several keystrokes arrive before a check, and finds what they typed', async () => {
    const engine = PolicyEngine.create();
    const pool = new AnalysisPool();
    const policy = resolvePolicy({});
    const checker = new Checker({
      engine,
      pool,
      policyFor: () => ({ policy, key: 'policy', documentSizeLimitBytes: 5 * 1024 * 1024 }),
      log: () => undefined,
    });
    const uri = 'untitled:typing.py';
    const before = 'import os\n\n\ndef handler(request):\n    return request\n\n\nVALUE = 1\n';
    try {
      checker.open(uri, 'python', 1, before);
      assert.deepEqual((await checker.ensureChecked(uri))?.diagnostics, []);
      // `os.system(request)` typed one character per didChange, in front of `return`, no check between.
      let document = TextDocument.create(uri, 'python', 1, before);
      const at = before.indexOf('return');
      [...'os.system(request)\n    '].forEach((ch, i) => {
        const position = document.positionAt(at + i);
        const change = { range: { start: position, end: position }, text: ch };
        document = TextDocument.update(document, [change], document.version + 1);
        checker.change(uri, document.version, [change]);
      });
      const checked = await checker.ensureChecked(uri);
      assert.equal((await engine).lastUpdateMode(uri), 'focused', 'only the edited function was re-checked');
      const rules = checked?.diagnostics.map((d) => d.code);
      assert.ok(rules?.includes('command-execution'), `found: ${rules?.join(', ')}`);
      const whole = (await engine).analyze(document.getText(), 'python', policy);
      assert.deepEqual(
        checked?.findings.map((f) => [f.ruleId, f.message, f.range]),
        whole.findings.filter((f) => !f.suppressed).map((f) => [f.ruleId, f.message, f.range]),
        'the same findings as a check of the whole text',
      );
    } finally {
      checker.dispose();
      pool.dispose();
      (await engine).dispose();
    }
  });
});
