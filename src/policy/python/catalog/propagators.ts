// Propagators: calls that pass a dangerous value on (a module by name, an attribute by name, a
// namespace, another path). Each is one row; the analyzer's evaluator has one case per `kind`
// (python/calls.ts, callResult), and the names the analyzer must follow are derived from the rows
// (values.ts, SPECIAL_CALLS). test/unit/policy/propagators.test.ts runs every row's example.
import type { RuleId } from '../../rules';

/** What a propagator's call gives. */
export type PropagatorKind =
  /** `__import__(name)`: the top module of `name`, or `name` itself with a fromlist. */
  | 'import-top'
  /** `import_module(name)`: the module `name` (relative names are unknown). */
  | 'import-named'
  /** `reload(m)`, `typing.cast(T, v)`, `copy.copy(v)`: the argument itself (the one `argument` says). */
  | 'same-as-argument'
  /** `sorted(xs)`, `list(xs)`, `filter(None, xs)`: a sequence of the argument's elements. */
  | 'elements-of-argument'
  /** `next(it)`, `random.choice(xs)`, `functools.reduce(f, xs)`: one of the argument's elements (or the default). */
  | 'element-of-argument'
  /** `dict(x=v)`, `dict([("x", v)])`, `MappingProxyType(d)`: a mapping of the keywords and pairs given. */
  | 'mapping-of-arguments'
  /** `map(f, xs)`, `functools.reduce(f, xs, initial)`: what f returns on the items (python/callback-results.ts). */
  | 'callback-results'
  /** `dict.fromkeys(keys, v)`: a mapping of those keys, each holding v. */
  | 'keys-mapping'
  /** `collections.defaultdict(factory, ...)`: a mapping of what is given, any other key holding the factory's result. */
  | 'default-mapping'
  /** `resolve_name("os:system")`: the object a dotted (or colon) name names. */
  | 'resolve-name'
  /** `attrgetter(*names)`, `methodcaller(name, ...)`: a getter that reads those attributes when called. */
  | 'attribute-getter'
  | 'method-caller'
  /** `itemgetter(*keys)`: a getter that reads those items when called. */
  | 'item-getter'
  /** `getattr(obj, name)`: the attribute. */
  | 'getattr'
  /** `vars(obj)`: obj's namespace dictionary (the module's, without an argument). */
  | 'namespace-of'
  /** `globals()`, `locals()`: the module's namespace dictionary. */
  | 'module-namespace'
  /**
   * `type(x)`: x's type; calling the type of a function or code object builds code. `type(name, bases,
   * namespace)`: a class whose attributes the namespace gives.
   */
  | 'type-of'
  /** `functools.partial(f, *args)`: calling it calls f with those arguments first (python/partials.ts). */
  | 'partial'
  /** `types.SimpleNamespace(m=v)`: an object whose attributes are the keywords (or a mapping's items). */
  | 'attribute-namespace'
  /** A pathlib.Path method that returns another path (joined, renamed or the same). */
  | 'path-method'
  /** `task(...)` used as `@task(...)`: a decorator that does what `@task` does. */
  | 'decorator-factory';

export interface Propagator {
  /** The canonical qualified name of the callable. */
  name: string;
  kind: PropagatorKind;
  /**
   * For the kinds that give back what they are given: the positional argument that comes back (0 by
   * default), or `all` of them (`itertools.chain(a, b)`; `max(a, b)`, or the elements of `max(xs)`).
   */
  argument?: number | 'all';
  /** A positional argument given back as it is besides: the default of `next(it, d)`, reduce's initial. */
  fallback?: number;
  /** A snippet in which the propagator passes a value on to a sink, and the rule it must report. */
  example: string;
  reports: RuleId;
}

type PassThroughKind =
  'same-as-argument' | 'elements-of-argument' | 'element-of-argument' | 'mapping-of-arguments';

