// Code run by eval and exec read with the names it is given: eval of constant code gives the expression's
// value (`eval("__import__('os')")`, `eval(compile(...))`, `eval("os", ns)` after an exec bound os in ns), and
// exec'd code that reads a name an earlier exec bound in the same dict (or in the module's namespace) is
// analysed with it (`exec("s.run(...)", ns)` after `exec("import subprocess as s", ns)`). Each is flagged;
// code that binds or computes ordinary values stays quiet of the rule (exec-bindings.ts).
import { itFlags, itQuiet } from './helpers';

describe('python: eval values and exec namespaces', () => {
  itFlags([
    [
      'eval of constant code returning a module',
      'm = eval("__import__(\'os\')")\nm.system("id")',
      'command-execution',
      2,
    ],
    ["eval of a module's name", 'import os\nm = eval("os")\nm.system("id")', 'command-execution', 3],
    [
      'eval(compile(...)) returning a module',
      'm = eval(compile("__import__(\'subprocess\')", "<s>", "eval"))\nm.run(["id"])',
      'command-execution',
      2,
    ],
    [
      'eval reading a name an exec bound in the same dict',
      'ns = {}\nexec("import os", ns)\neval("os", ns).system("id")',
      'command-execution',
      3,
    ],
    [
      'a second exec in the same dict using a module the first imported under another name',
      'ns = {}\nexec("import subprocess as s", ns)\nexec("s.run([\'id\'])", ns)',
      'command-execution',
      3,
    ],
    [
      'a second exec in the same dict calling a function the first imported',
      'g = {}\nexec("from os import system as run", g)\nexec("run(\'id\')", g)',
      'command-execution',
      3,
    ],
    [
      "exec in the module's namespace reading a name bound by an earlier exec",
      'exec("import subprocess as sp", globals())\nexec("sp.Popen([\'id\'])")',
      'command-execution',
      2,
    ],
  ]);
  itQuiet([
    ['quiet: eval of arithmetic', 'x = eval("1 + 2")\nx.bit_length()', 'command-execution'],
    [
      'quiet: two execs in one dict binding constants',
      'ns = {}\nexec("x = \'a\'", ns)\nexec("print(x.upper())", ns)',
      'command-execution',
    ],
    [
      "quiet: eval'd code calling a class of the file from its body (a class of one tree is unknown in the other)",
      'class tuple3(tuple):\n    pass\nclass tuple_custom_repr(tuple):\n    pass\nclass set2(set):\n        expected = """\\\n[[[[[[1, 2, 3],\n     \'1 2\']]]],\n set2({1, 23}),\n [[[[[1, 2, 3],\n     \'1 2\']]]]]"""\n        o = eval(expected)',
      'command-execution',
    ],
  ]);
});
