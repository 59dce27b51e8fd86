// An adversarial review of the JavaScript and TypeScript analyzer: the Function constructor, modules and sinks
// reached without naming them plainly, and TypeScript types that must not count as values.
import assert from 'node:assert/strict';
import { itFlags, itQuiet, rulesOf } from './helpers';

describe('adversarial review: javascript and typescript', () => {
  describe('the Function constructor reached from other objects', () => {
    itFlags(
      [
        ['Function.prototype.constructor', 'Function.prototype.constructor("return 1")()', 'dynamic-code', 1],
        [
          'the AsyncFunction constructor',
          'const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;\nnew AsyncFunction("return 1")',
          'dynamic-code',
          1,
        ],
        ["an arrow function's constructor", '(() => {}).constructor("return process")()', 'dynamic-code', 1],
        ['Reflect.get on the global object', 'Reflect.get(globalThis, "eval")("1")', 'dynamic-code', 1],
      ],
      'javascript',
    );
  });

  describe('assignment expressions used where they stand', () => {
    itFlags(
      [
        [
          'an assignment called where it stands',
          'const cp = require("child_process");\nlet f;\n(f = cp.exec)("id")',
          'command-execution',
          3,
        ],
        [
          'a member store called where it stands',
          'const cp = require("child_process");\nconst o = {};\n(o.run = cp.execSync)("id")',
          'command-execution',
          3,
        ],
        [
          'an assignment passed as an argument',
          'const cp = require("child_process");\nlet f;\n[1].forEach(f = cp.exec)',
          'command-execution',
          3,
        ],
        ['eval through an assignment', 'let e;\n(e = eval)("1")', 'dynamic-code', 2],
      ],
      'javascript',
    );
    itQuiet(
      [
        [
          'an assignment statement alone',
          'const cp = require("child_process");\nlet f;\nf = cp.exec;',
          'command-execution',
        ],
        [
          'an assignment statement in parentheses',
          'const cp = require("child_process");\nlet f;\n(f = cp.spawn);',
          'command-execution',
        ],
      ],
      'javascript',
    );
  });

  describe('a module as the scope of a with statement, or as a prototype', () => {
    itFlags(
      [
        [
          'a member called by its bare name in with',
          'const cp = require("child_process");\nwith (cp) {\n  exec("id");\n}',
          'command-execution',
          3,
        ],
        [
          'a member in a nested block of with',
          'const cp = require("child_process");\nwith (cp) if (x) { spawnSync("id"); }',
          'command-execution',
          2,
        ],
        [
          'a with body too large to follow',
          `const cp = require("child_process");\nwith (cp) { ${'a;'.repeat(2001)} execSync("id"); }`,
          'dynamic-attribute',
          2,
        ],
        [
          'an object made with the module as its prototype',
          'const cp = require("child_process");\nconst o = Object.create(cp);\no.exec("id")',
          'command-execution',
          3,
        ],
      ],
      'javascript',
    );
    itQuiet(
      [
        ['with over Math', 'with (Math) { console.log(max(1, 2)); }'],
        [
          'with over a module, using harmless members',
          'const cp = require("child_process");\nwith (cp) { console.log(typeof ChildProcess); }',
          'command-execution',
        ],
      ],
      'javascript',
    );
  });

  describe('modules reached through other loaders and promises', () => {
    itFlags(
      [
        [
          'import().then(cp => ...)',
          'import("node:child_process").then((cp) => cp.exec("id"))',
          'command-execution',
          1,
        ],
        [
          'import().then with destructuring',
          'import("child_process").then(({ exec }) => exec("id"))',
          'command-execution',
          1,
        ],
        [
          'module.createRequire',
          'const { createRequire } = require("module");\nconst r = createRequire(__filename);\nr("child_process").exec("id")',
          'command-execution',
          3,
        ],
        [
          'process.getBuiltinModule',
          'process.getBuiltinModule("fs").writeFileSync("x", "y")',
          'file-write',
          1,
        ],
        [
          'a destructured default',
          'const { exec = null } = require("child_process");\nexec("id")',
          'command-execution',
          2,
        ],
        [
          'a destructured key computed from constants',
          'const { [`ex${"ec"}Sync`]: run } = require("child_process");\nrun("id")',
          'command-execution',
          2,
        ],
        [
          'an object key computed from constants',
          'const fs = require("fs");\nconst o = { ["w" + "f"]: fs.writeFileSync };\no.wf("x", "y")',
          'file-write',
          3,
        ],
        [
          'require kept in an array',
          'const x = [require][0];\nx("fs").writeFileSync("x", "y")',
          'file-write',
          2,
        ],
        [
          'a module kept in an object',
          'const m = { f: require("fs") };\nm.f.writeFileSync("x", "y")',
          'file-write',
          2,
        ],
        [
          'a module returned by a function',
          'function get() { return require("fs"); }\nget().writeFileSync("x", "y")',
          'file-write',
          2,
        ],
        [
          'a module returned by an arrow',
          'const get = () => require("fs");\nget().writeFileSync("x", "y")',
          'file-write',
          2,
        ],
        ['export from a restricted module', 'export { exec } from "child_process";', 'restricted-module', 1],
        ['export * from a restricted module', 'export * from "node:child_process";', 'restricted-module', 1],
      ],
      'javascript',
    );
  });

  describe('other sinks', () => {
    itFlags(
      [
        ['a destructured environment variable', 'const { HOME } = process.env;', 'env-access', 1],
        ['a nested destructuring of the environment', 'const { env: { HOME } } = process;', 'env-access', 1],
        ['fs.writeSync', 'const fs = require("fs");\nfs.writeSync(fd, "x")', 'file-write', 2],
        ['fs.rmSync of the root', 'require("fs").rmSync("/", { recursive: true })', 'destructive-command', 1],
        ['dns lookups', 'require("dns").lookup("example.com", () => {})', 'network-socket', 1],
        [
          'a worker evaluating a string',
          'const { Worker } = require("worker_threads");\nnew Worker("code", { eval: true })',
          'dynamic-code',
          2,
        ],
        ['a huge String.repeat', 'const s = "x".repeat(1e10);', 'resource-exhaustion', 1],
      ],
      'javascript',
    );
  });

  describe('TypeScript types are not values', () => {
    itQuiet(
      [
        ['typeof eval in a parameter type', 'function f(cb: typeof eval): void {}'],
        ['typeof process.env in a type', 'let e: typeof process.env;'],
        ['a type-only import() of a module', 'type CP = typeof import("child_process");'],
      ],
      'typescript',
    );
  });

  // The techniques above, built generally: other spellings of each that must be caught too.
  describe('generalisations', () => {
    itFlags(
      [
        [
          "a named function's constructor",
          'const f = function () {};\nf.constructor("return process")()',
          'dynamic-code',
          2,
        ],
        ["a class's constructor", '(class {}).constructor("return 1")()', 'dynamic-code', 1],
        [
          'the GeneratorFunction constructor, kept',
          'const G = Object.getPrototypeOf(function* () {}).constructor;\nconst g = new G("yield 1");',
          'dynamic-code',
          2,
        ],
        [
          "a function declaration's __proto__",
          'function f() {}\nf.__proto__.constructor("x")()',
          'dynamic-code',
          2,
        ],
        ['Reflect.get of Function', 'Reflect.get(global, "Function")("return 1")()', 'dynamic-code', 1],
        [
          'Reflect.get of process.env',
          'const e = Reflect.get(process, "env");\nconsole.log(e.HOME);',
          'env-access',
          2,
        ],
        ['Reflect.apply of eval', 'Reflect.apply(eval, null, ["1"])', 'dynamic-code', 1],
        [
          'import().then with a function expression',
          'import("child_process").then(function (cp) {\n  cp.execSync("id");\n});',
          'command-execution',
          2,
        ],
        [
          'a chained then and a default export',
          'import("child_process")\n  .then((m) => m.default)\n  .then((cp) => cp.exec("id"));',
          'command-execution',
          3,
        ],
        [
          'an awaited Promise.resolve',
          'const cp = await Promise.resolve(require("child_process"));\ncp.exec("id");',
          'command-execution',
          2,
        ],
        [
          'a module passed to a local function',
          'function run(cp) {\n  cp.exec("id");\n}\nrun(require("child_process"));',
          'command-execution',
          2,
        ],
        [
          'a module passed to a callback by forEach',
          '[require("child_process")].forEach((cp) => cp.exec("id"));',
          'command-execution',
          1,
        ],
        [
          'a module destructured from an object',
          'const mods = { cp: require("child_process") };\nconst { cp } = mods;\ncp.exec("id");',
          'command-execution',
          3,
        ],
        [
          'a module destructured from an array',
          'const [, cp] = [null, require("child_process")];\ncp.exec("id");',
          'command-execution',
          2,
        ],
        [
          'a module in a shorthand property',
          'const cp = require("child_process");\nconst o = { cp };\no["cp"].exec("id");',
          'command-execution',
          3,
        ],
        [
          'a method returning a module',
          'const o = { load() { return require("fs"); } };\no.load().writeFileSync("a", "b");',
          'file-write',
          2,
        ],
        ['an immediately called arrow', '(() => require("fs"))().writeFileSync("a", "b");', 'file-write', 1],
        [
          'createRequire called inline',
          'require("node:module").createRequire(__filename)("child_process").execSync("id");',
          'command-execution',
          1,
        ],
        [
          'a guarded require',
          'const cp = typeof require === "function" && require("child_process");\ncp.exec("id");',
          'command-execution',
          2,
        ],
        [
          'a renamed re-export',
          'export { execSync as run } from "node:child_process";',
          'restricted-module',
          1,
        ],
        ['a namespace re-export', 'export * as cp from "child_process";', 'restricted-module', 1],
        [
          'a destructured environment variable with a default',
          'const { HOME = "/" } = process.env;',
          'env-access',
          1,
        ],
        [
          'fs.promises.rm of the home directory',
          'require("fs").promises.rm("~", { recursive: true });',
          'destructive-command',
          1,
        ],
        ['fs.writev', 'require("fs").writev(fd, [b]);', 'file-write', 1],
        ['dns.promises', 'require("dns").promises.resolve4("example.com");', 'network-socket', 1],
        [
          'dns/promises',
          'import { lookup } from "dns/promises";\nawait lookup("example.com");',
          'network-socket',
          2,
        ],
        [
          'a worker evaluating a kept string',
          'const { Worker } = require("node:worker_threads");\nconst opts = { eval: true };\nnew Worker(src, opts);',
          'dynamic-code',
          3,
        ],
        [
          'a worker whose options get eval: true after they are written',
          'const { Worker } = require("worker_threads");\nconst opts = {};\nopts.eval = true;\nnew Worker(src, opts);',
          'dynamic-code',
          4,
        ],
        [
          'a worker whose options come from a caller',
          'const { Worker } = require("worker_threads");\nfunction start(code, options) {\n  return new Worker(code, options);\n}\n',
          'dynamic-code',
          3,
        ],
        [
          'a worker whose options are merged',
          'const { Worker } = require("worker_threads");\nnew Worker(src, Object.assign({}, { ["ev" + "al"]: true }));',
          'dynamic-code',
          2,
        ],
        [
          'a worker started from a data: URL',
          'const { Worker } = require("worker_threads");\nnew Worker(new URL("data:text/javascript,process.exit()"));',
          'dynamic-code',
          2,
        ],
        [
          'a worker started from a data: URL string',
          'const { Worker } = require("worker_threads");\nnew Worker("DATA:text/javascript," + src);',
          'dynamic-code',
          2,
        ],
        ['eval.call', 'eval.call(null, "1");', 'dynamic-code', 1],
        ['a bound eval', 'const e = eval.bind(null);\ne("1");', 'dynamic-code', 2],
        [
          'exec.apply',
          'const cp = require("child_process");\ncp.exec.apply(cp, ["id"]);',
          'command-execution',
          2,
        ],
        ['Reflect.construct of Function', 'Reflect.construct(Function, ["return 1"]);', 'dynamic-code', 1],
        [
          'Promise.all and a destructured then',
          'Promise.all([import("child_process")]).then(([cp]) => cp.exec("id"));',
          'command-execution',
          1,
        ],
        [
          'a then destructuring the default export',
          'import("child_process").then(({ default: cp }) => cp.exec("id"));',
          'command-execution',
          1,
        ],
        [
          'Object.assign of a module',
          'const cp = Object.assign({}, require("child_process"));\ncp.execSync("id");',
          'command-execution',
          2,
        ],
        [
          'an async function returning a module',
          'async function load() {\n  return import("child_process");\n}\n(await load()).exec("id");',
          'command-execution',
          4,
        ],
        [
          'fs.rmSync of os.homedir()',
          'const fs = require("fs");\nconst os = require("os");\nfs.rmSync(os.homedir(), { recursive: true, force: true });',
          'destructive-command',
          3,
        ],
        [
          'rm -rf of os.homedir() in a shell command',
          'require("child_process").execSync(`rm -rf ${require("os").homedir()}`);',
          'destructive-command',
          1,
        ],
        ['a huge ArrayBuffer', 'const b = new ArrayBuffer(2 ** 40);', 'resource-exhaustion', 1],
        [
          "a function's constructor destructured",
          'const { constructor: F } = () => {};\nF("return 1")();',
          'dynamic-code',
          1,
        ],
        ['a subclass of Function', 'class X extends Function {}\nnew X("return 1");', 'dynamic-code', 2],
        [
          'a module spread into an object',
          'const o = { ...require("child_process") };\no.exec("id");',
          'command-execution',
          2,
        ],
        [
          'a module stored in a property later',
          'const o = {};\no.cp = require("child_process");\no.cp.exec("id");',
          'command-execution',
          3,
        ],
        [
          'a module stored under a computed key',
          'const o = {};\no["c" + "p"] = require("child_process");\no.cp.execSync("id");',
          'command-execution',
          3,
        ],
        ['a huge padEnd', 'const s = "".padEnd(2 ** 31);', 'resource-exhaustion', 1],
        [
          'a huge repeat of a long string',
          'const s = "0123456789".repeat(20_000_000);',
          'resource-exhaustion',
          1,
        ],
      ],
      'javascript',
    );

    itQuiet(
      [
        ["an object's constructor name", 'console.log(obj.constructor.name);'],
        ["a function's constructor name", 'function f() {}\nconsole.log(f.constructor.name);'],
        ['a constructor comparison', 'const f = () => 1;\nif (f.constructor === Object) {}'],
        ['a class constructor', 'class A {\n  constructor() {\n    this.x = 1;\n  }\n}\nnew A();'],
        [
          'a prototype constructor assignment',
          'function A() {}\nA.prototype.constructor = A;\nA.constructor = B;',
        ],
        ['a prototype lookup', 'const p = Object.getPrototypeOf(obj);'],
        ['array callbacks', '[1, 2].map((x) => x * 2).forEach((x) => console.log(x));'],
        ['a promise chain', 'Promise.resolve(1).then((v) => v + 1).then(console.log);'],
        ['Reflect.get of an object', 'Reflect.get(obj, "x");\nReflect.get(target, key);'],
        [
          'objects and returns of harmless values',
          'const o = { f: 1 };\no.f.toString();\nfunction get() {\n  return 1;\n}\nget().toString();',
        ],
        [
          'a worker from a file',
          'const { Worker } = require("worker_threads");\nnew Worker("./w.js", { workerData: 1 });\nnew Worker(file);',
        ],
        [
          'a worker from a file with options kept in a constant',
          'const { Worker } = require("worker_threads");\nconst opts = { workerData: 1, env: {} };\nopts.workerData;\nnew Worker(new URL("./w.js", import.meta.url), opts);',
        ],
        ['short repeats and pads', 'const line = "-".repeat(80);\nconst s = String(n).padStart(width);'],
        ['setTimeout.call with a function', 'setTimeout.call(window, () => 1, 10);'],
        ['Function.prototype.call', 'Function.prototype.call.call(f, null);'],
        ['Object.assign of plain objects', 'const o = Object.assign({}, defaults, opts);\no.run();'],
        [
          'a subclass of Function with its own constructor',
          'class A extends Function {\n  constructor(x) {\n    super();\n    this.x = x;\n  }\n}\nnew A("return 1");',
        ],
        ['a subclass of Error', 'class E extends Error {}\nthrow new E("x");'],
        [
          'properties set later',
          'const o = {};\no.x = 1;\no.x.toString();\no.p = require("path");\no.p.join("a");',
        ],
        ['a destructured constructor of an object', 'const { constructor } = obj;\nnew constructor();'],
        ['an object spread', 'const o = { ...defaults, a: 1 };\no.a.toFixed();'],
        ['small buffers', 'Buffer.alloc(1024, 0);\nnew Uint8Array(16);\nnew ArrayBuffer(n);'],
        ['a re-export of a local module', 'export { a } from "./a";\nexport * from "./b";'],
        ['destructuring something else', 'const { env, HOME } = options;\nconst [a, b] = list;'],
        [
          'an interop helper indexing a module',
          'const __importStar = (m) => {\n  const r = {};\n  for (const k in m) r[k] = m[k];\n  return r;\n};\nconst path = __importStar(require("path"));',
        ],
      ],
      'javascript',
    );

    itQuiet(
      [
        [
          'fs.rmSync of a build directory',
          'require("fs").rmSync("build", { recursive: true });',
          'destructive-command',
        ],
      ],
      'javascript',
    );

    it('reports fetch().then(r => r.json()) as the request alone', async () => {
      assert.deepEqual(await rulesOf('fetch(url).then((r) => r.json());', { language: 'javascript' }), [
        'network-http',
      ]);
    });

    itQuiet(
      [
        [
          'type-only imports and exports of a restricted module',
          'import type { ChildProcess } from "child_process";\nexport type { SpawnOptions } from "child_process";',
        ],
        ['typeof globalThis.eval in a type', 'type E = typeof globalThis.eval;'],
        ['typeof import() of a local module', 'let m: typeof import("./local");'],
        ['typeof require in a generic', 'const r: Array<typeof require> = [];'],
      ],
      'typescript',
    );
  });
});
