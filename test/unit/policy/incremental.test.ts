// Per-document incremental analysis: tree.edit + re-parse, and results identical to a fresh analysis.
import assert from 'node:assert/strict';
import { resolvePolicy, type TextEdit } from '../../../src/policy';
import { sharedEngine } from './helpers';

const policy = resolvePolicy({});

const BASE = `import os
import subprocess as sp

def run(cmd):
    """Runs a command."""
    return sp.run(cmd, shell=True)

class Store:
    def save(self, path, data):
        with open(path, "w") as out:
            out.write(data)

value = os.environ.get("HOME")
`;

/** A deterministic pseudo-random generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

function apply(text: string, edit: TextEdit): string {
  return text.slice(0, edit.rangeOffset) + edit.text + text.slice(edit.rangeOffset + edit.rangeLength);
}

describe('incremental analysis', () => {
  it('matches a fresh analysis after each of 200 random edits', async () => {
    const engine = await sharedEngine();
    const next = random(7);
    const pieces = ['x', ' ', '\n', '(', ')', '"', 'os.system("a")\n', 'eval(', '#', '    ', 'é', '😀'];
    let text = BASE;
    engine.update('doc://random', text, 'python', policy);
    for (let i = 0; i < 200; i++) {
      const offset = Math.floor(next() * (text.length + 1));
      const length = next() < 0.3 ? Math.min(Math.floor(next() * 5), text.length - offset) : 0;
      const edit: TextEdit = {
        rangeOffset: offset,
        rangeLength: length,
        text: pieces[Math.floor(next() * pieces.length)],
      };
      text = apply(text, edit);
      const incremental = engine.update('doc://random', text, 'python', policy, [edit]);
      assert.deepEqual(
        incremental,
        engine.analyze(text, 'python', policy),
        `after edit ${i}: ${JSON.stringify(edit)}`,
      );
    }
    engine.close('doc://random');
  });

  it('applies several changes of one event in order (VS Code sends them last-first)', async () => {
    const engine = await sharedEngine();
    engine.update('doc://multi', BASE, 'python', policy);
    const edits: TextEdit[] = [
      { rangeOffset: BASE.indexOf('value'), rangeLength: 0, text: 'eval("1")\n' },
      { rangeOffset: 0, rangeLength: 0, text: '# header\n' },
    ];
    const text = edits.reduce(apply, BASE);
    const result = engine.update('doc://multi', text, 'python', policy, edits);
    assert.deepEqual(result, engine.analyze(text, 'python', policy));
    assert.ok(result.findings.some((f) => f.ruleId === 'dynamic-code'));
    engine.close('doc://multi');
  });

  it('falls back to a full parse when the edits do not reproduce the text', async () => {
    const engine = await sharedEngine();
    engine.update('doc://wrong', BASE, 'python', policy);
    const text = `${BASE}exec("x")\n`;
    const result = engine.update('doc://wrong', text, 'python', policy, [
      { rangeOffset: 0, rangeLength: 0, text: 'zzz' },
    ]);
    assert.deepEqual(result, engine.analyze(text, 'python', policy));
    engine.close('doc://wrong');
  });

  it('re-judges under a new policy without a new text', async () => {
    const engine = await sharedEngine();
    const before = engine.update('doc://policy', BASE, 'python', policy);
    const after = engine.update('doc://policy', BASE, 'python', resolvePolicy({ preset: 'minimal' }));
    assert.equal(before.safe, false);
    assert.ok(
      after.findings.length > 0 &&
        after.findings.every((f) => f.ruleId === 'restricted-module' || !f.violation),
    );
    engine.close('doc://policy');
  });

  it('keeps documents apart and forgets closed ones', async () => {
    const engine = await sharedEngine();
    engine.update('doc://a', 'eval(1)', 'python', policy);
    engine.update('doc://b', 'x = 1', 'python', policy);
    const edit = { rangeOffset: 0, rangeLength: 0, text: 'y = 2\n' };
    assert.deepEqual(engine.update('doc://b', 'y = 2\nx = 1', 'python', policy, [edit]).findings, []);
    assert.equal(engine.update('doc://a', 'eval(1)', 'python', policy).findings.length, 1);
    engine.close('doc://a');
    engine.close('doc://b');
    engine.close('doc://never-opened');
  });
});

describe('incremental re-check scope', () => {
  it('re-checks only the edited function when it binds nothing new, and agrees with a full pass', async () => {
    const engine = await sharedEngine();
    engine.update('doc://focus', BASE, 'python', policy);
    const at = BASE.indexOf('return sp.run');
    const edit = { rangeOffset: at, rangeLength: 0, text: 'eval("x")\n    ' };
    const text = apply(BASE, edit);
    const result = engine.update('doc://focus', text, 'python', policy, [edit]);
    assert.equal(engine.lastUpdateMode('doc://focus'), 'focused');
    assert.deepEqual(result, engine.analyze(text, 'python', policy));
    assert.ok(result.findings.some((f) => f.ruleId === 'dynamic-code' && f.range.start.line === 5));
    engine.close('doc://focus');
  });

  it('re-checks everything when a module-level binding changes', async () => {
    const engine = await sharedEngine();
    engine.update('doc://imports', BASE, 'python', policy);
    const edit = {
      rangeOffset: BASE.indexOf('subprocess as sp'),
      rangeLength: 'subprocess'.length,
      text: 'json',
    };
    const text = apply(BASE, edit);
    const result = engine.update('doc://imports', text, 'python', policy, [edit]);
    assert.equal(engine.lastUpdateMode('doc://imports'), 'full');
    assert.deepEqual(result, engine.analyze(text, 'python', policy));
    assert.ok(!result.findings.some((f) => f.ruleId === 'command-execution'), 'sp is json now');
    engine.close('doc://imports');
  });

  it('re-checks everything when values flow between statements (arguments, returns)', async () => {
    const engine = await sharedEngine();
    for (const [code, at, insert] of [
      ['import os\ndef run(m):\n    m.system("id")\nrun(os)\n', 'm.system', 'x = 1\n    '],
      ['import os\ndef run(m):\n    pass\nrun(os)\n', 'pass', 'm.system("id")\n    '],
      ['import os\ndef get():\n    pass\nget().system("id")\n', 'pass', 'return os\n    '],
    ]) {
      engine.update('doc://flow', code, 'python', policy);
      const edit = { rangeOffset: code.indexOf(at), rangeLength: 0, text: insert };
      const text = apply(code, edit);
      const result = engine.update('doc://flow', text, 'python', policy, [edit]);
      assert.equal(engine.lastUpdateMode('doc://flow'), 'full', text);
      assert.deepEqual(result, engine.analyze(text, 'python', policy));
      assert.ok(
        result.findings.some((f) => f.ruleId === 'command-execution'),
        text,
      );
      engine.close('doc://flow');
    }
  });

  it('re-checks everything when a function gains a global statement', async () => {
    const engine = await sharedEngine();
    const code = 'import os\ndef f():\n    pass\nos.system("x")\n';
    engine.update('doc://global', code, 'python', policy);
    const edit = { rangeOffset: code.indexOf('pass'), rangeLength: 4, text: 'global os; os = None' };
    const text = apply(code, edit);
    const result = engine.update('doc://global', text, 'python', policy, [edit]);
    assert.equal(engine.lastUpdateMode('doc://global'), 'full');
    assert.deepEqual(result, engine.analyze(text, 'python', policy));
    engine.close('doc://global');
  });
});
