// Values held by a class's members (src/policy/javascript/classes.ts): fields, static fields, private
// fields, `this.x = v` stores, getters, static methods and TypeScript's parameter properties, read through
// `this` in the class, through the class itself or through an instance. A class's own members of
// harmless values stay quiet.
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript values held by class members', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'a field read through this',
          'class C {\n  m = require("child_process");\n  run() { this.m.exec("ls"); }\n}\nnew C().run();\n',
          'command-execution',
          3,
        ],
        [
          'a private field read in an arrow function',
          'class C {\n  #m = require("child_process");\n  run = () => this.#m.execSync("ls");\n}\n',
          'command-execution',
          3,
        ],
        [
          'a store on this in the constructor, read by a method',
          'class C {\n  constructor() { this.m = require("child_process"); }\n  run(c) { this.m.exec(c); }\n}\n',
          'command-execution',
          3,
        ],
        [
          'a store on this read through an instance',
          'class C {\n  constructor() { this.m = require("child_process"); }\n}\nconst c = new C();\nc.m.exec("ls");\n',
          'command-execution',
          5,
        ],
        [
          'a field read through a new instance',
          'class C { m = require("child_process"); }\nnew C().m.exec("ls");\n',
          'command-execution',
          2,
        ],
        [
          'a static field',
          'class C { static m = require("child_process"); }\nC.m.spawn("ls");\n',
          'command-execution',
          2,
        ],
        [
          'a static field of a class expression',
          'const C = class { static m = require("child_process"); };\nC.m.exec("ls");\n',
          'command-execution',
          2,
        ],
        [
          'a static method returning the module',
          `${CP}class B { static f() { return cp; } }\nB.f().exec("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'a getter returning the module',
          `${CP}class B { get f() { return cp; } }\nnew B().f.exec("ls");\n`,
          'command-execution',
          3,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'a TypeScript parameter property',
          'class A {\n  constructor(private cp = require("child_process")) {}\n  run() { this.cp.exec("ls"); }\n}\n',
          'command-execution',
          3,
        ],
        [
          'a TypeScript public field read through an instance',
          'class A { public m: any = require("child_process"); }\nconst a: A = new A();\na.m!.exec("ls");\n',
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
          'a class with its own exec method',
          'class Db {\n  exec(sql) { return sql; }\n  run() { this.exec("select 1"); }\n}\nnew Db().run();\n',
        ],
        [
          'a field holding a regular expression',
          'class P {\n  re = /a/;\n  run(s) { return this.re.exec(s); }\n}\n',
        ],
        [
          'a store on this of a harmless value',
          'class C {\n  constructor() { this.m = { exec: (s) => s }; }\n}\nnew C().m.exec("ls");\n',
        ],
        [
          'a module read in one class and a same-named member in another',
          `${CP}class A { m = cp; }\nclass B { m = /x/; run(s) { this.m.exec(s); } }\n`,
          'command-execution',
        ],
      ],
      'javascript',
    );
  });
});
