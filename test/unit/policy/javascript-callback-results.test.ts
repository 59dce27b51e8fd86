// Calls whose result is what their callback returns: `list.reduce(fn)` and `reduceRight`,
// `Array.from(items, fn)`, `JSON.parse(text, reviver)`, and `flatMap(fn)` (the returned lists flattened).
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: values a callback hands back through the call', () => {
  describe('reports', () => {
    itFlags(
      [
        ['reduce', `${CP}const m = [1].reduce(() => cp, 0);\nm.execSync(cmd);\n`, 'command-execution', 3],
        [
          'reduceRight with an accumulator',
          `${CP}const m = [1, 2].reduceRight((acc) => acc || cp, null);\nm.execSync(cmd);\n`,
          'command-execution',
          3,
        ],
        [
          'Array.from with a mapping function',
          `${CP}const m = Array.from({ length: 1 }, () => cp)[0];\nm.execSync(cmd);\n`,
          'command-execution',
          3,
        ],
        [
          'Array.from destructured',
          `${CP}const [m] = Array.from("a", () => cp);\nm.execSync(cmd);\n`,
          'command-execution',
          3,
        ],
        [
          'JSON.parse with a reviver',
          `${CP}const m = JSON.parse("1", () => cp);\nm.execSync(cmd);\n`,
          'command-execution',
          3,
        ],
        [
          'flatMap flattening the lists it is given',
          `${CP}const m = [[cp]].flatMap((x) => x)[0];\nm.execSync(cmd);\n`,
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
          'callbacks that return plain values',
          'const total = [1, 2].reduce((a, b) => a + b, 0);\nconst o = JSON.parse("{}", (k, v) => v);\nconst xs = Array.from("ab", (c) => c.toUpperCase());\nconsole.log(total, o, xs, [[1]].flatMap((x) => x));\n',
        ],
        [
          'a reducer over a module’s name list',
          `${CP}const names = ["exec", "spawn"].reduce((acc, n) => acc + n.length, 0);\nconsole.log(names);\n`,
          'command-execution',
        ],
      ],
      'javascript',
    );
  });
});
