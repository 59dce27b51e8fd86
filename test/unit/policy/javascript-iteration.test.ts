// Lists read through the iteration protocol: `values()`, `keys()`, `entries()`, `[Symbol.iterator]()`
// and an iterator's `toArray()` give the elements (of an array, a Set, or a Map's entries), read by
// destructuring, `next().value`, `for...of` or a spread; a Map's `forEach` gives its callback each value.
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: lists read through the iteration protocol', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'an array’s values() destructured',
          `${CP}const [m] = [cp].values();\nm.execSync(cmd);\n`,
          'command-execution',
          3,
        ],
        [
          'a Set’s values() in for...of',
          `${CP}for (const m of new Set([cp]).values()) m.execSync(cmd);\n`,
          'command-execution',
          2,
        ],
        [
          'an array’s entries() destructured',
          `${CP}const [[, m]] = [cp].entries();\nm.execSync(cmd);\n`,
          'command-execution',
          3,
        ],
        [
          'a Map’s forEach',
          `${CP}new Map([["a", cp]]).forEach((m) => m.execSync(cmd));\n`,
          'command-execution',
          2,
        ],
        [
          'a Map’s values() read by next()',
          `${CP}const it = new Map([["a", cp]]).values();\nit.next().value.execSync(cmd);\n`,
          'command-execution',
          3,
        ],
        [
          'a Map’s keys() spread',
          `${CP}const [m] = [...new Map([[cp, 1]]).keys()];\nm.execSync(cmd);\n`,
          'command-execution',
          3,
        ],
        [
          'the list’s own iterator',
          `${CP}[cp][Symbol.iterator]().next().value.execSync(cmd);\n`,
          'command-execution',
          2,
        ],
        [
          'an iterator helper chain',
          `${CP}const m = [cp].values().map((x) => x).toArray()[0];\nm.execSync(cmd);\n`,
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
          'a list of plain values iterated',
          'const [a] = [1, 2].values();\nfor (const [k, v] of new Map([["a", 1]]).entries()) console.log(k, v, a);\n',
        ],
        [
          'a Map of strings read by forEach',
          'new Map([["cmd", "ls"]]).forEach((v, k) => console.log(k, v));\n[3, 4][Symbol.iterator]().next();\n',
        ],
        [
          'a module’s name kept in a list',
          'const names = ["child_process"];\nfor (const n of names.values()) console.log(n.length);\n',
        ],
      ],
      'javascript',
    );
  });
});
