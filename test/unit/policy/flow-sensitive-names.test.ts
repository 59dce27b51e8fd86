// Names are flow-sensitive (issue 11): a binding shadows only the uses it can reach. Each shape is tested
// both ways: the shadow that really hides the dangerous meaning, and the one that leaves it possible.
import assert from 'node:assert/strict';
import { resolvePolicy } from '../../../src/policy';
import { MAX_CALL_SCANS } from '../../../src/policy/python/binder';
import { check, itFlags, itQuiet, sharedEngine } from './helpers';

describe('flow-sensitive names: python', () => {
  describe('straight-line order in a block', () => {
    itFlags([
      [
        'a builtin used before a later def of the same name',
        'eval(payload)\ndef eval(x):\n    return x\n',
        'dynamic-code',
        1,
      ],
      [
        'a builtin used before a later from-import of the same name',
        'exec(payload)\nfrom helpers import exec\n',
        'dynamic-code',
        1,
      ],
      ['a builtin used before a later assignment', 'eval(payload)\neval = print\n', 'dynamic-code', 1],
      [
        'an unimported module used before a later rebinding',
        'os.system("id")\nos = None\n',
        'command-execution',
        1,
      ],
      [
        'a class body using a builtin before the class rebinds it',
        'class C:\n    x = eval(payload)\n    def eval(self, x):\n        return x\n',
        'dynamic-code',
        2,
      ],
    ]);
    itQuiet([
      [
        'a builtin used after a def of the same name',
        'def eval(x):\n    return x\neval(payload)\n',
        'dynamic-code',
      ],
      [
        'a builtin used after an import of the same name',
        'from helpers import exec\nexec(payload)\n',
        'dynamic-code',
      ],
      ['a module used after a rebinding', 'import os\nos = None\nos.system("id")\n', 'command-execution'],
    ]);
  });

  describe('a binding in one branch or a loop body leaves the earlier meaning possible', () => {
    itFlags([
      [
        'a def in one branch of an if',
        'if flag:\n    def eval(x):\n        return x\neval(payload)\n',
        'dynamic-code',
        4,
      ],
      [
        'an assignment in a try body',
        'try:\n    from safe import eval\nexcept ImportError:\n    pass\neval(payload)\n',
        'dynamic-code',
        5,
      ],
      [
        'an assignment in one case of a match',
        'match mode:\n    case 1:\n        eval = print\neval(payload)\n',
        'dynamic-code',
        4,
      ],
      [
        'a loop body using a builtin that a later statement of the loop rebinds',
        'for item in items:\n    eval(item)\n    eval = print\n',
        'dynamic-code',
        2,
      ],
      [
        'an import rebound in one branch only',
        'import os\nif flag:\n    os = None\nos.system("id")\n',
        'command-execution',
        4,
      ],
    ]);
    itQuiet([
      [
        'a rebinding in both the try body and its handler',
        'try:\n    from safe import eval\nexcept ImportError:\n    def eval(x):\n        return x\neval = print\neval(payload)\n',
        'dynamic-code',
      ],
      [
        'a loop whose body rebinds the name before using it',
        'for item in items:\n    eval = print\n    eval(item)\n',
        'dynamic-code',
      ],
    ]);
  });

  describe('a binding later in a loop body reaches the uses above it on the next pass', () => {
    itFlags([
      [
        'module code: a name rebound to a builtin after its call in the loop',
        'e = print\nfor i in range(3):\n    e(i)\n    e = eval\n',
        'dynamic-code',
        3,
      ],
      [
        'a while loop rebinding in a branch',
        'run = print\nwhile items:\n    run(items.pop())\n    if flag:\n        run = exec\n',
        'dynamic-code',
        3,
      ],
      [
        'a function body, the loop nested in another loop',
        'def f(rows):\n    h = print\n    for row in rows:\n        for x in row:\n            h(x)\n        h = exec\n',
        'dynamic-code',
        5,
      ],
    ]);
    itQuiet([
      [
        'the rebinding comes after the loop',
        'e = print\nfor i in range(3):\n    e(i)\ne = eval\n',
        'dynamic-code',
      ],
      [
        'the rebinding is local to a function defined in the loop',
        'h = print\nfor x in items:\n    h(x)\n    def inner():\n        h = exec\n',
        'dynamic-code',
      ],
      [
        'the loop rebinds the name to something harmless',
        'e = print\nfor i in range(3):\n    e(i)\n    e = str\n',
        'dynamic-code',
      ],
    ]);
  });

  describe('a try that binds the name on every path binds it definitely', () => {
    itQuiet([
      [
        'a try body and its only handler both binding the name',
        'try:\n    from fast import eval\nexcept ImportError:\n    from slow import eval\neval(payload)\n',
        'dynamic-code',
      ],
      [
        'a try body and every one of several handlers',
        'try:\n    from a import eval\nexcept ImportError:\n    eval = print\nexcept (OSError, ValueError) as e:\n    def eval(x):\n        return x\neval(payload)\n',
        'dynamic-code',
      ],
      ['a finally clause', 'try:\n    setup()\nfinally:\n    eval = print\neval(payload)\n', 'dynamic-code'],
      [
        'an else clause and every handler',
        'try:\n    import fast\nexcept ImportError:\n    eval = print\nelse:\n    eval = fast.evaluate\neval(payload)\n',
        'dynamic-code',
      ],
      [
        'a handler that raises instead of binding',
        'try:\n    from safe import eval\nexcept ImportError:\n    raise SystemExit("safe is required")\neval(payload)\n',
        'dynamic-code',
      ],
      [
        'a function using a name a module-level try binds on every path',
        'try:\n    from a import eval\nexcept ImportError:\n    eval = print\ndef run(p):\n    return eval(p)\n',
        'dynamic-code',
      ],
      [
        'a try in a branch, used later in the same branch',
        'if flag:\n    try:\n        from a import eval\n    except ImportError:\n        eval = print\n    eval(payload)\n',
        'dynamic-code',
      ],
    ]);
    itFlags([
      [
        'a try body binding and a handler that only passes',
        'try:\n    from a import eval\nexcept ImportError:\n    eval = print\nexcept OSError:\n    pass\neval(payload)\n',
        'dynamic-code',
        7,
      ],
      [
        'a binding nested in an if of the try body',
        'try:\n    if flag:\n        from a import eval\nexcept ImportError:\n    eval = print\neval(payload)\n',
        'dynamic-code',
        6,
      ],
      [
        'a try in one branch, used after the if',
        'if flag:\n    try:\n        from a import eval\n    except ImportError:\n        eval = print\neval(payload)\n',
        'dynamic-code',
        6,
      ],
      [
        "the body's value stays possible after the handler's",
        'try:\n    from os import system as run\nexcept ImportError:\n    run = print\nrun("id")\n',
        'command-execution',
        5,
      ],
      [
        'a use inside the finally clause, before the try has ended',
        'try:\n    from a import eval\nexcept ImportError:\n    eval = print\nfinally:\n    eval(payload)\n',
        'dynamic-code',
        6,
      ],
    ]);
  });

  describe('functions see the module as it is when they run', () => {
    itFlags([
      [
        'a function called at top level before a later def shadows the builtin it uses',
        'def run(p):\n    return eval(p)\nrun(payload)\ndef eval(x):\n    return x\n',
        'dynamic-code',
        2,
      ],
      [
        'a function using a module that a later statement rebinds, called before it',
        'import os\ndef run():\n    os.system("id")\nrun()\nos = None\n',
        'command-execution',
        3,
      ],
      [
        'a function using a builtin that a global statement in another function rebinds',
        'def setup():\n    global eval\n    eval = print\ndef run(p):\n    return eval(p)\n',
        'dynamic-code',
        5,
      ],
    ]);
    itFlags([
      [
        'a function run through another function before the shadowing def',
        'def check(p):\n    return eval(p)\ndef handle(p):\n    return check(p)\nhandle(payload)\ndef eval(x):\n    return x\n',
        'dynamic-code',
        2,
      ],
      [
        'a decorator applied before the shadowing def runs then',
        'def register(f):\n    eval(f.__doc__)\n    return f\n@register\ndef task():\n    pass\ndef eval(x):\n    return x\n',
        'dynamic-code',
        2,
      ],
      [
        'a decorator factory called at definition time',
        'def route(path):\n    eval(path)\n    return lambda f: f\n@route("/x")\ndef index():\n    pass\ndef eval(x):\n    return x\n',
        'dynamic-code',
        2,
      ],
      [
        'a function called from a class body before the shadowing def',
        'def setting(p):\n    return eval(p)\nclass Config:\n    value = setting(payload)\ndef eval(x):\n    return x\n',
        'dynamic-code',
        2,
      ],
    ]);
    itQuiet([
      [
        'a function run through another function only after the shadowing def',
        'def check(p):\n    return eval(p)\ndef handle(p):\n    return check(p)\ndef eval(x):\n    return x\nhandle(payload)\n',
        'dynamic-code',
      ],
      [
        'a decorator applied only after the shadowing def',
        'def register(f):\n    eval(f.__doc__)\n    return f\ndef eval(x):\n    return x\n@register\ndef task():\n    pass\n',
        'dynamic-code',
      ],
      [
        'a function called from a function nobody calls',
        'def check(p):\n    return eval(p)\ndef unused(p):\n    return check(p)\ndef eval(x):\n    return x\n',
        'dynamic-code',
      ],
    ]);
    itQuiet([
      [
        'a function called only after the def that shadows the builtin',
        'def run(p):\n    return eval(p)\ndef eval(x):\n    return x\nrun(payload)\n',
        'dynamic-code',
      ],
      [
        'a function whose module binding comes before it',
        'def eval(x):\n    return x\ndef run(p):\n    return eval(p)\nrun(payload)\n',
        'dynamic-code',
      ],
    ]);
  });

  describe('global, nonlocal and del', () => {
    itFlags([
      [
        'a function whose own global binding may be undone by another function it calls',
        'import builtins\ndef reset():\n    global eval\n    eval = builtins.eval\ndef run(p):\n    global eval\n    eval = print\n    reset()\n    return eval(p)\n',
        'dynamic-code',
        9,
      ],
      [
        'a module-level use after a function that rebinds the name through global (it may never be called)',
        'def setup():\n    global eval\n    eval = print\neval(payload)\n',
        'dynamic-code',
        4,
      ],
      ['a builtin deleted back into view', 'eval = print\ndel eval\neval(payload)\n', 'dynamic-code', 3],
      [
        'a module deleted then used unbound (a notebook cell)',
        'os = None\ndel os\nos.system("id")\n',
        'command-execution',
        3,
      ],
      [
        'an outer function variable a nested function may rebind through nonlocal (it may not be called)',
        'import os\ndef outer():\n    o = os\n    def inner():\n        nonlocal o\n        o = None\n    o.system("id")\n',
        'command-execution',
        7,
      ],
    ]);
    itQuiet([
      [
        'a global rebinding the function itself uses after it',
        'def run(p):\n    global eval\n    eval = print\n    return eval(p)\n',
        'dynamic-code',
      ],
      [
        'a use before a del of a shadowing binding',
        'eval = print\neval(payload)\ndel eval\n',
        'dynamic-code',
      ],
      [
        'a deleted local is not the builtin',
        'def f(p):\n    eval = print\n    del eval\n    return eval(p)\n',
        'dynamic-code',
      ],
    ]);
  });

  describe('comprehension and class scopes', () => {
    itFlags([
      [
        'a comprehension variable does not leak: the builtin after it',
        '[0 for eval in range(3)]\neval(payload)\n',
        'dynamic-code',
        2,
      ],
      [
        'a class attribute does not shadow a name in its methods',
        'class C:\n    eval = print\n    def run(self, p):\n        return eval(p)\n',
        'dynamic-code',
        4,
      ],
    ]);
    itFlags([
      [
        "a typed parameter of a function does not shadow the module's builtin",
        'def f(eval: int, exec: "T" = 0):\n    pass\neval(payload)\nexec(payload)\n',
        'dynamic-code',
        3,
      ],
    ]);
    itQuiet([
      [
        'a typed parameter inside its function',
        'def f(eval: int):\n    return eval(payload)\n',
        'dynamic-code',
      ],
      [
        'a comprehension variable inside the comprehension',
        '[eval(x) for eval in [print] for x in xs]\n',
        'dynamic-code',
      ],
      [
        'a class attribute in the class body after it',
        'class C:\n    eval = print\n    y = eval(1)\n',
        'dynamic-code',
      ],
    ]);
  });

  it('re-checks the whole document when an edit adds a top-level call before a shadowing def', async () => {
    const engine = await sharedEngine();
    const policy = resolvePolicy({});
    const code = 'def run(p):\n    return eval(p)\nprint(1)\ndef eval(x):\n    return x\n';
    engine.update('doc://flow-call', code, 'python', policy);
    const edit = { rangeOffset: code.indexOf('print(1)'), rangeLength: 8, text: 'run(payload)' };
    const text =
      code.slice(0, edit.rangeOffset) + edit.text + code.slice(edit.rangeOffset + edit.rangeLength);
    const result = engine.update('doc://flow-call', text, 'python', policy, [edit]);
    assert.equal(engine.lastUpdateMode('doc://flow-call'), 'full');
    assert.ok(result.findings.some((f) => f.ruleId === 'dynamic-code' && f.range.start.line === 1));
    assert.deepEqual(result, engine.analyze(text, 'python', policy));
    engine.close('doc://flow-call');
  });

  it('past the cap on scans for top-level calls, assumes each further function may run first', async () => {
    // Every function uses the builtin that a def at the end shadows, and none is called: below the cap
    // each is resolved exactly (quiet); above it, the scan is skipped and the builtin reported.
    const extra = 25;
    const functions = Array.from(
      { length: MAX_CALL_SCANS + extra },
      (_, i) => `def f${i}(p):\n    return eval(p)\n`,
    ).join('');
    const findings = await check(`${functions}def eval(x):\n    return x\n`);
    const reported = findings.filter((f) => f.ruleId === 'dynamic-code');
    assert.equal(reported.length, extra);
  });

  it('past the cap on scans, a chain of callers is assumed to run the function first', async () => {
    // check0 uses the builtin that a def shadows; each checkN calls the one before it, and module code calls
    // the last only after the def. Within the cap the chain is followed to that call (quiet); a chain longer
    // than the cap is given up on and the builtin reported.
    const chain = (length: number): string =>
      'def check0(p):\n    return eval(p)\n' +
      Array.from({ length }, (_, i) => `def check${i + 1}(p):\n    return check${i}(p)\n`).join('') +
      `def eval(x):\n    return x\ncheck${length}(payload)\n`;
    const reported = async (code: string): Promise<number> =>
      (await check(code)).filter((f) => f.ruleId === 'dynamic-code').length;
    assert.equal(await reported(chain(MAX_CALL_SCANS - 1)), 0);
    assert.equal(await reported(chain(MAX_CALL_SCANS + 1)), 1);
  });
});
