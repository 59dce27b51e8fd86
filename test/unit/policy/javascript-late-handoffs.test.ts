// A dangerous value handed to code that runs it later (src/policy/javascript/callbacks.ts, late-values.ts,
// promises.ts, handoffs.ts): an awaited rejection reaching the `catch`, the second callback of `then`, a
// resolve handed to a timer or a helper, `Promise.withResolvers()`, awaited thenables, a Proxy's `get`
// trap, a FinalizationRegistry's callback, an emitter's listeners, a timer's extra arguments. Each is
// followed precisely (the value reaches the parameter that receives it); look-alikes with harmless values
// stay quiet.
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: values handed to code that runs later', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'an awaited rejection caught',
          `${CP}async function f() {\n  try { await Promise.reject(cp) } catch (e) {\n    e.exec("id");\n  }\n}\n`,
          'command-execution',
          4,
        ],
        [
          'an awaited rejecting executor caught',
          `${CP}async function f() {\n  try {\n    await new Promise((_, no) => no(cp));\n  } catch ({ execSync }) {\n    execSync("id");\n  }\n}\n`,
          'command-execution',
          6,
        ],
        [
          'the second callback of then',
          `${CP}Promise.reject(cp).then(() => 1, (e) => {\n  e.exec("id");\n});\n`,
          'command-execution',
          3,
        ],
        [
          'a resolve handed to setTimeout with the value',
          `${CP}new Promise((r) => setTimeout(r, 0, cp)).then((m) => {\n  m.exec("id");\n});\n`,
          'command-execution',
          3,
        ],
        [
          'a resolve handed to a helper with the value',
          `${CP}function later(fn, v) { fn(v) }\nnew Promise((ok) => later(ok, cp)).then((m) => {\n  m.spawn("id");\n});\n`,
          'command-execution',
          4,
        ],
        [
          'Promise.withResolvers destructured',
          `${CP}const { promise: p, resolve: ok } = Promise.withResolvers();\nsetTimeout(() => ok(cp), 1);\np.then((m) => {\n  m.exec("id");\n});\n`,
          'command-execution',
          5,
        ],
        [
          'Promise.withResolvers kept whole and rejected',
          `${CP}const d = Promise.withResolvers();\nd.reject(cp);\nd.promise.catch((m) => {\n  m.exec("id");\n});\n`,
          'command-execution',
          5,
        ],
        [
          'an awaited thenable',
          `${CP}async function f() {\n  const m = await { then(r) { r(cp) } };\n  m.exec("id");\n}\n`,
          'command-execution',
          4,
        ],
        [
          'an awaited thenable kept in a variable',
          `${CP}async function f() {\n  const t = { then: (ok) => ok(cp) };\n  const m = await t;\n  m.exec("id");\n}\n`,
          'command-execution',
          5,
        ],
        [
          'a Proxy get trap answering every member',
          `${CP}new Proxy({}, { get: () => cp }).anything.exec("id");\n`,
          'command-execution',
          2,
        ],
        [
          'a Proxy get trap written as a method, kept in a variable',
          `${CP}const p = new Proxy({}, {\n  get(target, name) { return cp[name] }\n});\np.execSync("id");\n`,
          'command-execution',
          5,
        ],
        [
          'a FinalizationRegistry callback',
          `${CP}const fr = new FinalizationRegistry((h) => {\n  h.exec("id");\n});\nfr.register({}, cp);\n`,
          'command-execution',
          3,
        ],
        [
          'an emitter listener given the value by emit',
          `${CP}const EventEmitter = require("events");\nconst em = new EventEmitter();\nem.on("x", (m) => {\n  m.exec("id");\n});\nem.emit("x", cp);\n`,
          'command-execution',
          5,
        ],
        [
          'a once listener and a computed event name',
          `${CP}const em = new (require("events"))();\nem.once(name, function (a, m) {\n  m.execFile("id");\n});\nem.emit(name, 1, cp);\n`,
          'command-execution',
          4,
        ],
        [
          "a timer's extra argument",
          `${CP}setTimeout((m) => {\n  m.exec("id");\n}, 0, cp);\n`,
          'command-execution',
          3,
        ],
        [
          'setImmediate and process.nextTick arguments',
          `${CP}setImmediate((m) => m.exec("id"), cp);\nprocess.nextTick((a, m) => {\n  m.spawn("id");\n}, 0, cp);\n`,
          'command-execution',
          4,
        ],
      ],
      'javascript',
    );
  });

  describe('stays quiet on', () => {
    itQuiet(
      [
        [
          'an awaited promise of a number caught',
          `${CP}async function f() {\n  try { await Promise.reject(1) } catch (e) { e.exec("id") }\n}\n`,
          'command-execution',
        ],
        [
          'a second callback of then on a harmless promise',
          `${CP}Promise.reject(new Error("x")).then(() => 1, (e) => e.exec("id"));\n`,
          'command-execution',
        ],
        [
          'a resolve handed to setTimeout alone',
          `${CP}new Promise((r) => setTimeout(r, 10)).then((m) => m.exec("id"));\n`,
          'command-execution',
        ],
        [
          'Promise.withResolvers resolved with a number',
          `${CP}const { promise, resolve } = Promise.withResolvers();\nresolve(1);\npromise.then((m) => m.exec("id"));\n`,
          'command-execution',
        ],
        [
          'an awaited thenable of a string',
          `${CP}async function f() {\n  const m = await { then(r) { r("cp") } };\n  m.exec("id");\n}\n`,
          'command-execution',
        ],
        [
          'a Proxy get trap returning a constant',
          `${CP}new Proxy(cp.constructor, { get: () => 1 }).anything.exec("id");\n`,
          'command-execution',
        ],
        [
          'a FinalizationRegistry given a harmless value',
          `${CP}const fr = new FinalizationRegistry((h) => h.exec("id"));\nfr.register({}, "token");\n`,
          'command-execution',
        ],
        [
          'a listener of another event',
          `${CP}const em = new (require("events"))();\nem.on("y", (m) => m.exec("id"));\nem.emit("x", cp);\n`,
          'command-execution',
        ],
        [
          "a timer's harmless extra argument",
          `${CP}setTimeout((m) => m.exec("id"), 0, "cp");\n`,
          'command-execution',
        ],
      ],
      'javascript',
    );
  });
});
