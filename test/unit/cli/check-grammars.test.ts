// `check` compiles only the grammars its files need: a Python tree never compiles JavaScript's or
// TypeScript's, and the verdicts are those of an engine holding all four. An engine created without a
// grammar refuses to parse in it (GrammarNotLoaded), never answers as if the file were empty. The workers'
// bundle holds no policy schema.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FileChecker } from '../../../src/cli/check-one';
import { PolicyEngine, resolvePolicy } from '../../../src/policy';
import { GrammarNotLoaded } from '../../../src/policy/engine';
import { makeDir } from './check-helpers';

const policy = resolvePolicy({});
const SOURCES = {
  'a.py': 'import os\nos.system(input())\nexec("eval(input())")\n',
  'b.ts': "const f = new Function(\"require('child_process').exec('x')\");\neval(x as string);\n",
  'c.tsx': 'const el = <div onClick={() => eval(code)} />;\n',
  'd.js': 'require("child_process").exec(cmd);\n',
};

describe('sandbox-policy check: what a worker loads', () => {
  it('the engine bundles (workers, one-thread checks) hold no policy schema: only the main thread resolves it', () => {
    const dist = path.resolve(__dirname, '../../../../dist');
    for (const bundle of ['check-worker.js', 'cli-engine.js']) {
      const code = fs.readFileSync(path.join(dist, bundle), 'utf8');
      assert.ok(code.includes('node_modules/web-tree-sitter/'), `${bundle} holds the engine`);
      assert.ok(!code.includes('node_modules/zod/'), `${bundle} holds no zod`);
    }
  });
});

describe('sandbox-policy check: grammars compiled on demand', () => {
  let dir: string;
  let full: PolicyEngine;
  before(async () => {
    dir = makeDir(SOURCES);
    full = await PolicyEngine.create();
  });
  after(() => {
    full.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a Python file compiles the Python grammar only; each file gets the verdict of a full engine', async () => {
    const checker = new FileChecker({ policy });
    try {
      const target = (name: string, language: 'python' | 'javascript' | 'typescript') => ({
        file: path.join(dir, name),
        language,
      });
      const expect = (name: string, language: 'python' | 'javascript' | 'typescript') => {
        const r = full.analyze(SOURCES[name as keyof typeof SOURCES], language, policy, { path: name });
        return { safe: r.safe, syntaxErrors: r.syntaxErrors, truncated: false, findings: r.findings };
      };
      assert.deepEqual((await checker.check(target('a.py', 'python'))).verdict, expect('a.py', 'python'));
      for (const grammar of ['javascript', 'typescript', 'tsx'] as const)
        assert.equal(await checker.hasGrammar(grammar), false, `${grammar} not compiled`);
      assert.equal(await checker.hasGrammar('python'), true);
      const ts = (await checker.check(target('b.ts', 'typescript'))).verdict;
      assert.deepEqual(ts, expect('b.ts', 'typescript'));
      assert.ok(
        ts.findings.some((f) => f.message.includes('in the code run by Function')),
        'the embedded JavaScript was analysed',
      );
      assert.equal(await checker.hasGrammar('tsx'), false);
      assert.deepEqual(
        (await checker.check(target('c.tsx', 'typescript'))).verdict,
        expect('c.tsx', 'typescript'),
      );
      assert.deepEqual(
        (await checker.check(target('d.js', 'javascript'))).verdict,
        expect('d.js', 'javascript'),
      );
    } finally {
      await checker.dispose();
    }
  });

  it('an engine without a grammar throws GrammarNotLoaded, then answers as a full engine once it is loaded', async () => {
    const engine = await PolicyEngine.create(['typescript']);
    try {
      // b.ts runs constant JavaScript through new Function: its analysis parses JavaScript too.
      assert.throws(
        () => engine.analyze(SOURCES['b.ts'], 'typescript', policy, { path: 'b.ts' }),
        (error) => error instanceof GrammarNotLoaded && error.grammar === 'javascript',
      );
      assert.throws(() => engine.analyze('x = 1\n', 'python', policy), GrammarNotLoaded);
      await engine.loadGrammars(['javascript']);
      assert.deepEqual(
        engine.analyze(SOURCES['b.ts'], 'typescript', policy, { path: 'b.ts' }),
        full.analyze(SOURCES['b.ts'], 'typescript', policy, { path: 'b.ts' }),
      );
    } finally {
      engine.dispose();
    }
  });
});
