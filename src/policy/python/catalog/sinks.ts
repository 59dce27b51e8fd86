// The Python sinks: which qualified names are dangerous and how a call to them is judged (the check
// named by `check`, see ../sinks.ts). Everything here is keyed by canonical qualified names (`os.system`, `builtins.eval`).
import type { RuleId } from '../../rules';
import { DEBUG_HOLDER_METHODS } from './debug-switches';
import { MODULE_ALIASES } from './names';
import { REMOTE_CODE_LOADERS, REMOTE_CODE_SINK } from './remote-code';
import type { Sink } from './sink-types';

export type { CallCheck, Sink } from './sink-types';

const SINKS = new Map<string, Sink>();

function add(rule: RuleId, what: string, names: string, extra: Partial<Sink> = {}): void {
  for (const name of names.trim().split(/\s+/)) SINKS.set(name, { rule, what, ...extra });
}

// Command execution.
add(
  'command-execution',
  'runs a shell command',
  'os.system os.popen os.popen2 os.popen3 os.popen4 platform.popen',
  {
    check: 'shell-command',
  },
);
add(
  'command-execution',
  'runs a program',
  `os.execl os.execle os.execlp os.execlpe os.execv os.execve os.execvp os.execvpe
   os.spawnl os.spawnle os.spawnlp os.spawnlpe os.spawnv os.spawnve os.spawnvp os.spawnvpe
   os.posix_spawn os.posix_spawnp os.startfile pty.spawn pty.fork _posixsubprocess.fork_exec
   pexpect.spawn pexpect.run pexpect.popen_spawn.PopenSpawn`,
  { check: 'subprocess' },
);
add(
  'command-execution',
  'runs a subprocess',
  `subprocess.run subprocess.call subprocess.check_call subprocess.check_output subprocess.Popen
   asyncio.create_subprocess_exec asyncio.subprocess.create_subprocess_exec trio.run_process
   trio.lowlevel.open_process anyio.run_process anyio.open_process`,
  { check: 'subprocess' },
);
add(
  'command-execution',
  'runs a shell command',
  `subprocess.getoutput subprocess.getstatusoutput commands.getoutput commands.getstatusoutput
   asyncio.create_subprocess_shell asyncio.subprocess.create_subprocess_shell
   asyncio.AbstractEventLoop.subprocess_shell`,
  { check: 'shell-command' },
);
add('command-execution', 'runs a subprocess', 'asyncio.AbstractEventLoop.subprocess_exec', {
  check: 'subprocess',
});
add(
  'command-execution',
  'runs a command on a remote host over SSH',
  `paramiko.SSHClient.exec_command paramiko.SSHClient.invoke_shell paramiko.Channel.exec_command
   paramiko.Channel.invoke_shell paramiko.Channel.invoke_subsystem fabric.Connection.run fabric.Connection.sudo
   fabric.Group.run fabric.Group.sudo fabric.api.run fabric.api.sudo fabric.operations.run fabric.operations.sudo
   asyncssh.SSHClientConnection.run asyncssh.SSHClientConnection.create_process`,
  { check: 'shell-command' },
);
add(
  'command-execution',
  'runs a shell command',
  `fabric.Connection.local fabric.api.local fabric.operations.local invoke.run invoke.sudo invoke.Context.run
   invoke.Context.sudo invoke.runners.Local`,
  { check: 'shell-command' },
);
add('command-execution', 'runs a program over SSH', 'pexpect.pxssh.pxssh', { check: 'subprocess' });
add(
  'command-execution',
  'runs a shell command to page the text',
  'pydoc.pipepager pydoc.tempfilepager pydoc.pipe_pager pydoc.tempfile_pager',
);
add(
  'command-execution',
  'runs the command line it is given to open a browser',
  'webbrowser.GenericBrowser webbrowser.BackgroundBrowser',
);
// A Tcl interpreter runs Tcl code, whose `exec` runs programs.
add(
  'dynamic-code',
  'runs Tcl code in a Tcl interpreter, whose exec runs programs',
  'tkinter.Tcl _tkinter.create tkinter.Tk.eval tkinter.Tk.tk.eval tkinter.Tcl.eval tkinter.Tcl.tk.eval',
);

