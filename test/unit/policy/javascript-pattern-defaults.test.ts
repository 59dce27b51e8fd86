// Defaults inside destructuring patterns (src/policy/javascript/handoffs.ts, patternDefault): `const [m = cp]
// = []`, `({ m = cp } = {})`, `for (const { m = cp } of list)` and a parameter's nested default
// (`function f({ m = cp } = {})`) give the name the default when the member is missing. A parameter's own
// default (`function f(m = cp)`) was followed before (javascript-parameter-defaults tests).
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: defaults in destructuring patterns', () => {
  describe('reports', () => {
    itFlags(
      [
        ['an array pattern default', `${CP}const [m = cp] = [];\nm.exec("id");\n`, 'command-execution', 3],
        [
          'an object pattern default',
          `${CP}const { m = cp } = {};\nm.execSync("id");\n`,
          'command-execution',
          3,
        ],
        [
          'a renamed member default',
          `${CP}const { other: m = cp } = {};\nm.spawn("sh");\n`,
          'command-execution',
          3,
        ],
        [
          'an assignment pattern default',
          `${CP}let m;\n({ m = cp } = {});\nm.exec("id");\n`,
          'command-execution',
          4,
        ],
        [
          'a for...of pattern default',
          `${CP}for (const { m = cp } of [{}]) m.exec("id");\n`,
          'command-execution',
          2,
        ],
        [
          "a parameter's nested object default",
          `${CP}function run({ m = cp } = {}) {\n  m.exec("id");\n}\nrun();\n`,
          'command-execution',
          3,
        ],
        [
          "a parameter's nested array default",
          `${CP}function run([m = cp]) {\n  m.exec("id");\n}\nrun([]);\n`,
          'command-execution',
          3,
        ],
        [
          "an arrow's nested default of the Function constructor",
          'const run = ({ F = Function } = {}) => F("return 1")();\nrun();\n',
          'dynamic-code',
          1,
        ],
        [
          'a nested pattern default',
          `${CP}const { a: { m = cp } = {} } = {};\nm.exec("id");\n`,
          'command-execution',
          3,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'a typed pattern default',
          `${CP}const { m = cp as any }: { m?: any } = {};\nm!.exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          "a typed parameter's nested default",
          `${CP}function run({ m = cp }: { m?: any } = {}): void {\n  m.exec("id");\n}\n`,
          'command-execution',
          3,
        ],
      ],
      'typescript',
    );
  });

  describe('stays quiet on', () => {
    itQuiet(
      [
        ['a default of a plain object', 'const { m = { exec() {} } } = {};\nm.exec("id");\n'],
        ['a default of a regular expression', 'const [re = /a/] = [];\nre.exec("a");\n'],
        [
          'a default beside the name that is used',
          `${CP}const { m = cp, n = /a/ } = {};\nn.exec("id");\n`,
          'command-execution',
        ],
      ],
      'javascript',
    );
  });
});
