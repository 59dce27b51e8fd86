// A module's own export object read back in the same file (src/policy/javascript/flow.ts, `storeAt`):
// `module.exports.m = cp`, `exports.m = cp` (the same object), `module.exports = { m: cp }`, and nested
// stores in general (`o.a.b = cp`). TypeScript namespaces (namespaces.ts): `namespace N { export const m
// = cp }` makes `N.m` the module, for `module N {}`, nested names (`namespace A.B`) and merged blocks too.
// Harmless exports and declarations a namespace does not export stay quiet.
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: module.exports and TypeScript namespaces', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'module.exports.m read back',
          `${CP}module.exports.m = cp;\nmodule.exports.m.exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'exports.m read through module.exports',
          `${CP}exports.m = cp;\nmodule.exports.m.exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'module.exports.m read through exports',
          `${CP}module.exports.m = cp;\nexports.m.exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'eval stored under module.exports',
          'module.exports.run = eval;\nmodule.exports.run("x");\n',
          'dynamic-code',
          2,
        ],
        [
          'a nested member store',
          `${CP}const o = { a: {} };\no.a.b = cp;\no.a.b.exec("id");\n`,
          'command-execution',
          4,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'a namespace’s exported const',
          `${CP}namespace N {\n  export const m = cp;\n}\nN.m.exec("id");\n`,
          'command-execution',
          5,
        ],
        ['module N', `${CP}module N {\n  export const m = cp;\n}\nN.m.exec("id");\n`, 'command-execution', 5],
        [
          'namespace A.B',
          `${CP}namespace A.B {\n  export const m = cp;\n}\nA.B.m.exec("id");\n`,
          'command-execution',
          5,
        ],
        [
          'namespace A.B.C',
          `${CP}namespace A.B.C {\n  export const m = cp;\n}\nA.B.C.m.exec("id");\n`,
          'command-execution',
          5,
        ],
        [
          'a namespace nested in another',
          'namespace A {\n  export namespace B {\n    export const f = eval;\n  }\n}\nA.B.f("x");\n',
          'dynamic-code',
          6,
        ],
        [
          'an exported function',
          'namespace N {\n  export function get() { return require("child_process") }\n}\nN.get().exec("id");\n',
          'command-execution',
          4,
        ],
        [
          'an exported class',
          'namespace N {\n  export class K { static m = require("child_process") }\n}\nN.K.m.exec("id");\n',
          'command-execution',
          4,
        ],
        [
          'merged namespace blocks',
          'namespace N { export const a = 1 }\nnamespace N { export const m = require("child_process") }\nN.m.exec("id");\n',
          'command-execution',
          3,
        ],
        [
          'a member of a namespace kept in a variable',
          'namespace N { export const m = require("child_process") }\nconst x = N.m;\nx.exec("id");\n',
          'command-execution',
          3,
        ],
        [
          'an exported namespace in an ES module',
          'export namespace N { export const m = require("child_process") }\nN.m.exec("id");\n',
          'command-execution',
          2,
        ],
      ],
      'typescript',
    );
  });

  // Followed before (a store into a plain name, an object literal assigned): kept beside the new shapes.
  describe('reports, as before', () => {
    itFlags(
      [
        ['exports.m read back', `${CP}exports.m = cp;\nexports.m.exec("id");\n`, 'command-execution', 3],
        [
          'module.exports replaced by an object',
          `${CP}module.exports = { m: cp };\nmodule.exports.m.exec("id");\n`,
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
        ['an exported plain object', 'module.exports.m = { exec() {} };\nmodule.exports.m.exec("id");\n'],
        [
          'exports after module.exports was replaced',
          `${CP}module.exports = { m: cp };\nexports.m.exec("id");\n`,
          'command-execution',
        ],
      ],
      'javascript',
    );
    itQuiet(
      [
        ['a namespace exporting a number', 'namespace N { export const m = 1 }\nN.m.exec("id");\n'],
        [
          'a namespace’s declaration it does not export',
          `${CP}namespace N { const m = cp }\nN.m.exec("id");\n`,
          'command-execution',
        ],
        ['a namespace exporting a string', 'namespace N { export const cmd = "ls" }\nN.cmd.exec("id");\n'],
      ],
      'typescript',
    );
  });
});
