// Values sent into generators (src/policy/javascript/generator-send.ts): `gen.next(cp)` resumes the
// generator with cp as the value of the `yield` it is paused at. Which generator a `next` call resumes is
// not told apart: a followed value sent by any `next(v)` reaches every `yield` of the file's generators.
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: values sent into generators', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'a module sent by next',
          `${CP}const gen = (function* () {\n  const x = yield;\n  x.exec("id");\n})();\ngen.next();\ngen.next(cp);\n`,
          'command-execution',
          4,
        ],
        [
          'a generator declaration',
          `${CP}function* g() {\n  const m = yield 1;\n  m.execSync("id");\n}\nconst it = g();\nit.next();\nit.next(cp);\n`,
          'command-execution',
          4,
        ],
        [
          'a generator method',
          `${CP}const o = {\n  *run() {\n    (yield).spawn("sh");\n  },\n};\nconst it = o.run();\nit.next();\nit.next(cp);\n`,
          'command-execution',
          4,
        ],
        [
          'the Function constructor sent in',
          'function* g() {\n  const F = yield;\n  F("return 1")();\n}\nconst it = g();\nit.next();\nit.next(Function);\n',
          'dynamic-code',
          3,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'a typed generator',
          `${CP}function* g(): Generator<number, void, any> {\n  const m = yield 1;\n  m!.exec("id");\n}\nconst it = g();\nit.next();\nit.next(cp as any);\n`,
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
          'a string sent into a generator',
          'function* g() {\n  const re = yield;\n  re.exec("id");\n}\nconst it = g();\nit.next();\nit.next(/a/);\n',
        ],
        [
          'a module never sent in',
          `${CP}function* g() {\n  const m = yield;\n  m.exec("id");\n}\ng().next();\ncp.toString();\n`,
          'command-execution',
        ],
      ],
      'javascript',
    );
  });
});