// Dynamic code.
add('dynamic-code', 'evaluates a string as code', 'builtins.eval');
add('dynamic-code', 'executes a string as code', 'builtins.exec builtins.execfile');
add('dynamic-code', 'compiles a string to code', 'builtins.compile');
add(
  'dynamic-code',
  'builds a function or code object at run time',
  'types.FunctionType types.LambdaType types.CodeType types.MethodType',
);
add(
  'dynamic-code',
  'runs code from a string, file or module',
  `runpy.run_path runpy.run_module code.interact code.InteractiveInterpreter code.InteractiveConsole
   code.compile_command codeop.compile_command timeit.timeit timeit.repeat timeit.Timer
   pdb.run pdb.runeval pdb.runctx cProfile.run cProfile.runctx profile.run profile.runctx
   trace.Trace.run trace.Trace.runctx doctest.debug_src doctest.testfile`,
);
add(
  'dynamic-code',
  'evaluates the code written in a logging configuration file',
  'logging.config.fileConfig',
);
add(
  'dynamic-code',
  'runs the source it is given',
  `code.InteractiveConsole.push code.InteractiveConsole.runsource code.InteractiveConsole.runcode
   code.InteractiveConsole.interact code.InteractiveInterpreter.runsource code.InteractiveInterpreter.runcode
   runpy._run_module_as_main runpy._run_code runpy._run_module_code distutils.core.run_setup
   setuptools.sandbox.run_setup`,
);
add('dynamic-code', 'compiles a string to code', 'codeop.CommandCompiler codeop.Compile');
add(
  'dynamic-code',
  'runs code in a subinterpreter',
  `_xxsubinterpreters.run_string _xxsubinterpreters.exec _xxsubinterpreters.run_func _interpreters.run_string
   _interpreters.exec _interpreters.run_func _interpreters.call concurrent.interpreters.Interpreter.exec
   concurrent.interpreters.Interpreter.call concurrent.interpreters.Interpreter.call_in_thread
   concurrent.interpreters.Interpreter.run _testcapi.run_in_subinterp _testcapi.run_in_subinterp_with_config
   _testinternalcapi.run_in_subinterp_with_config test.support.run_in_subinterp
   test.support.run_in_subinterp_with_config`,
);
add(
  'dynamic-code',
  "downloads and runs a repository's hubconf.py",
  'torch.hub.load torch.hub.list torch.hub.help',
);
add(
  'command-execution',
  'runs a program',
  `distutils.spawn.spawn setuptools._distutils.spawn.spawn distutils.cmd.Command.spawn setuptools.Command.spawn
   distutils.ccompiler.CCompiler.spawn setuptools._distutils.cmd.Command.spawn`,
  { check: 'subprocess' },
);
add(
  'command-execution',
  'runs a Python subprocess',
  `test.support.script_helper.assert_python_ok test.support.script_helper.assert_python_failure
   test.support.script_helper.run_python_until_end test.support.script_helper.spawn_python`,
);
add(
  'command-execution',
  'installs packages, which runs their build code',
  'pip.main pip._internal.main pip._internal.cli.main.main',
);
add(
  'dynamic-code',
  'opens an interactive debugger or shell that runs any code typed into it',
  `builtins.breakpoint pdb.set_trace pdb.post_mortem pdb.pm pdb.Pdb IPython.embed IPython.start_ipython
   IPython.terminal.embed.embed`,
);
add(
  'dynamic-code',
  'runs the examples written in docstrings',
  'doctest.testmod doctest.run_docstring_examples',
  {
    check: 'doctest',
    onReference: false,
  },
);

for (const name of REMOTE_CODE_LOADERS.trim().split(/\s+/)) SINKS.set(name, REMOTE_CODE_SINK);

