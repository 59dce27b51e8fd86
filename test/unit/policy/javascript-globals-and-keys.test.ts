// Values kept where a name cannot be followed by its spelling: global variables made through the global
// object (`globalThis.x = cp`, read as `x` or through `self`/`global`), object members under computed names
// the analysis cannot know (`{ [sym]: cp }`, `o[k]`), and lists copied by `concat`/`flat`/`toSpliced`.
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript global variables, computed keys and list copies', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'a global variable set through globalThis',
          `${CP}globalThis.x = cp;\nx.exec("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'a global variable read in another function',
          `${CP}function set() { global["m"] = cp; }\nfunction run() { m.execSync("ls"); }\nset();\nrun();\n`,
          'command-execution',
          3,
        ],
        [
          'a global set through one name and read through another',
          `${CP}global.x = cp;\nself.x.exec("ls");\nwindow.x.spawn("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'a member under a symbol',
          `${CP}const sym = Symbol();\nconst o = { [sym]: cp };\no[sym].exec("ls");\n`,
          'command-execution',
          4,
        ],
        [
          'a member under a name from the command line',
          `${CP}const o = { [process.argv[2]]: cp };\no.m.exec("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'an object literal indexed by an unknown name',
          `${CP}const o = { a: 1, b: cp };\no[process.argv[2]].exec("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'a list copied with concat',
          `${CP}const b = [cp].concat([]);\nb[0].exec("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'a list copied with toSpliced',
          `${CP}const b = [cp].toSpliced(0, 0, 1);\nfor (const m of b) m.exec("ls");\n`,
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
        ['a global of a harmless value', 'globalThis.x = /a/;\nx.exec("abc");\n'],
        [
          'a shadowed global object',
          `${CP}function f(globalThis) {\n  globalThis.x = cp;\n}\nx.exec("abc");\n`,
          'command-execution',
        ],
        [
          'computed keys of harmless values',
          'const o = { [k]: /a/, b: 1 };\no[k].exec("abc");\no.exec("abc");\n',
        ],
        ['strings concatenated', 'const s = "a".concat("b");\ns.toString();\n'],
      ],
      'javascript',
    );
  });
});
