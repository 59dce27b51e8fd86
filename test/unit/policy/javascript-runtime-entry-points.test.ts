// Node's and the web's ways into code the JavaScript-level checks do not see (catalog/sinks.ts and
// detectors.ts): a REPL (evaluates what it reads), a ShadowRealm (evaluates strings), V8's flags set at run
// time, WebAssembly compiled from bytes and WASI, the inspector's promise API, and `.caller` reads
// (`arguments.callee.caller`, `f.caller`: the calling function, host code). `arguments.callee` is the
// function itself, so its `constructor` is the Function constructor.
import { itFlags, itQuiet } from './helpers';

describe('javascript: runtime entry points', () => {
  describe('reports', () => {
    itFlags(
      [
        ['repl.start', 'require("repl").start();\n', 'dynamic-code', 1],
        [
          'repl imported by default',
          'import repl from "node:repl";\nrepl.start({ prompt: "> " });\n',
          'dynamic-code',
          2,
        ],
        ['new REPLServer', 'const { REPLServer } = require("repl");\nnew REPLServer();\n', 'dynamic-code', 2],
        ['ShadowRealm evaluate', 'const r = new ShadowRealm();\nr.evaluate("1 + 1");\n', 'dynamic-code', 1],
        [
          'ShadowRealm through globalThis',
          'new globalThis.ShadowRealm().importValue("./x.js", "y");\n',
          'dynamic-code',
          1,
        ],
        [
          'v8.setFlagsFromString',
          'const v8 = require("v8");\nv8.setFlagsFromString("--allow-natives-syntax");\n',
          'sandbox-escape',
          2,
        ],
        ['WebAssembly.instantiate', 'WebAssembly.instantiate(bytes);\n', 'native-code', 1],
        ['new WebAssembly.Module', 'const m = new WebAssembly.Module(bytes);\n', 'native-code', 1],
        [
          'WebAssembly.compile destructured',
          'const { compile } = WebAssembly;\ncompile(bytes);\n',
          'native-code',
          2,
        ],
        [
          'WebAssembly through globalThis',
          'globalThis["WebAssembly"].instantiateStreaming(fetch("x.wasm"));\n',
          'native-code',
          1,
        ],
        [
          'new WASI',
          'const { WASI } = require("wasi");\nnew WASI({ preopens: { "/": "/" } });\n',
          'native-code',
          2,
        ],
        ['inspector/promises', 'require("inspector/promises").open();\n', 'dynamic-code', 1],
        [
          'arguments.callee.caller',
          'function f() {\n  return arguments.callee.caller;\n}\n',
          'sandbox-escape',
          2,
        ],
        [
          'a computed caller read',
          'const g = function () { return arguments.callee["caller"]; };\n',
          'sandbox-escape',
          1,
        ],
        [
          'f.caller',
          'function f() {\n  return f.caller.constructor("return process")();\n}\n',
          'sandbox-escape',
          2,
        ],
        [
          'arguments.callee kept in a variable',
          'function f() {\n  const c = arguments.callee;\n  return c.caller;\n}\n',
          'sandbox-escape',
          3,
        ],
        [
          'the constructor of arguments.callee',
          'function f() {\n  return arguments.callee.constructor("return process")();\n}\n',
          'dynamic-code',
          2,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'a typed WebAssembly instance',
          'const i: any = new WebAssembly.Instance(mod as any, {});\n',
          'native-code',
          1,
        ],
        [
          'a typed caller read',
          'function f(this: any): any {\n  return (f as any).caller;\n}\n',
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
        ['a caller member of a plain object', 'const o = { caller: 1 };\nconsole.log(o.caller);\n'],
        ['a parameter named caller', 'function f(caller) { return caller.name; }\n'],
        ['arguments.callee alone', 'function f(n) { return n ? arguments.callee(n - 1) : 0; }\n'],
        ['a WebAssembly feature check', 'const ok = typeof WebAssembly === "object";\n'],
        ['v8 heap statistics', 'require("v8").getHeapStatistics();\n'],
      ],
      'javascript',
    );
    itQuiet(
      [
        [
          'a typed caller field',
          'interface Req { caller: string }\nfunction h(r: Req) { return r.caller; }\n',
        ],
      ],
      'typescript',
    );
  });
});