// Dynamic import.
add(
  'dynamic-import',
  'imports a module by name at run time',
  `builtins.__import__ importlib.import_module importlib.__import__ pkgutil.resolve_name pydoc.locate
   importlib.machinery.BuiltinImporter.load_module importlib.machinery.FrozenImporter.load_module
   importlib._bootstrap._gcd_import`,
);
add('dynamic-import', 'walks every loaded module', 'sys.modules.values sys.modules.items sys.modules.copy');
add(
  'dynamic-import',
  'loads a module from a file at run time',
  `imp.load_source imp.load_module imp.load_dynamic imp.load_compiled importlib.util.spec_from_file_location
   importlib.util.module_from_spec importlib.machinery.SourceFileLoader importlib.machinery.ExtensionFileLoader
   zipimport.zipimporter`,
);

// Sandbox escape.
add(
  'sandbox-escape',
  'reaches interpreter frames',
  `sys._getframe sys._current_frames sys.settrace sys.setprofile inspect.currentframe inspect.stack
   inspect.trace inspect.getouterframes inspect.getinnerframes traceback.walk_stack traceback.walk_tb`,
);
add('sandbox-escape', 'walks every live object', 'gc.get_objects gc.get_referrers gc.get_referents');

// Files.
add(
  'file-write',
  'opens a file',
  `builtins.open io.open io.FileIO codecs.open os.fdopen pathlib.Path.open gzip.open gzip.GzipFile bz2.open
   bz2.BZ2File lzma.open lzma.LZMAFile aiofiles.open anyio.open_file trio.open_file`,
  {
    check: 'open-mode',
    onReference: false,
  },
);
add('file-write', 'opens an archive', 'tarfile.open tarfile.TarFile tarfile.TarFile.open zipfile.ZipFile', {
  check: 'archive-mode',
  onReference: false,
});
add(
  'file-write',
  'writes a file',
  `numpy.save numpy.savez numpy.savez_compressed numpy.savetxt torch.save joblib.dump
   matplotlib.pyplot.savefig`,
);
add('file-write', 'opens a file descriptor', 'os.open', { check: 'os-open-flags', onReference: false });
add(
  'file-write',
  'changes the file system',
  `os.rename os.renames os.replace os.chmod os.lchmod os.chown os.lchown os.truncate os.symlink os.link
   os.fchmod os.fchown os.ftruncate os.chflags os.lchflags os.posix_fallocate
   os.mkdir os.makedirs os.mkfifo os.mknod os.utime os.setxattr os.removexattr
   shutil.move shutil.copytree shutil.copymode shutil.copystat shutil.chown shutil.make_archive shutil.unpack_archive
   pathlib.Path.write_text pathlib.Path.write_bytes pathlib.Path.touch pathlib.Path.mkdir pathlib.Path.rename
   pathlib.Path.replace pathlib.Path.chmod pathlib.Path.lchmod pathlib.Path.symlink_to pathlib.Path.hardlink_to
   pathlib.Path.link_to tarfile.TarFile.extractall tarfile.TarFile.extract zipfile.ZipFile.extractall
   zipfile.ZipFile.extract`,
);
add('file-write', 'copies a file', 'shutil.copy shutil.copy2 shutil.copyfile', { check: 'copy' });
add(
  'file-write',
  'opens a log file for writing',
  `logging.FileHandler logging.handlers.RotatingFileHandler logging.handlers.TimedRotatingFileHandler
   logging.handlers.WatchedFileHandler`,
  { onReference: false },
);
add('file-write', 'opens a database file', 'dbm.open dbm.gnu.open dbm.ndbm.open dbm.dumb.open', {
  check: 'dbm-flag',
  onReference: false,
});
add(
  'file-delete',
  'deletes files',
  'os.remove os.unlink os.rmdir os.removedirs pathlib.Path.unlink pathlib.Path.rmdir',
);
add('file-delete', 'deletes a directory tree', 'shutil.rmtree', { check: 'rmtree' });
add(
  'read-outside-workdir',
  'reads a path',
  `os.listdir os.scandir os.walk glob.glob glob.iglob pathlib.Path.read_text pathlib.Path.read_bytes
   pathlib.Path.iterdir pathlib.Path.glob pathlib.Path.rglob`,
  { check: 'read-path', onReference: false },
);

