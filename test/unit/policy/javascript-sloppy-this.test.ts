// The global object reached through `this`: a sloppy-mode function called without a receiver gets the
// global object as `this` (`(function () { return this })()`, the classic UMD way to find it), so what
// it gives back, or `this.eval` inside it, is the global's. Strict code, ES modules, methods, classes,
// arrows at the top level and constructors' own members keep `this` unknown.
import { itFlags, itQuiet } from './helpers';

describe('javascript: the global object through a sloppy function’s this', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'an immediately called function that returns this',
          '(function () { return this })().eval(code);\n',
          'dynamic-code',
          1,
        ],
        [
          'the global kept in a variable, its member read by a built name',
          'var g = (function () { return this; })();\ng["ev" + "al"](code);\n',
          'dynamic-code',
          2,
        ],
        [
          'a named function that returns this',
          'function getGlobal() { return this }\nconst G = getGlobal();\nnew G.Function(code)();\n',
          'dynamic-code',
          3,
        ],
        [
          'this.eval inside a plain function',
          'function f() {\n  this.eval(code);\n}\nf();\n',
          'dynamic-code',
          2,
        ],
        [
          'the host process reached through the global',
          'var root = (function () { return this })();\nroot.process.mainModule.require("child_process").exec(cmd);\n',
          'command-execution',
          2,
        ],
        [
          'a function expression called without parentheses around it',
          'var s = function () { return this }();\ns.eval(code);\n',
          'dynamic-code',
          2,
        ],
      ],
      'javascript',
    );
  });

  describe('stays quiet on', () => {
    itQuiet(
      [
        ['a strict file', '"use strict";\n(function () { return this })().eval(code);\n'],
        ['a strict function', '(function () {\n  "use strict";\n  return this;\n})().eval(code);\n'],
        ['an ES module', 'import x from "y";\n(function () { return this })().eval(code);\n'],
        [
          'a method of an object literal',
          'const o = { run: function () { return this } };\no.run().eval(code);\n',
        ],
        [
          'methods stored on a prototype',
          'function Calc() {}\nCalc.prototype.evaluate = function () { return this.eval(expr) };\nCalc.prototype = { go: function () { return this.exec(cmd) } };\n',
        ],
        ['an arrow at the top level (this is module.exports)', '(() => this)().eval(code);\n'],
        ['a class method', 'class M {\n  run() {\n    return this.eval(x);\n  }\n}\n'],
      ],
      'javascript',
    );
  });
});