const PASS_THROUGH: readonly (readonly [string, PassThroughKind, (number | 'all')?, number?])[] = [
  ['typing.cast', 'same-as-argument', 1],
  ['typing_extensions.cast', 'same-as-argument', 1],
  ['copy.copy', 'same-as-argument'],
  ['copy.deepcopy', 'same-as-argument'],
  ['weakref.proxy', 'same-as-argument'],
  ['asyncio.run', 'same-as-argument'],
  ['contextlib.nullcontext', 'same-as-argument'],
  ['functools.lru_cache', 'same-as-argument'],
  ['functools.cache', 'same-as-argument'],
  ['builtins.staticmethod', 'same-as-argument'],
  ['builtins.classmethod', 'same-as-argument'],
  ['builtins.list', 'elements-of-argument'],
  ['builtins.tuple', 'elements-of-argument'],
  ['builtins.set', 'elements-of-argument'],
  ['builtins.frozenset', 'elements-of-argument'],
  ['builtins.sorted', 'elements-of-argument'],
  ['builtins.reversed', 'elements-of-argument'],
  ['builtins.iter', 'elements-of-argument'],
  ['builtins.filter', 'elements-of-argument', 1],
  ['collections.deque', 'elements-of-argument'],
  // Pairs: a tuple target unpacking them takes any part (loop-targets.ts).
  ['builtins.enumerate', 'elements-of-argument'],
  ['builtins.zip', 'elements-of-argument', 'all'],
  ['itertools.zip_longest', 'elements-of-argument', 'all'],
  ['itertools.chain', 'elements-of-argument', 'all'],
  ['itertools.chain.from_iterable', 'elements-of-argument'],
  ['itertools.islice', 'elements-of-argument'],
  ['itertools.cycle', 'elements-of-argument'],
  ['itertools.filterfalse', 'elements-of-argument', 1],
  ['itertools.dropwhile', 'elements-of-argument', 1],
  ['itertools.takewhile', 'elements-of-argument', 1],
  ['builtins.next', 'element-of-argument', 0, 1],
  ['builtins.min', 'element-of-argument', 'all'],
  ['builtins.max', 'element-of-argument', 'all'],
  ['random.choice', 'element-of-argument'],
  ['operator.getitem', 'element-of-argument'],
  ['secrets.choice', 'element-of-argument'],
  ['builtins.dict', 'mapping-of-arguments'],
  ['collections.OrderedDict', 'mapping-of-arguments'],
  ['collections.ChainMap', 'mapping-of-arguments'],
  ['types.MappingProxyType', 'mapping-of-arguments'],
];

/** A snippet passing `os` through the call, then reaching `os.system`. */
function passThroughExample(name: string, kind: PassThroughKind, argument?: number | 'all'): string {
  const dot = name.lastIndexOf('.');
  const imports = name.startsWith('builtins.')
    ? 'import os'
    : `import os, ${name.slice(0, name.indexOf('.'))}`;
  const callee = name.startsWith('builtins.') ? name.slice(dot + 1) : name;
  const given = kind === 'same-as-argument' ? 'os' : kind === 'mapping-of-arguments' ? '[("m", os)]' : '[os]';
  const before = typeof argument === 'number' ? 'None, '.repeat(argument) : '';
  const after = name === 'itertools.islice' ? ', 1' : '';
  const call = `${callee}(${before}${given}${after})`;
  if (name === 'asyncio.run')
    return `import os, asyncio\nasync def get():\n    return os\nasyncio.run(get()).system("ls")\n`;
  const module =
    kind === 'same-as-argument' || kind === 'element-of-argument'
      ? call
      : kind === 'mapping-of-arguments'
        ? `${call}["m"]`
        : // `zip` gives tuples of the items at each place.
          `next(iter(${call}))${name === 'builtins.zip' ? '[0]' : ''}`;
  return `${imports}\n${module}.system("ls")\n`;
}

const PATH_EXAMPLE = (call: string): string =>
  `from pathlib import Path\nPath("/etc/passwd")${call}.read_text()\n`;

