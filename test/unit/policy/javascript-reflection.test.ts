// Reflection over a module object (issue 11): a dangerous module's members reached without their names
// (descriptors, Object.values/entries, for...in/of, Reflect.ownKeys, fromEntries, spreads) and called
// are reported as the module's most dangerous sink, in every preset that blocks that rule; reflection
// over harmless modules and ordinary objects stays clean.
import assert from 'node:assert/strict';
import { PRESET_NAMES } from '../../../src/policy/presets';
import { check, itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript reflection over a module object', () => {
  describe('reports a module reached by reflection and called', () => {
    itFlags(
      [
        [
          'a property descriptor',
          `${CP}Object.getOwnPropertyDescriptor(cp, "spawn").value("ls");\n`,
          'command-execution',
          2,
        ],
        [
          'a descriptor under a computed name',
          `${CP}Object.getOwnPropertyDescriptor(cp, process.argv[2]).value("ls");\n`,
          'command-execution',
          2,
        ],
        [
          'all descriptors',
          `${CP}Object.getOwnPropertyDescriptors(cp).execSync.value("ls");\n`,
          'command-execution',
          2,
        ],
        [
          'Object.values and forEach',
          `${CP}Object.values(cp).forEach((f) => f("ls"));\n`,
          'command-execution',
          2,
        ],
        ['Object.values indexed by a constant', `${CP}Object.values(cp)[3]("ls");\n`, 'command-execution', 2],
        [
          'Object.entries indexed by constants',
          `${CP}const e = Object.entries(cp);\ne[7][1]("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'for...of over Object.values',
          `${CP}for (const f of Object.values(cp)) f("ls");\n`,
          'command-execution',
          2,
        ],
        [
          'for...of over Object.entries, destructured',
          `${CP}for (const [name, f] of Object.entries(cp)) {\n  if (name === "exec") f("ls");\n}\n`,
          'command-execution',
          3,
        ],
        [
          'Object.entries and find',
          `${CP}Object.entries(cp).find(([k]) => k === "execSync")[1]("ls");\n`,
          'command-execution',
          2,
        ],
        [
          'Object.values and find, kept in a name',
          `${CP}const run = Object.values(cp).find((f) => f.name === "execSync");\nrun("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'for...in and a computed member',
          `${CP}for (const k in cp) {\n  if (k === "execSync") cp[k]("ls");\n}\n`,
          'command-execution',
          3,
        ],
        [
          'Reflect.ownKeys',
          `${CP}Reflect.ownKeys(cp).forEach((k) => cp[k]("ls"));\n`,
          'command-execution',
          2,
        ],
        [
          'Object.keys then Reflect.get',
          `${CP}for (const k of Object.keys(cp)) Reflect.get(cp, k)("ls");\n`,
          'command-execution',
          2,
        ],
        [
          'Object.fromEntries of the entries',
          `${CP}const copy = Object.fromEntries(Object.entries(cp));\ncopy.execSync("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'a spread into a new object',
          `${CP}const copy = { ...cp };\ncopy.execSync("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'Object.assign onto a new object',
          `${CP}Object.assign({}, cp).exec("ls");\n`,
          'command-execution',
          2,
        ],
        [
          'an element called with .call',
          `${CP}Object.values(cp).at(0).call(null, "ls");\n`,
          'command-execution',
          2,
        ],
        [
          'a namespace import',
          'import * as cp from "node:child_process";\nfor (const f of Object.values(cp)) f("ls");\n',
          'command-execution',
          2,
        ],
        [
          'Object.entries, filtered, then indexed',
          `${CP}Object.entries(cp).filter(([k]) => k === "execSync")[0][1]("ls");\n`,
          'command-execution',
          2,
        ],
        [
          'Object.entries and forEach, destructured',
          `${CP}Object.entries(cp).forEach(([k, run]) => run("ls"));\n`,
          'command-execution',
          2,
        ],
        [
          'Object.values reversed and popped',
          `${CP}const run = Object.values(cp).slice().reverse().pop();\nrun("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'for...in, the member kept in a name',
          `${CP}for (const k in cp) {\n  const run = cp[k];\n  run("ls");\n}\n`,
          'command-execution',
          4,
        ],
        [
          'keys mapped to members, then called',
          `${CP}Object.keys(cp).map((k) => cp[k]).forEach((run) => run("ls"));\n`,
          'command-execution',
          2,
        ],
        [
          'an object rest pattern',
          `${CP}const { ...copy } = cp;\ncopy.execSync("ls");\n`,
          'command-execution',
          3,
        ],
        [
          'the fs module (its worst: deleting files)',
          'const fs = require("fs");\nfor (const f of Object.values(fs)) f("/tmp/x");\n',
          'file-delete',
          2,
        ],
        ['the vm module', 'const vm = require("vm");\nObject.values(vm)[0]("code");\n', 'dynamic-code', 2],
      ],
      'javascript',
    );
  });

  it('is a violation in every preset that blocks command execution', async () => {
    const code = `${CP}for (const f of Object.values(cp)) f("ls");\n`;
    for (const preset of PRESET_NAMES) {
      const plain = (
        await check(`${CP}cp.exec("ls");\n`, { language: 'javascript', config: { preset } })
      ).find((f) => f.ruleId === 'command-execution');
      const reflected = (await check(code, { language: 'javascript', config: { preset } })).find(
        (f) => f.ruleId === 'command-execution',
      );
      assert.ok(plain && reflected, `${preset}: no command-execution finding`);
      assert.equal(reflected.severity, plain.severity, preset);
      assert.equal(reflected.violation, plain.violation, preset);
      assert.match(reflected.message, /child_process function reached by reflection/);
    }
  });

  describe('stays clean on harmless modules and objects', () => {
    itQuiet(
      [
        [
          'Object.values of a harmless module',
          'const path = require("path");\nfor (const f of Object.values(path)) f("x");\n',
        ],
        [
          'Object.entries of an object literal',
          'const o = { a: () => 1 };\nObject.entries(o).forEach(([k, f]) => f());\n',
        ],
        [
          'for...in over a harmless module',
          'const util = require("util");\nfor (const k in util) util[k]("x");\n',
          'command-execution',
        ],
        [
          'the names of a dangerous module',
          `${CP}console.log(Object.keys(cp).length, Object.entries(cp).map(([k]) => k));\n`,
          'command-execution',
        ],
        [
          'a descriptor not called',
          `${CP}console.log(Object.getOwnPropertyDescriptor(cp, "spawn").writable);\n`,
          'command-execution',
        ],
        [
          'Object.values of a dangerous module, counted',
          `${CP}console.log(Object.values(cp).length);\n`,
          'command-execution',
        ],
        ['for...of over an ordinary array', 'for (const f of [() => 1, () => 2]) f();\n'],
        [
          'an object rest pattern of a harmless module',
          'const { ...copy } = require("path");\ncopy.join("a");\n',
        ],
        ['an array rest pattern', 'const [first, ...rest] = [1, 2];\nrest.map((x) => x);\n'],
      ],
      'javascript',
    );
  });
});
