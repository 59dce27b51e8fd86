// Array methods borrowed by `call` (`Array.prototype.at.call(list, 0)`, `[].find.call(list, fn)`) act on
// their first argument as on their receiver: an element, the same elements, or an iterator over them.
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: array methods borrowed by call', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'Array.prototype.at.call',
          `${CP}const m = Array.prototype.at.call([cp], 0);\nm.execSync(cmd);\n`,
          'command-execution',
          3,
        ],
        [
          'Array.prototype.find.call',
          `${CP}const m = Array.prototype.find.call([cp], Boolean);\nm.execSync(cmd);\n`,
          'command-execution',
          3,
        ],
        ['[].at.call', `${CP}const m = [].at.call([cp], 0);\nm.execSync(cmd);\n`, 'command-execution', 3],
        [
          'Array.prototype.slice.call',
          `${CP}const m = Array.prototype.slice.call([cp])[0];\nm.execSync(cmd);\n`,
          'command-execution',
          3,
        ],
        [
          'Array.prototype.values.call',
          `${CP}const [m] = Array.prototype.values.call([cp]);\nm.execSync(cmd);\n`,
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
          'borrowed methods on plain lists',
          'const xs = Array.prototype.slice.call([1, 2], 1);\nconsole.log([].at.call(xs, 0), Array.prototype.find.call(xs, Boolean));\n',
        ],
      ],
      'javascript',
    );
  });
});
