// The shortcuts that make one analysis pass cheaper, each checked to give what the long way gives.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
// `import = require` for web-tree-sitter's CommonJS build, as in src/policy/engine.ts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import TreeSitter = require('web-tree-sitter');
import type { Node, Parser } from 'web-tree-sitter';
import { grammarWasm, treeSitterRuntimeWasm } from '../../../src/assets';
import { FOLDED_CALLS } from '../../../src/policy/python/constants';
import { definedNames } from '../../../src/policy/python/seeds';
import type { Source } from '../../../src/policy/python/state';
import { ParentIndex } from '../../../src/policy/tree';
import { rulesOf } from './helpers';

let parser: Parser | undefined;

async function pythonParser(): Promise<Parser> {
  if (parser) return parser;
  await TreeSitter.Parser.init({ locateFile: () => treeSitterRuntimeWasm() });
  parser = new TreeSitter.Parser();
  parser.setLanguage(await TreeSitter.Language.load(grammarWasm('python')));
  return parser;
}

/** Every node of a tree, by a cursor walk. */
function allNodes(root: Node): Node[] {
  const out: Node[] = [];
  const cursor = root.walk();
  try {
    for (;;) {
      out.push(cursor.currentNode);
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return out;
    }
  } finally {
    cursor.delete();
  }
}

/** Counts reads of web-tree-sitter's `node.parent` (which walks down from the root each time). */
function countParentReads<T>(sample: Node, run: () => T): { result: T; reads: number } {
  const proto = Object.getPrototypeOf(sample) as object;
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'parent')!;
  let reads = 0;
  Object.defineProperty(proto, 'parent', {
    ...descriptor,
    get(this: Node) {
      reads++;
      return descriptor.get!.call(this);
    },
  });
  try {
    return { result: run(), reads };
  } finally {
    Object.defineProperty(proto, 'parent', descriptor);
  }
}

const SOURCE = [
  'import os',
  'x = 1',
  'class A:',
  '    def f(self, a=(1, 2)):',
  '        if a:',
  '            return os.system(f"{a!r}" + str([i for i in a]))',
  '        lambda: (yield)',
  'def g(:', // a syntax error: ERROR and MISSING (zero-width) nodes
  '    pass',
  'y = [1, 2',
  '',
].join('\n');

describe('a cheaper pass', () => {
  describe('ParentIndex', () => {
    it('gives every node the parent web-tree-sitter gives it, zero-width and error nodes included', async () => {
      const tree = (await pythonParser()).parse(SOURCE)!;
      try {
        const nodes = allNodes(tree.rootNode);
        assert.ok(nodes.some((node) => node.startIndex === node.endIndex && node.parent));
        assert.ok(nodes.some((node) => node.type === 'ERROR'));
        const index = new ParentIndex(tree.rootNode);
        // Deepest first, so that each node is answered by a descent of its own, not from a cache.
        for (const node of [...nodes].reverse()) {
          const expected = node.parent;
          const got = index.parent(node);
          assert.equal(got?.id, expected?.id, `parent of ${node.type} at ${node.startIndex}`);
        }
      } finally {
        tree.delete();
      }
    });

    it('climbs without asking the tree for a parent (one descent from the top-level statement)', async () => {
      const tree = (await pythonParser()).parse(SOURCE)!;
      try {
        const deep = tree.rootNode.descendantForIndex(SOURCE.indexOf('i in a'))!;
        assert.equal(deep.type, 'identifier');
        const index = new ParentIndex(tree.rootNode);
        const { result: types, reads } = countParentReads(deep, () => {
          const seen: string[] = [];
          for (let node = index.parent(deep); node; node = index.parent(node)) seen.push(node.type);
          return seen;
        });
        assert.equal(types.at(-1), 'module');
        assert.ok(types.includes('class_definition') && types.includes('list_comprehension'));
        assert.equal(reads, 0);
      } finally {
        tree.delete();
      }
    });
  });

  describe('definedNames (type(x) is code-like only if a def can bind x)', () => {
    async function namesOf(text: string): Promise<string[] | undefined> {
      const tree = (await pythonParser()).parse(text)!;
      try {
        const source = { text, root: tree.rootNode } as Source;
        const names = definedNames(source);
        return names && [...names].sort();
      } finally {
        tree.delete();
      }
    }

    it('finds the name past whitespace, line continuations and comments; async def too', async () => {
      assert.deepEqual(await namesOf('def f(): pass\nasync def g(): pass\n'), ['f', 'g']);
      assert.deepEqual(await namesOf('def \\\n  h(): pass\n'), ['h']);
      assert.deepEqual(await namesOf('class A:\n    def\tm(self): pass\nx = "undef y"\n'), ['m']);
      // A `def` in a string or comment may add a word: never fewer names than the defs.
      assert.deepEqual(await namesOf('s = "def word"  # def other\n'), ['other', 'word']);
    });

    it('cannot tell (undefined) with syntax errors or a name spelled with non-ASCII letters', async () => {
      assert.equal(await namesOf('def f(:\n    pass\n'), undefined);
      assert.equal(await namesOf('def ｆ(): pass\n'), undefined);
    });

    it('type(f)(...) is still reported for a def, spelled in ASCII or NFKC-normalised', async () => {
      const call = 'type(f)(code, {})';
      assert.deepEqual(await rulesOf(`async def f(): pass\n${call}`), ['dynamic-code']);
      assert.deepEqual(await rulesOf(`def ｆ(): pass\n${call}`), ['dynamic-code']);
      assert.deepEqual(await rulesOf(`f = 1\n${call}`), []);
    });
  });

  describe('constant folding', () => {
    it('FOLDED_CALLS names exactly the cases evalConstCall folds (arguments of other calls are not evaluated)', () => {
      const source = fs.readFileSync(path.join('src', 'policy', 'python', 'constants.ts'), 'utf8');
      const body = /export function evalConstCall[\s\S]*?\n}\n/.exec(source)?.[0] ?? '';
      const cases = new Set([...body.matchAll(/case '([^']+)'/g)].map((m) => m[1]));
      assert.ok(cases.size > 30);
      assert.deepEqual([...cases].sort(), [...FOLDED_CALLS].sort());
    });
  });
});
