// A dangerous value hidden in a member, a parameter or an export the analyzer now reads: a class's
// prototype (`C.prototype.m.call(cp)`), a setter, `this` at the top level of a CommonJS module (its
// exports), a static block's `this` stores, objects copied by spreading, `Object.create` with
// descriptors, a tagged template's substitutions, `reduce`'s accumulator and elements, a propagator called
// through `call`/`apply` (`require.call(null, "m")`), TypeScript's `this:` parameter, namespaces' late
// and listed exports, `export import`, and enums. All are followed precisely; look-alikes stay quiet.
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: values hidden in members, exports and parameters', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          "a class's method called through its prototype",
          `${CP}class C { m() {\n  this.exec("id");\n} }\nC.prototype.m.call(cp);\n`,
          'command-execution',
          3,
        ],
        [
          'a setter given the value',
          `${CP}const o = { set x(v) {\n  v.exec("id");\n} };\no.x = cp;\n`,
          'command-execution',
          3,
        ],
        [
          "a class instance's setter",
          `${CP}class K { set run(m) {\n  m.spawn("id");\n} }\nconst k = new K();\nk["run"] = cp;\n`,
          'command-execution',
          3,
        ],
        [
          'this.m stored at the top level of a CommonJS module',
          `${CP}this.m = cp;\nmodule.exports.m.exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'exports.m read back as this.m',
          `${CP}exports.m = cp;\nconst run = () => this.m.exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          "a static block's this store",
          `${CP}class K { static { this.m = cp } }\nK.m.exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'an object spread into another',
          `${CP}const a = { m: cp };\nconst b = { ...a, n: 1 };\nb.m.exec("id");\n`,
          'command-execution',
          4,
        ],
        [
          'Object.create with a value descriptor',
          `${CP}const o = Object.create({}, { m: { value: cp } });\no.m.exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'Object.create with a getter descriptor',
          `${CP}const o = Object.create(null, { m: { get() { return cp } } });\no.m.exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          "a tag function's substitution",
          `${CP}function tag(s, m) {\n  m.exec("id");\n}\ntag\`x\${cp}y\`;\n`,
          'command-execution',
          3,
        ],
        [
          "a tag function's second substitution returned",
          `${CP}const pick = (s, a, b) => b;\npick\`\${1} and \${cp}\`.execSync("id");\n`,
          'command-execution',
          3,
        ],
        [
          "reduce's initial accumulator",
          `${CP}[1].reduce((acc) => acc, cp).exec("id");\n`,
          'command-execution',
          2,
        ],
        [
          "reduce's elements",
          `${CP}[cp].reduce((acc, m) => {\n  m.exec("id");\n}, 0);\n`,
          'command-execution',
          3,
        ],
        [
          'require.call with a constant name',
          'require.call(null, "child_process").exec("id");\n',
          'command-execution',
          1,
        ],
        [
          'require.apply with a list',
          'const m = require.apply(null, ["child_process"]);\nm.execSync("id");\n',
          'command-execution',
          2,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'a this: parameter before the argument',
          `${CP}function f(this: unknown, m: any) {\n  m.exec("id");\n}\nf.call(null, cp);\n`,
          'command-execution',
          3,
        ],
        [
          'a namespace export assigned after its declaration',
          `${CP}namespace N {\n  export let m: any;\n  m = cp;\n}\nN.m.exec("id");\n`,
          'command-execution',
          6,
        ],
        [
          'a namespace export list',
          `${CP}namespace N {\n  const m = cp;\n  export { m as run };\n}\nN.run.exec("id");\n`,
          'command-execution',
          6,
        ],
        [
          'export import in a namespace',
          `${CP}namespace N {\n  export import X = cp;\n}\nN.X.exec("id");\n`,
          'command-execution',
          5,
        ],
        [
          'an enum member holding the module',
          'enum E { A = <any>require("child_process") }\nE.A.exec("id");\n',
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
          'a prototype method called with a harmless receiver',
          `${CP}class C { m() { this.exec("id") } }\nC.prototype.m.call({ exec() {} });\n`,
          'command-execution',
        ],
        [
          'a setter given a string',
          `${CP}const o = { set x(v) { v.exec("id") } };\no.x = "cp";\n`,
          'command-execution',
        ],
        [
          'this.m at the top level of an ES module',
          `import cp from "child_process";\nexport const x = 1;\nthis.m = cp;\nexports.m.exec("id");\n`,
          'command-execution',
        ],
        [
          "a function's own this.m",
          `${CP}exports.m = cp;\nfunction f() { "use strict"; return this.m.exec("id") }\n`,
          'command-execution',
        ],
        [
          'a spread of a harmless object',
          `${CP}const b = { ...{ m: 1 } };\nb.m.exec("id");\n`,
          'command-execution',
        ],
        [
          'Object.create with a harmless descriptor',
          `${CP}const o = Object.create({}, { m: { value: 1 } });\no.m.exec("id");\n`,
          'command-execution',
        ],
        ['a tag function given a string', 'function tag(s, m) { m.exec("id") }\ntag`x${"cp"}y`;\n'],
        ['reduce over numbers', '[1, 2].reduce((acc, m) => acc + m.exec, 0);\n'],
        [
          'require.call with a harmless module',
          'require.call(null, "path").exec("id");\n',
          'command-execution',
        ],
      ],
      'javascript',
    );
    itQuiet(
      [
        [
          'a this: parameter given the receiver only',
          `${CP}function f(this: any, m: any) { m.exec("id") }\nf.call(cp, 1);\n`,
          'command-execution',
        ],
        [
          'a namespace export assigned a string',
          `${CP}namespace N {\n  export let m: any;\n  m = "cp";\n}\nN.m.exec("id");\n`,
          'command-execution',
        ],
        ['an enum of numbers', 'enum E { A = 1, B }\nE.A.exec("id");\n'],
      ],
      'typescript',
    );
  });
});
