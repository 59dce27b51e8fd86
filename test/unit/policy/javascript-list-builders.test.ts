// Lists built by the builtins that make them from their arguments or group other lists: `Array.of`,
// `Iterator.from`, `Object.groupBy` (an object of lists) and `Map.groupBy` (a Map of lists).
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: lists built by Array.of, Iterator.from and groupBy', () => {
  describe('reports', () => {
    itFlags(
      [
        ['Array.of', `${CP}const m = Array.of(cp)[0];\nm.execSync(cmd);\n`, 'command-execution', 3],
        [
          'Iterator.from',
          `${CP}const [m] = Iterator.from([cp]).toArray();\nm.execSync(cmd);\n`,
          'command-execution',
          3,
        ],
        [
          'Object.groupBy',
          `${CP}const m = Object.groupBy([cp], () => "k").k[0];\nm.execSync(cmd);\n`,
          'command-execution',
          3,
        ],
        [
          'Map.groupBy',
          `${CP}const m = Map.groupBy([cp], () => "k").get("k")[0];\nm.execSync(cmd);\n`,
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
          'lists of plain values',
          'console.log(Array.of(1, 2), Object.groupBy([1, 2], (x) => x % 2));\nconsole.log(Map.groupBy(["a"], (s) => s.length), Iterator.from([1]).toArray());\n',
        ],
      ],
      'javascript',
    );
  });
});
