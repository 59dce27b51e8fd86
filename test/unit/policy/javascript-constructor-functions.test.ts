// Constructor functions (src/policy/javascript/constructor-functions.ts), classes as written before
// `class`: `new C()` holds C's `this.x = v` stores and the members assigned to `C.prototype` (one by one or
// as an object), and a class's instances the members assigned to its prototype after it; a store through
// `this` in C or in a prototype method reaches the other methods' `this`.
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: constructor functions', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'a member stored by the constructor',
          `${CP}function C() { this.m = cp; }\nconst o = new C();\no.m.exec("id");\n`,
          'command-execution',
          4,
        ],
        [
          'a constructor function expression',
          `${CP}const C = function () { this.m = cp; };\nnew C().m.execSync("id");\n`,
          'command-execution',
          3,
        ],
        [
          'a member assigned to the prototype',
          `${CP}function C() {}\nC.prototype.m = cp;\nnew C().m.exec("id");\n`,
          'command-execution',
          4,
        ],
        [
          'a prototype assigned as an object',
          `${CP}function C() {}\nC.prototype = { m: cp };\nnew C().m.spawn("sh");\n`,
          'command-execution',
          4,
        ],
        [
          'a prototype method reading a member stored on the instance',
          `${CP}function C() {}\nC.prototype.run = function () { return this.m.exec("id"); };\nconst o = new C();\no.m = cp;\no.run();\n`,
          'command-execution',
          3,
        ],
        [
          "a prototype method reading the constructor's member",
          `${CP}function C() { this.m = cp; }\nC.prototype.run = function () {\n  this.m.exec("id");\n};\n`,
          'command-execution',
          4,
        ],
        [
          'a prototype object method reading the constructor’s member',
          `${CP}function C() { this.m = cp; }\nC.prototype = {\n  run() { this.m.exec("id"); },\n};\n`,
          'command-execution',
          4,
        ],
        [
          'a prototype method storing for another',
          'function C() {}\nC.prototype.init = function () { this.m = require("fs"); };\nC.prototype.run = function () { this.m.rmSync("/tmp/x"); };\n',
          'file-delete',
          3,
        ],
        [
          "a member assigned to a class's prototype",
          `${CP}class C {}\nC.prototype.m = cp;\nnew C().m.exec("id");\n`,
          'command-execution',
          4,
        ],
        [
          "a class expression's prototype method reading an instance member",
          `${CP}const C = class {};\nC.prototype.run = function () { return this.m.exec("id"); };\nconst o = new C();\no.m = cp;\no.run();\n`,
          'command-execution',
          3,
        ],
        [
          'the Function constructor kept by a constructor',
          'function C() { this.F = Function; }\nnew C().F("return 1")();\n',
          'dynamic-code',
          2,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'a typed constructor function',
          `${CP}function C(this: any) { this.m = cp; }\nconst o = new (C as any)();\no.m.exec("id");\n`,
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
        [
          'a database constructor with its own exec',
          'function Db() {}\nDb.prototype.exec = function (q) { return q; };\nnew Db().exec("DROP TABLE t");\n',
        ],
        [
          'a constructor storing a plain function',
          'function C() { this.exec = function () {}; }\nnew C().exec("id");\n',
        ],
        [
          'another constructor’s prototype',
          `${CP}function A() {}\nfunction B() {}\nA.prototype.m = cp;\nnew B().m.exec("id");\n`,
          'command-execution',
        ],
      ],
      'javascript',
    );
  });
});
