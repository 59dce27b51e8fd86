// Abstract values the Python analyzer tracks through names, attributes, calls and subscripts.
import { INSTANCE_CLASSES, KEY_GETTERS, LOADER, MODULE_ALIASES } from './catalog/names';
import { PROPAGATORS, WATCHED_CALLS } from './catalog/propagators';
import { NATIVE_MODULES, allSinkNames, knownModules, sinkFor, type Sink } from './catalog/sinks';
import { windowsApi } from './catalog/native';
import { fromPretrained, leadsToFromPretrained } from './catalog/remote-code';
import { DEBUG_SWITCHES } from './catalog/debug-switches';
import { leadsToReceiver } from './catalog/receivers';
import { holdsAny, type Value } from '../shared/value';
import { lookupTable } from '../shared/lookup';

/** The module namespace as seen by `globals()`. */
export const GLOBALS = '<globals>';

const KNOWN = knownModules();
const BENIGN_MODULES = new Set([
  'base64',
  'codecs',
  'itertools',
  'functools',
  'operator',
  'glob',
  // Packages followed for a deep member only (`flask.Flask.run`, `test.support.run_in_subinterp`): their
  // own namespace holds nothing dangerous to look up by a computed name.
  ...['flask', 'quart', 'tornado', 'werkzeug', 'twisted', 'dns', 'aiodns', 'test', 'concurrent', 'sklearn'],
  ...['setuptools', 'distutils', 'wsgiref', 'gevent', 'bottle', 'uvicorn', 'waitress', 'ruamel'],
  // Model hubs: `getattr(transformers, config.architectures[0])` picks a model class, nothing that runs code.
  ...['transformers', 'diffusers', 'datasets', 'evaluate', 'sentence_transformers', 'vllm'],
]);

/**
 * Modules that other modules import and so expose as attributes (`shutil.os`, `os.path.os`, `os.sys`,
 * `tempfile._os`): reading one of these names from any module reaches the module itself.
 */
export const REEXPORTED_MODULES = lookupTable<string>({
  os: 'os',
  _os: 'os',
  posix: 'os',
  nt: 'os',
  sys: 'sys',
  _sys: 'sys',
  subprocess: 'subprocess',
  builtins: 'builtins',
  shutil: 'shutil',
  socket: 'socket',
  _socket: 'socket',
  pickle: 'pickle',
  marshal: 'marshal',
  ctypes: 'ctypes',
  importlib: 'importlib',
  pty: 'pty',
  // Every module's loader can load another module by name (catalog/propagators.ts).
  __loader__: LOADER,
});

/** Getter functions that are getattr under another name. */
const GETATTR_ALIASES = new Set([
  'builtins.object.__getattribute__',
  'builtins.type.__getattribute__',
  'types.ModuleType.__getattribute__',
  'inspect.getattr_static',
]);

/** Canonical module path: platform and Python 2 aliases mapped to their modern names. */
export function canonical(q: string): string {
  const dot = q.indexOf('.');
  const head = dot === -1 ? q : q.slice(0, dot);
  const alias = MODULE_ALIASES[head];
  let out = alias ? alias + (dot === -1 ? '' : q.slice(dot)) : q;
  if (GETATTR_ALIASES.has(out)) return 'builtins.getattr';
  if (out === 'importlib.machinery.ModuleSpec.loader') return LOADER;
  const last = out.lastIndexOf('.');
  if (last !== -1) {
    const reexported = REEXPORTED_MODULES[out.slice(last + 1)];
    // `asyncio.subprocess` is a module of its own, not the subprocess module; `socket.socket` is a class.
    if (reexported && !PREFIXES.has(out) && !sinkFor(out) && !(out in INSTANCE_CLASSES)) return reexported;
  }
  // The accelerated pickle and io entry points are the same functions.
  if (out === 'io.open' || out === 'codecs.open') return out;
  if (out.startsWith('pathlib.PosixPath.') || out.startsWith('pathlib.WindowsPath.'))
    out = `pathlib.Path.${out.slice(out.indexOf('.', 8) + 1)}`;
  return out;
}

export function topModule(q: string): string {
  const dot = q.indexOf('.');
  return dot === -1 ? q : q.slice(0, dot);
}

/** Values the analyzer follows (a module, member, namespace...), as opposed to constants and opaque ones. */
export function isTracked(value: Value): boolean {
  switch (value.k) {
    case 'q':
      return KNOWN.has(topModule(value.q));
    case 'inst':
    case 'ns':
    case 'nsget':
    case 'typeof':
    case 'dynmod':
    case 'getter':
      return true;
    case 'seq':
    case 'dict':
    case 'obj':
      return holdsAny(value, isPythonContainer, isTracked);
    case 'partial':
      return (
        value.fn.some(isTracked) ||
        value.args.some((arg) => arg.some(isTracked)) ||
        value.keywords.some(([, arg]) => arg.some(isTracked))
      );
    default:
      return false;
  }
}

/** A container whose items are followed: a list or tuple, a dict display, an object of known attributes. */
function isPythonContainer(value: Value): value is Extract<Value, { k: 'seq' | 'dict' | 'obj' }> {
  return value.k === 'seq' || value.k === 'dict' || value.k === 'obj';
}

/** A value that is itself reported when merely referenced (`os.environ`, `os.system`). */
export function isReferenceSink(value: Value): boolean {
  const sink = sinkOf(value);
  return !!sink && sink.onReference !== false;
}

