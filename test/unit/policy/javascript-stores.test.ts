// Values stored into an object by a call (src/policy/javascript/catalog/stores.ts): `Object.assign(o, cp)`,
// `Object.setPrototypeOf`, property descriptors, `Reflect.set`, a list's `push`, a set's `add`, a map's
// `set`, and the wrappers that pass their target on (`new Proxy(cp, h)`, `new Map(pairs)`, `__proto__`):
// the dangerous value is reached through the object afterwards. Stores of harmless values stay quiet.
import assert from 'node:assert/strict';
import { JS_STORES } from '../../../src/policy/javascript/catalog/stores';
import { check, itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript values stored into objects by calls', () => {
  it('store rows have unique names', () => {
    const names = JS_STORES.map((row) => row.name);
    assert.deepEqual(names, [...new Set(names)]);
  });

  for (const row of JS_STORES) {
    it(`${row.name} (${row.kind}) passes the stored value on`, async () => {
      const findings = await check(row.example, { language: 'javascript' });
      assert.ok(
        findings.some((f) => f.ruleId === 'command-execution'),
        `the example of ${row.name} reports no command-execution:\n${row.example}\ngot: ${JSON.stringify(
          findings.map((f) => [f.ruleId, f.message]),
        )}`,
      );
    });
  }

  describe('reports', () => {
    itFlags(
      [
        [
          'Object.assign into a declared object',
          `${CP}const o = {};\nObject.assign(o, cp);\no.exec("ls");\n`,
          'command-execution',
          4,
        ],
        [
          'Object.assign of an object holding the module',
          'const o = {};\nObject.assign(o, { m: require("child_process") });\no.m.exec("ls");\n',
          'command-execution',
          3,
        ],
        [
          'Object.setPrototypeOf kept as its result',
          `${CP}const b = Object.setPrototypeOf({}, cp);\nb.execSync("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'a prototype in an object literal',
          `${CP}const o = { __proto__: cp };\no.exec("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'a prototype assigned',
          `${CP}const o = {};\no.__proto__ = cp;\no.spawn("ls");\n`,
          'command-execution',
          4,
        ],
        [
          'a prototype of a prototype',
          `${CP}const o = { __proto__: { __proto__: cp } };\no.exec("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'a member stored with Reflect.set under a folded name',
          `${CP}const o = {};\nReflect.set(o, "c" + "p", cp);\no.cp.exec("ls");\n`,
          'command-execution',
          4,
        ],
        [
          'an element pushed and found by iteration',
          `${CP}const list = [];\nlist.push(1, cp);\nfor (const m of list) m.exec("ls");\n`,
          'command-execution',
          4,
        ],
        [
          'an element pushed and taken with at',
          `${CP}const list = [];\nlist.push(cp);\nlist.at(-1).exec("ls");\n`,
          'command-execution',
          4,
        ],
        [
          'an element put first and shifted off',
          `${CP}const list = [];\nlist.unshift(cp, 0);\nlist.shift().execSync("ls");\n`,
          'command-execution',
          4,
        ],
        [
          'a map entry stored under a computed key',
          `${CP}const m = new Map();\nm.set(process.argv[2], cp);\nm.get(process.argv[2]).exec("ls");\n`,
          'command-execution',
          4,
        ],
        [
          'a weak map entry',
          `${CP}const k = {};\nconst m = new WeakMap();\nm.set(k, cp);\nm.get(k).exec("ls");\n`,
          'command-execution',
          5,
        ],
        [
          'a map built from entries and iterated',
          `${CP}for (const [, m] of new Map([["k", cp]])) m.exec("ls");\n`,
          'command-execution',
          2,
        ],
        [
          'a set spread into a list',
          `${CP}const s = new Set([cp]);\n[...s][0].exec("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'a proxy of the module',
          `${CP}const p = new Proxy(cp, { get: (t, k) => t[k] });\np.execSync("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'a revocable proxy',
          `${CP}const { proxy } = Proxy.revocable(cp, {});\nproxy.exec("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'a member of a destructuring assignment',
          `${CP}const o = {};\n({ exec: o.run } = cp);\no.run("ls");\n`,
          'command-execution',
          4,
        ],
        [
          'a nested member of a destructuring assignment',
          `${CP}const o = {};\n({ a: o.f } = { a: cp });\no.f.exec("ls");\n`,
          'command-execution',
          4,
        ],
        [
          'an array destructuring into a computed member',
          `${CP}const o = {};\n[, o["m"]] = [0, cp];\no.m.execSync("ls");\n`,
          'command-execution',
          4,
        ],
        // Kept as they were: a module's own `get` is its member, not a list's element.
        [
          'a module method named like a list method',
          'const https = require("https");\nhttps.get("https://example.com");\n',
          'network-http',
          2,
        ],
        [
          'a module method named like a map method',
          'const m = new Map([["k", 1]]);\nconst https = require("https");\n[m, https][1].get("https://example.com");\n',
          'network-http',
          3,
        ],
      ],
      'javascript',
    );
  });

  describe('stays quiet on', () => {
    itQuiet(
      [
        [
          'harmless values stored and read back',
          'const o = {};\nObject.assign(o, { a: 1 });\no.exec("ls");\nconst list = [];\nlist.push(/x/);\nlist[0].exec("ls");\n',
        ],
        ['a map of regular expressions', 'const m = new Map();\nm.set("k", /a/);\nm.get("k").exec("abc");\n'],
        [
          'a cache of database handles',
          'const cache = new Map();\ncache.set("db", openDb());\ncache.get("db").exec("select 1");\n',
        ],
        [
          'an object with its own exec method and a prototype',
          'const base = { run() {} };\nconst o = { __proto__: base, exec(s) { return s; } };\no.exec("ls");\no.run();\n',
        ],
        ['a proxy of an ordinary object', 'const p = new Proxy({ exec: (s) => s }, {});\np.exec("ls");\n'],
        [
          'a destructuring assignment of harmless members',
          'const o = {};\n({ a: o.f, b: o.g } = { a: /x/, b: 1 });\no.f.exec("ls");\n',
        ],
        ['a set of callbacks', 'const s = new Set();\ns.add(() => 1);\nfor (const f of s) f();\n'],
      ],
      'javascript',
    );
  });
});
