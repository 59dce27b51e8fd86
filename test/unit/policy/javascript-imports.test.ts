// Constant dynamic imports are imports (issue 11): `require`, `import()`, `module.require` and
// `process.getBuiltinModule` with a constant or folded name import that module (restricted-module and
// the sink rules apply); only a name that cannot be known is `dynamic-import`.
import { itFlags, itQuiet } from './helpers';

describe('javascript constant dynamic imports', () => {
  describe('are imports of the module', () => {
    itFlags(
      [
        [
          'process.getBuiltinModule, then a sink',
          'const cp = process.getBuiltinModule("child_process");\ncp.execSync("ls");\n',
          'command-execution',
          2,
        ],
        [
          'process.getBuiltinModule: restricted',
          'process.getBuiltinModule("node:child_process");\n',
          'restricted-module',
          1,
        ],
        [
          'module.require with a folded name',
          'module.require("child_" + "process").exec("ls");\n',
          'command-execution',
          1,
        ],
        [
          'module.require: restricted',
          'module.require(["child", "process"].join("_"));\n',
          'restricted-module',
          1,
        ],
        [
          'import() with a constant',
          'import("child_process").then((cp) => cp.exec("ls"));\n',
          'command-execution',
          1,
        ],
        [
          'import() of a template: restricted',
          'await import(`node:${"child_process"}`);\n',
          'restricted-module',
          1,
        ],
        [
          'require.call with a constant: restricted',
          'require.call(null, "child_process");\n',
          'restricted-module',
          1,
        ],
        ['a name that cannot be known', 'process.getBuiltinModule(process.argv[2]);\n', 'dynamic-import', 1],
        ['require.call with a computed name', 'require.call(null, process.argv[2]);\n', 'dynamic-import', 1],
      ],
      'javascript',
    );
  });

  describe('are not dynamic imports when the name is constant', () => {
    itQuiet(
      [
        [
          'process.getBuiltinModule of a harmless module',
          'const path = process.getBuiltinModule("path");\npath.join("a", "b");\n',
        ],
        ['module.require of a local module', 'const helper = module.require("./helper");\nhelper.run();\n'],
        ['import() of a package', 'const { default: _ } = await import("lodash");\n_.chunk([1, 2], 1);\n'],
        ['require of a folded harmless name', 'const path = require(["pa", "th"].join(""));\n'],
        ['require.call of a harmless module', 'require.call(null, "path");\n'],
      ],
      'javascript',
    );
  });
});
