// Nesting as an evasion: a dangerous value wrapped in more parentheses, lists or wrappers than the analysis
// used to follow (32 steps up the tree, 3 or 4 levels of containers) was dropped, and the file called
// safe. Now wrappers that only group are unwrapped, containers are searched to any depth, and what the
// evaluation still cannot follow to the end makes the analysis incomplete (`truncated`): never safe.
import assert from 'node:assert/strict';
import { resolvePolicy, type Language } from '../../../src/policy';
import { sharedEngine } from './helpers';

const policy = resolvePolicy({});
/** Shallow, past the old limits, and deep (CPython refuses 200 nested parentheses). */
const DEPTHS = [5, 45, 150];
/** Longer than the evaluation follows (100 levels): what it cuts off must not be called safe if it mattered. */
const CHAIN = 150;

async function analyze(code: string, language: Language) {
  return (await sharedEngine()).analyze(code, language, policy);
}

async function assertFound(code: string, language: Language, rule = 'command-execution'): Promise<void> {
  const result = await analyze(code, language);
  assert.equal(result.safe, false, `called safe:\n${code.slice(0, 300)}`);
  assert.ok(
    result.findings.some((finding) => finding.ruleId === rule && finding.violation),
    `no ${rule} finding: ${JSON.stringify(result.findings.map((f) => f.ruleId))}\n${code.slice(0, 300)}`,
  );
}

const PY = 'import os\n';
const JS = 'const cp = require("child_process");\n';
const wrap = (open: string, inner: string, close: string, depth: number): string =>
  open.repeat(depth) + inner + close.repeat(depth);

describe('deeply nested code', () => {
  for (const depth of DEPTHS) {
    describe(`${depth} levels`, () => {
      it('finds a call through parentheses, at the call and through a name (Python)', async () => {
        await assertFound(`${PY}${wrap('(', 'os.system', ')', depth)}("id")\n`, 'python');
        await assertFound(`${PY}run = ${wrap('(', 'os.system', ')', depth)}\nrun("id")\n`, 'python');
        await assertFound(`${PY}${wrap('(', 'getattr', ')', depth)}(os, "system")("id")\n`, 'python');
      });

      it('finds a call through parentheses and TypeScript wrappers (JavaScript, TypeScript)', async () => {
        await assertFound(`${JS}${wrap('(', 'cp.exec', ')', depth)}("id");\n`, 'javascript');
        await assertFound(
          `${JS}const run = ${wrap('(', 'cp.exec', ')', depth)};\nrun("id");\n`,
          'javascript',
        );
        await assertFound(`${JS}${wrap('(', 'cp.exec', ' as any)', depth)}("id");\n`, 'typescript');
        await assertFound(
          `${JS}const run = ${wrap('(', 'cp.exec!', ')', depth)};\nrun("id");\n`,
          'typescript',
        );
      });

      it('finds a module kept in nested containers and read back out (Python)', async () => {
        await assertFound(
          `${PY}x = ${wrap('[', 'os', ']', depth)}\nx${'[0]'.repeat(depth)}.system("id")\n`,
          'python',
        );
        await assertFound(
          `${PY}d = ${wrap('{"k": ', 'os', '}', depth)}\nd${'["k"]'.repeat(depth)}.system("id")\n`,
          'python',
        );
        await assertFound(
          `${PY}t = ${wrap('(', 'os', ',)', depth)}\nt${'[0]'.repeat(depth)}.system("id")\n`,
          'python',
        );
      });

      it('finds a module kept in nested containers and read back out (JavaScript)', async () => {
        await assertFound(
          `${JS}const x = ${wrap('[', 'cp', ']', depth)};\nx${'[0]'.repeat(depth)}.exec("id");\n`,
          'javascript',
        );
        await assertFound(
          `${JS}const o = ${wrap('{k: ', 'cp', '}', depth)};\no${'.k'.repeat(depth)}.exec("id");\n`,
          'javascript',
        );
      });
    });
  }

  it('never calls safe what the evaluation cannot follow to the end: the analysis is incomplete', async () => {
    for (const [code, language] of [
      [`${PY}run = ${'0 if c else '.repeat(CHAIN)}os.system\nrun("id")\n`, 'python'],
      [`${PY}run = ${'0 or '.repeat(CHAIN)}os.system\nrun("id")\n`, 'python'],
      [`${JS}const run = ${'c ? 0 : '.repeat(CHAIN)}cp.exec;\nrun("id");\n`, 'javascript'],
      [`${JS}const run = ${'0 || '.repeat(CHAIN)}cp.exec;\nrun("id");\n`, 'javascript'],
      [`${JS}const run = ${'() => '.repeat(CHAIN)}cp.exec;\nrun${'()'.repeat(CHAIN)}("id");\n`, 'javascript'],
      // The dangerous value comes in through a name, not a seed word, at the bottom of the chain.
      [`${PY}x = os.system\nrun = ${'0 if c else '.repeat(CHAIN)}x\nrun("id")\n`, 'python'],
      [`${JS}const x = cp.exec;\nconst run = ${'c ? 0 : '.repeat(CHAIN)}x;\nrun("id");\n`, 'javascript'],
    ] as const) {
      const result = await analyze(code, language);
      assert.equal(result.safe, false, `called safe:\n${code.slice(0, 200)}`);
      const found = result.findings.some((finding) => finding.ruleId === 'command-execution');
      assert.ok(found || result.truncated === true, `neither found nor incomplete:\n${code.slice(0, 200)}`);
    }
  });

  it('leaves deeply nested harmless code safe and complete, even where the evaluation is cut off', async () => {
    for (const [code, language] of [
      // A file name chosen through 150 conditionals: evaluated for the open, cut off, and harmless.
      [`name = ${'0 if c else '.repeat(CHAIN)}"notes.txt"\nprint(open(name).read())\n`, 'python'],
      [`name = ${Array(CHAIN).fill('"a"').join(' + ')}\nprint(open(name).read())\n`, 'python'],
      [
        `const fs = require("fs");\nconst name = ${'c ? "x" : '.repeat(CHAIN)}"notes.txt";\nconsole.log(fs.readFileSync(name, "utf8"));\n`,
        'javascript',
      ],
      [
        `x = ${wrap('(', '1', ')', 150)}\ny = ${wrap('[', 'x', ']', 150)}\nprint(y${'[0]'.repeat(150)})\n`,
        'python',
      ],
      [`value = ${'0 if c else '.repeat(CHAIN)}1\nprint(value)\n`, 'python'],
      [
        `const x = ${wrap('(', '1', ')', 300)};\nconst y = ${wrap('[', 'x', ']', 300)};\nconsole.log(y);\n`,
        'javascript',
      ],
    ] as const) {
      const result = await analyze(code, language);
      assert.equal(result.truncated, undefined, `incomplete:\n${code.slice(0, 200)}`);
      assert.equal(result.safe, true, JSON.stringify(result.findings.map((f) => f.ruleId)));
    }
  });
});
