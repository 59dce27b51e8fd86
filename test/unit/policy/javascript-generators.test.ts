// Values a generator yields: its calls give an iterator over them, read by `next().value`, `for...of`,
// `for await`, spreads and `yield*` delegation. Generators of harmless values stay quiet.
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript values yielded by generators', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'next().value',
          `${CP}function* g() { yield cp; }\ng().next().value.exec("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'an iterator kept and stepped',
          `${CP}function* g() { yield 1; yield cp; }\nconst it = g();\nit.next();\nit.next().value.exec("ls");\n`,
          'command-execution',
          5,
        ],
        [
          'for...of',
          `${CP}function* g() { yield cp; }\nfor (const m of g()) m.exec("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'for await over an async generator',
          `${CP}async function* g() { yield cp; }\n(async () => {\n  for await (const m of g()) m.exec("ls");\n})();\n`,
          'command-execution',
          4,
        ],
        [
          'a spread of a generator expression',
          `${CP}const g = function* () { yield cp.execSync; };\n[...g()][0]("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'yield* delegation',
          `${CP}function* g() { yield* [cp]; }\nfor (const m of g()) m.spawn("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'a generator method',
          `${CP}const o = { *g() { yield cp; } };\nfor (const m of o.g()) m.exec("ls");\n`,
          'command-execution',
          3,
        ],
      ],
      'javascript',
    );
  });

  describe('stays quiet on', () => {
    itQuiet(
      [
        [
          'a generator of regular expressions',
          'function* g() { yield /a/; }\nfor (const r of g()) r.exec("abc");\ng().next().value.exec("x");\n',
        ],
        [
          'an iterator protocol of its own',
          'const it = { next() { return { value: { exec: (s) => s } }; } };\nit.next().value.exec("ls");\n',
        ],
      ],
      'javascript',
    );
  });
});
