// Objects with their own iterator (src/policy/javascript/object-literals.ts): `{ *[Symbol.iterator]() {
// yield cp } }` and a class with such a method are read, by destructuring, `for...of`, spreading and
// `Array.from`, as the list of what the iterator gives (a generator's yields, or the `value` its `next()`
// returns). Also `f(...list)` (the elements go to f's parameters), `Array.from(list, mapper)` (the mapper
// gets each element) and a Set's `entries()`, whose pairs are [element, element].
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: custom iterables', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'a generator iterator destructured',
          'const it = { *[Symbol.iterator]() { yield require("child_process"); } };\nconst [m] = it;\nm.exec("id");\n',
          'command-execution',
          3,
        ],
        [
          'a generator iterator in for...of',
          `${CP}const it = { *[Symbol.iterator]() { yield cp; } };\nfor (const m of it) m.exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'Array.from of an iterable',
          `${CP}const it = { *[Symbol.iterator]() { yield cp; } };\nArray.from(it)[0].exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'an iterable spread into an array',
          `${CP}const it = { *[Symbol.iterator]() { yield cp; } };\nconst a = [...it];\na[0].exec("id");\n`,
          'command-execution',
          4,
        ],
        [
          'an iterator object with next()',
          `${CP}const it = {\n  [Symbol.iterator]() {\n    return { next() { return { value: cp, done: false }; } };\n  },\n};\nconst [m] = it;\nm.exec("id");\n`,
          'command-execution',
          8,
        ],
        [
          'a class with a generator iterator',
          `${CP}class C { *[Symbol.iterator]() { yield cp; } }\nconst [m] = new C();\nm.exec("id");\n`,
          'command-execution',
          4,
        ],
        [
          'an iterator member given as a generator function',
          'const it = { [Symbol.iterator]: function* () { yield eval; } };\nfor (const f of it) f("1");\n',
          'dynamic-code',
          2,
        ],
        [
          'an iterator returning an array iterator',
          `${CP}const it = { [Symbol.iterator]() { return [cp].values(); } };\nfor (const m of it) m.exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'an async iterator in for await',
          `${CP}const it = { async *[Symbol.asyncIterator]() { yield cp; } };\n(async () => { for await (const m of it) m.exec("id"); })();\n`,
          'command-execution',
          3,
        ],
        [
          'an iterable spread into call arguments',
          `${CP}const it = { *[Symbol.iterator]() { yield cp; } };\nconst f = (m) => m.exec("id");\nf(...it);\n`,
          'command-execution',
          3,
        ],
        [
          'a list spread into call arguments',
          `${CP}const f = (a, m) => m.exec("id");\nf(...[1, cp]);\n`,
          'command-execution',
          2,
        ],
        ['Array.from with a mapper', `${CP}Array.from([cp], (m) => m.exec("id"));\n`, 'command-execution', 2],
        [
          'Array.from of a Set with a mapper',
          `${CP}Array.from(new Set([cp]), (m) => m.execSync("id"));\n`,
          'command-execution',
          2,
        ],
        [
          "a Set entry's first half",
          `${CP}const [first] = new Set([cp]).entries().next().value;\nfirst.exec("id");\n`,
          'command-execution',
          3,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'a typed iterable',
          `${CP}const it: Iterable<any> = { *[Symbol.iterator]() { yield cp as any; } };\nconst [m] = it as any;\nm!.exec("id");\n`,
          'command-execution',
          4,
        ],
      ],
      'typescript',
    );
  });

  describe('stays quiet on', () => {
    itQuiet(
      [
        [
          'an iterable of strings',
          'const it = { *[Symbol.iterator]() { yield "a"; } };\nfor (const m of it) m.exec("id");\n',
        ],
        [
          'an iterable beside a module it does not yield',
          `${CP}const it = { m: cp, *[Symbol.iterator]() { yield 1; } };\nconst [x] = it;\nx.exec("id");\n`,
          'command-execution',
        ],
        ['Array.from with a mapper over numbers', 'Array.from([1, 2], (n) => /a/.exec(String(n)));\n'],
      ],
      'javascript',
    );
  });
});
