// JavaScript and TypeScript rules: eval, new Function, vm, child_process in every import form,
// process.exit/kill, fs writes and deletes, network, dynamic require/import.
import assert from 'node:assert/strict';
import { check, expectFinding, expectNoFinding } from './helpers';

const js = { language: 'javascript' as const };
const ts = { language: 'typescript' as const };

describe('javascript and typescript rules', () => {
  const cases: Array<[string, string, string, number]> = [
    ['eval', 'eval(code);', 'dynamic-code', 1],
    ['indirect eval (0, eval)', '(0, eval)(code);', 'dynamic-code', 1],
    ['globalThis["ev" + "al"]', 'globalThis["ev" + "al"](code);', 'dynamic-code', 1],
    ['window.eval', 'window.eval(code);', 'dynamic-code', 1],
    ['new Function', 'const f = new Function("a", "return a");', 'dynamic-code', 1],
    ['Function(...) without new', 'Function("return this")();', 'dynamic-code', 1],
    ['setTimeout with a string', 'setTimeout("alert(1)", 10);', 'dynamic-code', 1],
    ['vm.runInNewContext', 'const vm = require("vm");\nvm.runInNewContext(code);', 'dynamic-code', 2],
    ['.constructor.constructor', '[].constructor.constructor("return process")();', 'dynamic-code', 1],
    ['require("child_process").exec', 'require("child_process").exec("ls");', 'command-execution', 1],
    [
      'a node: prefix',
      'const cp = require("node:child_process");\ncp.execSync("ls");',
      'command-execution',
      2,
    ],
    ['destructuring', 'const { exec } = require("child_process");\nexec("ls");', 'command-execution', 2],
    [
      'destructuring with a rename',
      'const { spawn: go } = require("child_process");\ngo("ls");',
      'command-execution',
      2,
    ],
    ['an ES import', 'import { execFile } from "child_process";\nexecFile("ls");', 'command-execution', 2],
    [
      'a namespace import',
      'import * as cp from "node:child_process";\ncp.spawnSync("ls");',
      'command-execution',
      2,
    ],
    ['a default import', 'import cp from "child_process";\ncp.exec("ls");', 'command-execution', 2],
    ['a concatenated module name', 'require("child_" + "process").execSync("id");', 'command-execution', 1],
    [
      'a joined module name',
      'const m = ["child", "process"].join("_");\nrequire(m).exec("id");',
      'command-execution',
      2,
    ],
    ['a template module name', 'require(`child_${"process"}`).exec("id");', 'command-execution', 1],
    ['an alias of require', 'const r = require;\nr("child_process").exec("id");', 'command-execution', 2],
    [
      'shell: true',
      'const { spawn } = require("child_process");\nspawn("ls", [], { shell: true });',
      'shell-true',
      2,
    ],
    ['process.exit', 'process.exit(1);', 'process-control', 1],
    ['process.kill', 'process.kill(pid);', 'process-control', 1],
    ['process.env', 'console.log(process.env.TOKEN);', 'env-access', 1],
    ['fs.writeFileSync', 'const fs = require("fs");\nfs.writeFileSync("a", "b");', 'file-write', 2],
    [
      'fs/promises writeFile',
      'import { writeFile } from "fs/promises";\nawait writeFile("a", "b");',
      'file-write',
      2,
    ],
    [
      'fs.promises.appendFile',
      'const fs = require("fs");\nfs.promises.appendFile("a", "b");',
      'file-write',
      2,
    ],
    ['fs.unlinkSync', 'const fs = require("node:fs");\nfs.unlinkSync("a");', 'file-delete', 2],
    ['fs.rmSync', 'import fs from "fs";\nfs.rmSync("d", { recursive: true });', 'file-delete', 2],
    ['fetch', 'fetch("https://x");', 'network-http', 1],
    ['https.get', 'const https = require("https");\nhttps.get("https://x");', 'network-http', 2],
    ['net.connect', 'const net = require("net");\nnet.connect(80, "h");', 'network-socket', 2],
    ['require(expr)', 'require(name);', 'dynamic-import', 1],
    ['import(expr)', 'import(name).then(m => m);', 'dynamic-import', 1],
    ['a destructive command', 'require("child_process").execSync("rm -rf /");', 'destructive-command', 1],
    ['while (true) without exit', 'while (true) { work(); }', 'resource-exhaustion', 1],
    ['for (;;) without exit', 'for (;;) { work(); }', 'resource-exhaustion', 1],
    [
      'fs.readFileSync("/etc/passwd")',
      'const fs = require("fs");\nfs.readFileSync("/etc/passwd");',
      'read-outside-workdir',
      2,
    ],
  ];
  for (const [title, code, rule, line] of cases) {
    it(`flags ${title}`, async () => {
      await expectFinding(code, rule, line, js);
    });
  }

  const clean: Array<[string, string]> = [
    ['eval in a string and a comment', 'const s = "eval(x)"; // eval(y)\n/* require("child_process") */'],
    ['model.eval() and obj.exec()', 'model.eval();\nregex.exec(s);\ndb.execute(q);'],
    ['a shadowed eval', 'function f(eval) { return eval(1); }'],
    ['a shadowed require', 'const require = (x) => x;\nrequire(name);'],
    ['a local exec function', 'function exec(cmd) { return cmd; }\nexec("ls");'],
    ['while (true) with break', 'while (true) { if (done) break; }'],
    ['a for loop with a condition', 'for (let i = 0; i < 3; i++) {}'],
    ['setTimeout with a function', 'setTimeout(() => go(), 10);'],
    ['require of a constant, harmless module', 'const path = require("path");\npath.join("a", "b");'],
  ];
  for (const [title, code] of clean) {
    it(`does not flag ${title}`, async () => {
      await expectNoFinding(code, undefined, js);
    });
  }

  it('records child_process as a restricted module under production', async () => {
    await expectFinding('import cp from "node:child_process";', 'restricted-module', 1, js);
  });

  describe('typescript', () => {
    it('flags import = require and casts', async () => {
      await expectFinding(
        'import cp = require("child_process");\ncp.execSync("ls" as string);',
        'command-execution',
        2,
        ts,
      );
    });

    it('ignores type annotations that name dangerous things', async () => {
      await expectNoFinding(
        'type Exec = (cmd: string) => void;\nlet eval2: Exec;\ninterface P { exec(cmd: string): void }',
        undefined,
        ts,
      );
    });

    it('parses .tsx with the TSX grammar', async () => {
      const findings = await check('const a = <div onClick={() => eval(code)} />;', {
        ...ts,
        path: 'view.tsx',
      });
      assert.ok(findings.some((f) => f.ruleId === 'dynamic-code'));
    });
  });
});

describe('javascript: feature tests and prototypes', () => {
  it('does not flag typeof eval or Function.prototype', async () => {
    await expectNoFinding(
      'if (typeof eval === "function") {}\nFunction.prototype.toString.call(f);',
      undefined,
      { language: 'javascript' },
    );
  });

  it('flags Function.call and Function.apply', async () => {
    await expectFinding('Function.call(null, "return this")();', 'dynamic-code', 1, {
      language: 'javascript',
    });
  });

  it('does not treat a flag variable as a constant loop condition', async () => {
    await expectNoFinding('let running = true;\nwhile (running) { running = step(); }', undefined, {
      language: 'javascript',
    });
  });
});
