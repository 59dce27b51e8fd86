// `this` chosen by the caller (src/policy/javascript/receivers.ts, handoffs.ts): `f.call(t)`, `f.apply(t,
// args)`, `f.bind(t)()`, `Reflect.apply(f, t, args)` and Function.prototype's own `call` reached through
// `.call`: the function runs with t as `this`, so `this.exec(...)` in it runs t's exec. With no receiver
// (`.call(undefined)`) a sloppy function's `this` is the global object. Functions given a harmless receiver,
// strict code given none, and arrows (whose `this` is not theirs) stay quiet.
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: this chosen by call, apply, bind and Reflect.apply', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'f.call(cp) running this.exec',
          `${CP}function f() {\n  return this.exec("id");\n}\nf.call(cp);\n`,
          'command-execution',
          3,
        ],
        [
          'f.call(cp) with this.execSync as a statement',
          `${CP}function f() { this.execSync("id") }\nf.call(cp);\n`,
          'command-execution',
          2,
        ],
        [
          'f.apply(cp, [])',
          `${CP}function f() { return this.exec("id") }\nf.apply(cp, []);\n`,
          'command-execution',
          2,
        ],
        [
          'f.bind(cp)()',
          `${CP}function f() { return this.exec("id") }\nf.bind(cp)();\n`,
          'command-execution',
          2,
        ],
        [
          'a bound function kept and called later',
          `${CP}function f() { this.spawn("id") }\nconst g = f.bind(cp);\ng();\n`,
          'command-execution',
          2,
        ],
        [
          'Reflect.apply(f, cp, [])',
          `${CP}function f() { return this.exec("id") }\nReflect.apply(f, cp, []);\n`,
          'command-execution',
          2,
        ],
        [
          'a function expression given an alias of the module',
          `const c = require("child_process");\nconst k = c;\nconst f = function () { return this.exec("id") };\nf.call(k);\n`,
          'command-execution',
          3,
        ],
        [
          'this returned and used by the caller',
          `${CP}function f() { return this }\nf.call(cp).exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'this in an arrow inside the function',
          `${CP}function f() {\n  const run = () => this.exec("id");\n  run();\n}\nf.call(cp);\n`,
          'command-execution',
          3,
        ],
        [
          'an object method given another receiver',
          `${CP}const o = { run() { return this.exec("id") } };\no.run.call(cp);\n`,
          'command-execution',
          2,
        ],
        [
          'the global object given to a strict function',
          '"use strict";\nfunction f(c) { return this.eval(c) }\nf.call(globalThis, "x");\n',
          'dynamic-code',
          2,
        ],
        [
          'process as the receiver',
          'function f() {\n  return this.mainModule.require("child_process").exec("id");\n}\nf.call(process);\n',
          'command-execution',
          2,
        ],
        [
          'fs as the receiver',
          'const fs = require("fs");\nfunction f() { this.rmSync("/tmp/x", { recursive: true }) }\nf.call(fs);\n',
          'file-delete',
          2,
        ],
        [
          'vm as the receiver',
          'const vm = require("vm");\nfunction f(c) { return this.runInThisContext(c) }\nf.call(vm, "1");\n',
          'dynamic-code',
          2,
        ],
        [
          'an argument after the receiver',
          `${CP}function f(m) { m.exec("id") }\nf.call(null, cp);\n`,
          'command-execution',
          2,
        ],
        [
          'an argument in apply’s list',
          `${CP}function f(m) { m.exec("id") }\nf.apply(null, [cp]);\n`,
          'command-execution',
          2,
        ],
        [
          'Function.prototype.call.call choosing the global object',
          'Function.prototype.call.call(function () { return this }, globalThis).process.mainModule.require("child_process").exec("id");\n',
          'command-execution',
          1,
        ],
        [
          'Function.prototype.apply.call',
          'Function.prototype.apply.call(function () { return this }, globalThis, []).eval("x");\n',
          'dynamic-code',
          1,
        ],
        [
          '.call(undefined) in sloppy code: the global object',
          '(function () { return this }).call(undefined).eval("x");\n',
          'dynamic-code',
          1,
        ],
        [
          '.call(null) kept in a variable',
          'var g = (function () { return this }).call(null);\ng.eval("x");\n',
          'dynamic-code',
          2,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'a TypeScript function with a this parameter',
          `${CP}function f(this: any) {\n  return this.exec("id");\n}\nf.call(cp);\n`,
          'command-execution',
          3,
        ],
        [
          'a class method called with another receiver',
          `${CP}class K {\n  run() { this.exec("id") }\n}\nnew K().run.call(cp);\n`,
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
        [
          'a method given the caller’s own this by a sloppy wrapper',
          'const o = { fetch(x) { return x }, run() { return this.fetch(1) } };\nfunction w() { return o.run.call(this) }\nw();\n',
        ],
        [
          'f.call with a plain object',
          '"use strict";\nfunction f() { return this.exec("id") }\nf.call({ exec(x) { return x } });\n',
        ],
        [
          'f.call with a plain object in sloppy code',
          'function f() { return this.exec("id") }\nf.call({ exec(x) { return x } });\n',
        ],
        [
          'f.bind with a plain object',
          'function f() { return this.name }\nconst g = f.bind({ name: "x" });\ng().exec("id");\n',
        ],
        [
          '.call(undefined) in strict code',
          '"use strict";\n(function () { return this }).call(undefined).eval("x");\n',
        ],
        [
          '.call(undefined) in an ES module',
          'import x from "y";\n(function () { return this }).call(undefined).eval("x");\n',
        ],
        [
          'an arrow given a receiver (its this is not its own)',
          `${CP}const f = () => this;\nf.call(cp).exec("id");\n`,
          'command-execution',
        ],
        [
          'a receiver given to a function that never reads this',
          `${CP}function f() { return 1 }\nf.call(cp);\n`,
          'command-execution',
        ],
      ],
      'javascript',
    );
  });
});
