// A parameter's default value is the parameter's value when the call gives no argument:
// `function f(m = cp)`, a destructured parameter's default object, TypeScript's `(m: T = cp)`. A default
// never replaces what the parameter may be given instead (`name = "fs"` stays unknown to require()).
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: parameter defaults', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'a default that is the module',
          `${CP}function f(m = cp) {\n  m.execSync(cmd);\n}\nf();\n`,
          'command-execution',
          3,
        ],
        [
          'a destructured parameter’s default object',
          `${CP}const f = ({ m } = { m: cp }) => m.execSync(cmd);\nf();\n`,
          'command-execution',
          2,
        ],
        [
          'a later parameter’s default, returned',
          `${CP}function f(a, b = cp) { return b }\nf(1).execSync(cmd);\n`,
          'command-execution',
          3,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'a typed default',
          'import * as cp from "child_process";\nfunction f(m: typeof cp = cp) {\n  m.execSync(cmd);\n}\nf();\n',
          'command-execution',
          3,
        ],
        [
          'an untyped default in TypeScript',
          'import * as cp from "child_process";\nconst f = (m = cp) => m.execSync(cmd);\nf();\n',
          'command-execution',
          2,
        ],
      ],
      'typescript',
    );
    itFlags(
      [
        [
          'a default module name that a caller replaces',
          'function load(name = "fs") { return require(name) }\nload(process.argv[2]);\n',
          'dynamic-import',
          1,
        ],
      ],
      'javascript',
    );
  });

  describe('stays quiet on', () => {
    itQuiet(
      [
        [
          'plain defaults',
          'function f(n = 1, s = "x", o = {}) { return n + s.length + Object.keys(o).length }\nf();\n',
        ],
        [
          'a default naming the module only as a string',
          `${CP}function f(name = "child_process") { return name.length }\nf();\n`,
          'command-execution',
        ],
      ],
      'javascript',
    );
    itQuiet(
      [['a typed plain default', 'function f(n: number = 1): number { return n + 1 }\nf();\n']],
      'typescript',
    );
  });
});