/** A module (or builtins) where a computed attribute name could reach something dangerous. */
export function isSensitive(value: Value): boolean {
  if (value.k === 'ns' || value.k === 'dynmod') return true;
  if (value.k !== 'q') return false;
  const top = topModule(value.q);
  if (NATIVE_MODULES.has(top)) return true;
  if (BENIGN_MODULES.has(top)) return false;
  if (!value.q.includes('.')) return KNOWN.has(value.q);
  // A submodule with dangerous members (`urllib.request`, `http.server`), not a class (`pathlib.Path`).
  return PREFIXES.has(value.q) && /^[a-z_][a-z0-9_]*$/.test(value.q.slice(value.q.lastIndexOf('.') + 1));
}

export function sinkOf(value: Value): Sink | undefined {
  if (value.k !== 'q') return undefined;
  const sink = sinkFor(value.q) ?? fromPretrained(value.q);
  if (sink) return sink;
  if (NATIVE_MODULES.has(topModule(value.q)) && value.q.includes('.')) {
    return (
      windowsApi(value.q.slice(value.q.lastIndexOf('.') + 1)) ?? {
        rule: 'native-code',
        what: 'uses native code',
      }
    );
  }
  return undefined;
}

export function member(value: Value, name: string): Value | undefined {
  switch (value.k) {
    case 'q':
      if (name === '__dict__') return { k: 'ns', q: value.q };
      // `os.__class__.__getattribute__(os, "system")`: the type's getter, as `type(os)` gives it.
      if (name === '__class__') return { k: 'typeof', code: false };
      if (value.q === 'sys.modules' && KEY_GETTERS.has(name)) return { k: 'nsget', q: 'sys.modules' };
      return { k: 'q', q: canonical(`${value.q}.${name}`), path: value.path };
    case 'inst':
      if (value.q === 'pathlib.Path' && name === 'parent') {
        const path = value.path?.replace(/\/+$/, '');
        const cut = path === undefined ? -1 : path.lastIndexOf('/');
        return { k: 'inst', q: value.q, path: cut > 0 ? path!.slice(0, cut) : cut === 0 ? '/' : undefined };
      }
      return { k: 'q', q: `${value.q}.${name}`, path: value.path };
    case 'typeof':
      // `type(x).__getattribute__(x, name)` is getattr(x, name), whatever x's type.
      return name === '__getattribute__' ? { k: 'q', q: 'builtins.getattr' } : undefined;
    case 'ns':
      if (name === 'get') return { k: 'nsget', q: value.q };
      if (value.q === GLOBALS) return undefined;
      return { k: 'q', q: canonical(`${value.q}.${name}`) };
    default:
      return undefined;
  }
}

/** Names that calls are evaluated for, besides sinks (they lead to modules or functions). */
const SPECIAL_CALLS = new Set([...PROPAGATORS.map((row) => row.name), ...GETATTR_ALIASES, ...WATCHED_CALLS]);

/** Every dotted prefix of a name that can matter: `urllib` and `urllib.request` for `urllib.request.urlopen`. */
const PREFIXES = (() => {
  const out = new Set<string>();
  for (const name of [...allSinkNames(), ...Object.keys(INSTANCE_CLASSES), ...SPECIAL_CALLS]) {
    const parts = name.split('.');
    for (let i = 1; i < parts.length; i++) out.add(parts.slice(0, i).join('.'));
  }
  return out;
})();

/** Whether a qualified name is, or can lead to, something the analyzer reports or evaluates. */
export function interesting(q: string): boolean {
  if (q.endsWith('.__getattribute__')) return KNOWN.has(topModule(q));
  return (
    PREFIXES.has(q) ||
    SPECIAL_CALLS.has(q) ||
    q in INSTANCE_CLASSES ||
    sinkOf({ k: 'q', q }) !== undefined ||
    leadsToFromPretrained(q) ||
    q in DEBUG_SWITCHES ||
    leadsToReceiver(q)
  );
}

/** Whether reading `.attribute` of a value can lead to a finding (else the read need not be followed). */
export function leadsSomewhere(value: Value, attribute: string): boolean {
  // A class of the file is followed only when its special methods can give something (special-methods.ts).
  if (value.k === 'ns' || value.k === 'nsget' || value.k === 'class') return true;
  // `env = os.environ; env.get(...)` is a use of os.environ whatever the method; `mods.get("o")` of a dict.
  if (isReferenceSink(value) || value.k === 'seq' || value.k === 'dict' || value.k === 'obj')
    return isTracked(value);
  if (value.k !== 'q' && value.k !== 'inst') return false;
  const next = member(value, attribute);
  if (!next) return false;
  if (next.k !== 'q') return next.k === 'ns' || next.k === 'nsget' || next.k === 'inst';
  return interesting(next.q);
}

/** What `import a.b.c` (or `__import__("a.b.c")`) gives `a` when `a.b.c` was stored: an object whose `.b.c` it is. */
export function packageOf(path: readonly string[], values: Value[]): Value {
  let inner = values;
  for (let i = path.length - 1; i >= 0; i--) inner = [{ k: 'obj', keys: [path[i]], items: [inner] }];
  return inner[0];
}

/** The module's namespace or the builtins: a name stored there is a bare name everywhere. */
export function holdsGlobals(values: readonly Value[]): boolean {
  return values.some(
    (v) => (v.k === 'ns' && (v.q === GLOBALS || v.q === 'builtins')) || (v.k === 'q' && v.q === 'builtins'),
  );
}
