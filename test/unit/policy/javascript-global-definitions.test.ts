// Global variables made by the calls that store into an object (src/policy/javascript/member-stores.ts)
// when the object is the global one: `Object.defineProperty(globalThis, "x", { value: cp })`,
// `Object.assign(globalThis, { x: cp })`, `Object.defineProperties`, `Reflect.set`, a getter, a sloppy
// function's `this`; and a module merged into the global object (`Object.assign(globalThis, cp)`,
// `globalThis.__proto__ = cp`), whose functions become bare names. `globalThis.x = cp` was followed before.
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: globals defined through the global object', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'Object.defineProperty with a value, read bare',
          `${CP}Object.defineProperty(globalThis, "x", { value: cp });\nx.exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'Object.defineProperty read through window',
          `${CP}Object.defineProperty(globalThis, "x", { value: cp });\nwindow.x.exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'Object.assign of an object literal',
          `${CP}Object.assign(globalThis, { x: cp });\nx.exec("id");\n`,
          'command-execution',
          3,
        ],
        ['Object.assign into global', 'Object.assign(global, { ev: eval });\nev("1");\n', 'dynamic-code', 2],
        [
          'Object.defineProperties',
          `${CP}Object.defineProperties(globalThis, { x: { value: cp } });\nx.spawn("sh");\n`,
          'command-execution',
          3,
        ],
        [
          'Reflect.defineProperty with a getter',
          `${CP}Reflect.defineProperty(globalThis, "x", { get: () => cp });\nx.exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'a getter on self giving a function',
          `${CP}Object.defineProperty(self, "run", { get() { return cp.execSync; } });\nrun("id");\n`,
          'command-execution',
          3,
        ],
        ['Reflect.set', `${CP}Reflect.set(globalThis, "x", cp);\nx.exec("id");\n`, 'command-execution', 3],
        [
          "a sloppy function's this",
          `${CP}(function () { Object.defineProperty(this, "x", { value: cp }); })();\nx.exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'a module merged into the global object',
          `${CP}Object.assign(globalThis, cp);\nexec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'a module set as the global prototype',
          `${CP}Object.setPrototypeOf(globalThis, cp);\nexecSync("id");\n`,
          'command-execution',
          3,
        ],
        [
          "a module assigned to the global object's __proto__",
          `${CP}globalThis.__proto__ = cp;\nspawn("sh");\n`,
          'command-execution',
          3,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'a global object cast to any',
          `${CP}Object.defineProperty(globalThis as any, "x", { value: cp });\n(globalThis as any).x.exec("id");\n`,
          'command-execution',
          3,
        ],
        [
          'a parenthesized global object stored into',
          `${CP}(globalThis as any)["x"] = cp;\ndeclare const x: any;\nx.exec("id");\n`,
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
          'a global defined as a plain object',
          'Object.defineProperty(globalThis, "x", { value: { exec() {} } });\nx.exec("id");\n',
        ],
        [
          'a local object defined with a module',
          `${CP}const o = {};\nObject.defineProperty(o, "x", { value: cp });\nfunction f(x) { x.exec("y"); }\nf(/a/);\n`,
          'command-execution',
        ],
        [
          'a shadowed global name stored into',
          `${CP}function f(globalThis) { Object.assign(globalThis, cp); }\nexec("id");\n`,
          'command-execution',
        ],
      ],
      'javascript',
    );
  });
});
