// The host's module loader reached without `module.constructor` or `process.mainModule`: Node's `module`
// builtin is the Module class itself (`require("module")._load`, `Module.prototype.require`, `register`),
// every loaded module's record has a `require` of its own (`module.children`, `require.cache`), and a
// module record compiles a string as a module (`module._compile`). The inspector protocol runs any
// expression it is sent.
import { itFlags, itQuiet } from './helpers';

describe('javascript: the module loader reached by other names', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'the module builtin’s _load',
          'require("module")._load("child_process").execSync(cmd);\n',
          'sandbox-escape',
          1,
        ],
        [
          '_load destructured from node:module',
          'const { _load } = require("node:module");\n_load("child_process").execSync(cmd);\n',
          'sandbox-escape',
        ],
        [
          'the module builtin reached through process.getBuiltinModule',
          'process.getBuiltinModule("module")._load("child_process").execSync(cmd);\n',
          'sandbox-escape',
          1,
        ],
        [
          'Module.prototype.require called on a record',
          'const Module = require("module");\nModule.prototype.require.call(module, "child_process").exec(cmd);\n',
          'sandbox-escape',
          2,
        ],
        [
          'the prototype of the module record',
          'Object.getPrototypeOf(module).require.call(module, "child_process").exec(cmd);\n',
          'sandbox-escape',
          1,
        ],
        [
          'loader hooks registered from a data: URL',
          'require("module").register("data:text/javascript,export async function load() {}");\n',
          'sandbox-escape',
          1,
        ],
        [
          'a child module’s record',
          'module.children[0].require("child_process").execSync(cmd);\n',
          'sandbox-escape',
          1,
        ],
        [
          'a record from require.cache',
          'Object.values(require.cache)[0].require("child_process").execSync(cmd);\n',
          'command-execution',
          1,
        ],
        [
          'any record from require.cache',
          'const records = Object.values(require.cache);\nrecords[3].require("child_process").execSync(cmd);\n',
          'command-execution',
          2,
        ],
        [
          'a record from require.cache under a computed path',
          'for (const file in require.cache) require.cache[file].require("child_process").execSync(cmd);\n',
          'command-execution',
          1,
        ],
        [
          'a string compiled as a module by the record',
          'module._compile(code, "x.js");\n',
          'dynamic-code',
          1,
        ],
        [
          'the inspector protocol’s Runtime.evaluate',
          'const { Session } = require("inspector");\nconst s = new Session();\ns.connect();\ns.post("Runtime.evaluate", { expression: code });\n',
          'dynamic-code',
          2,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'Module._load on the default import',
          'import Module from "node:module";\nModule._load("child_process").execSync(cmd);\n',
          'sandbox-escape',
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
          'createRequire for a package file',
          'import { createRequire } from "module";\nconst require = createRequire(import.meta.url);\nconst pkg = require("./package.json");\n',
        ],
        [
          'the list of builtin modules',
          'const { builtinModules, isBuiltin } = require("module");\nconsole.log(builtinModules.length, isBuiltin("fs"));\n',
        ],
        [
          'the record’s plain members',
          'module.exports = { a: 1 };\nconsole.log(module.id, module.filename, module.paths, module.loaded);\n',
        ],
        [
          'require.resolve and require.main',
          'if (require.main === module) console.log(require.resolve("./x"));\n',
        ],
        [
          'a file dropped from require.cache',
          'delete require.cache[require.resolve("./config")];\nconst files = Object.keys(require.cache);\n',
        ],
        ['the inspector’s url', 'const inspector = require("inspector");\nconsole.log(inspector.url());\n'],
      ],
      'javascript',
    );
  });
});
