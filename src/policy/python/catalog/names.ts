// Names the Python analyzer knows besides the sinks: builtins, escape attributes, module aliases, the
// classes whose instances it follows and the methods that read a container by key.
import { lookupTable } from '../../shared/lookup';

/** Builtins whose uses can start a finding: the analyzer looks for these words in the text. */
export const SEED_BUILTINS = [
  'eval',
  'exec',
  'execfile',
  'compile',
  '__import__',
  'open',
  'getattr',
  'globals',
  'locals',
  'vars',
  'type',
  'iter',
  'breakpoint',
];

/**
 * Builtins a name resolves to when the file does not bind it: the seeds, and those only reached from a
 * seed's expression (`range(10**10)`, `getattr(os, chr(115) + ...)`).
 */
export const BUILTIN_NAMES = new Set([
  ...SEED_BUILTINS,
  'range',
  'bytearray',
  'bytes',
  'pow',
  'chr',
  'ord',
  'str',
  'exit',
  'quit',
  'setattr',
  'delattr',
  'hasattr',
  'object',
  'int',
  // Calls that give back what they are given (catalog/propagators.ts).
  ...['list', 'tuple', 'set', 'frozenset', 'sorted', 'reversed', 'filter', 'next', 'min', 'max', 'dict'],
  ...['enumerate', 'zip'],
  'staticmethod',
  'classmethod',
  // Folded on constants (constants.ts): `"".join(map(chr, codes))`.
  'map',
]);

/** What a module's `__loader__` (or `__spec__.loader`) is taken to be: the importer of built-in modules. */
export const LOADER = 'importlib.machinery.BuiltinImporter';

/** Methods of a dict (a namespace, `sys.modules`) that give the item stored under a key. */
export const KEY_GETTERS = new Set(['get', 'pop', 'setdefault', '__getitem__']);

/** Attribute names that only introspection-based escapes need, whatever the object. */
export const ESCAPE_ATTRIBUTES = new Set([
  '__subclasses__',
  '__globals__',
  '__builtins__',
  '__code__',
  '__closure__',
  'func_globals',
  'func_code',
  'f_globals',
  'f_locals',
  'f_builtins',
  'f_back',
  'gi_frame',
  'gi_code',
  'cr_frame',
  'ag_frame',
  'tb_frame',
]);

/**
 * Names assumed bound when a snippet or notebook cell uses them without their import (a binding in the
 * file still shadows): well-known modules (and the notebook aliases `np`, `pd`), the bare names of a few
 * of their functions and classes, and the Windows libraries ctypes exposes.
 */
export const UNBOUND_NAMES = lookupTable<string>({
  ...Object.fromEntries(
    `os sys subprocess shutil socket pty ctypes cffi pickle marshal shelve builtins importlib posix nt commands
     requests urllib urllib2 urllib3 httpx aiohttp http ftplib smtplib telnetlib paramiko webbrowser pexpect
     platform yaml dill cloudpickle jsonpickle joblib torch numpy pandas runpy pdb asyncio multiprocessing
     threading signal glob pathlib zipfile tarfile win32api win32process`
      .trim()
      .split(/\s+/)
      .map((name) => [name, name]),
  ),
  np: 'numpy',
  pd: 'pandas',
  // A module's own loader and spec: `__loader__.load_module("posix")` imports without an import statement.
  __loader__: LOADER,
  __spec__: 'importlib.machinery.ModuleSpec',
  Popen: 'subprocess.Popen',
  check_output: 'subprocess.check_output',
  check_call: 'subprocess.check_call',
  getoutput: 'subprocess.getoutput',
  getstatusoutput: 'subprocess.getstatusoutput',
  urlopen: 'urllib.request.urlopen',
  urlretrieve: 'urllib.request.urlretrieve',
  Path: 'pathlib.Path',
  windll: 'ctypes.windll',
  WinDLL: 'ctypes.WinDLL',
  oledll: 'ctypes.oledll',
  OleDLL: 'ctypes.OleDLL',
  cdll: 'ctypes.cdll',
  CDLL: 'ctypes.CDLL',
  kernel32: 'ctypes.windll.kernel32',
  ntdll: 'ctypes.windll.ntdll',
  user32: 'ctypes.windll.user32',
  shell32: 'ctypes.windll.shell32',
  advapi32: 'ctypes.windll.advapi32',
});

/** Modules known under another name (platform aliases, Python 2 names, accelerators). */
export const MODULE_ALIASES = lookupTable<string>({
  posix: 'os',
  nt: 'os',
  cPickle: 'pickle',
  _pickle: 'pickle',
  _io: 'io',
  __builtin__: 'builtins',
  _thread: '_thread',
  thread: '_thread',
  pathlib2: 'pathlib',
  _socket: 'socket',
  // Python 2 names of the standard servers.
  SocketServer: 'socketserver',
  BaseHTTPServer: 'http.server',
  SimpleHTTPServer: 'http.server',
  CGIHTTPServer: 'http.server',
  SimpleXMLRPCServer: 'xmlrpc.server',
  DocXMLRPCServer: 'xmlrpc.server',
});

