// A module or function passed through a call that gives back what it is given (`typing.cast`, `copy.copy`,
// `sorted`, `next`, `dict`...), an `await`, a generator, or a function's `*args`/`**kwargs`, is still the
// module: each way in is flagged, and the same shapes holding ordinary values stay quiet.
import { itFlags, itQuiet } from './helpers';

describe('python: values given back by the calls they pass through', () => {
  describe('calls that return their argument or one of its elements', () => {
    itFlags([
      ['typing.cast', 'import os, typing\ntyping.cast(typing.Any, os).system("id")', 'command-execution', 2],
      [
        'cast imported by name',
        'import os\nfrom typing import cast\ncast("Any", os).system("id")',
        'command-execution',
        3,
      ],
      ['copy.copy of a module', 'import os, copy\ncopy.copy(os).system("id")', 'command-execution', 2],
      [
        'copy.deepcopy bound to a name',
        'import os, copy\nm = copy.deepcopy(os)\nm.popen("id")',
        'command-execution',
        3,
      ],
      ['weakref.proxy', 'import os, weakref\nweakref.proxy(os).system("id")', 'command-execution', 2],
      [
        'next(filter(None, [...]))',
        'import os\nnext(filter(None, [os])).system("id")',
        'command-execution',
        2,
      ],
      ['the element of sorted()', 'import os\nsorted([os], key=id)[0].system("id")', 'command-execution', 2],
      ['list(reversed(...))', 'import os\nlist(reversed([os]))[0].system("id")', 'command-execution', 2],
      ['max of several arguments', 'import os\nmax(os, os).system("id")', 'command-execution', 2],
      ['min of a list', 'import subprocess\nmin([subprocess]).getoutput("id")', 'command-execution', 2],
      ['the default of next', 'import os\nnext(iter([]), os).system("id")', 'command-execution', 2],
      [
        'functools.reduce keeping the last element',
        'import os, functools\nfunctools.reduce(lambda a, b: b, [0, os]).system("id")',
        'command-execution',
        2,
      ],
      [
        'itertools.chain',
        'import os, itertools\nnext(itertools.chain([], [os])).system("id")',
        'command-execution',
        2,
      ],
      ['random.choice', 'import os, random\nrandom.choice([os]).system("id")', 'command-execution', 2],
      ['any element of sorted()', 'import os\nsorted([1, os])[1].system("id")', 'command-execution', 2],
      [
        'a name joined from reversed()',
        'import os\ngetattr(os, "".join(reversed("metsys")))("id")',
        'command-execution',
        2,
      ],
      [
        'a name joined from list() of a string',
        'import os\ngetattr(os, "".join(list("sys") + ["tem"]))("id")',
        'command-execution',
        2,
      ],
      ['dict of keywords', 'import os\ndict(x=os)["x"].system("id")', 'command-execution', 2],
      ['dict of pairs', 'import os\ndict([("x", os)])["x"].system("id")', 'command-execution', 2],
      [
        'dict of a dict, read with get',
        'import os\nd = dict({"x": os})\nd.get("x").system("id")',
        'command-execution',
        3,
      ],
      [
        'a mapping proxy of a namespace',
        'import os, types\ntypes.MappingProxyType(vars(os))["system"]("id")',
        'command-execution',
        2,
      ],
      [
        'a builtin passed through a cast',
        'import typing, builtins\ntyping.cast(typing.Any, builtins).eval(input())',
        'dynamic-code',
        2,
      ],
    ]);
    itQuiet([
      ['an ordinary value cast', 'import typing\ntyping.cast(typing.Any, config).system("id")'],
      ['a copy of an ordinary object', 'import copy\ncopy.deepcopy(machine).system("id")'],
      ['a constant list sorted', 'import os\nnames = sorted([os.sep, "a"])\nprint(names[0].upper())'],
      [
        'a local function named cast',
        'import os\ndef cast(kind, value):\n    return 1\ncast(int, os).system("id")',
      ],
      ['a dict of ordinary values', 'd = dict(a=1, b=[2])\nd["a"].system("id")'],
      [
        'a name sorted into an unknown order',
        'import os\nprint(getattr(os, "".join(sorted("pes", key=str.lower))))',
        'command-execution',
      ],
      ['next over ordinary values', 'import os\nnext(iter([os.getcwd()])).system("id")'],
    ]);
  });

  describe('inspect.getmembers of a module', () => {
    itFlags([
      [
        'a member picked from dict(getmembers())',
        'import os, inspect\ndict(inspect.getmembers(os))["system"]("id")',
        'command-execution',
        2,
      ],
      [
        'a loop over the members',
        'import os, inspect\nfor name, fn in inspect.getmembers(os):\n    if name == "system":\n        fn("id")',
        'dynamic-attribute',
        2,
      ],
    ]);
    itQuiet([
      [
        'the members of a class of the file',
        'import inspect\nclass A:\n    pass\nprint(inspect.getmembers(A))',
      ],
      ['the members of a harmless module', 'import inspect, math\nprint(inspect.getmembers(math))'],
    ]);
  });

  describe('coroutines and generators', () => {
    itFlags([
      [
        'a module returned by a coroutine, awaited',
        'import os\nasync def get():\n    return os\nasync def main():\n    m = await get()\n    m.system("id")',
        'command-execution',
        6,
      ],
      [
        'an awaited module used where it stands',
        'import os\nasync def get():\n    return os\nasync def main():\n    (await get()).system("id")',
        'command-execution',
        5,
      ],
      [
        'asyncio.run of a coroutine returning a module',
        'import os, asyncio\nasync def get():\n    return os\nasyncio.run(get()).system("id")',
        'command-execution',
        4,
      ],
      [
        'the next value of a generator',
        'import os\ndef gen():\n    yield os\nnext(gen()).system("id")',
        'command-execution',
        4,
      ],
      [
        'a loop over a generator',
        'import os\ndef gen():\n    yield os\nfor m in gen():\n    m.system("id")',
        'command-execution',
        5,
      ],
      [
        'yield from a list',
        'import os\ndef gen():\n    yield from [os]\nnext(gen()).system("id")',
        'command-execution',
        4,
      ],
    ]);
    itQuiet([
      ['a generator of constants', 'def gen():\n    yield "a"\nnext(gen()).system("id")'],
      [
        'a coroutine returning an ordinary value',
        'async def get():\n    return 1\nasync def main():\n    (await get()).system("id")',
      ],
      [
        'a yield in a nested function',
        'import os\ndef outer():\n    def inner():\n        yield os\n    return 1\nouter().system("id")',
      ],
    ]);
  });

  describe('*args and **kwargs', () => {
    itFlags([
      [
        'a lambda returning its *args',
        'import os\n(lambda *a: a)(os)[0].system("id")',
        'command-execution',
        2,
      ],
      [
        'a lambda returning its **kwargs',
        'import os\n(lambda **k: k)(m=os)["m"].system("id")',
        'command-execution',
        2,
      ],
      [
        'a module among *args after a named parameter',
        'import os\ndef run(first, *rest):\n    rest[1].system("id")\nrun(1, 2, os)',
        'command-execution',
        3,
      ],
      [
        'a module in **kwargs',
        'import os\ndef run(**kw):\n    kw["m"].popen("id")\nrun(m=os)',
        'command-execution',
        3,
      ],
      [
        'a module among *args, looped over',
        'import os\ndef run(*ms):\n    for m in ms:\n        m.system("id")\nrun(os)',
        'command-execution',
        4,
      ],
    ]);
    itFlags([
      [
        'typed *args and **kwargs',
        'import os\ndef run(first, *rest: object, **kw: object):\n    rest[0].system("id")\n    kw["x"].popen("id")\nrun(1, os, x=os)',
        'command-execution',
        3,
      ],
      [
        '**kwargs after keyword-only parameters',
        'import os\ndef run(*, a, **kw):\n    kw["m"].system("id")\nrun(a=1, m=os)',
        'command-execution',
        3,
      ],
    ]);
    itQuiet([
      ['ordinary *args', 'def run(*a):\n    a[0].system("id")\nrun(machine)'],
      ['ordinary **kwargs', 'def run(**k):\n    k["m"].system("id")\nrun(m=machine)'],
    ]);
  });
});
