// Class inheritance (src/policy/javascript/evaluator.ts, membersOfClass and `super`; class-this.ts): a
// subclass's instances (and statics) read what they lack from the classes they extend, `super.m` is the
// base's member, and a base holding a module makes its subclasses followed (their `this` and `super`
// reads), with or without a constructor of their own. TypeScript's `extends` clause is read as JavaScript's.
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: class inheritance', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          "a base constructor's member read on a subclass instance",
          `${CP}class B { constructor() { this.m = cp; } }\nclass C extends B {}\nnew C().m.exec("id");\n`,
          'command-execution',
          4,
        ],
        [
          "a base constructor's member read through the subclass's this",
          `${CP}class B { constructor() { this.m = cp; } }\nclass C extends B {\n  run() { this.m.exec("id"); }\n}\n`,
          'command-execution',
          4,
        ],
        [
          'a subclass with a constructor of its own',
          `${CP}class B { m = cp; }\nclass C extends B {\n  constructor() { super(); }\n  run() { this.m.spawn("sh"); }\n}\n`,
          'command-execution',
          5,
        ],
        [
          'a base field on an anonymous subclass',
          `${CP}class B { m = cp; }\nconst o = new (class extends B {})();\no.m.exec("id");\n`,
          'command-execution',
          4,
        ],
        [
          'super reading a getter of the base',
          `${CP}class B { get m() { return cp; } }\nclass C extends B {\n  run() { return super.m.exec("id"); }\n}\n`,
          'command-execution',
          4,
        ],
        [
          'super in a static method',
          `${CP}class B { static m = cp; }\nclass C extends B {\n  static run() { super.m.exec("id"); }\n}\n`,
          'command-execution',
          4,
        ],
        [
          'a static member inherited',
          `${CP}class B { static m = cp; }\nclass C extends B {}\nC.m.execSync("id");\n`,
          'command-execution',
          4,
        ],
        [
          'two levels of inheritance',
          `${CP}class A { m = cp; }\nclass B extends A {}\nclass C extends B {}\nnew C().m.exec("id");\n`,
          'command-execution',
          5,
        ],
        [
          'a base method returning the Function constructor',
          'class B { f() { return Function; } }\nclass C extends B {}\nnew C().f()("return 1")();\n',
          'dynamic-code',
          3,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'a typed subclass',
          `${CP}class B { protected m: any = cp; }\nclass C extends B implements Object {\n  run(): void { this.m.exec("id"); }\n}\n`,
          'command-execution',
          4,
        ],
        [
          'a TypeScript subclass of Function',
          'class X extends Function {}\nnew X("return 1")();\n',
          'dynamic-code',
          2,
        ],
        [
          'a parameter property of the base',
          `${CP}class B { constructor(protected m: any = cp) {} }\nclass C extends B {}\nnew C().m!.exec("id");\n`,
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
          'a base with its own exec method',
          'class B { exec(q) { return q; } }\nclass C extends B {}\nnew C().exec("DROP TABLE t");\n',
        ],
        [
          "a subclass's own member shadowing nothing dangerous",
          `${CP}class B { m = cp; }\nclass C extends B {}\nconst re = /a/;\nre.exec("a");\n`,
          'command-execution',
        ],
        [
          'an unrelated class beside a base holding a module',
          `${CP}class B { m = cp; }\nclass D {}\nnew D().m.exec("id");\n`,
          'command-execution',
        ],
      ],
      'javascript',
    );
  });
});