// Network.
add(
  'network-http',
  'makes an HTTP request',
  `urllib.request.build_opener http.client.HTTPConnection http.client.HTTPSConnection
   requests.get requests.post requests.put requests.patch requests.delete requests.head requests.options
   requests.request requests.Session requests.session
   httpx.get httpx.post httpx.put httpx.patch httpx.delete httpx.head httpx.options httpx.request httpx.stream
   httpx.Client httpx.AsyncClient aiohttp.ClientSession aiohttp.request
   urllib3.PoolManager urllib3.request urllib3.HTTPConnectionPool urllib3.HTTPSConnectionPool urllib3.ProxyManager
   xmlrpc.client.ServerProxy webbrowser.open webbrowser.open_new webbrowser.open_new_tab pycurl.Curl
   urllib.request.URLopener urllib.request.FancyURLopener urllib.URLopener urllib.FancyURLopener`,
);
add(
  'network-http',
  'makes an HTTP request',
  'urllib.request.urlopen urllib.request.urlretrieve urllib.urlopen urllib.urlretrieve urllib2.urlopen',
  { check: 'url' },
);
add(
  'network-http',
  'fetches a URL',
  `urllib.request.URLopener.open urllib.request.URLopener.retrieve urllib.request.URLopener.open_unknown
   urllib.request.URLopener.open_file urllib.request.URLopener.open_local_file`,
  { check: 'url' },
);
add(
  'network-socket',
  'opens a network connection or server',
  `socket.socket socket.create_connection socket.create_server socket.socketpair socket.fromfd
   socketserver.TCPServer socketserver.UDPServer socketserver.ThreadingTCPServer socketserver.ForkingTCPServer
   socketserver.ThreadingUDPServer socketserver.ForkingUDPServer http.server.HTTPServer
   http.server.ThreadingHTTPServer xmlrpc.server.SimpleXMLRPCServer
   asyncio.open_connection asyncio.start_server asyncio.open_unix_connection asyncio.start_unix_server
   ftplib.FTP ftplib.FTP_TLS smtplib.SMTP smtplib.SMTP_SSL smtplib.LMTP telnetlib.Telnet poplib.POP3
   poplib.POP3_SSL imaplib.IMAP4 imaplib.IMAP4_SSL nntplib.NNTP paramiko.SSHClient paramiko.Transport
   ssl.wrap_socket websockets.connect websockets.serve websocket.create_connection
   asyncio.AbstractEventLoop.create_connection asyncio.AbstractEventLoop.create_server
   asyncio.AbstractEventLoop.create_unix_connection asyncio.AbstractEventLoop.create_unix_server
   asyncio.AbstractEventLoop.create_datagram_endpoint asyncio.AbstractEventLoop.sock_connect
   multiprocessing.connection.Client multiprocessing.connection.Listener`,
);
add(
  'network-socket',
  'listens on a socket for a logging configuration, which can run code',
  'logging.config.listen',
);
add(
  'network-socket',
  'opens a network connection or server',
  'socket.getaddrinfo socket.gethostbyname socket.gethostbyname_ex socket.gethostbyaddr socket.getnameinfo',
  { check: 'dns-lookup' },
);
add(
  'network-socket',
  'looks up a name in the DNS',
  `dns.resolver.resolve dns.resolver.query dns.resolver.resolve_address dns.resolver.resolve_name
   dns.resolver.Resolver.resolve dns.resolver.Resolver.query dns.resolver.Resolver.resolve_address
   dns.resolver.Resolver.resolve_name dns.asyncresolver.resolve dns.asyncresolver.resolve_address
   aiodns.DNSResolver.query aiodns.DNSResolver.query_dns aiodns.DNSResolver.gethostbyname
   aiodns.DNSResolver.getaddrinfo aiodns.DNSResolver.gethostbyaddr asyncio.AbstractEventLoop.getaddrinfo
   asyncio.AbstractEventLoop.getnameinfo`,
  { check: 'dns-lookup' },
);
add(
  'network-socket',
  'sends a DNS message',
  'dns.query.udp dns.query.tcp dns.query.https dns.query.tls dns.query.quic dns.query.udp_with_fallback',
);
add(
  'network-socket',
  'opens an SSH connection',
  `fabric.Connection fabric.connection.Connection asyncssh.connect asyncssh.connect_reverse
   paramiko.client.SSHClient paramiko.transport.Transport`,
);
add(
  'network-socket',
  'listens for connections from the network',
  `socketserver.UnixStreamServer socketserver.UnixDatagramServer socketserver.ThreadingUnixStreamServer
   socketserver.ThreadingUnixDatagramServer socketserver.ForkingUnixStreamServer
   socketserver.ForkingUnixDatagramServer socketserver.BaseServer.serve_forever http.server.test
   xmlrpc.server.DocXMLRPCServer xmlrpc.server.MultiPathXMLRPCServer wsgiref.simple_server.make_server
   wsgiref.simple_server.WSGIServer twisted.internet.reactor.listenTCP twisted.internet.reactor.listenUDP
   twisted.internet.reactor.listenSSL twisted.internet.reactor.listenUNIX twisted.internet.reactor.listenMulticast
   twisted.internet.endpoints.TCP4ServerEndpoint twisted.internet.endpoints.TCP6ServerEndpoint
   twisted.internet.endpoints.SSL4ServerEndpoint twisted.internet.endpoints.UNIXServerEndpoint
   twisted.internet.endpoints.serverFromString asyncssh.listen asyncssh.create_server
   tornado.web.Application.listen uvicorn.run aiohttp.web.run_app bottle.run waitress.serve
   gevent.pywsgi.WSGIServer gevent.server.StreamServer`,
);
add(
  'network-socket',
  'listens for connections from the network',
  'flask.Flask.run werkzeug.serving.run_simple werkzeug.run_simple',
  { check: 'debug-server' },
);
add(
  'command-execution',
  'wraps an application in the Werkzeug debugger',
  'werkzeug.debug.DebuggedApplication werkzeug.DebuggedApplication',
  { check: 'debug-server', onReference: false },
);

