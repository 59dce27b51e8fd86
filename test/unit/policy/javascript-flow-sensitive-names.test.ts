// JavaScript and TypeScript names are flow-sensitive (issue 11): a binding shadows only the uses it can
// reach, by JavaScript's rules (var and function hoisting, the let/const TDZ, closures). Each shape is
// tested both ways: the shadow that really hides the dangerous meaning, and the one that leaves it possible.
import assert from 'node:assert/strict';
import { MAX_CALL_SCANS } from '../../../src/policy/javascript/reaching';
import { check, itFlags, itQuiet } from './helpers';

describe('flow-sensitive names: javascript', () => {
  describe('straight-line order, let/const and the TDZ', () => {
    itFlags(
      [
        [
          'a use of the global before a shadow declared in a nested function only',
          'eval(payload);\nfunction g() {\n  const eval = (x) => x;\n}\n',
          'dynamic-code',
          1,
        ],
        [
          'a use after a let rebound only in a block of its own',
          '{\n  let eval = String;\n}\neval(payload);\n',
          'dynamic-code',
          4,
        ],
        [
          'a use of a const before an assignment to it (the assignment throws, the const keeps its value)',
          'const cp = require("child_process");\ncp.exec(cmd);\ntry {\n  cp = { exec() {} };\n} catch {}\n',
          'command-execution',
          2,
        ],
        [
          'a use of a const after a caught assignment to it',
          'const cp = require("child_process");\ntry {\n  cp = { exec() {} };\n} catch {}\ncp.exec(cmd);\n',
          'command-execution',
          5,
        ],
        ['a let used before it is reassigned', 'let f = eval;\nf(code);\nf = String;\n', 'dynamic-code', 2],
      ],
      'javascript',
    );
    itQuiet(
      [
        [
          'a use in the TDZ of a later const (it throws before calling anything)',
          'eval(payload);\nconst eval = (x) => x;\n',
          'dynamic-code',
        ],
        [
          'a require in the TDZ of a later const require',
          'const cp = require("child_process");\nconst require = () => ({ exec() {} });\ncp.exec(cmd);\n',
          'command-execution',
        ],
        ['a let reassigned before the use', 'let f = eval;\nf = String;\nf(code);\n', 'dynamic-code'],
        [
          'a module binding reassigned before the use',
          'let cp = require("child_process");\ncp = { exec() {} };\ncp.exec(cmd);\n',
          'command-execution',
        ],
      ],
      'javascript',
    );
  });

  describe('var is hoisted to its function, function declarations with their value', () => {
    itFlags(
      [
        [
          'a program-level var assigned after the use (a script keeps the global until the assignment)',
          'eval(payload);\nvar eval = String;\n',
          'dynamic-code',
          1,
        ],
        [
          'a program-level var require assigned after the use (the CommonJS wrapper parameter)',
          'require("child_process").exec(cmd);\nvar require = () => ({});\n',
          'command-execution',
          1,
        ],
        [
          'a function declared in a block, used outside it (strict code keeps the global)',
          'if (c) {\n  function eval(x) {\n    return x;\n  }\n}\neval(payload);\n',
          'dynamic-code',
          6,
        ],
        [
          'a function declared in a bare block, used outside it',
          '{\n  function eval(x) {\n    return x;\n  }\n}\neval(payload);\n',
          'dynamic-code',
          6,
        ],
        [
          'a var in a function, assigned after a loop body uses it',
          'function run(items) {\n  var f = String;\n  for (const item of items) {\n    f(item);\n    f = eval;\n  }\n}\n',
          'dynamic-code',
          4,
        ],
      ],
      'javascript',
    );
    itQuiet(
      [
        [
          'a use before a later function declaration (hoisted with its value)',
          'eval(payload);\nfunction eval(x) {\n  return x;\n}\n',
          'dynamic-code',
        ],
        [
          'a use in a function before a var of the same name (undefined there, not the global)',
          'function run(payload) {\n  eval(payload);\n  var eval = String;\n}\n',
          'dynamic-code',
        ],
        [
          'a var in a block of a function, hoisted over its uses in the function',
          'function run(p) {\n  if (c) {\n    var eval = String;\n  }\n  return eval(p);\n}\n',
          'dynamic-code',
        ],
        [
          'a function declared in a block, used in that block before the declaration',
          'if (c) {\n  eval(payload);\n  function eval(x) {\n    return x;\n  }\n}\n',
          'dynamic-code',
        ],
        [
          'a TypeScript ambient declaration hides nothing: the shadow that binds is the later function',
          'declare var require: any;\nrequire("fs");\nfunction require(m: string) {\n  return m;\n}\n',
          'restricted-module',
        ],
      ],
      'javascript',
    );
  });

  describe('a binding in one branch or a loop body leaves the earlier meaning possible', () => {
    itFlags(
      [
        [
          'a var reassigned in one branch of an if',
          'var e = eval;\nif (c) e = String;\ne(code);\n',
          'dynamic-code',
          3,
        ],
        [
          'a let reassigned in a try body',
          'let e = eval;\ntry {\n  e = load();\n} catch {}\ne(code);\n',
          'dynamic-code',
          5,
        ],
        [
          'a let reassigned in one case of a switch',
          'let e = eval;\nswitch (mode) {\n  case 1:\n    e = String;\n    break;\n}\ne(code);\n',
          'dynamic-code',
          7,
        ],
        [
          'a let reassigned in a loop body',
          'let e = eval;\nwhile (more()) {\n  e = String;\n}\ne(code);\n',
          'dynamic-code',
          5,
        ],
        ['a reassignment behind &&', 'let e = eval;\nc && (e = String);\ne(code);\n', 'dynamic-code', 3],
        [
          'a logical assignment that may keep the value',
          'let e = eval;\ne ||= String;\ne(code);\n',
          'dynamic-code',
          3,
        ],
        [
          'a loop that uses the name before a later statement of the loop rebinds it',
          'let run = String;\nfor (const item of items) {\n  run(item);\n  run = eval;\n}\n',
          'dynamic-code',
          3,
        ],
        [
          'a for-let loop variable carried into the next pass',
          'for (let f = String; more(); ) {\n  f(code);\n  f = eval;\n}\n',
          'dynamic-code',
          2,
        ],
      ],
      'javascript',
    );
    itQuiet(
      [
        [
          'a reassignment earlier in the same branch as the use',
          'let e = eval;\nif (c) {\n  e = String;\n  e(code);\n}\n',
          'dynamic-code',
        ],
        [
          'a loop body that rebinds the name before using it',
          'let run = eval;\nfor (const item of items) {\n  run = String;\n  run(item);\n}\n',
          'dynamic-code',
        ],
        [
          'a reassignment in a finally clause',
          'let e = eval;\ntry {\n  work();\n} finally {\n  e = String;\n}\ne(code);\n',
          'dynamic-code',
        ],
        [
          'a loop variable that shadows the global in the loop',
          'for (const eval of [String, Number]) {\n  eval(code);\n}\n',
          'dynamic-code',
        ],
      ],
      'javascript',
    );
  });

  describe('closures see the enclosing bindings, unless they run before them', () => {
    itFlags(
      [
        [
          'a function called before a later program-level var rebinds the global',
          'function run(p) {\n  return eval(p);\n}\nrun(payload);\nvar eval = String;\n',
          'dynamic-code',
          2,
        ],
        [
          'a callback created before a later var rebinds the global',
          'items.forEach((item) => eval(item));\nvar eval = String;\n',
          'dynamic-code',
          1,
        ],
        [
          'a closure over a let reassigned after it (it may run in between)',
          'let f = eval;\nfunction run(p) {\n  return f(p);\n}\nf = String;\n',
          'dynamic-code',
          3,
        ],
        [
          'a closure whose own rebinding is in a branch',
          'let f = eval;\nfunction run(p) {\n  if (c) f = String;\n  return f(p);\n}\n',
          'dynamic-code',
          4,
        ],
        [
          'a use after a call to a function that reassigns the variable',
          'let f = String;\nfunction arm() {\n  f = eval;\n}\narm();\nf(code);\n',
          'dynamic-code',
          6,
        ],
      ],
      'javascript',
    );
    itQuiet(
      [
        [
          'a function declared earlier and called after a const require',
          'function load() {\n  return require("child_process");\n}\nconst require = () => ({ exec() {} });\nload().exec(cmd);\n',
          'command-execution',
        ],
        [
          'a function called only after the var that rebinds the global',
          'function run(p) {\n  return eval(p);\n}\nvar eval = String;\nrun(payload);\n',
          'dynamic-code',
        ],
        [
          'a closure that rebinds the global before using it',
          'function run(p) {\n  eval = String;\n  return eval(p);\n}\n',
          'dynamic-code',
        ],
        [
          'a function expression using its own name',
          'const run = function eval(p) {\n  return p ? eval(p - 1) : 0;\n};\n',
          'dynamic-code',
        ],
        [
          'a method using the class name it is declared in',
          'class eval {\n  static make(p) {\n    return eval(p);\n  }\n}\n',
          'dynamic-code',
        ],
      ],
      'javascript',
    );
  });

  describe('imports, parameters, catch clauses, destructuring and class bodies', () => {
    itFlags(
      [
        [
          'a parameter given a module by a call, reassigned in one branch',
          'const cp = require("child_process");\nfunction run(x) {\n  if (c) x = {};\n  x.exec(cmd);\n}\nrun(cp);\n',
          'command-execution',
          4,
        ],
        [
          'a catch parameter used after its catch clause',
          'try {\n  work();\n} catch (eval) {\n  log(eval);\n}\neval(payload);\n',
          'dynamic-code',
          6,
        ],
        [
          'a destructured binding used before a later destructuring rebinds it',
          'let { exec } = require("child_process");\nexec(cmd);\n({ exec } = { exec() {} });\n',
          'command-execution',
          2,
        ],
        [
          'a class field initializer over a let reassigned later',
          'let f = eval;\nclass Job {\n  result = f(code);\n}\nf = String;\n',
          'dynamic-code',
          3,
        ],
      ],
      'javascript',
    );
    itQuiet(
      [
        [
          'an import used before its statement (imports are hoisted)',
          'exec(cmd);\nimport { exec } from "./safe.js";\n',
          'command-execution',
        ],
        [
          'a parameter given a module by a call, reassigned before the use',
          'const cp = require("child_process");\nfunction run(x) {\n  x = {};\n  x.exec(cmd);\n}\nrun(cp);\n',
          'command-execution',
        ],
        [
          'a parameter shadowing the global throughout its function',
          'function run(eval, p) {\n  return eval(p);\n}\n',
          'dynamic-code',
        ],
        [
          'a destructuring reassignment before the use',
          'let { exec } = require("child_process");\n({ exec } = { exec() {} });\nexec(cmd);\n',
          'command-execution',
        ],
        [
          'a catch parameter in its clause',
          'try {\n  work();\n} catch (eval) {\n  eval(payload);\n}\n',
          'dynamic-code',
        ],
      ],
      'javascript',
    );
  });

  describe('typescript', () => {
    itFlags(
      [
        [
          'a typed let reassigned after the use',
          'let run: (s: string) => unknown = eval;\nrun(code);\nrun = String;\n',
          'dynamic-code',
          2,
        ],
        [
          'an ambient var that hides nothing',
          'declare var require: (m: string) => any;\nrequire("child_process").exec(cmd);\n',
          'command-execution',
          2,
        ],
      ],
      'typescript',
    );
    itQuiet(
      [
        [
          'a typed let reassigned before the use',
          'let run: (s: string) => unknown = eval;\nrun = String;\nrun(code);\n',
          'dynamic-code',
        ],
        [
          'a use in the TDZ of a later class',
          'new eval(payload);\nclass eval {\n  constructor(p: string) {}\n}\n',
          'dynamic-code',
        ],
      ],
      'typescript',
    );
  });

  it('past the cap on scans for calls, assumes each further function may run before the binding', async () => {
    // Every function uses the global that a var at the end rebinds, and none is called: below the cap
    // each is resolved exactly (quiet); above it, the scan is skipped and the global reported.
    const extra = 25;
    const functions = Array.from(
      { length: MAX_CALL_SCANS + extra },
      (_, i) => `function f${i}(p) {\n  return eval(p);\n}\n`,
    ).join('');
    const findings = await check(`${functions}var eval = String;\n`, { language: 'javascript' });
    assert.equal(findings.filter((f) => f.ruleId === 'dynamic-code').length, extra);
  });
});
