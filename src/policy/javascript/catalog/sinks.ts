// The JavaScript/TypeScript sinks as rows: dangerous members of Node's modules and globals, keyed by
// canonical qualified names (`child_process.exec`, `fs.writeFileSync`, `builtins.eval`), each with the
// rule, what it does (for the message) and the argument check that refines it (../checks/index.ts).
import type { RuleId } from '../../rules';
import { SinkTable, type SinkRow } from '../../shared/sink-table';

export type JsCheck =
  | 'shell' // runs through a shell: destructive commands
  | 'spawn' // `shell: true` in the options, destructive commands
  | 'timer' // a string first argument is evaluated
  | 'module' // require()/import() with a computed name
  | 'fs-open' // flags decide read or write
  | 'read-path'
  | 'delete-path' // deleting a root or home directory is destructive
  | 'worker' // `eval: true` in the options runs the first argument as code
  | 'alloc'; // a huge size

export type JsSink = SinkRow<JsCheck>;

const SINKS = new SinkTable<JsCheck>();
const add = SINKS.add.bind(SINKS);

add('command-execution', 'runs a shell command', 'child_process.exec child_process.execSync', {
  check: 'shell',
});
add(
  'command-execution',
  'runs a program',
  'child_process.execFile child_process.execFileSync child_process.spawn child_process.spawnSync child_process.fork',
  { check: 'spawn' },
);
// Bun's and Deno's own ways to run programs, write and delete files, open sockets and load native code.
add('command-execution', 'runs a program', 'Bun.spawn Bun.spawnSync Deno.Command Deno.run');
add('command-execution', 'runs a shell command', 'Bun.$');
add(
  'file-write',
  'writes files',
  `Bun.write Deno.writeFile Deno.writeFileSync Deno.writeTextFile Deno.writeTextFileSync Deno.create
   Deno.createSync Deno.mkdir Deno.mkdirSync Deno.rename Deno.renameSync Deno.copyFile Deno.copyFileSync
   Deno.chmod Deno.chmodSync Deno.symlink Deno.symlinkSync Deno.truncate Deno.truncateSync`,
);
add('file-delete', 'deletes files', 'Deno.remove Deno.removeSync', { check: 'delete-path' });
add(
  'network-socket',
  'opens a network connection or server',
  `Bun.serve Bun.listen Bun.connect Bun.udpSocket Deno.connect Deno.connectTls Deno.listen Deno.listenTls
   Deno.listenDatagram Deno.serve`,
);
add('native-code', 'loads native code', 'Deno.dlopen');
add('env-access', 'reads the environment', 'Bun.env Deno.env');
add('process-control', 'ends or signals processes', 'Deno.exit Deno.kill');
// The classes behind the factories: `new cp.ChildProcess().spawn(options)`, `process.execve` (the process
// replaced by another program).
add('command-execution', 'runs a program', 'child_process.ChildProcess process.execve');
add('dynamic-code', 'evaluates a string as code', 'builtins.eval');
add('dynamic-code', 'builds a function from a string', 'builtins.Function', { onReference: false });
add(
  'dynamic-code',
  'runs code in a vm context',
  `vm.runInNewContext vm.runInThisContext vm.runInContext vm.compileFunction vm.Script vm.createScript
   vm.SourceTextModule`,
);
add('dynamic-code', 'evaluates a string argument as code', 'builtins.setTimeout builtins.setInterval', {
  check: 'timer',
  onReference: false,
});
add(
  'dynamic-import',
  'loads a module chosen at run time',
  'builtins.require builtins.import module.require process.getBuiltinModule',
  {
    check: 'module',
    onReference: false,
  },
);
add(
  'process-control',
  'ends or signals processes',
  'process.exit process.kill process.abort process.reallyExit',
);
add(
  'process-control',
  'changes process identity',
  'process.setuid process.setgid process.seteuid process.setegid',
);
add('process-control', 'forks worker processes', 'cluster.fork');
add('env-access', 'reads the environment', 'process.env');
add('native-code', 'loads native code', 'process.dlopen process.binding process._linkedBinding');
add(
  'sandbox-escape',
  "reaches the host's module loader",
  'process.mainModule module.constructor module.parent',
);
// The `module` builtin is the Module class (`require("module")._load`); the global `module` is a record
// whose prototype and children lead back to it, and every loaded record has a `require` of its own.
add(
  'sandbox-escape',
  "reaches the host's module loader",
  `module._load module._resolveFilename module._findPath module._cache module._extensions module._pathCache
   module.prototype module.__proto__ module.Module module.wrap module.wrapper module.runMain module.register
   module.children builtins.require.extensions`,
);
add('dynamic-code', 'compiles a string as a module', 'module._compile');
add(
  'dynamic-code',
  'runs any expression sent over the inspector protocol',
  'inspector.Session inspector.open',
);
// A REPL evaluates every line it reads; a ShadowRealm evaluates strings (and imports modules) in a realm
// of its own; V8's flags at run time unlock natives (`--allow-natives-syntax`) and turn off its checks.
add('dynamic-code', 'starts a REPL that evaluates what it reads', 'repl.start repl.REPLServer');
add('dynamic-code', 'creates a realm that evaluates strings as code', 'builtins.ShadowRealm', {
  onReference: false,
});
add('sandbox-escape', "changes the V8 engine's flags at run time", 'v8.setFlagsFromString');
// WebAssembly compiles bytes into machine code the JavaScript-level checks never see; WASI gives such a
// module the host's files.
add(
  'native-code',
  'compiles WebAssembly (native code from bytes)',
  `builtins.WebAssembly.instantiate builtins.WebAssembly.instantiateStreaming builtins.WebAssembly.compile
   builtins.WebAssembly.compileStreaming builtins.WebAssembly.Module builtins.WebAssembly.Instance wasi.WASI`,
  { onReference: false },
);
add(
  'file-write',
  'writes files',
  `fs.writeFile fs.writeFileSync fs.appendFile fs.appendFileSync fs.createWriteStream fs.copyFile fs.copyFileSync
   fs.cp fs.cpSync fs.rename fs.renameSync fs.mkdir fs.mkdirSync fs.chmod fs.chmodSync fs.chown fs.chownSync
   fs.symlink fs.symlinkSync fs.link fs.linkSync fs.truncate fs.truncateSync fs.utimes fs.utimesSync
   fs.write fs.writeSync fs.writev fs.writevSync fs.ftruncate fs.ftruncateSync fs.fchmod fs.fchmodSync
   fs.fchown fs.fchownSync fs.lchown fs.lchownSync fs.lutimes fs.lutimesSync fs.futimes fs.futimesSync
   fs.mkdtemp fs.mkdtempSync fs.WriteStream fs.FileWriteStream`,
);
add('file-write', 'opens a file', 'fs.open fs.openSync', { check: 'fs-open', onReference: false });
add('file-delete', 'deletes files', 'fs.unlink fs.unlinkSync fs.rm fs.rmSync fs.rmdir fs.rmdirSync', {
  check: 'delete-path',
});
add(
  'read-outside-workdir',
  'reads a path',
  'fs.readFile fs.readFileSync fs.readdir fs.readdirSync fs.createReadStream fs.opendir fs.opendirSync fs.ReadStream',
  { check: 'read-path', onReference: false },
);
add(
  'network-http',
  'makes an HTTP request',
  `builtins.fetch builtins.XMLHttpRequest http.request http.get https.request https.get http2.connect
   axios axios.get axios.post axios.put axios.patch axios.delete axios.head axios.request axios.create
   node-fetch undici.request undici.fetch got http.ClientRequest undici.Client undici.Pool undici.BalancedPool
   undici.stream undici.pipeline undici.connect undici.upgrade undici.EventSource`,
);
add(
  'network-socket',
  'opens a network connection or server',
  `net.connect net.createConnection net.createServer net.Socket dgram.createSocket tls.connect tls.createServer
   builtins.WebSocket http.createServer https.createServer http.Server https.Server net.Server net.Stream
   tls.TLSSocket tls.Server dgram.Socket http2.createServer http2.createSecureServer undici.WebSocket`,
);
add(
  'network-socket',
  'resolves host names over the network (DNS)',
  `dns.lookup dns.lookupService dns.resolve dns.resolve4 dns.resolve6 dns.resolveAny dns.resolveCaa
   dns.resolveCname dns.resolveMx dns.resolveNaptr dns.resolveNs dns.resolvePtr dns.resolveSoa dns.resolveSrv
   dns.resolveTxt dns.reverse dns.Resolver`,
);
add('dynamic-code', 'runs code in a worker thread', 'worker_threads.Worker', {
  check: 'worker',
  onReference: false,
});
add(
  'unsafe-deserialization',
  'deserializes data that can run code',
  'node-serialize.unserialize v8.deserialize',
);
add(
  'resource-exhaustion',
  'allocates memory',
  `builtins.Buffer.alloc builtins.Buffer.allocUnsafe builtins.Buffer.allocUnsafeSlow builtins.Array
   builtins.ArrayBuffer builtins.SharedArrayBuffer builtins.Uint8Array builtins.Float64Array`,
  {
    check: 'alloc',
    onReference: false,
  },
);

