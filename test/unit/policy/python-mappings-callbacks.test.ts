// Mappings built by the calls that make them (`dict(zip(keys, mods))`, `dict.fromkeys`, `defaultdict(factory)`)
// and modules used as dict keys (`{os: 1}` iterated, listed, unpacked); calls that call a function they are
// given on the items (`functools.reduce(getattr, names, os)`, `map(getattr, ...)`, `map`/`filter`/`sorted` of
// a function of the file, whose parameter takes the items); a splat into a function of the file (`f(*[os])`,
// `f(**{"m": os})`); `globals().update({...})` and `.setdefault`; `operator.itemgetter(k)(xs)`. Each is
// flagged; the same calls on ordinary values stay quiet (mappings.ts, callback-results.ts, parameters.ts).
import { itFlags, itQuiet } from './helpers';

describe('python: mappings, callbacks and splats', () => {
  describe('mappings built by calls, modules as keys', () => {
    itFlags([
      [
        'dict(zip(keys, modules)) read by key',
        'import os\ndict(zip(["a"], [os]))["a"].system("id")',
        'command-execution',
        2,
      ],
      [
        'dict(zip(...)) held by a name, read by get',
        'import subprocess\nd = dict(zip(("run", "x"), (subprocess.run, 1)))\nd.get("run")(["id"])',
        'command-execution',
        3,
      ],
      [
        'dict(zip(names, modules)) with names not known',
        'import os, sys\nnames = sys.argv[1:]\nd = dict(zip(names, [os]))\nd[names[0]].system("id")',
        'command-execution',
        4,
      ],
      [
        'dict.fromkeys keys holding a module',
        'import os\ndict.fromkeys(["a"], os)["a"].system("id")',
        'command-execution',
        2,
      ],
      [
        'dict.fromkeys with modules as keys',
        'import os\nlist(dict.fromkeys([os]))[0].system("id")',
        'command-execution',
        2,
      ],
      [
        'OrderedDict.fromkeys',
        'import os\nfrom collections import OrderedDict\nOrderedDict.fromkeys("ab", os)["b"].system("id")',
        'command-execution',
        3,
      ],
      [
        'defaultdict whose factory returns a module',
        'import os\nfrom collections import defaultdict\ndefaultdict(lambda: os)["x"].system("id")',
        'command-execution',
        3,
      ],
      [
        'defaultdict whose factory is a function of the file',
        'import os, collections\ndef make():\n    return os\nd = collections.defaultdict(make)\nd["anything"].popen("id")',
        'command-execution',
        5,
      ],
      [
        'a module as a dict key, read by a comprehension',
        'import os\n[k for k in {os: 1}][0].system("id")',
        'command-execution',
        2,
      ],
      [
        'a module as a dict key, read by list()',
        'import os\nlist({os: 1})[0].system("id")',
        'command-execution',
        2,
      ],
      [
        'a module as a dict key, read by keys()',
        'import os\nlist({os: 1}.keys())[0].system("id")',
        'command-execution',
        2,
      ],
      [
        'a module as a dict key, unpacked',
        'import os\n[m] = {os: 0}\nm.system("id")',
        'command-execution',
        3,
      ],
      [
        'a module as a dict key, read by items() in a loop',
        'import os\nfor k, v in {os: "x"}.items():\n    k.system("id")',
        'command-execution',
        3,
      ],
      [
        'a module as a dict key, read by next(iter())',
        'import os\nnext(iter({os: None})).system("id")',
        'command-execution',
        2,
      ],
      [
        'itertools.chain of a list not known and a module',
        'import itertools, os, sys\nfor m in itertools.chain(sys.argv, [os]):\n    m.system("id")',
        'command-execution',
        3,
      ],
    ]);
    itQuiet([
      ['quiet: a dict built from zip of constants', 'd = dict(zip(["a"], ["b"]))\nd["a"].upper()'],
      [
        'quiet: defaultdict(list)',
        'from collections import defaultdict\nd = defaultdict(list)\nd["x"].append(1)',
      ],
      ['quiet: constants as dict keys', 'for k in {"a": 1, 2: "b"}:\n    print(k)'],
    ]);
  });
  describe('functions called back on the items', () => {
    itFlags([
      [
        'functools.reduce(getattr, names, module)',
        'import os\nfrom functools import reduce\nreduce(getattr, ["system"], os)("id")',
        'command-execution',
        3,
      ],
      [
        "reduce(getattr) through a module's re-exports",
        'import functools, os\nfunctools.reduce(getattr, ["path", "os", "system"], os)("id")',
        'command-execution',
        2,
      ],
      [
        'reduce of a lambda calling getattr',
        'import os\nfrom functools import reduce\nf = reduce(lambda o, n: getattr(o, n), ["system"], os)\nf("id")',
        'command-execution',
        4,
      ],
      [
        'reduce from a module imported by name',
        'import functools\nfunctools.reduce(getattr, ["system"], __import__("os"))("id")',
        'command-execution',
        2,
      ],
      [
        'map(getattr, modules, names)',
        'import os\nlist(map(getattr, [os], ["system"]))[0]("id")',
        'command-execution',
        2,
      ],
      [
        'map of a lambda reading the attribute',
        'import os\nlist(map(lambda m: m.system, [os]))[0]("id")',
        'command-execution',
        2,
      ],
      [
        'map of a lambda calling the sink on each item',
        'import os\nlist(map(lambda m: m.system("id"), [os]))',
        'command-execution',
        2,
      ],
      [
        'map of a function of the file, the items as its parameter',
        'import subprocess\ndef run(m):\n    return m.run(["id"])\nfor _ in map(run, [subprocess]): pass',
        'command-execution',
        3,
      ],
      [
        "filter's function given the items",
        'import os\nlist(filter(lambda m: m.system("id"), [os]))',
        'command-execution',
        2,
      ],
      [
        "sorted's key given the items",
        'import os\ndef key(m):\n    m.system("id")\n    return 0\nsorted([os], key=key)',
        'command-execution',
        3,
      ],
    ]);
    itQuiet([
      [
        'quiet: map(chr, codes) still folds to a constant',
        '"".join(map(chr, [104, 105])).upper()',
        'command-execution',
      ],
      ['quiet: reduce over numbers', 'from functools import reduce\nreduce(lambda a, b: a + b, [1, 2, 3])'],
    ]);
  });
  describe('splats into functions of the file, stores into globals()', () => {
    itFlags([
      [
        'f(*[os]) gives the parameter the item',
        'import os\ndef f(m):\n    return m\nf(*[os]).system("id")',
        'command-execution',
        4,
      ],
      [
        'f(**{"m": os}) gives the parameter by name',
        'import os\ndef f(m):\n    return m\nf(**{"m": os}).system("id")',
        'command-execution',
        4,
      ],
      [
        'a splat after positional arguments',
        'import os\ndef f(a, m):\n    m.system("id")\nf(1, *[os])',
        'command-execution',
        3,
      ],
      [
        'globals().update with a dict binds the name',
        'import os\nglobals().update({"h": os})\nh.system("id")',
        'command-execution',
        3,
      ],
      [
        'globals().setdefault binds the name',
        'import os\nglobals().setdefault("h", os)\nh.system("id")',
        'command-execution',
        3,
      ],
    ]);
    itQuiet([
      ['quiet: f(*[1])', 'def f(m):\n    return m\nf(*["x"]).upper()'],
      ['quiet: globals().update with constants', 'globals().update({"h": "x"})\nh.upper()'],
    ]);
  });
  describe('operator.itemgetter', () => {
    itFlags([
      [
        'operator.itemgetter(0) on a list holding a module',
        'import os, operator\noperator.itemgetter(0)([os]).system("id")',
        'command-execution',
        2,
      ],
      [
        'itemgetter by key on a dict, the getter held by a name',
        'import os\nfrom operator import itemgetter\nget = itemgetter("m")\nget({"m": os}).system("id")',
        'command-execution',
        4,
      ],
      [
        'itemgetter(-1) on a tuple',
        'import os, operator\noperator.itemgetter(-1)((1, os)).popen("id")',
        'command-execution',
        2,
      ],
    ]);
    itQuiet([['quiet: itemgetter on constants', 'import operator\noperator.itemgetter(0)(["a"]).upper()']]);
  });
});
