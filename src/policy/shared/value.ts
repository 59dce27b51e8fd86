// The abstract values both analyzers track, and the helpers that read constants out of them.
import type { Node } from 'web-tree-sitter';

export type Value =
  /** A module or something reached from one by member access: `os.system`, `builtins.eval`, `fs.rmSync`. */
  | { k: 'q'; q: string; path?: string }
  /** An instance of a class whose methods matter (`pathlib.Path`), with its constant path if known. */
  | { k: 'inst'; q: string; path?: string }
  /** A namespace dictionary: `vars(os)`, `builtins.__dict__`, `__builtins__`, `globals()`. */
  | { k: 'ns'; q: string }
  /** A namespace's (or `sys.modules`') bound `.get`. */
  | { k: 'nsget'; q: string }
  /** `type(x)`: calling it builds an object of x's type; `code` when x is a function or code object. */
  | { k: 'typeof'; code: boolean }
  /** A module chosen at run time (`__import__(name)` with a name we cannot compute). */
  | { k: 'dynmod' }
  | { k: 'str'; v: string }
  | { k: 'bytes'; v: string }
  /** An integer; `huge` when too large to compute (then `bits` estimates its size). */
  | { k: 'num'; v: bigint; huge?: boolean }
  | { k: 'none' }
  /** A JavaScript primitive besides strings and integers: a boolean, null, undefined, NaN, ±Infinity, 1.5. */
  | { k: 'jsprim'; v: boolean | null | undefined | number }
  | { k: 'seq'; items: Value[][] }
  /**
   * A dict display with constant keys. A key that is not a constant string is `\0` and its place, its values
   * (a module used as a key: `{os: 1}`) in `keyValues` at that place.
   */
  | { k: 'dict'; keys: string[]; items: Value[][]; keyValues?: Array<Value[] | undefined> }
  /** A function or lambda defined in the file: calling it gives what its return statements give. */
  | { k: 'fn'; node: Node }
  /**
   * `operator.attrgetter(...)` (or `methodcaller(...)` when `method`): calling it reads those attributes;
   * `operator.itemgetter(...)` (`keys`): calling it reads those items.
   */
  | { k: 'getter'; names?: string[]; method: boolean; keys?: Value[][] }
  /** `functools.partial(fn, *args, **keywords)`: calling it calls `fn` with those arguments first (`call` builds it). */
  | { k: 'partial'; fn: Value[]; args: Value[][]; keywords: Array<[string, Value[]]>; call?: Node }
  /** An object whose attributes are known: `types.SimpleNamespace(m=v)`; a class (`cls`): `type("K", (), {"m": v})`. */
  | { k: 'obj'; keys: string[]; items: Value[][]; cls?: boolean }
  /**
   * A class of the file (`instance`: an object of it): its special methods say what calling, subscripting
   * or reading an attribute of it gives (python/special-methods.ts); `items`: what iterating an object gives
   * (its `__iter__`, `__next__`).
   */
  | { k: 'class'; node: Node; instance: boolean; items?: Value[][] }
  /** Anything else, including parameters and values of other libraries: shadows what it replaces. */
  | { k: 'opaque' };

export const OPAQUE: Value = { k: 'opaque' };

/** How a qualified name reads in a message: builtins without their module. */
export function display(q: string): string {
  return q.startsWith('builtins.') ? q.slice(9) : q;
}

export function truthy(value: Value): boolean | undefined {
  switch (value.k) {
    case 'num':
      return value.huge ? true : value.v !== 0n;
    case 'str':
    case 'bytes':
      return value.v.length > 0;
    case 'none':
      return false;
    case 'jsprim':
      return typeof value.v === 'number' ? value.v !== 0 && !Number.isNaN(value.v) : !!value.v;
    case 'seq':
    case 'dict':
      return value.items.length > 0;
    default:
      return undefined;
  }
}

/** The single constant string of a value list, if every option agrees. */
export function constString(values: readonly Value[]): string | undefined {
  let out: string | undefined;
  for (const value of values) {
    if (value.k !== 'str') return undefined;
    if (out !== undefined && out !== value.v) return undefined;
    out = value.v;
  }
  return out;
}

/** Every constant string among the options (e.g. both branches of a conditional). */
export function constStrings(values: readonly Value[]): string[] | undefined {
  const out: string[] = [];
  for (const value of values) {
    if (value.k !== 'str') return undefined;
    out.push(value.v);
  }
  return out.length > 0 ? out : undefined;
}

export function constNumber(values: readonly Value[]): bigint | 'huge' | undefined {
  if (values.length !== 1 || values[0].k !== 'num') return undefined;
  return values[0].huge ? 'huge' : values[0].v;
}

function valueKey(value: Value, index: number): string {
  switch (value.k) {
    case 'q':
    case 'inst':
      return `${value.k}:${value.q}:${value.path ?? ''}`;
    case 'ns':
    case 'nsget':
      return `${value.k}:${value.q}`;
    case 'str':
    case 'bytes':
      return `${value.k}:${value.v}`;
    case 'num':
      return value.huge ? 'num:huge' : `num:${value.v}`;
    case 'typeof':
      return `typeof:${value.code}`;
    case 'jsprim':
      return `jsprim:${typeof value.v}:${String(value.v)}`;
    case 'seq':
    case 'dict':
    case 'partial':
    case 'obj':
      return `${value.k}:${index}`;
    case 'fn':
      return `fn:${value.node.id}`;
    case 'class':
      return `class:${value.node.id}:${value.instance}`;
    case 'getter':
      return value.keys ? `getter:items:${index}` : `getter:${value.method}:${value.names?.join(',') ?? '?'}`;
    default:
      return value.k;
  }
}

export function dedupe(values: Value[]): Value[] {
  if (values.length < 2) return values;
  const seen = new Set<string>();
  const out: Value[] = [];
  for (const value of values) {
    const key = valueKey(value, out.length);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(value);
    }
  }
  return out.length > 16 ? out.slice(0, 16) : out;
}

/** A value holding others: a list or tuple, a dict display, an object of known attributes. */
type Container = Extract<Value, { items: Value[][] }>;

/** How deep containers are searched before one is taken to hold what is searched for. */
const MAX_CONTAINER_DEPTH = 64;
/** Shallower than this, no container is looked at twice in practice (no set of those seen is kept). */
const UNSHARED_DEPTH = 3;

/**
 * Whether `value`, or anything it holds at any depth of `isContainer` values, passes `test`. Deeper than
 * MAX_CONTAINER_DEPTH the answer is yes: a value wrapped in more lists (`[[[[os]]]]`) is followed, never
 * dropped. Containers shared within the value (`b = [a, a]; c = [b, b]`) are searched once.
 */
export function holdsAny(
  value: Value,
  isContainer: (value: Value) => value is Container,
  test: (value: Value) => boolean,
): boolean {
  let seen: Set<Value> | undefined;
  const search = (current: Value, depth: number): boolean => {
    if (!isContainer(current)) return test(current);
    if (depth >= MAX_CONTAINER_DEPTH) return true;
    if (depth >= UNSHARED_DEPTH) {
      // A container seen before was searched in full without an answer (a yes ends the search).
      if ((seen ??= new Set()).has(current)) return false;
      seen.add(current);
    }
    // A dict's keys that are values (`{os: 1}`) are held as much as its items.
    const held =
      current.k === 'dict' && current.keyValues ? [...current.items, ...current.keyValues] : current.items;
    return held.some((item) => item?.some((inner) => search(inner, depth + 1)));
  };
  return search(value, 0);
}
