// A module hidden in a shape that takes it apart again: loop and comprehension targets (tuple targets
// through enumerate/zip), assignment patterns (starred, nested, lists), parameter defaults, nested case
// patterns, record classes (namedtuple, NamedTuple, dataclasses), exceptions (`.args`, `.__cause__`), and a partial's bound arguments read by the sink's
// check. Each way in is flagged; the same shapes holding ordinary values stay quiet.
import { itFlags, itQuiet } from './helpers';

describe('python: values taken apart again', () => {
  describe('loop and comprehension targets', () => {
    itFlags([
      [
        'a tuple target over enumerate',
        'import os\nfor i, m in enumerate([os]):\n    m.system("id")',
        'command-execution',
        3,
      ],
      [
        'a tuple target over zip',
        'import os\nfor a, m in zip([1], [os]):\n    m.popen("id")',
        'command-execution',
        3,
      ],
      [
        'a nested tuple target',
        'import os\nfor i, (a, m) in enumerate([(1, os)]):\n    m.system("id")',
        'command-execution',
        3,
      ],
      ['a comprehension variable', 'import os\n[m.system("id") for m in [os]]', 'command-execution', 2],
      [
        'the items of a comprehension',
        'import os\n[m for m in [os]][0].system("id")',
        'command-execution',
        2,
      ],
      ['a generator given to next', 'import os\nnext(m for m in [os]).system("id")', 'command-execution', 2],
      [
        'a comprehension tuple target',
        'import os\n[m.system("id") for _, m in enumerate([os])]',
        'command-execution',
        2,
      ],
      [
        'operator.getitem',
        'import os, operator\noperator.getitem([os], 0).system("id")',
        'command-execution',
        2,
      ],
    ]);
    itQuiet([
      ['enumerate over names', 'for i, name in enumerate(["a", "b"]):\n    print(i, name.upper())'],
      ['a comprehension over numbers', 'print([n * 2 for n in range(3)])'],
      ['zip of constants', 'for a, b in zip([1], ["x"]):\n    print(a, b)'],
      ['a tuple target over an unknown iterable', 'for k, v in table.items():\n    k.system("id")'],
    ]);
  });

  describe('assignment patterns', () => {
    itFlags([
      [
        "a starred target's first name",
        'import os\nfirst, *rest = [os, 1]\nfirst.system("id")',
        'command-execution',
        3,
      ],
      [
        "a starred target's list",
        'import os\nfirst, *rest = [1, os]\nrest[0].system("id")',
        'command-execution',
        3,
      ],
      ['a lone starred target', 'import os\n*a, = [os]\na[0].popen("id")', 'command-execution', 3],
      [
        'a name after a star, the value longer than the target',
        'import os\na, *b, c = [1, 2, 3, os]\nc.system("id")',
        'command-execution',
        3,
      ],
      ['a list pattern', 'import os\n[x] = [os]\nx.system("id")', 'command-execution', 3],
      ['a nested pattern', 'import os\n(a, (b, c)) = (1, (2, os))\nc.system("id")', 'command-execution', 3],
    ]);
    itQuiet([
      [
        'patterns over constants',
        'import os\nfirst, *rest = ["a", "b"]\nrest[0].upper()\n[x] = ["y"]\nx.upper()\n(a, (b, c)) = (1, (2, "z"))\nc.upper()\nos.getcwd()',
      ],
    ]);
  });

  describe('parameter defaults', () => {
    itFlags([
      ['a def default', 'import os\ndef f(m=os):\n    m.system("id")\nf()', 'command-execution', 3],
      ['a typed default', 'import os\ndef f(m: object = os):\n    m.system("id")', 'command-execution', 3],
      ['a lambda default', '(lambda m=__import__("os"): m.system("id"))()', 'command-execution', 1],
      [
        'a lambda default bound to a name',
        'import os\nf = lambda m=os: m.system("id")\nf()',
        'command-execution',
        2,
      ],
    ]);
    itQuiet([
      ['a constant default', 'def f(m="x"):\n    m.system("id")'],
      ['a module default not reaching a sink', 'import os\ndef f(m=os):\n    return m.getcwd()'],
    ]);
  });

  describe('captures nested in case patterns', () => {
    itFlags([
      [
        'a sequence pattern',
        'import os\nmatch [os]:\n    case [m]:\n        m.system("id")',
        'command-execution',
        4,
      ],
      [
        'a mapping pattern',
        'import os\nmatch {"k": os}:\n    case {"k": m}:\n        m.system("id")',
        'command-execution',
        4,
      ],
      [
        'a star pattern',
        'import os\nmatch [1, os]:\n    case [_, *ms]:\n        ms[0].system("id")',
        'command-execution',
        4,
      ],
      [
        'a nested as pattern',
        'import os\nmatch (os,):\n    case (object() as m,):\n        m.system("id")',
        'command-execution',
        4,
      ],
    ]);
    itQuiet([
      ['a pattern over constants', 'match ["a"]:\n    case [m]:\n        print(m.upper())'],
      ['a pattern over an unknown subject', 'match command:\n    case [m]:\n        m.system("id")'],
    ]);
  });

  describe('record classes', () => {
    itFlags([
      [
        'a namedtuple field',
        'import os\nfrom collections import namedtuple\nP = namedtuple("P", "m")\nP(os).m.system("id")',
        'command-execution',
        4,
      ],
      [
        'a namedtuple keyword',
        'import os, collections\nP = collections.namedtuple("P", ["a", "m"])\nP(a=1, m=os).m.system("id")',
        'command-execution',
        3,
      ],
      [
        'a typing.NamedTuple class',
        'import os\nfrom typing import NamedTuple\nclass P(NamedTuple):\n    m: object\nP(os).m.system("id")',
        'command-execution',
        5,
      ],
      [
        'a functional NamedTuple',
        'import os, typing\nP = typing.NamedTuple("P", [("a", int), ("m", object)])\nP(1, os).m.system("id")',
        'command-execution',
        3,
      ],
      [
        'a dataclass',
        'import os\nfrom dataclasses import dataclass\n@dataclass\nclass H:\n    m: object\nh = H(os)\nh.m.system("id")',
        'command-execution',
        7,
      ],
      [
        'a dataclass keyword',
        'import os, dataclasses\n@dataclasses.dataclass(frozen=True)\nclass H:\n    a: int\n    m: object = None\nH(a=1, m=os).m.system("id")',
        'command-execution',
        6,
      ],
      [
        'a class based on a namedtuple',
        'import os\nfrom collections import namedtuple\nclass P(namedtuple("B", "m")):\n    pass\nP(os).m.system("id")',
        'command-execution',
        5,
      ],
      [
        'a namedtuple indexed',
        'import os\nfrom collections import namedtuple\nT = namedtuple("T", "a b")\nt = T(os, 1)\nt[0].system("id")',
        'command-execution',
        5,
      ],
      [
        'a namedtuple built by keyword, indexed in field order',
        'import os\nfrom collections import namedtuple\nT = namedtuple("T", "a b")\nt = T(b=1, a=os)\nt[0].system("id")',
        'command-execution',
        5,
      ],
      [
        'a namedtuple field read by getattr',
        'import os\nfrom collections import namedtuple\nT = namedtuple("T", "a b")\nt = T(os, 1)\ngetattr(t, "a").system("id")',
        'command-execution',
        5,
      ],
      [
        'a namedtuple unpacked',
        'import os\nfrom collections import namedtuple\nT = namedtuple("T", "a b")\nt = T(os, 1)\na, b = t\na.system("id")',
        'command-execution',
        6,
      ],
      [
        'a NamedTuple class iterated',
        'import os\nfrom typing import NamedTuple\nclass T(NamedTuple):\n    a: int\n    b: object\nfor m in T(1, os):\n    m.popen("id")',
        'command-execution',
        7,
      ],
    ]);
    itQuiet([
      [
        "a namedtuple's other field indexed",
        'import os\nfrom collections import namedtuple\nT = namedtuple("T", "a b")\nt = T(os, 1)\nt[1].system("id")',
      ],
      [
        'a namedtuple holding a benign module, indexed',
        'import json\nfrom collections import namedtuple\nT = namedtuple("T", "a b")\nt = T(json, 1)\nt[0].dumps({})',
      ],
      [
        'a namedtuple of constants',
        'from collections import namedtuple\nP = namedtuple("P", "m")\nP("x").m.upper()',
      ],
      [
        'a dataclass of constants',
        'from dataclasses import dataclass\n@dataclass\nclass H:\n    m: str\nH("x").m.upper()',
      ],
      [
        'another field read',
        'import os\nfrom collections import namedtuple\nP = namedtuple("P", "a m")\nP(os, 1).m.system("id")',
      ],
    ]);
  });

  describe('exceptions', () => {
    itFlags([
      [
        'an exception raised by name',
        'import os\nclass E(Exception): pass\ntry:\n    err = E(os)\n    raise err\nexcept E as e:\n    e.args[0].system("id")',
        'command-execution',
        7,
      ],
      [
        'raise ... from',
        'import os\ntry:\n    raise ValueError from os\nexcept ValueError as e:\n    e.__cause__.system("id")',
        'command-execution',
        5,
      ],
      [
        'with_traceback',
        'import os\ntry:\n    raise ValueError(os).with_traceback(None)\nexcept ValueError as e:\n    e.args[0].system("id")',
        'command-execution',
        5,
      ],
      [
        'a subclass of a class of the file',
        'import os\nclass B(RuntimeError): pass\nclass C(B): pass\nc = C(os)\ntry:\n    raise c\nexcept C as e:\n    e.args[0].system("id")',
        'command-execution',
        8,
      ],
    ]);
    itQuiet([
      [
        'an exception of a message',
        'try:\n    raise ValueError("x")\nexcept ValueError as e:\n    print(e.args[0].upper())',
      ],
      [
        'raise from another exception',
        'try:\n    raise ValueError from KeyError("k")\nexcept ValueError as e:\n    print(e.__cause__)',
      ],
      [
        'a module passed to an ordinary class',
        'import os\nclass Box: pass\nb = Box(os)\nprint(ns.args[0].system)',
      ],
    ]);
  });

  describe('the bound arguments of a partial', () => {
    itFlags([
      [
        'open bound with a write mode',
        'from functools import partial\npartial(open, "f.txt", "w")()',
        'file-write',
        2,
      ],
      [
        'open bound with a mode keyword',
        'import functools\nw = functools.partial(open, "out.txt", mode="a")\nw()',
        'file-write',
        3,
      ],
      [
        'a mode given at the call',
        'from functools import partial\nw = partial(open, "out.txt")\nw("w")',
        'file-write',
        3,
      ],
    ]);
    itQuiet([
      ['open bound for reading', 'from functools import partial\npartial(open, "f.txt")()', 'file-write'],
      [
        'open bound with a read mode',
        'from functools import partial\npartial(open, "f.txt", "rb")()',
        'file-write',
      ],
    ]);
  });
});