/** Rules from the most dangerous down: what a module's members reached by reflection are judged as. */
const DANGER: readonly RuleId[] = [
  'sandbox-escape',
  'command-execution',
  'dynamic-code',
  'native-code',
  'unsafe-deserialization',
  'file-delete',
  'file-write',
  'network-socket',
  'network-http',
  'process-control',
  'read-outside-workdir',
  'env-access',
  'resource-exhaustion',
  'dynamic-import',
];

/** A module's most dangerous sink, by module (`child_process`: its shell command execution). */
const REFLECTED = new Map<string, JsSink>();
for (const name of SINKS.names()) {
  const dot = name.indexOf('.');
  const module = dot < 0 ? '' : name.slice(0, dot);
  const sink = SINKS.get(name)!;
  if (!module || module === 'builtins' || !DANGER.includes(sink.rule)) continue;
  const best = REFLECTED.get(module);
  if (!best || DANGER.indexOf(sink.rule) < DANGER.indexOf(best.rule))
    REFLECTED.set(module, { rule: sink.rule, what: sink.what, onReference: false });
}

/** The qualified name of "any member of a module", reached by reflection: `child_process.*`. */
export function anyMemberName(module: string): string {
  return `${module}.*`;
}

/** The module of an "any member" name, or undefined for any other name. */
export function reflectedModule(q: string): string | undefined {
  return q.endsWith('.*') ? q.slice(0, -2) : undefined;
}

/**
 * The sink a qualified name is. `child_process.*` (a member reached by reflection, name unknown) is
 * the module's most dangerous sink, judged only when called.
 */
export function jsSinkFor(q: string): JsSink | undefined {
  const module = reflectedModule(q);
  return module === undefined ? SINKS.get(q) : REFLECTED.get(module);
}

/** Whether a module has a sink a member reached by reflection could be. */
export function hasReflectedSink(module: string): boolean {
  return REFLECTED.has(module);
}

/** The names of a module's members that are sinks (`child_process`: exec, execSync, spawn, ...). */
export function sinkMembers(module: string): string[] {
  const prefix = `${module}.`;
  return [...SINKS.names()]
    .filter((name) => name.startsWith(prefix) && !name.includes('.', prefix.length))
    .map((name) => name.slice(prefix.length));
}

/** Every sink's qualified name. */
export function jsSinkNames(): IterableIterator<string> {
  return SINKS.names();
}
