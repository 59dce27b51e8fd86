// A module hidden in a container and taken out again by the container's own methods or operators: a dict's
// views and readers (values, items, popitem, copy, setdefault), a list's, set's or deque's pop, popleft and
// copy, an iterator's __next__; stores by extend, update, setdefault and `+=`; lists joined by `+` or
// repeated by `*`; dicts keyed by other things than strings; a list indexed by a value not known; dict
// comprehensions, `*xs` and `**d` spread into displays, `d1 | d2`. Each way in is flagged; the same shapes
// holding ordinary values stay quiet (container-methods.ts).
import { itFlags, itQuiet } from './helpers';

describe('python: modules in containers, read by their methods', () => {
  describe('reading methods', () => {
    itFlags([
      ['dict.values', 'import os\nx = list({"a": os}.values())[0]\nx.system("id")', 'command-execution', 3],
      [
        'dict.items in a loop',
        'import os\nfor k, v in {"a": os}.items():\n    v.system("id")',
        'command-execution',
        3,
      ],
      ['dict.popitem', 'import os\nx = {"a": os}.popitem()[1]\nx.system("id")', 'command-execution', 3],
      [
        'dict.setdefault reading',
        'import os\nx = {"a": os}.setdefault("a")\nx.system("id")',
        'command-execution',
        3,
      ],
      ['dict.copy', 'import os\nd = {"a": os}\nd.copy()["a"].popen("id")', 'command-execution', 3],
      ['list.pop', 'import os\nx = [os].pop()\nx.system("id")', 'command-execution', 3],
      ['list.copy', 'import os\nx = [os]\ny = x.copy()\ny[0].system("id")', 'command-execution', 4],
      ['set.pop', 'import os\nx = {os}\nx.pop().system("id")', 'command-execution', 3],
      [
        'deque.popleft',
        'import os\nfrom collections import deque\nx = deque([os])\nx.popleft().system("id")',
        'command-execution',
        4,
      ],
      [
        "an iterator's __next__",
        'import os\nx = iter([os]).__next__()\nx.system("id")',
        'command-execution',
        3,
      ],
      [
        'the values of an exec namespace',
        'ns = {}\nexec("import os as h", ns)\nfor v in ns.values():\n    v.system("id")',
        'command-execution',
        4,
      ],
    ]);
    itQuiet([
      [
        'the same methods on constants',
        'd = {"a": "x"}\nlist(d.values())[0].upper()\nfor k, v in d.items():\n    v.upper()\nd.popitem()[1].upper()\n[1].pop()\n{"y"}.pop().upper()',
      ],
      [
        'a constant read by get stays a constant that a later store may change (an import name)',
        'd = {"a": "json"}\nm = __import__(d.get("a"))\nm.dumps({})',
        'command-execution',
      ],
    ]);
  });

  describe('constants read out of a container stay unknown', () => {
    // The container may have been given other items since its display: only followed values come out.
    itFlags([
      [
        'a name beside a module in a tuple read by get',
        'import importlib, os\nd = {"a": (os, "json")}\nm, name = d.get("a")\nimportlib.import_module(name)',
        'dynamic-import',
        4,
      ],
      [
        'a name in a dict keyed by integers, read by a key not known',
        'import sys\nnames = {0: "stdin", 1: "stdout"}\ndef f(fd):\n    return getattr(sys, names[fd])',
        'dynamic-attribute',
        4,
      ],
    ]);
  });

  describe('an index that is not a constant', () => {
    itFlags([
      [
        'a loop index',
        'import os\nx = [os]\nfor i in range(len(x)):\n    x[i].system("id")',
        'command-execution',
        4,
      ],
      [
        'a random index',
        'import os, random\nmods = [1, os]\nmods[random.randint(0, 1)].system("id")',
        'command-execution',
        3,
      ],
      [
        'an index that is one of two constants',
        'import os, sys\nxs = [1, os]\ni = 0 if sys.argv else 1\nxs[i].system("id")',
        'command-execution',
        4,
      ],
    ]);
    itQuiet([
      [
        'constants under a loop index',
        'import os\nxs = ["a", "b"]\nfor i in range(2):\n    xs[i].upper()\nos.getcwd()',
      ],
    ]);
  });

  describe('comprehensions, spreads and unions', () => {
    itFlags([
      [
        'a dict comprehension',
        'import os\nx = {k: v for k, v in [("a", os)]}\nx["a"].system("id")',
        'command-execution',
        3,
      ],
      [
        'a dict spread into a display',
        'import os\nx = {**{"a": os}}\nx["a"].system("id")',
        'command-execution',
        3,
      ],
      [
        'a dict name spread among other items',
        'import os\nd = {"a": os}\nx = {"b": 1, **d}\nx["a"].system("id")',
        'command-execution',
        4,
      ],
      ['a list spread into a list', 'import os\nx = [*[os]]\nx[0].system("id")', 'command-execution', 3],
      [
        'a list name spread into a tuple',
        'import os\nxs = [os]\nys = (1, *xs)\nys[1].popen("id")',
        'command-execution',
        4,
      ],
      [
        'the union of dicts',
        'import os\nx = {"a": os} | {"b": 1}\nx["a"].system("id")',
        'command-execution',
        3,
      ],
    ]);
    itQuiet([
      [
        'the same shapes over constants',
        'import os\nx = {k: v for k, v in [("a", "b")]}\nx["a"].upper()\ny = {**{"a": "b"}, "c": 1}\ny["a"].upper()\nz = [*["q"]]\nz[0].upper()\nprint(*[os.getcwd()])\nw = {"a": "b"} | {}\nw["a"].upper()',
      ],
    ]);
  });

  describe('storing methods and operators', () => {
    itFlags([
      [
        'dict.update with a keyword',
        'import os\nx = {}\nx.update(m=os)\nx["m"].system("id")',
        'command-execution',
        4,
      ],
      [
        'dict.update with a dict',
        'import os\nx = {}\nx.update({"m": os})\nx["m"].system("id")',
        'command-execution',
        4,
      ],
      [
        'dict.setdefault storing',
        'import os\nx = {}\nx.setdefault("m", os)\nx["m"].system("id")',
        'command-execution',
        4,
      ],
      ['list.extend', 'import os\nx = []\nx.extend([os])\nx[0].system("id")', 'command-execution', 4],
      ['+= of a list', 'import os\nx = []\nx += [os]\nx[0].system("id")', 'command-execution', 4],
      ['lists joined by +', 'import os\nx = [1] + [os]\nx[1].system("id")', 'command-execution', 3],
      ['a list repeated by *', 'import os\nx = [os] * 2\nx[1].system("id")', 'command-execution', 3],
      ['an integer key in a display', 'import os\nx = {1: os}\nx[1].system("id")', 'command-execution', 3],
      ['an integer key stored', 'import os\nd = {}\nd[1] = os\nd[1].system("id")', 'command-execution', 4],
    ]);
    itQuiet([
      [
        'the same stores of constants',
        'x = {}\nx.update(m="a")\nx["m"].upper()\nxs = []\nxs.extend(["a"])\nxs += ["b"]\nxs[0].upper()\n([1] * 2)[1]\n{1: "a"}[1].upper()',
      ],
      [
        'a benign module stored by update',
        'import json\nx = {}\nx.update(m=json)\nx["m"].dumps({})',
        'command-execution',
      ],
    ]);
  });
});
