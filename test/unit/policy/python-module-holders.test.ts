// A module or a dangerous function reaching a sink through a holder the analyzer builds or follows: a
// module stored into sys.modules under a new name and imported by it, functools.partial, a decorator
// that returns something else than the function, a context manager's `__enter__`, an exception carrying
// it, a class or namespace object built from a mapping, and names bound by a string run with exec. Each way
// in is flagged with its rule and line; the same shapes holding ordinary values stay quiet. (A string exec
// cannot read stays code execution: python-rules.test.ts, `exec(code)`.)
import { itFlags, itQuiet } from './helpers';

describe('python: modules reaching a sink through holders', () => {
  describe('a module stored into sys.modules under a new name', () => {
    itFlags([
      [
        'import of the new name',
        'import os, sys\nsys.modules["h"] = os\nimport h\nh.system("id")',
        'command-execution',
        4,
      ],
      [
        'from-import of the new name',
        'import os, sys\nsys.modules["h"] = os\nfrom h import system as s\ns("id")',
        'command-execution',
        4,
      ],
      [
        'import_module of the new name',
        'import os, sys, importlib\nsys.modules["h"] = os\nimportlib.import_module("h").popen("id")',
        'command-execution',
        3,
      ],
      [
        '__import__ of the new name',
        'import sys, subprocess as sp\nsys.modules["tools"] = sp\n__import__("tools").getoutput("id")',
        'command-execution',
        3,
      ],
      [
        'sys.modules.update with a keyword',
        'import os, sys\nsys.modules.update(h=os)\nimport h as m\nm.system("id")',
        'command-execution',
        4,
      ],
      [
        'sys.modules.update with a dict, in a function',
        'import sys\nimport os as o\ndef setup():\n    sys.modules.update({"helpers": o})\nsetup()\nfrom helpers import popen as run\nrun("id")',
        'command-execution',
        7,
      ],
      [
        'sys.modules.setdefault',
        'import os, sys\nsys.modules.setdefault("h", os)\nimport h\nh.system("id")',
        'command-execution',
        4,
      ],
      [
        'modules imported from sys',
        'from sys import modules as table\nimport os\ntable["k"] = os\nimport k\nk.system("id")',
        'command-execution',
        5,
      ],
    ]);
    itFlags([
      [
        'a dotted name, imported whole',
        'import os, sys\nsys.modules["a.b"] = os\nimport a.b\na.b.system("id")',
        'command-execution',
        4,
      ],
      [
        'a dotted name, from-imported from its package',
        'import os, sys\nsys.modules["a.b"] = os\nfrom a import b\nb.system("id")',
        'command-execution',
        4,
      ],
      [
        'a dotted name, from-imported under an alias',
        'import os, sys\nsys.modules["pkg.sub.h"] = os\nfrom pkg.sub import h as q\nq.popen("id")',
        'command-execution',
        4,
      ],
      [
        'a deeper dotted name, imported whole',
        'import subprocess, sys\nsys.modules["a.b.c"] = subprocess\nimport a.b.c\na.b.c.getoutput("id")',
        'command-execution',
        4,
      ],
      [
        'a dotted name through __import__',
        'import os, sys\nsys.modules["a.b"] = os\n__import__("a.b").b.system("id")',
        'command-execution',
        3,
      ],
    ]);
    itQuiet([
      [
        'a benign module under a dotted name',
        'import sys, json\nsys.modules["a.b"] = json\nimport a.b\nfrom a import b\na.b.dumps({})\nb.dumps({})',
      ],
      [
        "another package's module of the same last name",
        'import os, sys\nsys.modules["a.b"] = os\nfrom c import b\nimport c.b\nb.system("id")\nc.b.system("id")',
      ],
      ['a benign module stored and used', 'import sys, json\nsys.modules["h"] = json\nimport h\nh.dumps({})'],
      ['a constant stored', 'import sys\nsys.modules["k"] = 1\nimport k\nk.system("id")'],
      [
        'the store of a sink itself (reported where it is read, not at the store)',
        'import sys\nsys.modules["h"] = print\nfrom h import x',
      ],
    ]);
  });

  describe('functools.partial', () => {
    itFlags([
      [
        'partial of getattr',
        'import os, functools\nfunctools.partial(getattr, os)("system")("id")',
        'command-execution',
        2,
      ],
      [
        'partial imported under another name',
        'import os\nfrom functools import partial as p\ng = p(getattr, os, "popen")\ng()("id")',
        'command-execution',
        4,
      ],
      [
        'partial of __import__',
        'from functools import partial\npartial(__import__, "os")().system("id")',
        'command-execution',
        2,
      ],
      [
        'a partial of a partial',
        'import os\nfrom functools import partial\ng = partial(partial(getattr, os), "popen")\ng()("id")',
        'command-execution',
        4,
      ],
      [
        'a module bound to a function of the file',
        'import os\nfrom functools import partial\ndef run(m, cmd):\n    m.system(cmd)\npartial(run, os)("id")',
        'command-execution',
        4,
      ],
      [
        'a module given to the partial of a function of the file',
        'import os\nimport functools as ft\ndef run(cmd, m):\n    m.system(cmd)\np = ft.partial(run, "id")\np(os)',
        'command-execution',
        4,
      ],
    ]);
    itQuiet([
      ['partial of print', 'from functools import partial\npartial(print, "x")()'],
      [
        'partial of getattr on a benign module',
        'import json\nfrom functools import partial\npartial(getattr, json)("dumps")({})',
      ],
      ['partial of int', 'from functools import partial\np = partial(int, base=2)\np("101")'],
    ]);
  });

  describe('decorators', () => {
    itFlags([
      [
        'a decorator returning a module',
        'import os\ndef d(f):\n    return os\n@d\ndef g():\n    pass\ng.system("id")',
        'command-execution',
        7,
      ],
      [
        'a decorator returning a sink',
        'import subprocess\ndef d(f):\n    return subprocess.getoutput\n@d\ndef g():\n    pass\ng("id")',
        'command-execution',
        7,
      ],
      [
        'a decorator factory',
        'import os\ndef make():\n    def d(f):\n        return os\n    return d\n@make()\ndef g():\n    pass\ng.popen("id")',
        'command-execution',
        9,
      ],
      [
        'a decorated class',
        'import os\ndef d(cls):\n    return os\n@d\nclass K:\n    pass\nK.system("id")',
        'command-execution',
        7,
      ],
    ]);
    itQuiet([
      ['a decorator returning the function', 'def d(f):\n    return f\n@d\ndef g(x):\n    return x\ng("id")'],
      [
        'a wrapping decorator',
        'import functools\ndef w(f):\n    @functools.wraps(f)\n    def inner(*a):\n        return f(*a)\n    return inner\n@w\ndef g(x):\n    return x\ng("id")',
      ],
    ]);
  });

  describe('context managers', () => {
    itFlags([
      [
        '__enter__ returning a module',
        'import os\nclass C:\n    def __enter__(self):\n        return os\n    def __exit__(self, *a):\n        pass\nwith C() as m:\n    m.system("id")',
        'command-execution',
        8,
      ],
      [
        '__enter__ inherited from a base class',
        'import os\nclass Base:\n    def __enter__(self):\n        return os\nclass C(Base):\n    pass\nwith C() as m:\n    m.popen("id")',
        'command-execution',
        8,
      ],
      [
        'a contextmanager generator',
        'import os, contextlib\n@contextlib.contextmanager\ndef c():\n    yield os\nwith c() as m:\n    m.system("id")',
        'command-execution',
        6,
      ],
      [
        'a factory function returning the context manager',
        'import os\nclass C:\n    def __enter__(self):\n        return os\ndef make():\n    return C()\nwith make() as m:\n    m.system("id")',
        'command-execution',
        8,
      ],
      [
        'a factory of a factory, in an async with',
        'import os\nclass C:\n    async def __aenter__(self):\n        return os\ndef make():\n    return C()\ndef outer(x):\n    return make()\nasync def main():\n    async with outer(1) as m:\n        m.popen("id")',
        'command-execution',
        11,
      ],
    ]);
    itQuiet([
      ['open as a context manager', 'import os\nwith open("f") as m:\n    m.read()'],
      [
        'a factory returning a context manager that gives a string',
        'import os\nclass C:\n    def __enter__(self):\n        return "os"\ndef make():\n    return C()\nwith make() as m:\n    m.system("id")',
      ],
      [
        '__enter__ returning self',
        'import os\nclass C:\n    def __enter__(self):\n        return self\n    def __exit__(self, *a):\n        pass\n    def system(self, x):\n        pass\nwith C() as m:\n    m.system("id")',
      ],
    ]);
  });

  describe("an object's attribute table", () => {
    itFlags([
      [
        'a key stored into __dict__',
        'import os\nclass K:\n    pass\nk = K()\nk.__dict__["n"] = os\nk.n.system("id")',
        'command-execution',
        6,
      ],
      [
        'a key stored into vars(obj)',
        'import os\nclass K:\n    pass\nk = K()\nvars(k)["n"] = os\nk.n.popen("id")',
        'command-execution',
        6,
      ],
      [
        'vars(obj).update with a keyword',
        'import os\nclass K:\n    pass\nk = K()\nvars(k).update(p=os)\nk.p.system("id")',
        'command-execution',
        6,
      ],
      [
        '__dict__.update with a dict, and setdefault',
        'import subprocess as sp\nclass K:\n    pass\nk = K()\nk.__dict__.update({"r": sp})\nk.__dict__.setdefault("s", sp)\nk.r.run("id")\nk.s.call("id")',
        'command-execution',
        7,
      ],
    ]);
    itQuiet([
      [
        'a constant stored into __dict__',
        'import os\nclass K:\n    pass\nk = K()\nk.__dict__["n"] = "os"\nk.n.system("id")',
      ],
      [
        'a module stored into a plain dict, then an attribute of that name',
        'import os\nclass K:\n    pass\nd = {}\nd["n"] = os\nk = K()\nk.n.system("id")',
      ],
    ]);
  });

  describe('exceptions carrying a value', () => {
    itFlags([
      [
        'e.args of a raised exception',
        'import os\nclass E(Exception):\n    pass\ntry:\n    raise E(os)\nexcept E as e:\n    e.args[0].system("id")',
        'command-execution',
        7,
      ],
      [
        'an attribute set in __init__',
        'import os\nclass E(Exception):\n    def __init__(self, m):\n        self.m = m\ntry:\n    raise E(os)\nexcept E as e:\n    e.m.system("id")',
        'command-execution',
        8,
      ],
      [
        'a sink carried by a builtin exception',
        'import os\ntry:\n    raise ValueError(os.system)\nexcept ValueError as e:\n    e.args[0]("id")',
        'command-execution',
        5,
      ],
      [
        'raised in a function',
        'import subprocess\nclass Carrier(Exception):\n    pass\ndef f():\n    raise Carrier("x", subprocess)\ntry:\n    f()\nexcept Carrier as err:\n    err.args[1].getoutput("id")',
        'command-execution',
        9,
      ],
      [
        'a class call giving __init__ its parameter',
        'import os\nclass K:\n    def __init__(self, m):\n        self.m = m\nK(os).m.system("id")',
        'command-execution',
        5,
      ],
    ]);
    itQuiet([
      [
        'an exception carrying a constant',
        'class E(Exception):\n    def __init__(self, m):\n        self.m = m\ntry:\n    raise E(1)\nexcept E as e:\n    e.m.system("id")\n    e.args[0].system("x")',
      ],
      [
        'a message read from e.args',
        'try:\n    raise ValueError("os")\nexcept ValueError as e:\n    print(e.args[0])',
      ],
    ]);
  });

  describe('objects built from a mapping', () => {
    itFlags([
      [
        'type() with a namespace',
        'import os\ntype("K", (), {"m": os}).m.system("id")',
        'command-execution',
        2,
      ],
      [
        'an instance of a class built by type()',
        'import os\nK = type("K", (object,), {"m": os})\nK().m.popen("id")',
        'command-execution',
        3,
      ],
      [
        'types.SimpleNamespace',
        'import os, types\ntypes.SimpleNamespace(m=os).m.system("id")',
        'command-execution',
        2,
      ],
      [
        'SimpleNamespace imported by name',
        'import subprocess\nfrom types import SimpleNamespace as NS\nh = NS(run=subprocess.getoutput)\nh.run("id")',
        'command-execution',
        4,
      ],
    ]);
    itQuiet([
      ['type() with constants', 'K = type("K", (), {"m": 1})\nK.m'],
      ['SimpleNamespace of constants', 'import types\ntypes.SimpleNamespace(m=1).m'],
    ]);
  });

  describe('an attribute stored by name, read by getattr', () => {
    itFlags([
      [
        'an attribute set on an object',
        'import os\nclass C: pass\nc = C()\nc.m = os\ngetattr(c, "m").system("id")',
        'command-execution',
        5,
      ],
      [
        'an attribute set in __init__, read with a default',
        'import os\nclass C:\n    def __init__(self):\n        self.m = os\ngetattr(C(), \'m\', None).popen("id")',
        'command-execution',
        5,
      ],
      [
        'an attribute set by setattr',
        'import os\nclass C: pass\nc = C()\nsetattr(c, "m", os)\ngetattr(c, "m").system("id")',
        'command-execution',
        5,
      ],
    ]);
    itQuiet([
      [
        'another attribute read by getattr, the name as other text',
        'import os\nclass C: pass\nc = C()\nc.m = os\nc.n = "x"\ngetattr(c, "n").upper()\nprint("m")\nhasattr(c, "m")',
      ],
    ]);
  });

  describe('names bound by exec in the module namespace', () => {
    itFlags([
      ['a module aliased by exec', 'import os\nexec("h = os")\nh.system("id")', 'command-execution', 3],
      ['a module imported by exec', 'exec("h = __import__(\'os\')")\nh.system("id")', 'command-execution', 2],
      [
        'an import statement in exec',
        'exec("import subprocess as sp\\nrun = sp.getoutput")\nrun("id")',
        'command-execution',
        2,
      ],
      [
        'exec given globals() in a function',
        'import os\nm = os\ndef f():\n    exec("h = m", globals())\nf()\nh.popen("id")',
        'command-execution',
        6,
      ],
    ]);
    itFlags([
      [
        'a module aliased by exec in a namespace dict',
        'import os\nns = {"os": os}\nexec("h = os", ns)\nns["h"].system("id")',
        'command-execution',
        4,
      ],
      [
        "an import statement exec'd in an empty namespace dict",
        'ns = {}\nexec("import os as h", ns)\nns["h"].system("id")',
        'command-execution',
        3,
      ],
      [
        'a name bound in the locals dict exec is given',
        'import os\nns = {}\nexec("h = os", {"os": os}, ns)\nns.get("h").system("id")',
        'command-execution',
        4,
      ],
      [
        'a namespace dict in a function, returned',
        'def f():\n    ns = {}\n    exec("import subprocess", ns)\n    return ns["subprocess"]\nf().getoutput("id")',
        'command-execution',
        5,
      ],
      [
        'a function from-imported into the globals keyword',
        'ns = {}\nexec("from os import system as run", globals=ns)\nns["run"]("id")',
        'command-execution',
        3,
      ],
    ]);
    itQuiet([
      [
        'exec binding a benign module and a constant in a namespace dict',
        'ns = {}\nexec("import json as h\\nx = 1", ns)\nns["h"].dumps(ns["x"])',
        'command-execution',
      ],
      [
        'a module aliased in a namespace dict, then the bare name (never bound by that exec)',
        'import os\nns = {"os": os}\nexec("h = os", ns)\nh.system("id")',
        'command-execution',
      ],
      ['exec binding a benign module', 'import json\nexec("h = json")\nh.dumps({})', 'command-execution'],
      ['exec binding a constant', 'exec("x = 1")\nprint(x)', 'command-execution'],
    ]);
  });
});
