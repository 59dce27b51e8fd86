// A rest parameter (`...args`) is a list of the arguments from its place on: a helper that packs its
// arguments (`(...a) => a`), picks one of them (`(x, ...rest) => rest[1]`) or loops over them hands the
// values on like any parameter.
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: rest parameters', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'a helper that returns its rest parameter',
          `${CP}function pack(...a) { return a }\npack(cp)[0].execSync(cmd);\n`,
          'command-execution',
          3,
        ],
        [
          'an arrow that picks from its rest parameter',
          `${CP}const pick = (x, ...rest) => rest[1];\npick(0, 1, cp).execSync(cmd);\n`,
          'command-execution',
          3,
        ],
        [
          'a loop over the rest parameter',
          `${CP}function run(...ms) {\n  for (const m of ms) m.execSync(cmd);\n}\nrun(cp);\n`,
          'command-execution',
          3,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'a rest parameter after a this: declaration',
          `import * as cp from "child_process";\nfunction second(this: unknown, ...xs: any[]) { return xs[1] }\nsecond.call(null, 0, cp).execSync(cmd);\nsecond(0, cp).execSync(cmd);\n`,
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
        ['a rest parameter of plain values', 'function sum(...a) { return a.length }\nsum(1, 2);\n'],
        [
          'a rest parameter that picks another argument',
          `${CP}const pick = (x, ...rest) => rest[0];\npick(0, 1, cp).toFixed(2);\n`,
          'command-execution',
        ],
      ],
      'javascript',
    );
  });
});
