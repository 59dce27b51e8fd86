// Getters (src/policy/javascript/evaluator.ts's object literals, catalog/stores.ts's descriptors): a member
// read runs its getter, so `{ get x() { return cp } }` and `Object.defineProperty(o, "x", { get: () => cp })`
// make `o.x` the module; a descriptor's `get` called directly gives it too. A WeakRef holds its target
// (`deref()` gives it back). Getters of strings and references to plain objects stay quiet. A descriptor's
// `value` and WeakMap entries were followed before (javascript-reflection, javascript-stores tests).
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: getters and weak references', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'Object.defineProperty with an arrow getter',
          `${CP}const o = {};\nObject.defineProperty(o, "x", { get: () => cp });\no.x.exec("id");\n`,
          'command-execution',
          4,
        ],
        [
          'Object.defineProperty with a get method',
          `${CP}const o = {};\nObject.defineProperty(o, "x", { get() { return cp } });\no.x.exec("id");\n`,
          'command-execution',
          4,
        ],
        [
          'Reflect.defineProperty with a getter',
          'const o = {};\nReflect.defineProperty(o, "e", { get: () => eval });\no.e("x");\n',
          'dynamic-code',
          3,
        ],
        [
          'Object.defineProperties with a getter',
          `${CP}const o = {};\nObject.defineProperties(o, { x: { get() { return cp } } });\no.x.exec("id");\n`,
          'command-execution',
          4,
        ],
        [
          '__defineGetter__',
          `${CP}const o = {};\no.__defineGetter__("x", () => cp);\no.x.exec("id");\n`,
          'command-execution',
          4,
        ],
        [
          'a getter in an object literal',
          `${CP}const o = { get x() { return cp } };\no.x.exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'a getter of vm',
          'const o = { get v() { return require("vm") } };\no.v.runInThisContext("1");\n',
          'dynamic-code',
          2,
        ],
        [
          'a descriptor’s get called',
          `${CP}const o = { get x() { return cp } };\nObject.getOwnPropertyDescriptor(o, "x").get().exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'a descriptor kept, its get called',
          'const o = { get x() { return require("child_process") } };\nconst d = Object.getOwnPropertyDescriptor(o, "x");\nd.get().exec("id");\n',
          'command-execution',
          3,
        ],
        ['new WeakRef(cp).deref()', `${CP}new WeakRef(cp).deref().exec("id");\n`, 'command-execution', 2],
        [
          'a WeakRef kept in a variable',
          'const w = new WeakRef(eval);\nw.deref()("x");\n',
          'dynamic-code',
          2,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'a getter on a typed object',
          `${CP}const o: any = {};\nObject.defineProperty(o, "x", { get: () => cp });\no.x.exec("id");\n`,
          'command-execution',
          4,
        ],
        [
          'a typed WeakRef',
          `${CP}const w = new WeakRef<any>(cp);\nw.deref()!.exec("id");\n`,
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
        ['a getter returning a string', 'const o = { get x() { return "ls" } };\no.x.exec("id");\n'],
        [
          'Object.defineProperty with a getter of a string',
          'const o = {};\nObject.defineProperty(o, "x", { get: () => "s" });\no.x.exec("id");\n',
        ],
        [
          'a getter beside a module it does not return',
          `${CP}const o = { get x() { return 1 } };\no.x.exec("id");\n`,
          'command-execution',
        ],
        ['a WeakRef to a plain object', 'const w = new WeakRef({});\nw.deref().exec("id");\n'],
      ],
      'javascript',
    );
  });
});