/** Qualified names that create instances whose methods the analyzer follows. */
export const INSTANCE_CLASSES = lookupTable<string>({
  'pathlib.Path': 'pathlib.Path',
  'pathlib.PosixPath': 'pathlib.Path',
  'pathlib.WindowsPath': 'pathlib.Path',
  'pathlib.Path.home': 'pathlib.Path',
  'pathlib.Path.cwd': 'pathlib.Path',
  'tarfile.open': 'tarfile.TarFile',
  'tarfile.TarFile': 'tarfile.TarFile',
  'tarfile.TarFile.open': 'tarfile.TarFile',
  'zipfile.ZipFile': 'zipfile.ZipFile',
  'trace.Trace': 'trace.Trace',
  'tkinter.Tk': 'tkinter.Tk',
  'asyncio.get_event_loop': 'asyncio.AbstractEventLoop',
  'asyncio.get_running_loop': 'asyncio.AbstractEventLoop',
  'asyncio.new_event_loop': 'asyncio.AbstractEventLoop',
  // Remote shells: the client, its transport and channels run commands on another host.
  'paramiko.SSHClient': 'paramiko.SSHClient',
  'paramiko.client.SSHClient': 'paramiko.SSHClient',
  'paramiko.Transport': 'paramiko.Transport',
  'paramiko.transport.Transport': 'paramiko.Transport',
  'paramiko.SSHClient.get_transport': 'paramiko.Transport',
  'paramiko.Transport.open_session': 'paramiko.Channel',
  'paramiko.Transport.open_channel': 'paramiko.Channel',
  'paramiko.SSHClient.invoke_shell': 'paramiko.Channel',
  'fabric.Connection': 'fabric.Connection',
  'fabric.connection.Connection': 'fabric.Connection',
  'fabric.Group': 'fabric.Group',
  'fabric.SerialGroup': 'fabric.Group',
  'fabric.ThreadingGroup': 'fabric.Group',
  'fabric.group.Group': 'fabric.Group',
  'fabric.group.SerialGroup': 'fabric.Group',
  'fabric.group.ThreadingGroup': 'fabric.Group',
  'invoke.Context': 'invoke.Context',
  'invoke.context.Context': 'invoke.Context',
  // Interpreters whose methods run the source they are given.
  'code.InteractiveConsole': 'code.InteractiveConsole',
  'code.InteractiveInterpreter': 'code.InteractiveInterpreter',
  'concurrent.interpreters.create': 'concurrent.interpreters.Interpreter',
  'concurrent.interpreters.get_current': 'concurrent.interpreters.Interpreter',
  'concurrent.interpreters.get_main': 'concurrent.interpreters.Interpreter',
  'concurrent.interpreters.Interpreter': 'concurrent.interpreters.Interpreter',
  'test.support.interpreters.create': 'concurrent.interpreters.Interpreter',
  'interpreters_backport.interpreters.create': 'concurrent.interpreters.Interpreter',
  'interpreters.create': 'concurrent.interpreters.Interpreter',
  // Resolvers whose queries are DNS lookups.
  'dns.resolver.Resolver': 'dns.resolver.Resolver',
  'dns.resolver.get_default_resolver': 'dns.resolver.Resolver',
  'dns.asyncresolver.Resolver': 'dns.resolver.Resolver',
  'dns.asyncresolver.get_default_resolver': 'dns.resolver.Resolver',
  'aiodns.DNSResolver': 'aiodns.DNSResolver',
  // Applications whose `run`/`listen` starts a server.
  'flask.Flask': 'flask.Flask',
  'flask.app.Flask': 'flask.Flask',
  'quart.Quart': 'flask.Flask',
  'tornado.web.Application': 'tornado.web.Application',
  'tornado.httpserver.HTTPServer': 'tornado.web.Application',
  // Native libraries: their members are functions of the library (`kernel32.VirtualAlloc`).
  'ctypes.CDLL': 'ctypes.CDLL',
  'ctypes.WinDLL': 'ctypes.CDLL',
  'ctypes.OleDLL': 'ctypes.CDLL',
  'ctypes.PyDLL': 'ctypes.CDLL',
  'ctypes.cdll.LoadLibrary': 'ctypes.CDLL',
  'ctypes.windll.LoadLibrary': 'ctypes.CDLL',
  'ctypes.oledll.LoadLibrary': 'ctypes.CDLL',
  'ctypes.pydll.LoadLibrary': 'ctypes.CDLL',
  'ctypes.LibraryLoader.LoadLibrary': 'ctypes.CDLL',
  // YAML loaders: the class depends on the typ keyword (INSTANCE_BY_KEYWORD).
  'ruamel.yaml.YAML': 'ruamel.yaml.YAML',
  'ruamel.yaml.main.YAML': 'ruamel.yaml.YAML',
  // Legacy urllib openers: `open`/`retrieve` fetch any URL, file: and local_file: included.
  'urllib.request.URLopener': 'urllib.request.URLopener',
  'urllib.request.FancyURLopener': 'urllib.request.URLopener',
  'urllib.URLopener': 'urllib.request.URLopener',
  'urllib.FancyURLopener': 'urllib.request.URLopener',
});

/**
 * Instance classes chosen by a constructor keyword: `YAML(typ="unsafe")` (or "base", or a typ computed at
 * run time) loads with a constructor that builds arbitrary objects, so its `load` is a sink.
 */
export const INSTANCE_BY_KEYWORD = lookupTable<{
  keyword: string;
  variants: Readonly<Record<string, string>>;
  computed: string;
}>({
  'ruamel.yaml.YAML': {
    keyword: 'typ',
    variants: { unsafe: 'ruamel.yaml.UnsafeYAML', base: 'ruamel.yaml.UnsafeYAML' },
    computed: 'ruamel.yaml.UnsafeYAML',
  },
});

/** Why reading an escape attribute is dangerous, for the messages (others get a general wording). */
export const ESCAPE_MESSAGES = lookupTable<string>({
  __subclasses__: 'lists every subclass, the usual first step to reach os or subprocess from any object',
  __globals__: "exposes a function's module globals",
  __builtins__: 'exposes every builtin, including eval, exec and __import__',
  __code__: "reads or replaces a function's code object",
  __closure__: "reads a function's closure cells",
});
