// An adversarial review of the Python analyzer: ways an attacker (or sloppy generated code) reaches a dangerous
// function without naming it plainly, grouped by technique, and the ordinary code that must stay quiet.
// Each technique is tested on more than one instance so that a fix is general, not a special case.
import { expectFinding, itFlags, itQuiet } from './helpers';

describe('adversarial review: python', () => {
  describe('modules re-exported as attributes of other modules', () => {
    itFlags([
      ['os reached through os.path', 'import os.path as p\np.os.system("id")', 'command-execution', 2],
      ['os reached through shutil', 'import shutil\nshutil.os.system("id")', 'command-execution', 2],
      ['os reached through any module', 'import logging\nlogging.os.system("id")', 'command-execution', 2],
      ['a private alias of os', 'import tempfile\ntempfile._os.system("id")', 'command-execution', 2],
      [
        'from-importing os out of another module',
        'from shutil import os\nos.system("id")',
        'command-execution',
        2,
      ],
      ['an aliased from-import of os', 'from logging import os as o\no.popen("id")', 'command-execution', 2],
      [
        'sys reached through os',
        'import os\nos.sys.modules["subprocess"].call("id")',
        'command-execution',
        2,
      ],
      [
        'getattr chains through a re-export',
        'getattr(getattr(__import__("os"), "path"), "os").system("id")',
        'command-execution',
        1,
      ],
    ]);
    itQuiet([
      ['platform.system() (not os.system)', 'import platform\nprint(platform.system())'],
      ['an attribute named os on an ordinary object', 'class A:\n    os = "linux"\nprint(A().os.upper())'],
      ['a config attribute named sys', 'print(config.sys.path)'],
    ]);
  });

  describe("a module's namespace read or copied whole", () => {
    itFlags([
      ['its values listed', 'import os\nlist(vars(os).values())[3]("id")', 'dynamic-attribute', 2],
      [
        'its values iterated',
        'import os\nfor f in os.__dict__.values():\n    f("id")',
        'dynamic-attribute',
        2,
      ],
      [
        'its items searched by name',
        'import subprocess as s\nnext(v for k, v in vars(s).items() if k == "call")(["id"])',
        'dynamic-attribute',
        2,
      ],
      ['a dict made of it', 'import os\ndict(vars(os))["system"]("id")', 'dynamic-attribute', 2],
      [
        'copied into a dict',
        'import os\nd = {}\nd.update(vars(os))\nd["system"]("id")',
        'dynamic-attribute',
        3,
      ],
      ['copy.copy of it', 'import os, copy\nns = copy.copy(os.__dict__)', 'dynamic-attribute', 2],
      [
        'unpacked with **',
        'import os\ndef g(**kw):\n    kw["system"]("id")\ng(**vars(os))',
        'dynamic-attribute',
        4,
      ],
      ['unpacked in a dict display', 'import os\n{**vars(os)}["system"]("id")', 'dynamic-attribute', 2],
    ]);
    itQuiet([
      [
        'its names only',
        'import os\nprint(list(vars(os)), "system" in vars(os), vars(os).keys(), len(os.__dict__))',
        'dynamic-attribute',
      ],
      [
        'a plain loop over its names',
        'import os\nfor name in vars(os):\n    print(name)',
        'dynamic-attribute',
      ],
      [
        'globals() copied or iterated',
        'x = dict(globals())\nfor k, v in globals().items():\n    print(k)',
        'dynamic-attribute',
      ],
      [
        "an ordinary object's vars",
        'import argparse\nargs = argparse.Namespace()\nprint(vars(args).items())',
      ],
    ]);
  });

  describe('a match statement capturing its subject', () => {
    itFlags([
      ['a bare capture', 'import os\nmatch os:\n    case m:\n        m.system("id")', 'command-execution', 4],
      [
        'a capture with as',
        'import os\nmatch os:\n    case object() as m:\n        m.popen("id")',
        'command-execution',
        4,
      ],
      [
        'a capture of a parameter',
        'import subprocess\ndef f(mod):\n    match mod:\n        case sp:\n            sp.call(["id"])\nf(subprocess)',
        'command-execution',
        5,
      ],
    ]);
    itQuiet([
      ['a capture of an ordinary value', 'match machine:\n    case m:\n        m.system("id")'],
      [
        'a value pattern',
        'import os\nmatch name:\n    case os.sep:\n        print(name)',
        'command-execution',
      ],
    ]);
  });

  describe('splats tree-sitter reads as the object of what follows them', () => {
    itFlags([
      ['a call in a list display', 'import os\n[*os.popen("id")]', 'command-execution', 2],
      [
        'a call in a set display',
        'import subprocess\nx = {*subprocess.check_output(["id"])}',
        'command-execution',
        2,
      ],
      [
        'a call in a bare tuple',
        'import os\nfor line in *os.popen("id"), "":\n    pass',
        'command-execution',
        2,
      ],
      ['a returned bare tuple', 'import os\ndef f():\n    return *os.popen("id"), 1', 'command-execution', 3],
      [
        'a namespace in a list display',
        'import os\n[*os.__dict__.values()][5]("id")',
        'dynamic-attribute',
        2,
      ],
    ]);
    itQuiet([['a module splatted', 'import os\nprint([*os.environ])', 'command-execution']]);
  });

  describe('values kept in containers, returned, passed or stored', () => {
    itFlags([
      [
        'an alias of os.environ used through a method',
        'import os\ne = os.environ\ne.get("HOME")',
        'env-access',
        3,
      ],
      ['a module kept in a list', 'import os\nms = [os]\nms[0].system("id")', 'command-execution', 3],
      ['a module kept in a dict', 'import os\nms = {"o": os}\nms["o"].system("id")', 'command-execution', 3],
      [
        'a module read from a dict with .get',
        'import os\nms = {"o": os}\nms.get("o").system("id")',
        'command-execution',
        3,
      ],
      [
        'a loop over a list of modules',
        'import os\nfor m in [os]:\n    m.system("id")',
        'command-execution',
        3,
      ],
      [
        'a module returned by a function',
        'import os\ndef get():\n    return os\nget().system("id")',
        'command-execution',
        4,
      ],
      [
        'a returned module bound to a name',
        'import os\ndef get():\n    return os\nm = get()\nm.system("id")',
        'command-execution',
        5,
      ],
      [
        'a module returned by a lambda',
        'import os\ng = lambda: os\ng().system("id")',
        'command-execution',
        3,
      ],
      [
        'a module passed as an argument',
        'import os\ndef run(m):\n    m.system("id")\nrun(os)',
        'command-execution',
        3,
      ],
      [
        'a module passed by keyword',
        'import os\ndef run(cmd, m=None):\n    m.system(cmd)\nrun("id", m=os)',
        'command-execution',
        3,
      ],
      [
        'a member of a passed module bound inside the function',
        'import os\ndef run(m):\n    s = m.system\n    s("id")\nrun(os)',
        'command-execution',
      ],
      [
        'a named expression called where it stands',
        'import os\n(f := os.system)("id")',
        'command-execution',
        2,
      ],
      [
        'a named expression nested in an assignment, then called',
        'import subprocess\ng = (f := subprocess.Popen)\ng(["id"])',
        'command-execution',
        3,
      ],
      [
        'a named expression of a module, used where it stands',
        'import os\n(m := os).system("id")',
        'command-execution',
        2,
      ],
      [
        'an immediately called lambda',
        '(lambda m: m.system("id"))(__import__("os"))',
        'command-execution',
        1,
      ],
      [
        'a module stored on self',
        'import os\nclass A:\n    def __init__(self):\n        self.o = os\n    def go(self):\n        self.o.system("id")',
        'command-execution',
        6,
      ],
      [
        'a module appended to a list',
        'import os\nmods = []\nmods.append(os)\nmods[0].system("id")',
        'command-execution',
        4,
      ],
      [
        'a module stored under a dict key',
        'import os\nd = {}\nd["x"] = os\nd["x"].system("id")',
        'command-execution',
        4,
      ],
      [
        'a lambda returned by a function',
        'import os\ndef outer():\n    return lambda: os\nouter()().system("id")',
        'command-execution',
        4,
      ],
      [
        'a module kept as a class attribute',
        'import os\nclass C:\n    m = os\nC.m.system("id")',
        'command-execution',
        4,
      ],
      [
        'a module stored with setattr',
        'import os\nsetattr(cfg, "runner", os)\ncfg.runner.system("id")',
        'command-execution',
        3,
      ],
      [
        'a module returned in a tuple',
        'import os\ndef get():\n    return os, 1\nget()[0].system("id")',
        'command-execution',
        4,
      ],
      [
        'an attrgetter kept in a variable',
        'import os\nfrom operator import attrgetter\ng = attrgetter("system")\ng(os)("id")',
        'command-execution',
        4,
      ],
    ]);
    itQuiet([
      ['a named expression on a line of its own', 'import os\n(f := os.system)'],
      ['a function returning a constant', 'def get():\n    return "os"\nget().upper()'],
      [
        'an ordinary value stored in a dict',
        'import os\ncache = {}\ncache["cwd"] = os.getcwd()\nprint(cache["cwd"].upper())',
      ],
      ['a function passed an ordinary value', 'def run(m):\n    m.system("id")\nrun(machine)'],
      [
        'an attribute store of an ordinary value',
        'class A:\n    def __init__(self):\n        self.o = 1\n    def go(self):\n        self.o.system()',
      ],
    ]);
  });

  describe('constant strings built in more ways', () => {
    itFlags([
      ['a name built with +=', 'n = "o"\nn += "s"\n__import__(n).system("id")', 'command-execution', 3],
      ['a name built with %', '__import__("%s" % "os").system("id")', 'command-execution', 1],
      ['a name built with %-tuples', '__import__("%s%s" % ("o", "s")).system("id")', 'command-execution', 1],
      [
        'a name built with str.format',
        '__import__("{}".format("o" + "s")).system("id")',
        'command-execution',
        1,
      ],
      [
        'a name built with numbered format fields',
        '__import__("{0}{1}".format("o", "s")).popen("id")',
        'command-execution',
        1,
      ],
      [
        'exec of a %-formatted payload',
        'exec("import %s; %s.system(\'id\')" % ("os", "os"))',
        'command-execution',
        1,
      ],
      [
        'exec of a zlib-compressed payload',
        'import zlib, base64\nexec(zlib.decompress(base64.b64decode("eJzLzC3ILypRyC+2BmK94sriktRcDfXMFHVNAINXCRo=")))',
        'command-execution',
        2,
      ],
      [
        'a name from a constant function',
        'def name():\n    return "os"\n__import__(name()).system("id")',
        'command-execution',
        3,
      ],
    ]);
  });

  describe('getattr in other clothes', () => {
    itFlags([
      [
        'operator.attrgetter',
        'import operator, os\noperator.attrgetter("system")(os)("id")',
        'command-execution',
        2,
      ],
      [
        'a dotted attrgetter',
        'import operator, os\noperator.attrgetter("path.os.system")(os)("id")',
        'command-execution',
        2,
      ],
      [
        'operator.methodcaller',
        'import operator, os\noperator.methodcaller("system", "id")(os)',
        'command-execution',
        2,
      ],
      [
        'attrgetter with a computed name',
        'from operator import attrgetter\nimport os\nattrgetter(name)(os)',
        'dynamic-attribute',
        3,
      ],
      [
        'object.__getattribute__',
        'import os\nobject.__getattribute__(os, "system")("id")',
        'command-execution',
        2,
      ],
      [
        "a module's own __getattribute__",
        'import os\nos.__getattribute__("system")("id")',
        'command-execution',
        2,
      ],
      [
        "the module type's __getattribute__ through type()",
        'import os\ntype(os).__getattribute__(os, "system")("id")',
        'command-execution',
        2,
      ],
      [
        "the module type's __getattribute__ through __class__, aliased",
        'import os\nget = os.__class__.__getattribute__\nget(os, "system")("id")',
        'command-execution',
        3,
      ],
      [
        'types.ModuleType.__getattribute__',
        'import os\nfrom types import ModuleType as M\nM.__getattribute__(os, "system")("id")',
        'command-execution',
        3,
      ],
      [
        "the __getattribute__ of a value's type",
        'import subprocess\np = subprocess\ntype(p).__getattribute__(p, "call")(["id"])',
        'command-execution',
        3,
      ],
      [
        'inspect.getattr_static',
        'import inspect, os\ninspect.getattr_static(os, "system")("id")',
        'command-execution',
        2,
      ],
      [
        'pkgutil.resolve_name',
        'import pkgutil\npkgutil.resolve_name("os:system")("id")',
        'command-execution',
        2,
      ],
      ['pydoc.locate', 'import pydoc\npydoc.locate("os.system")("id")', 'command-execution', 2],
      [
        'pkgutil.resolve_name with a computed name',
        'import pkgutil\npkgutil.resolve_name(spec)()',
        'dynamic-import',
        2,
      ],
      ['sys.modules.pop', 'import sys\nsys.modules.pop("os").system("id")', 'command-execution', 2],
      [
        'sys.modules.setdefault',
        'import sys\nsys.modules.setdefault("os").system("id")',
        'command-execution',
        2,
      ],
      [
        'a walk over every loaded module',
        'import sys\nfor m in sys.modules.values():\n    pass',
        'dynamic-import',
        2,
      ],
    ]);
  });

  describe('introspection names written as strings', () => {
    itFlags([
      ['vars(type)["__subclasses__"]', 'vars(type)["__subclasses__"](object)', 'sandbox-escape', 1],
      ['a __dict__ lookup of __globals__', 'g = type(f).__dict__["__globals__"]', 'sandbox-escape', 1],
      [
        'attrgetter("__globals__")',
        'import operator\noperator.attrgetter("__globals__")(f)',
        'sandbox-escape',
        2,
      ],
      [
        'object.__getattribute__(f, "__code__")',
        'object.__getattribute__(f, "__code__")',
        'sandbox-escape',
        1,
      ],
    ]);
    itQuiet([
      ['hasattr(f, "__code__")', 'if hasattr(f, "__code__"):\n    pass', 'sandbox-escape'],
      ['a text that names __globals__', 'print("__globals__")', 'sandbox-escape'],
      ['a restricted __builtins__ given to exec', 'safe = {"__builtins__": {}}', 'sandbox-escape'],
    ]);
  });

  describe('interactive interpreters and hidden code', () => {
    itFlags([
      ['breakpoint()', 'breakpoint()', 'dynamic-code', 1],
      ['pdb.set_trace()', 'import pdb\npdb.set_trace()', 'dynamic-code', 2],
      [
        'a command hidden in a docstring run by doctest',
        'def f():\n    """\n    >>> __import__("os").system("id")\n    """\nimport doctest\ndoctest.testmod()',
        'command-execution',
        6,
      ],
    ]);
    itQuiet([
      [
        'doctest of ordinary examples',
        'def add(a, b):\n    """\n    >>> add(1, 2)\n    3\n    """\n    return a + b\nimport doctest\ndoctest.testmod()',
      ],
    ]);
  });

  describe('huge numbers written other ways', () => {
    itFlags([
      ['a shift', 'x = "a" * (1 << 40)', 'resource-exhaustion', 1],
      ['a hex literal', 'x = [0] * 0xFFFFFFFFFF', 'resource-exhaustion', 1],
      ['a float exponent', 'x = [0] * int(1e10)', 'resource-exhaustion', 1],
    ]);
  });

  describe('file writes through other libraries', () => {
    itFlags([
      ['gzip.open for writing', 'import gzip\ngzip.open("x.gz", "wt")', 'file-write', 2],
      ['tarfile.open for writing', 'import tarfile\ntarfile.open("x.tar", "w")', 'file-write', 2],
      ['zipfile.ZipFile for writing', 'import zipfile\nzipfile.ZipFile("x.zip", mode="a")', 'file-write', 2],
      ['numpy.save', 'import numpy as np\nnp.save("x.npy", a)', 'file-write', 2],
      ['torch.save', 'import torch\ntorch.save(model, "m.pt")', 'file-write', 2],
      ['joblib.dump', 'import joblib\njoblib.dump(model, "m.pkl")', 'file-write', 2],
    ]);
    itQuiet([
      [
        'tarfile.open of a compressed archive for reading',
        'import tarfile\ntarfile.open("x.tar.xz", "r:xz")',
        'file-write',
      ],
      ['zipfile.ZipFile for reading', 'import zipfile\nzipfile.ZipFile("x.zip")', 'file-write'],
      ['gzip.open for reading', 'import gzip\ngzip.open("x.gz", "rt")', 'file-write'],
    ]);
  });

  describe('processes, sockets and loaders reached through other entry points', () => {
    itFlags([
      [
        'an event loop running a shell',
        'import asyncio\nasync def f():\n    loop = asyncio.get_running_loop()\n    await loop.subprocess_shell(P, "id")',
        'command-execution',
        4,
      ],
      [
        'an event loop connection',
        'import asyncio\nasyncio.get_event_loop().create_connection(P, "x", 80)',
        'network-socket',
        2,
      ],
      ['logging.config.listen', 'import logging.config\nlogging.config.listen(9999)', 'network-socket', 2],
      ['the _socket accelerator', 'import _socket\n_socket.socket()', 'network-socket', 2],
      [
        'multiprocessing.connection.Client',
        'from multiprocessing.connection import Client\nClient(("x", 1))',
        'network-socket',
        2,
      ],
      ["pickle's pure-Python loader", 'import pickle\npickle._loads(b"")', 'unsafe-deserialization', 2],
      [
        'a YAML loader chosen at run time',
        'import yaml\nyaml.load(s, Loader=yaml.SafeLoader if False else yaml.Loader)',
        'unsafe-deserialization',
        2,
      ],
      [
        'shell=True on a wrapper from another library',
        'from invoke import run\nrun("ls", shell=True)',
        'shell-true',
        2,
      ],
      [
        'traceback.walk_stack',
        'import traceback\nfor frame, _ in traceback.walk_stack(None):\n    pass',
        'sandbox-escape',
        2,
      ],
    ]);
    itQuiet([
      ['a safe YAML loader held in a variable', 'import yaml\nL = yaml.SafeLoader\nyaml.load(s, Loader=L)'],
      ['shell=False on a wrapper', 'run("ls", shell=False)'],
    ]);
  });

  describe('ordinary code that must stay quiet', () => {
    itQuiet([
      [
        'a chunked read with iter(callable, sentinel)',
        'for chunk in iter(lambda: f.read(4096), b""):\n    handle(chunk)',
      ],
      ['a readline loop with iter', 'for line in iter(stream.readline, ""):\n    print(line)'],
      [
        'df.eval and df.query',
        'import pandas as pd\ndf = pd.DataFrame()\ndf.eval("a + b")\ndf.query("a > 1")',
      ],
      [
        'model.compile and torch.compile',
        'import torch\nmodel.compile(optimizer="adam")\nm = torch.compile(model)',
      ],
      ['session.execute', 'session.execute(text("select 1"))'],
      ['print(open("data.csv").read())', 'print(open("data.csv").read())'],
      ['if __name__ == "__main__"', 'if __name__ == "__main__":\n    main()'],
      ['asyncio.run(main())', 'import asyncio\nasyncio.run(main())'],
      [
        'while True with a break in a nested try',
        'while True:\n    try:\n        if done():\n            break\n    except ValueError:\n        pass',
      ],
      ['type annotations naming modules', 'import os\ndef f(x: "os.system") -> None:\n    pass'],
      ['getattr(sys.modules[__name__], "main")', 'import sys\ngetattr(sys.modules[__name__], "main")()'],
    ]);
    it('still flags an iter() whose callable never returns the sentinel', async () => {
      await expectFinding('for x in iter(int, 1):\n    pass', 'resource-exhaustion', 1);
    });
  });

  describe('commands, code and writes behind standard library helpers', () => {
    itFlags([
      ['pydoc.pipepager', 'import pydoc\npydoc.pipepager("x", "sh -c id")', 'command-execution', 2],
      [
        'pydoc.tempfilepager imported by name',
        'from pydoc import tempfilepager as p\np("x", "id")',
        'command-execution',
        2,
      ],
      [
        'a webbrowser command line',
        'import webbrowser\nwebbrowser.register("x", None, webbrowser.GenericBrowser(["sh", "-c", "id"]))',
        'command-execution',
        2,
      ],
      ['a Tcl interpreter', 'import tkinter\ntkinter.Tcl().eval("exec id")', 'dynamic-code', 2],
      [
        'Tcl code run by a Tk root',
        'import tkinter\nroot = tkinter.Tk()\nroot.tk.eval("exec id")',
        'dynamic-code',
        3,
      ],
      ['Tk delegating eval to Tcl', 'from tkinter import Tk\nTk().eval("exec id")', 'dynamic-code', 2],
      [
        'code run by trace.Trace',
        "import trace\ntrace.Trace(count=False).run(\"__import__('os').system('id')\")",
        'command-execution',
        2,
      ],
      [
        'trace.Trace.runctx of input',
        'import trace\nt = trace.Trace()\nt.runctx(input(), {}, {})',
        'dynamic-code',
        3,
      ],
      ['doctest.debug_src', 'import doctest\ndoctest.debug_src(input())', 'dynamic-code', 2],
      ['doctest.testfile', 'import doctest\ndoctest.testfile("examples.txt")', 'dynamic-code', 2],
      [
        'logging.config.fileConfig',
        'import logging.config\nlogging.config.fileConfig("x.ini")',
        'dynamic-code',
        2,
      ],
      ['a log file handler', 'import logging\nlogging.FileHandler("/tmp/x.log")', 'file-write', 2],
      [
        'a rotating log file handler',
        'from logging.handlers import RotatingFileHandler\nRotatingFileHandler("x.log")',
        'file-write',
        2,
      ],
      ['dbm.open creating a file', 'import dbm\ndbm.open("x", "c")', 'file-write', 2],
      ['dbm.open with a computed flag', 'import dbm\ndbm.open("x", flag=mode)', 'file-write', 2],
      ['aiofiles.open for writing', 'import aiofiles\naiofiles.open("x", "w")', 'file-write', 2],
      ['trio.run_process', 'import trio\ntrio.run_process(["id"])', 'command-execution', 2],
      ['anyio.open_process', 'from anyio import open_process\nopen_process("id")', 'command-execution', 2],
      ['getpass.getuser', 'import getpass\nprint(getpass.getuser())', 'env-access', 2],
    ]);
    itQuiet([
      ['a Tk window', 'import tkinter\nroot = tkinter.Tk()\nroot.title("x")\nroot.mainloop()'],
      ['pydoc.render_doc', 'import pydoc\nprint(pydoc.render_doc(len))'],
      ['a user eval method', 'class Model:\n    def eval(self):\n        return self\nModel().eval()'],
      ['dbm.open for reading', 'import dbm\ndbm.open("x")', 'file-write'],
      ['aiofiles.open for reading', 'import aiofiles\naiofiles.open("x")', 'file-write'],
      ['a logging stream handler', 'import logging\nlogging.StreamHandler()', 'file-write'],
    ]);
  });

  describe('format strings whose fields read escape attributes', () => {
    itFlags([
      [
        'str.format reading __globals__',
        'print("{0.__init__.__globals__}".format(obj))',
        'sandbox-escape',
        1,
      ],
      [
        'a template in a variable',
        't = "{f.__init__.__globals__[os].environ}"\nprint(t.format(f=obj))',
        'sandbox-escape',
        1,
      ],
      [
        'string.Formatter',
        'import string\nstring.Formatter().format("{0.__class__.__subclasses__}", x)',
        'sandbox-escape',
        2,
      ],
      ['format_map', 'print("{f.__code__}".format_map({"f": g}))', 'sandbox-escape', 1],
    ]);
    itQuiet([
      ['an ordinary format field', 'print("{0.__class__.__name__}".format(x))'],
      ['escaped braces', 'print("{{0.__globals__}}")'],
      ['a docstring that mentions a field', 'def f():\n    """Never format {0.__globals__}."""'],
    ]);
  });

  describe("modules loaded through a module's loader or a copy of sys.modules", () => {
    itFlags([
      ['__loader__.load_module', '__loader__.load_module("posix").system("id")', 'command-execution', 1],
      [
        '__spec__.loader.load_module',
        '__spec__.loader.load_module("os").system("id")',
        'command-execution',
        1,
      ],
      [
        'the loader of an imported module',
        'import sys\nsys.__loader__.load_module("posix").system("id")',
        'command-execution',
        2,
      ],
      [
        'a loader kept in a variable',
        'import json\nload = json.__loader__.load_module\nm = load("os")\nm.system("id")',
        'command-execution',
        4,
      ],
      ['a load_module call as a dynamic import', '__loader__.load_module(name)', 'dynamic-import', 1],
      [
        "importlib's own import function",
        'import importlib._bootstrap\nimportlib._bootstrap._gcd_import("os").system("id")',
        'command-execution',
        2,
      ],
      [
        'a dict copy of sys.modules',
        'import sys\ndict(sys.modules)["os"].system("id")',
        'command-execution',
        2,
      ],
      [
        'a ChainMap over sys.modules',
        'import sys, collections\ncollections.ChainMap(sys.modules)["subprocess"].getoutput("id")',
        'command-execution',
        2,
      ],
      ['sys.modules.copy()', 'import sys\nsys.modules.copy()["os"].system("id")', 'dynamic-import', 2],
    ]);
    itQuiet([
      ['the name of the spec', 'print(__spec__.name)'],
      ['the loader asked for a file name', 'print(__loader__.get_filename())'],
      ['a user object with a loader attribute', 'class A:\n    loader = None\nA().loader.load_module("x")'],
    ]);
  });

  describe('module names folded from sorted, map and unbound string methods', () => {
    itFlags([
      ['sorted characters', '__import__("".join(sorted("so"))).system("id")', 'command-execution', 1],
      ['map(chr, codes)', '__import__("".join(map(chr, [111, 115]))).system("id")', 'command-execution', 1],
      [
        'str.join called on the class',
        '__import__(str.join("", ["o", "s"])).system("id")',
        'command-execution',
        1,
      ],
      [
        'bytes.decode called on the class',
        '__import__(bytes.decode(b"os")).system("id")',
        'command-execution',
        1,
      ],
    ]);
    itQuiet([
      [
        'a reverse sort left unknown',
        '__import__("".join(sorted("so", reverse=flag))).path',
        'command-execution',
      ],
    ]);
  });

  describe('names bound by a store into the module namespace or the builtins', () => {
    itFlags([
      [
        'globals()[name] = module',
        'import os\nglobals()["helper"] = os\nhelper.system("id")',
        'command-execution',
        3,
      ],
      [
        'vars()[name] = module',
        'import os\nvars()["helper"] = os\nhelper.system("id")',
        'command-execution',
        3,
      ],
      [
        'globals().update(name=module)',
        'import os\nglobals().update(helper=os)\nhelper.system("id")',
        'command-execution',
        3,
      ],
      [
        'a global stored from inside a function',
        'import os\ndef setup():\n    globals()["h"] = os\nsetup()\nh.system("id")',
        'command-execution',
        5,
      ],
      [
        'an attribute of builtins',
        'import builtins, os\nbuiltins.helper = os\nhelper.system("id")',
        'command-execution',
        3,
      ],
      [
        'setattr on builtins',
        'import builtins, os\nsetattr(builtins, "run", os.popen)\nrun("id")',
        'command-execution',
        3,
      ],
      [
        'a sink stored in the builtins namespace',
        'import builtins\nbuiltins.__dict__["ev"] = eval\nev(input())',
        'dynamic-code',
        3,
      ],
    ]);
    itQuiet([
      ['an ordinary global stored by name', 'globals()["helper"] = 1\nhelper.system("id")'],
      ['an ordinary builtin added', 'import builtins\nbuiltins.log = print\nlog("x")'],
    ]);
  });

  describe('wrappers that give back the function or value they wrap', () => {
    itFlags([
      [
        'functools.lru_cache of a lambda',
        'import os, functools\nfunctools.lru_cache(lambda: os)().system("id")',
        'command-execution',
        2,
      ],
      [
        'functools.cache as a call',
        'import os, functools\nget = functools.cache(lambda: os)\nget().system("id")',
        'command-execution',
        3,
      ],
      [
        'contextlib.nullcontext in a with',
        'import os, contextlib\nwith contextlib.nullcontext(os) as m:\n    m.system("id")',
        'command-execution',
        3,
      ],
      [
        'staticmethod() called directly',
        'import os\nstaticmethod(lambda: os)().system("id")',
        'command-execution',
        2,
      ],
    ]);
    itQuiet([
      [
        'nullcontext of an ordinary value',
        'import contextlib\nwith contextlib.nullcontext(1) as m:\n    m.system("id")',
      ],
    ]);
  });

  describe('values returned by methods, read where the method is called', () => {
    itFlags([
      [
        'a method returning a module',
        'import os\nclass K:\n    def m(self):\n        return os\nK().m().system("id")',
        'command-execution',
        5,
      ],
      [
        'a property returning a module',
        'import os\nclass K:\n    @property\n    def m(self):\n        return os\nK().m.system("id")',
        'command-execution',
        6,
      ],
      [
        'a staticmethod returning a module',
        'import os\nclass K:\n    @staticmethod\n    def m():\n        return os\nK.m().system("id")',
        'command-execution',
        6,
      ],
      [
        'a cached property returning a sink',
        'import os, functools\nclass K:\n    @functools.cached_property\n    def run(self):\n        return os.popen\nK().run("id")',
        'command-execution',
        6,
      ],
    ]);
    itQuiet([
      [
        'a method returning an ordinary value',
        'class K:\n    def m(self):\n        return 1\nK().m().system("id")',
      ],
      [
        'a string method on another object read under the name of a property returning a path',
        'from pathlib import Path\nclass P:\n    @property\n    def filename(self):\n        return Path("x")\nprint(info.filename.replace("a", "b"))',
        'file-write',
      ],
      [
        'a method returning a module, only referenced',
        'import os\nclass K:\n    def m(self):\n        return os\nprint(K().m)',
        'command-execution',
      ],
    ]);
  });
});