export const PROPAGATORS: readonly Propagator[] = [
  {
    name: 'builtins.__import__',
    kind: 'import-top',
    example: '__import__("os").system("ls")\n',
    reports: 'command-execution',
  },
  {
    name: 'importlib.import_module',
    kind: 'import-named',
    example: 'import importlib\nimportlib.import_module("os").system("ls")\n',
    reports: 'command-execution',
  },
  {
    name: 'importlib.__import__',
    kind: 'import-named',
    example: 'import importlib\nimportlib.__import__("os").system("ls")\n',
    reports: 'command-execution',
  },
  ...(
    [
      ['importlib.machinery.BuiltinImporter.load_module', '__loader__.load_module("posix")'],
      [
        'importlib.machinery.FrozenImporter.load_module',
        'importlib.machinery.FrozenImporter.load_module("os")',
      ],
      ['importlib._bootstrap._gcd_import', 'importlib._bootstrap._gcd_import("os")'],
    ] as const
  ).map(([name, call]): Propagator => ({
    name,
    kind: 'import-named',
    example: `import importlib.machinery, importlib._bootstrap\n${call}.system("ls")\n`,
    reports: 'command-execution',
  })),
  {
    name: 'importlib.reload',
    kind: 'same-as-argument',
    example: 'import importlib, os\nimportlib.reload(os).system("ls")\n',
    reports: 'command-execution',
  },
  // Calls that give back what they were given, whole or an element of it: a module passed through one
  // is still the module (`typing.cast(Any, os).system(...)`, `next(filter(None, [os])).system(...)`).
  ...PASS_THROUGH.map(([name, kind, argument, fallback]): Propagator => ({
    name,
    kind,
    argument,
    fallback,
    example: passThroughExample(name, kind, argument),
    reports: 'command-execution',
  })),
  ...['builtins.dict.fromkeys', 'collections.OrderedDict.fromkeys'].map((name): Propagator => ({
    name,
    kind: 'keys-mapping',
    example: `import os, collections\n${name.replace('builtins.', '')}(["m"], os)["m"].system("ls")\n`,
    reports: 'command-execution',
  })),
  {
    name: 'builtins.map',
    kind: 'callback-results',
    example: 'import os\nlist(map(getattr, [os], ["system"]))[0]("ls")\n',
    reports: 'command-execution',
  },
  {
    name: 'functools.reduce',
    kind: 'callback-results',
    example: 'import os, functools\nfunctools.reduce(getattr, ["path", "os", "system"], os)("ls")\n',
    reports: 'command-execution',
  },
  {
    name: 'collections.defaultdict',
    kind: 'default-mapping',
    example: 'import os, collections\ncollections.defaultdict(lambda: os)["m"].system("ls")\n',
    reports: 'command-execution',
  },
  {
    name: 'pkgutil.resolve_name',
    kind: 'resolve-name',
    example: 'import pkgutil\npkgutil.resolve_name("os:system")("ls")\n',
    reports: 'command-execution',
  },
  {
    name: 'pydoc.locate',
    kind: 'resolve-name',
    example: 'import pydoc\npydoc.locate("os.system")("ls")\n',
    reports: 'command-execution',
  },
  {
    name: 'operator.attrgetter',
    kind: 'attribute-getter',
    example: 'import operator, os\noperator.attrgetter("system")(os)("ls")\n',
    reports: 'command-execution',
  },
  {
    name: 'operator.itemgetter',
    kind: 'item-getter',
    example: 'import operator, os\noperator.itemgetter(0)([os]).system("ls")\n',
    reports: 'command-execution',
  },
  {
    name: 'operator.methodcaller',
    kind: 'method-caller',
    example: 'import operator, os\noperator.methodcaller("system", "ls")(os)\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.getattr',
    kind: 'getattr',
    example: 'import os\ngetattr(os, "system")("ls")\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.vars',
    kind: 'namespace-of',
    example: 'import os\nvars(os)["system"]("ls")\n',
    reports: 'command-execution',
  },
  {
    name: 'inspect.getmembers',
    kind: 'namespace-of',
    example: 'import os, inspect\ndict(inspect.getmembers(os))["system"]("ls")\n',
    reports: 'command-execution',
  },
  {
    name: 'inspect.getmembers_static',
    kind: 'namespace-of',
    example: 'import os, inspect\ndict(inspect.getmembers_static(os))["system"]("ls")\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.globals',
    kind: 'module-namespace',
    example: 'import os\nglobals()["os"].system("ls")\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.locals',
    kind: 'module-namespace',
    example: 'import os\nlocals()["os"].system("ls")\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.type',
    kind: 'type-of',
    example: 'def f(): pass\ntype(f.__code__)(0, 0)\n',
    reports: 'dynamic-code',
  },
  {
    name: 'functools.partial',
    kind: 'partial',
    example: 'import os, functools\nfunctools.partial(getattr, os)("system")("ls")\n',
    reports: 'command-execution',
  },
  {
    name: 'types.SimpleNamespace',
    kind: 'attribute-namespace',
    example: 'import os, types\ntypes.SimpleNamespace(m=os).m.system("ls")\n',
    reports: 'command-execution',
  },
  ...(
    [
      ['with_name', '.with_name("shadow")'],
      ['with_suffix', '.with_suffix(".txt")'],
      ['with_stem', '.with_stem("shadow")'],
      ['joinpath', '.joinpath("x")'],
      ['resolve', '.resolve()'],
      ['absolute', '.absolute()'],
      ['expanduser', '.expanduser()'],
      ['relative_to', '.relative_to("/")'],
    ] as const
  ).map(([method, call]): Propagator => ({
    name: `pathlib.Path.${method}`,
    kind: 'path-method',
    example: PATH_EXAMPLE(call),
    reports: 'read-outside-workdir',
  })),
  ...(['invoke.task', 'invoke.tasks.task', 'fabric.task', 'fabric.tasks.task'] as const).map(
    (name): Propagator => ({
      name,
      kind: 'decorator-factory',
      example: `import ${name.slice(0, name.lastIndexOf('.'))}\n@${name}(help={"env": "target"})\ndef deploy(c, env):\n    c.run("make " + env)\n`,
      reports: 'command-execution',
    }),
  ),
];

const BY_NAME = new Map(PROPAGATORS.map((row) => [row.name, row]));

/** The propagator row of a canonical qualified name, if it is one. */
export function propagatorFor(q: string): Propagator | undefined {
  return BY_NAME.get(q);
}

/**
 * Calls evaluated for a check of their own rather than for the value they give: `sys.modules` lookups,
 * infinite iterators (loops that never end), `pow` (huge numbers).
 */
export const WATCHED_CALLS = [
  'sys.modules',
  'itertools.count',
  'itertools.cycle',
  'itertools.repeat',
  'builtins.iter',
  'builtins.pow',
];
