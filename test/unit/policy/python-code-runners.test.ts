// Constant source handed to an interpreter other than exec (an interactive console, a subinterpreter, a
// runner taking a statement as a string) is analysed as embedded code, as `exec("...")` is: what it does is
// reported at the call. Arguments that are not code (a banner, a file path) are not analysed.
import assert from 'node:assert/strict';
import { CODE_ARGUMENTS } from '../../../src/policy/python/catalog/code-arguments';
import { sinkFor } from '../../../src/policy/python/catalog/sinks';
import { check, itFlags, itQuiet } from './helpers';

describe('python: constant code given to other interpreters', () => {
  itFlags([
    [
      'InteractiveConsole().push of a constant line',
      'import code\ncode.InteractiveConsole().push("import os; os.system(\'x\')")',
      'command-execution',
      2,
    ],
    [
      'a console in a variable, source by keyword',
      'from code import InteractiveConsole as IC\nc = IC(locals())\nc.runsource(source="import subprocess; subprocess.run([\'id\'])")',
      'command-execution',
      3,
    ],
    [
      'InteractiveInterpreter.runcode of a folded string',
      'import code\nii = code.InteractiveInterpreter()\nii.runcode("import shutil; shutil.rmtree(" + "\'/\')")',
      'file-delete',
      3,
    ],
    [
      'codeop.compile_command',
      "import codeop\ncodeop.compile_command(\"__import__('os').system('id')\")",
      'command-execution',
      2,
    ],
    [
      '_xxsubinterpreters.run_string: the script is the second argument',
      'import _xxsubinterpreters as si\nsi.run_string(si.create(), "import os\\nos.system(\'id\')")',
      'command-execution',
      2,
    ],
    [
      '_interpreters.run_string with the script in a variable',
      'import _interpreters\nsrc = "import os; os.remove(\'f\')"\n_interpreters.run_string(_interpreters.create(), src)',
      'file-delete',
      3,
    ],
    [
      'concurrent.interpreters create().exec',
      'from concurrent import interpreters\ninterpreters.create().exec("import socket; socket.socket()")',
      'network-socket',
      2,
    ],
    [
      'test.support.run_in_subinterp',
      'from test import support\nsupport.run_in_subinterp("import os; os.system(\'id\')")',
      'command-execution',
      2,
    ],
    [
      "timeit's set-up statement",
      'import timeit\ntimeit.timeit("f()", setup="import os; os.system(\'id\')")',
      'command-execution',
      2,
    ],
    [
      'cProfile.run of a statement',
      'import cProfile\ncProfile.run("import pickle; pickle.loads(b)")',
      'unsafe-deserialization',
      2,
    ],
  ]);
  itQuiet([
    [
      "code.interact's banner is text, not code",
      'import code\ncode.interact(banner="import os; os.system(\'x\')")',
      'command-execution',
    ],
    [
      'runpy.run_path of a constant path',
      'import runpy\nrunpy.run_path("os.system(\'x\').py")',
      'command-execution',
    ],
    [
      'a push method of another object with a code-like string',
      'queue.push("import os; os.system(\'x\')")',
      'command-execution',
    ],
    [
      'a harmless constant line',
      'import code\ncode.InteractiveConsole().push("x = 1 + 1")',
      'command-execution',
    ],
  ]);

  it('says which interpreter runs the code', async () => {
    const findings = await check(
      'import code\ncode.InteractiveConsole().push("import os; os.system(\'x\')")',
    );
    const embedded = findings.find((f) => f.ruleId === 'command-execution');
    assert.match(embedded?.message ?? '', /in the code run by code\.InteractiveConsole\.push/);
  });

  it('lists only sinks (a call is judged, then its code analysed)', () => {
    for (const name of Object.keys(CODE_ARGUMENTS)) assert.ok(sinkFor(name), name);
  });
});
