// `this` in an object literal's methods (src/policy/javascript/object-this.ts): a method, getter or
// `function` member run as `o.m()` has the object as `this`, through arrows in it; a method called on an
// object holding a module later (`o.cp = cp; o.run()`) or given it by `this.cp = cp` in another method
// gets it too. An arrow member's `this` is the surroundings', and a nested object's methods see their own.
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: this in object literal methods', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'a method reading a member through this',
          'const o = { cp: require("child_process"), run() { return this.cp.exec("id"); } };\no.run();\n',
          'command-execution',
          1,
        ],
        [
          'a getter returning a member of this',
          `${CP}const o = { m: cp, get c() { return this.m; } };\no.c.exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'a function expression member',
          `${CP}const o = {\n  m: cp,\n  run: function () {\n    this.m.spawn("sh");\n  },\n};\n`,
          'command-execution',
          5,
        ],
        [
          'this destructured in a method',
          `${CP}const o = { m: cp, run() { const { m } = this; m.execSync("id"); } };\n`,
          'command-execution',
          2,
        ],
        [
          'this kept in a variable',
          `${CP}const o = { m: cp, run() { const self = this; self.m.exec("id"); } };\n`,
          'command-execution',
          2,
        ],
        [
          'an arrow inside a method',
          `${CP}const o = { m: cp, run() { return [1].map(() => this.m.exec("id")); } };\n`,
          'command-execution',
          2,
        ],
        [
          'a computed member name read through this',
          `${CP}const o = { m: cp, run() { this["m"].exec("id"); } };\n`,
          'command-execution',
          2,
        ],
        [
          'a spread module read through this',
          `${CP}const o = { ...cp, run() { this.exec("id"); } };\n`,
          'command-execution',
          2,
        ],
        [
          'the Function constructor kept as a member',
          'const o = { F: Function, run() { const f = this.F; f("return 1")(); } };\n',
          'dynamic-code',
          1,
        ],
        [
          'a nested member through this',
          `${CP}const o = { ns: { m: cp }, run() { this.ns.m.exec("id"); } };\n`,
          'command-execution',
          2,
        ],
        [
          'a member stored after the object is made',
          `const o = { run() { return this.m.exec("id"); } };\no.m = require("child_process");\no.run();\n`,
          'command-execution',
          1,
        ],
        [
          'a member stored by another method through this',
          'const o = {\n  init() { this.m = require("child_process"); },\n  run() { this.m.exec("id"); },\n};\n',
          'command-execution',
          3,
        ],
        [
          'an exported object stored into by its own method',
          'export default {\n  init() { this.m = require("fs"); },\n  run() { this.m.writeFileSync("/etc/x", ""); },\n};\n',
          'file-write',
          3,
        ],
        [
          'a method of module.exports',
          'module.exports = { fs: require("fs"), w() { this.fs.rmSync("/tmp/x"); } };\n',
          'file-delete',
          1,
        ],
        [
          'a generator method yielding a member',
          `${CP}const o = { m: cp, *g() { yield this.m; } };\nfor (const x of o.g()) x.exec("id");\n`,
          'command-execution',
          3,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'a typed this parameter',
          `${CP}const o = { m: cp, run(this: any) { this.m.exec("id"); } } satisfies object;\n`,
          'command-execution',
          2,
        ],
        [
          'this cast to any',
          `${CP}const o = { m: cp as any, run() { (this as any).m.exec("id"); } };\n`,
          'command-execution',
          2,
        ],
        [
          'a non-null member through this',
          `${CP}const o = { m: cp as any, run() { this.m!.exec("id"); } };\n`,
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
          "the object's own exec method",
          'const o = { exec(s) { return s; }, run() { return this.exec("id"); } };\no.run();\n',
        ],
        ['a regular expression member', 'const o = { re: /a/, run(s) { return this.re.exec(s); } };\n'],
        [
          'a nested object whose methods have their own this',
          `${CP}const o = { m: cp, inner: { run() { this.m.exec("id"); } } };\n`,
          'command-execution',
        ],
        [
          'an arrow member (its this is the module’s)',
          `${CP}const o = { m: cp, run: () => this.m.exec("id") };\n`,
          'command-execution',
        ],
        [
          'a database object’s exec',
          'const db = { exec(q) {}, run() { this.exec("DROP TABLE t"); } };\ndb.run();\n',
        ],
      ],
      'javascript',
    );
  });
});
