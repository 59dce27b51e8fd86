// A class's members read through its own `this`: a method returning the module, called as `this.m()` or
// `this.#m()` by another method, which may hand it back in turn (`run() { return this.m() }`).
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: class members read through this', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'a private method’s result used by another method',
          `${CP}class A {\n  #m() { return cp }\n  run() { this.#m().execSync(cmd) }\n}\nnew A().run();\n`,
          'command-execution',
          4,
        ],
        [
          'a method handing back another method’s result',
          `${CP}class A {\n  m() { return cp }\n  run() { return this.m() }\n}\nnew A().run().execSync(cmd);\n`,
          'command-execution',
          6,
        ],
        [
          'a private method handing it back',
          `${CP}class A {\n  #m() { return cp }\n  run() { return this.#m() }\n}\nnew A().run().execSync(cmd);\n`,
          'command-execution',
          6,
        ],
        [
          'a static method through this',
          `${CP}class A {\n  static m() { return cp }\n  static run() { this.m().execSync(cmd) }\n}\nA.run();\n`,
          'command-execution',
          4,
        ],
      ],
      'javascript',
    );
  });

  describe('stays quiet on', () => {
    itQuiet(
      [
        [
          'methods returning plain values through this',
          'class A {\n  #n() { return 1 }\n  m() { return "x" }\n  run() { return this.m() + this.#n() }\n}\nnew A().run();\n',
        ],
        [
          'a method returning the module’s name',
          `${CP}class A {\n  m() { return "child_process" }\n  run() { return this.m().length }\n}\nnew A().run();\n`,
          'command-execution',
        ],
      ],
      'javascript',
    );
  });
});