// Environment.
add('env-access', 'reads the environment', 'os.environ os.environb os.getenv os.getenvb');
add('env-access', 'reads the user name from the environment (LOGNAME, USER...)', 'getpass.getuser');
add('env-access', 'changes the environment', 'os.unsetenv');
add('env-access', 'changes the environment', 'os.putenv', { check: 'debug-switch' });
add('command-execution', 'stores settings, which can turn on the Werkzeug debugger', DEBUG_HOLDER_METHODS, {
  check: 'debug-switch',
  onReference: false,
});

// Deserialization.
add(
  'unsafe-deserialization',
  'deserializes data that can run code',
  `pickle.load pickle.loads pickle.Unpickler pickle._load pickle._loads pickle._Unpickler dill.load dill.loads cloudpickle.load cloudpickle.loads joblib.load
   dill.Unpickler dill.load_session dill.load_module dill.load_module_asdict sklearn.externals.joblib.load
   marshal.load marshal.loads shelve.open shelve.DbfilenameShelf jsonpickle.decode jsonpickle.loads
   jsonpickle.unpickler.decode jsonpickle.unpickler.Unpickler jsonpickle.Unpickler
   pandas.read_pickle yaml.unsafe_load yaml.unsafe_load_all`,
);
add(
  'unsafe-deserialization',
  'loads YAML with a loader that can run code',
  'yaml.load yaml.load_all ruamel.yaml.load ruamel.yaml.load_all ruamel.yaml.main.load ruamel.yaml.main.load_all',
  {
    check: 'yaml-load',
    onReference: false,
  },
);
add('unsafe-deserialization', 'loads pickled arrays', 'numpy.load', {
  check: 'allow-pickle',
  onReference: false,
});
add(
  'unsafe-deserialization',
  'loads YAML with a typ that constructs arbitrary objects',
  'ruamel.yaml.UnsafeYAML.load ruamel.yaml.UnsafeYAML.load_all',
);
add('unsafe-deserialization', 'builds a YAML loader', 'ruamel.yaml.YAML ruamel.yaml.main.YAML', {
  check: 'ruamel-yaml',
  onReference: false,
});
add('unsafe-deserialization', 'loads a pickled model', 'torch.load torch.serialization.load', {
  check: 'torch-load',
  onReference: false,
});

