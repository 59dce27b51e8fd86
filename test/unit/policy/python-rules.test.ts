// Every Python rule: positive cases (plain, aliased, obfuscated) and negative ones (strings, comments,
// docstrings, shadowing, methods on ordinary objects).
import { expectFinding, expectNoFinding } from './helpers';

type Case = [title: string, code: string, line?: number];

function positives(rule: string, cases: Case[]): void {
  for (const [title, code, line] of cases) {
    it(`flags ${title}`, async () => {
      await expectFinding(code, rule, line);
    });
  }
}

function negatives(rule: string, cases: Array<[title: string, code: string]>): void {
  for (const [title, code] of cases) {
    it(`does not flag ${title}`, async () => {
      await expectNoFinding(code, rule);
    });
  }
}

describe('python rules', () => {
  describe('command-execution', () => {
    positives('command-execution', [
      ['os.system', 'import os\nos.system("ls")', 2],
      ['os.popen', 'import os\nos.popen("ls").read()', 2],
      ['os.exec* and spawn*', 'import os\nos.execvp("sh", ["sh"])\nos.spawnl(os.P_WAIT, "/bin/ls", "ls")', 3],
      ['subprocess.run', 'import subprocess\nsubprocess.run(["ls"])', 2],
      ['subprocess.Popen through an alias', 'import subprocess as sp\nsp.Popen(["ls"])', 2],
      ['from-import with alias', 'from subprocess import check_output as co\nco(["id"])', 2],
      ['pty.spawn', 'import pty\npty.spawn("/bin/sh")', 2],
      [
        'asyncio subprocesses',
        'import asyncio\nasync def f():\n    await asyncio.create_subprocess_exec("ls")',
        3,
      ],
      ['import sys, os on one line', 'import sys, os\nos.system("id")', 2],
      ['import os; on the same line', 'import os; os.system("id")', 1],
      ['an import inside a function', 'def f():\n    import os\n    return os.popen("ls")', 3],
      [
        'an import inside try',
        'try:\n    import subprocess\nexcept ImportError:\n    pass\nsubprocess.call("ls")',
        5,
      ],
      ['an import inside a class', 'class A:\n    import os\n    os.system("x")', 3],
      ['from os import *', 'from os import *\nsystem("ls")', 2],
      ['posix (the same module)', 'import posix\nposix.system("ls")', 2],
      ['a function alias', 'import os\nrun = os.system\nrun("ls")', 3],
      ['a module alias', 'import subprocess\ns = subprocess\ns.run(["ls"])', 3],
      ['a reference passed as a callback', 'import os\nlist(map(os.system, cmds))', 2],
      ['a parameter defaulting to the module', 'import os\ndef f(os=os):\n    os.system("x")', 3],
      ['an f-string interpolation', 'import os\nprint(f"{os.system(\'id\')}")', 2],
      ['a snippet that uses os without importing it', 'os.system("id")', 1],
      ['os.system with a tab before the dot', 'import os\nos\t.system("x")', 2],
    ]);
    negatives('command-execution', [
      ['the text in a string', 'x = "os.system(\'ls\')"'],
      ['a comment', '# os.system("ls")\nx = 1'],
      ['a docstring', 'def f():\n    """Runs os.system("ls") for you."""\n    return 1'],
      ['a shadowing dict', 'import os\nos = {"system": print}\nos.system("x")'],
      ['a shadowing parameter', 'import os\ndef f(os):\n    os.system("x")'],
      [
        'a method called system',
        'class A:\n    def system(self):\n        pass\n    def go(self):\n        self.system()',
      ],
      ['a local def named system', 'def system(cmd):\n    print(cmd)\nsystem("ls")'],
      ['os.path functions', 'import os\nos.path.join("a", "b")\nos.getcwd()'],
    ]);
  });

  describe('shell-true', () => {
    positives('shell-true', [
      ['shell=True', 'import subprocess\nsubprocess.run("ls", shell=True)', 2],
      ['a shell flag computed at run time', 'import subprocess\nsubprocess.Popen(cmd, shell=flag)', 2],
      ['shell=1 through an alias', 'from subprocess import call\ncall("ls", shell=1)', 2],
    ]);
    negatives('shell-true', [
      ['shell=False', 'import subprocess\nsubprocess.run(["ls"], shell=False)'],
      ['no shell argument', 'import subprocess\nsubprocess.run(["ls"])'],
      ['shell=True on an unrelated call', 'def run(cmd, shell=False):\n    pass\nrun("ls", shell=True)'],
    ]);
  });

  describe('destructive-command', () => {
    positives('destructive-command', [
      ['rm -rf /', 'import os\nos.system("rm -rf /")', 2],
      ['rm -rf / as an argument list', 'import subprocess\nsubprocess.run(["rm", "-rf", "/"])', 2],
      ['a command in a variable', 'import os\ncmd = "mkfs.ext4 /dev/sda1"\nos.system(cmd)', 3],
      ['a fork bomb', 'import os\nos.system(":(){ :|:& };:")', 2],
      ['shutil.rmtree of the home directory', 'import shutil\nshutil.rmtree("~")', 2],
    ]);
    negatives('destructive-command', [
      ['rm of a build directory', 'import os\nos.system("rm -rf build")'],
      ['shutil.rmtree of a relative directory', 'import shutil\nshutil.rmtree("out")'],
    ]);
  });

  describe('dynamic-code', () => {
    positives('dynamic-code', [
      ['eval', 'eval("1 + 1")', 1],
      ['exec', 'exec(code)', 1],
      ['compile', 'compile(src, "f", "exec")', 1],
      ['builtins.exec', 'import builtins\nbuiltins.exec("x")', 2],
      ['getattr(__builtins__, "ev" + "al")', 'getattr(__builtins__, "ev" + "al")("1")', 1],
      ['builtins.__dict__["eval"]', 'import builtins\nbuiltins.__dict__["eval"]("1")', 2],
      ['globals()["__builtins__"]', 'globals()["__builtins__"]["exec"]("x")', 1],
      ['vars(builtins) with a folded key', 'import builtins\nvars(builtins)["".join(["ev", "al"])]("1")', 2],
      ['an alias of eval', 'e = eval\ne("1")', 2],
      ['types.FunctionType', 'import types\ntypes.FunctionType(code, {})', 2],
      ['type(lambda) called with a code object', 'type(lambda: 0)(code, {})', 1],
      ['runpy.run_path', 'import runpy\nrunpy.run_path("x.py")', 2],
      ['eval spelled with full-width letters (NFKC)', 'ｅｖａｌ("1")', 1],
    ]);
    negatives('dynamic-code', [
      ['model.eval()', 'model.eval()\nnet.train()'],
      ['re.compile', 'import re\nre.compile("a+")'],
      ['cursor.execute', 'cursor.execute("SELECT 1")'],
      ['a method named eval', 'class M:\n    def eval(self):\n        return 1\nM().eval()'],
      ['a local function named eval', 'def eval(x):\n    return x\neval(1)'],
      ['eval in a string', 'print("eval(x)")'],
      ['type(self)(...)', 'class A:\n    def copy(self):\n        return type(self)(1)'],
      ['ast.literal_eval', 'import ast\nast.literal_eval("[1]")'],
    ]);
  });

  describe('dynamic-import', () => {
    positives('dynamic-import', [
      ['__import__ of a name computed at run time', '__import__(name)', 1],
      ['importlib.import_module of a computed name', 'import importlib\nimportlib.import_module(plugin)', 2],
      ['from importlib import import_module', 'from importlib import import_module as im\nim(name)', 2],
      ['sys.modules["os"]', 'import sys\nsys.modules["os"].system("x")', 2],
      ['sys.modules.get', 'import sys\nsys.modules.get("os")', 2],
    ]);
    negatives('dynamic-import', [
      ['a plain import', 'import os\nimport json'],
      ['sys.modules[__name__]', 'import sys\nthis = sys.modules[__name__]'],
      ['__import__ in a comment', '# __import__("os")'],
    ]);
  });

  describe('dynamic-attribute', () => {
    positives('dynamic-attribute', [
      ['getattr(os, <input>)', 'import os\ngetattr(os, input())("ls")', 2],
      ['getattr(__builtins__, name)', 'getattr(__builtins__, name)', 1],
      ['globals()[name]', 'globals()[name]()', 1],
      ['vars(builtins)[key]', 'import builtins\nvars(builtins)[key]', 2],
    ]);
    negatives('dynamic-attribute', [
      ['getattr on an ordinary object', 'getattr(self, name)()'],
      ['getattr with a constant name', 'import os\ngetattr(os, "getcwd")()'],
    ]);
  });

  describe('sandbox-escape', () => {
    positives('sandbox-escape', [
      ['__subclasses__', '().__class__.__bases__[0].__subclasses__()', 1],
      ['__globals__', 'f.__globals__["os"]', 1],
      ['__builtins__', 'b = __builtins__', 1],
      ['__code__', 'f.__code__ = g.__code__', 1],
      ['sys._getframe', 'import sys\nsys._getframe(1).f_globals', 2],
      ['generator and traceback frames', 'g.gi_frame.f_back\ntb.tb_frame', 1],
      ['gc.get_referrers', 'import gc\ngc.get_referrers(obj)', 2],
      ['getattr(obj, "__globals__")', 'getattr(f, "__glo" + "bals__")', 1],
    ]);
    negatives('sandbox-escape', [
      ['__class__ and __name__', 'print(type(x).__name__, x.__class__)'],
      ['the word in a docstring', '"""Avoid __subclasses__ and __globals__."""'],
    ]);
  });

  describe('file-write', () => {
    positives('file-write', [
      ['open with "w"', 'open("out.txt", "w")', 1],
      ['open with mode= keyword', 'open("log", mode="a")', 1],
      ['open with "r+"', 'open(file="db", mode="r+")', 1],
      ['open with "xb"', 'open(p, "xb")', 1],
      ['a mode held in a variable', 'm = "w"\nopen(p, m)', 2],
      ['a mode computed at run time', 'open(p, mode=pick())', 1],
      ['io.open', 'import io\nio.open(p, "w")', 2],
      ['Path.write_text', 'from pathlib import Path\nPath("a.txt").write_text("x")', 2],
      ['a path object in a variable', 'import pathlib\np = pathlib.Path("d")\np.mkdir()', 3],
      ['os.rename', 'import os\nos.rename("a", "b")', 2],
      ['os.setxattr (extended attributes)', 'import os\nos.setxattr("a", "user.x", b"1")', 2],
      ['shutil.copy', 'import shutil\nshutil.copy("a", "b")', 2],
      ['tarfile extractall', 'import tarfile\ntarfile.open("a.tar").extractall()', 2],
    ]);
    negatives('file-write', [
      ['open for reading', 'open("data.csv")\nopen("data.bin", "rb")'],
      ['a write() method on some object', 'f.write("x")\nbuf.write_text("y")'],
      ['open in a comment', '# open("x", "w")'],
    ]);
  });

  describe('file-delete', () => {
    positives('file-delete', [
      ['os.remove', 'import os\nos.remove("x")', 2],
      ['os.unlink via from-import', 'from os import unlink\nunlink("x")', 2],
      ['shutil.rmtree', 'import shutil\nshutil.rmtree(d)', 2],
      ['Path.unlink', 'from pathlib import Path\nPath("x").unlink()', 2],
    ]);
    negatives('file-delete', [['a remove() method on a list', 'items.remove(3)']]);
  });

  describe('read-outside-workdir', () => {
    positives('read-outside-workdir', [
      ['an absolute path', 'open("/etc/passwd").read()', 1],
      ['a home path', 'open("~/.ssh/id_rsa")', 1],
      ['a path climbing with ..', 'open("../../secrets.txt")', 1],
      ['os.listdir("/")', 'import os\nos.listdir("/")', 2],
      ['a Path joined to /etc', 'from pathlib import Path\n(Path("/etc") / "shadow").read_text()', 2],
    ]);
    negatives('read-outside-workdir', [
      ['a relative path', 'open("data/input.csv")'],
      ['a computed path', 'open(path)'],
    ]);
  });

  describe('network', () => {
    positives('network-http', [
      ['requests.get', 'import requests\nrequests.get("https://x")', 2],
      ['urllib.request.urlopen', 'import urllib.request\nurllib.request.urlopen("https://x")', 2],
      ['from urllib.request import urlopen', 'from urllib.request import urlopen\nurlopen(u)', 2],
      ['http.client', 'import http.client\nhttp.client.HTTPSConnection("x")', 2],
      ['httpx.AsyncClient', 'import httpx\nhttpx.AsyncClient()', 2],
      ['aiohttp.ClientSession', 'import aiohttp\naiohttp.ClientSession()', 2],
    ]);
    positives('network-socket', [
      ['socket.socket', 'import socket\nsocket.socket()', 2],
      ['socket.create_connection', 'from socket import create_connection\ncreate_connection(("h", 1))', 2],
      ['asyncio.open_connection', 'import asyncio\nasyncio.open_connection("h", 1)', 2],
      ['smtplib.SMTP', 'import smtplib\nsmtplib.SMTP("mail")', 2],
    ]);
    negatives('network-http', [['a get() method on a dict', 'd = {}\nd.get("k")\nsession.get(url)']]);
  });

  describe('env-access', () => {
    positives('env-access', [
      ['os.environ[...]', 'import os\nos.environ["HOME"]', 2],
      ['os.environ.get', 'import os\nos.environ.get("TOKEN")', 2],
      ['os.getenv', 'import os\nos.getenv("TOKEN")', 2],
      ['from os import environ', 'from os import environ\nprint(environ)', 2],
    ]);
    negatives('env-access', [['an attribute named environ', 'request.environ["x"]']]);
  });

  describe('unsafe-deserialization', () => {
    positives('unsafe-deserialization', [
      ['pickle.loads', 'import pickle\npickle.loads(data)', 2],
      ['cPickle (Python 2 name)', 'import cPickle\ncPickle.load(f)', 2],
      ['marshal.loads', 'import marshal\nmarshal.loads(b)', 2],
      ['shelve.open', 'import shelve\nshelve.open("db")', 2],
      ['yaml.load without a loader', 'import yaml\nyaml.load(s)', 2],
      ['yaml.load with the unsafe Loader', 'import yaml\nyaml.load(s, Loader=yaml.Loader)', 2],
      ['numpy.load(allow_pickle=True)', 'import numpy as np\nnp.load("a.npy", allow_pickle=True)', 2],
      ['torch.load without weights_only', 'import torch\ntorch.load("m.pt")', 2],
      ['pandas.read_pickle', 'import pandas as pd\npd.read_pickle("x.pkl")', 2],
    ]);
    negatives('unsafe-deserialization', [
      ['yaml.safe_load', 'import yaml\nyaml.safe_load(s)'],
      ['yaml.load with SafeLoader', 'import yaml\nyaml.load(s, Loader=yaml.SafeLoader)'],
      ['pickle.dumps', 'import pickle\npickle.dumps(obj)'],
      ['numpy.load without pickles', 'import numpy as np\nnp.load("a.npy")'],
      ['torch.load(weights_only=True)', 'import torch\ntorch.load("m.pt", weights_only=True)'],
      ['json.loads', 'import json\njson.loads(s)'],
    ]);
  });

  describe('native-code', () => {
    positives('native-code', [
      ['ctypes.CDLL', 'import ctypes\nctypes.CDLL("libc.so.6")', 2],
      ['from ctypes import *', 'from ctypes import *\ncdll.LoadLibrary("x")', 2],
      ['cffi.FFI', 'import cffi\nffi = cffi.FFI()', 2],
    ]);
    negatives('native-code', [['a variable named ctypes_count', 'ctypes_count = 3\nprint(ctypes_count)']]);
  });

  describe('process-control', () => {
    positives('process-control', [
      ['os.fork', 'import os\nos.fork()', 2],
      ['os.kill', 'import os\nos.kill(pid, 9)', 2],
      ['multiprocessing.Process', 'import multiprocessing as mp\nmp.Process(target=f).start()', 2],
      ['threads started in a loop', 'import threading\nwhile n:\n    threading.Thread(target=f).start()', 3],
      [
        'threads in a comprehension',
        'import threading\n[threading.Thread(target=f) for _ in range(9999)]',
        2,
      ],
    ]);
    negatives('process-control', [
      ['one thread', 'import threading\nt = threading.Thread(target=f)\nt.start()'],
    ]);
  });

  describe('resource-exhaustion', () => {
    positives('resource-exhaustion', [
      ['while True without exit', 'while True:\n    x.append(1)', 1],
      ['while 1 without exit', 'while 1:\n    pass', 1],
      ['a break that belongs to an inner loop', 'while True:\n    for i in x:\n        break', 1],
      ['a return inside a nested def', 'while True:\n    def f():\n        return 1', 1],
      ['an infinite iterator', 'import itertools\nfor i in itertools.count():\n    out.append(i)', 2],
      ['a huge repetition', 'x = [0] * 10**10', 1],
      ['a huge string', 's = "a" * 100000000000', 1],
      ['a huge power', 'n = 2 ** 10 ** 10', 1],
      ['a huge range', 'for i in range(10**12):\n    pass', 1],
      ['a huge bytearray', 'b = bytearray(10**11)', 1],
    ]);
    negatives('resource-exhaustion', [
      ['while True with break', 'while True:\n    if done():\n        break'],
      ['while True with return', 'def f():\n    while True:\n        return 1'],
      ['while True with raise', 'while True:\n    raise StopIteration'],
      ['a generator loop', 'def g():\n    while True:\n        yield 1'],
      ['while True with sys.exit', 'import sys\nwhile True:\n    sys.exit(0)'],
      ['a bounded loop', 'while i < 10:\n    i += 1'],
      ['small constants', 'x = [0] * 1000\nn = 10 ** 100\nfor i in range(10**6): pass'],
      [
        'an infinite iterator with a break',
        'import itertools\nfor i in itertools.count():\n    if i > 3:\n        break',
      ],
    ]);
  });
});

describe('python rules: loops that end in other ways', () => {
  it('does not treat a flag bound to True as a constant condition', async () => {
    await expectNoFinding(
      'queue = [1]\nwhile queue:\n    queue.pop()\nrunning = True\nwhile running:\n    running = step()',
      'resource-exhaustion',
    );
  });

  it('gives `try: while True: next(...) except StopIteration:` the benefit of the exception', async () => {
    await expectNoFinding(
      'it = iter(x)\ntry:\n    while True:\n        use(next(it))\nexcept StopIteration:\n    pass',
      'resource-exhaustion',
    );
  });

  it('still flags a call-free loop wrapped in try/except', async () => {
    await expectFinding(
      'try:\n    while True:\n        pass\nexcept Exception:\n    pass',
      'resource-exhaustion',
      2,
    );
  });

  it('does not report stores into globals() as dynamic attribute reads', async () => {
    await expectNoFinding('for name in names:\n    globals()["CO_" + name] = 1', 'dynamic-attribute');
  });
});
