// A CommonJS file's top-level `arguments` are its wrapper's: `exports, require, module, __filename,
// __dirname`, so `arguments[1]` is require. An arrow sees the file's; any other function has its own.
import { itFlags, itQuiet } from './helpers';

describe('javascript: a CommonJS file’s top-level arguments', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'the wrapper’s require by index',
          'arguments[1]("child_process").execSync(cmd);\n',
          'command-execution',
          1,
        ],
        [
          'the wrapper’s require destructured',
          'const [, load] = arguments;\nload("child_process").exec(cmd);\n',
          'command-execution',
          2,
        ],
        [
          'the wrapper’s module record',
          'const m = arguments[2];\nm.require("child_process").exec(cmd);\n',
          'command-execution',
          2,
        ],
        [
          'the arguments copied by Array.from',
          'Array.from(arguments)[1]("child_process").exec(cmd);\n',
          'command-execution',
          1,
        ],
        [
          'the arguments spread into a list',
          'const r = [...arguments][1];\nr("child_process").exec(cmd);\n',
          'command-execution',
          2,
        ],
        [
          'an arrow’s arguments, which are the file’s',
          '(() => arguments[1]("child_process").exec(cmd))();\n',
          'command-execution',
          1,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'the wrapper’s require behind a type assertion',
          'const r = (arguments as any)[1];\nr("child_process").execSync(cmd);\n',
          'command-execution',
          2,
        ],
      ],
      'typescript',
    );
  });

  describe('stays quiet on', () => {
    itQuiet(
      [
        [
          'a function’s own arguments',
          'function sum() {\n  let t = 0;\n  for (const a of arguments) t += a;\n  return t;\n}\nsum(1, 2);\n',
        ],
        [
          'a function returning one of its arguments',
          'function second() { return arguments[1] }\nsecond(1, 2).toString();\n',
        ],
        [
          'a method’s arguments',
          'class A { m() { return Array.from(arguments) } }\nconst o = { n() { return [...arguments][0] } };\n',
        ],
        ['a local named arguments', 'const argumentsList = [1, 2];\nconsole.log(argumentsList[1]);\n'],
      ],
      'javascript',
    );
  });
});