// pywin32: programs and native libraries through the Windows API.
add(
  'command-execution',
  'starts a program through the Windows API',
  'win32api.ShellExecute win32api.WinExec win32process.CreateProcess win32process.CreateProcessAsUser',
);
add(
  'native-code',
  'loads a native library',
  'win32api.LoadLibrary win32api.LoadLibraryEx win32api.GetProcAddress',
);

// Native code: every member of these modules.
export const NATIVE_MODULES = new Set(['ctypes', '_ctypes', 'cffi']);

// Process control.
add(
  'process-control',
  'forks, kills or replaces processes',
  `os.fork os.forkpty os.kill os.killpg os._exit os.abort os.setuid os.setgid os.seteuid os.setegid os.setreuid
   os.setregid os.setsid os.setpgid signal.pthread_kill resource.setrlimit
   multiprocessing.Process multiprocessing.Pool multiprocessing.get_context multiprocessing.pool.Pool
   concurrent.futures.ProcessPoolExecutor`,
);
add('process-control', 'starts a thread', 'threading.Thread threading.Timer _thread.start_new_thread', {
  check: 'thread',
  onReference: false,
});

// Resource exhaustion.
add('resource-exhaustion', 'creates a range', 'builtins.range', { check: 'range', onReference: false });
add('resource-exhaustion', 'allocates memory', 'builtins.bytearray builtins.bytes', {
  check: 'alloc',
  onReference: false,
});

export function allSinkNames(): string[] {
  return [...SINKS.keys()];
}

export function sinkFor(qualified: string): Sink | undefined {
  return SINKS.get(qualified);
}

/** Names bound by `from m import *` that matter (the dangerous public names of m). */
export function starExports(module: string): string[] {
  const prefix = `${module}.`;
  const out: string[] = [];
  for (const name of SINKS.keys()) {
    if (name.startsWith(prefix)) {
      const rest = name.slice(prefix.length);
      if (!rest.includes('.') && !rest.startsWith('_')) out.push(rest);
    }
  }
  if (module === 'os') out.push('path');
  if (NATIVE_MODULES.has(module))
    out.push(
      ...[
        'CDLL',
        'cdll',
        'windll',
        'WinDLL',
        'oledll',
        'OleDLL',
        'PyDLL',
        'pydll',
        'pythonapi',
        'cast',
        'memmove',
      ],
      ...['memset', 'string_at', 'wstring_at', 'CFUNCTYPE', 'WINFUNCTYPE', 'PYFUNCTYPE', 'FFI'],
    );
  return out;
}

/** Module names whose members the analyzer follows (top-level names). */
export function knownModules(): Set<string> {
  const out = new Set<string>(NATIVE_MODULES);
  for (const name of SINKS.keys()) out.add(name.slice(0, name.indexOf('.')));
  for (const alias of Object.keys(MODULE_ALIASES)) out.add(alias);
  out.add('sys');
  out.add('importlib');
  out.add('itertools');
  out.add('builtins');
  out.add('base64');
  out.add('codecs');
  out.add('operator');
  out.add('functools');
  return out;
}
