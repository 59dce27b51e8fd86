// What a JavaScript value leads to: which values are worth following, and the member a value has under
// a name (a module's function, an object literal's property, an array's element).
import { OPAQUE, dedupe, holdsAny, type Value } from '../shared/value';
import {
  CONTAINER_GLOBALS,
  GLOBAL_MODULES,
  RESOLVED_GLOBALS,
  canonicalJs,
  knownJsModules,
} from './catalog/names';
import { anyMemberName, hasReflectedSink, reflectedModule } from './catalog/sinks';

const KNOWN = knownJsModules();

/** A module, a global or something reached from one: its uses are followed. */
export function isTracked(value: Value): boolean {
  if (value.k === 'ns' || value.k === 'dynmod') return true;
  if (value.k !== 'q') return false;
  const [top, global] = value.q.split('.', 2);
  if (top === 'builtins') return !CONTAINER_GLOBALS.has(global);
  return KNOWN.has(top) || GLOBAL_MODULES.has(top);
}

/**
 * Worth storing in an object by a call (`list.push(v)`): a tracked value other than the globals that
 * lead somewhere only through calls the evaluator models (`Object.prototype`, `Reflect`), or a container
 * holding one.
 */
export function worthStoring(value: Value): boolean {
  return holdsAny(value, isJsContainer, (v) => {
    if (!isTracked(v)) return false;
    const [top, global] = v.k === 'q' ? v.q.split('.', 2) : [];
    return top !== 'builtins' || !RESOLVED_GLOBALS.has(global);
  });
}

/** An array or object literal, whose elements are followed. */
function isJsContainer(value: Value): value is Extract<Value, { k: 'seq' | 'dict' }> {
  return value.k === 'seq' || value.k === 'dict';
}

/**
 * Worth following: a tracked value, a local function seen returning one (`returning`: its calls give
 * it), or a container of either.
 */
export function isLive(value: Value, returning: ReadonlySet<number>): boolean {
  if (isTracked(value)) return true;
  return holdsAny(value, isJsContainer, (v) => isTracked(v) || (v.k === 'fn' && returning.has(v.node.id)));
}

export function memberOf(value: Value, name: string, depth = 0): Value[] {
  switch (value.k) {
    case 'ns':
      return [{ k: 'q', q: canonicalJs(`builtins.${name}`) }];
    case 'q':
      if (value.q === 'builtins.require' && name === 'main') return [{ k: 'q', q: 'module' }];
      if (value.q === 'builtins.require' && name === 'cache') return [MODULE_RECORDS];
      // Any member of a module, reached by reflection: whatever is read from it may be any member too.
      if (reflectedModule(value.q) !== undefined) return [value];
      return [{ k: 'q', q: canonicalJs(`${value.q}.${name}`) }];
    case 'fn':
      // Every function's (and class's) constructor is the Function constructor, or its async and
      // generator variants, which build code from strings just the same.
      if (name === 'constructor') return [{ k: 'q', q: 'builtins.Function' }];
      if (name === '__proto__') return [{ k: 'q', q: 'builtins.Function.prototype' }];
      return [OPAQUE];
    case 'seq': {
      const index = /^\d+$/.test(name) ? Number(name) : -1;
      if (index < 0) return [OPAQUE];
      if (index < value.items.length) return value.items[index];
      // `Object.values(cp)[3]`, `Object.entries(cp)[7]`: a module's members (or [name, member] pairs) are
      // one slot that stands for any number of them, as `Object.values(require.cache)`'s one record is.
      const any = value.items.flat().filter((v) => holdsReflected(v, 2) || isRecord(v));
      return any.length ? any : [OPAQUE];
    }
    case 'dict': {
      const index = value.keys.lastIndexOf(name);
      if (index >= 0) return value.items[index];
      // `{ [k]: cp }`: a member under a name the analysis cannot know may be this one.
      const computed = value.keys.flatMap((key, i) => (key === COMPUTED_KEY ? value.items[i] : []));
      if (computed.length > 0) return dedupe(computed);
      // `{ __proto__: cp }`, `o.__proto__ = cp`: a member the object lacks is read from its prototype.
      const prototype = value.keys.lastIndexOf('__proto__');
      return prototype >= 0 && depth < 4
        ? dedupe(value.items[prototype].flatMap((p) => memberOf(p, name, depth + 1)))
        : [OPAQUE];
    }
    default:
      return [OPAQUE];
  }
}

/** A module record (`module`, `require.main`, one of `require.cache`'s). */
function isRecord(value: Value): boolean {
  return value.k === 'q' && value.q === 'module';
}

/** Any member of a module reached by reflection, or a pair or list holding one. */
function holdsReflected(value: Value, depth: number): boolean {
  if (value.k === 'q') return reflectedModule(value.q) !== undefined;
  return (
    depth > 0 &&
    value.k === 'seq' &&
    value.items.some((item) => item.some((v) => holdsReflected(v, depth - 1)))
  );
}

export function membersOf(values: readonly Value[], keys: readonly string[]): Value[] {
  return dedupe(values.flatMap((v) => keys.flatMap((key) => memberOf(v, key))));
}

/**
 * `Object.getPrototypeOf(x)`: Function.prototype for functions, Module.prototype for the module record,
 * unknown otherwise.
 */
export function prototypeOf(value: Value): Value {
  if (value.k === 'fn' || (value.k === 'q' && value.q === 'builtins.Function'))
    return { k: 'q', q: 'builtins.Function.prototype' };
  if (value.k === 'q' && value.q === 'module') return { k: 'q', q: 'module.prototype' };
  return OPAQUE;
}

/** A module itself (`child_process`), not one of its members or a global. */
export function isModule(value: Value): value is Value & { k: 'q' } {
  return value.k === 'q' && !value.q.includes('.') && !value.q.startsWith('builtins');
}

/** The key an object literal's member has when its computed name cannot be known (`{ [k]: v }`). */
export const COMPUTED_KEY = '\u0000computed';

/**
 * `require.cache`: the record (`module`, with its own `require`) of every loaded file, under their paths.
 * Only what is read from it is followed: `delete require.cache[file]` reaches nothing.
 */
const MODULE_RECORDS: Value = { k: 'dict', keys: [COMPUTED_KEY], items: [[{ k: 'q', q: 'module' }]] };

/** The hidden key under which an object keeps the getter of its member `name` (for its descriptor's `get`). */
export function getterKey(name: string): string {
  return `\u0000get ${name}`;
}

/** The hidden key under which an object keeps the setter of its member `name` (`o.name = v` calls it). */
export function setterKey(name: string): string {
  return `\u0000set ${name}`;
}

/** `o[k]` with a name that cannot be known, on an object literal: any of its members. */
export function anyEntryOf(values: readonly Value[]): Value[] {
  return dedupe(values.flatMap((v) => (v.k === 'dict' ? v.items.flat() : [])));
}

/**
 * What a member read by a name that cannot be known (`cp[name]`, `Object.values(cp)`) gives: for a
 * module with sinks, any of its members (`child_process.*`); unknown otherwise.
 */
export function anyMemberOf(values: readonly Value[]): Value[] {
  return dedupe(
    values.map((v) => (isModule(v) && hasReflectedSink(v.q) ? { k: 'q', q: anyMemberName(v.q) } : OPAQUE)),
  );
}

/**
 * What `list.at(i)`, `list.pop()` give: one of the elements of the lists; `map.get(key)`: the value of one
 * of the entries (a map is the list of its [key, value] pairs, as `new Map(pairs)` is given them); an
 * iterator's `next()`: a result whose `value` is one of the elements.
 */
export function elementsOf(lists: readonly Value[], method: string): Value[] {
  const elements = lists.flatMap((v) => (v.k === 'seq' ? v.items.flat() : []));
  if (method === 'next') return [{ k: 'dict', keys: ['value'], items: [dedupe(elements)] }];
  if (method !== 'get') return dedupe(elements);
  return dedupe(elements.flatMap((e) => (e.k === 'seq' && e.items.length >= 2 ? e.items[1] : [OPAQUE])));
}

/**
 * A property descriptor whose `value` is the member (`getOwnPropertyDescriptor(cp, "spawn").value`) and
 * whose `get` is the getter that gives it, when an object literal defines one.
 */
export function descriptor(member: Value[], getter: Value[]): Value {
  return { k: 'dict', keys: ['value', 'get'], items: [member, getter] };
}

/**
 * `Object.fromEntries(pairs)`: an object with the pairs' constant names; when a pair holds any member of
 * a module (`Object.entries(cp)` went in), the module itself, whose members it copies.
 */
export function fromEntries(lists: readonly Value[]): Value[] {
  const keys: string[] = [];
  const items: Value[][] = [];
  const modules: Value[] = [];
  for (const list of lists) {
    if (list.k !== 'seq') return [OPAQUE];
    for (const item of list.items.flat()) {
      if (item.k !== 'seq' || item.items.length < 2) return [OPAQUE];
      const [key, member] = item.items;
      for (const value of member) {
        const module = value.k === 'q' ? reflectedModule(value.q) : undefined;
        if (module !== undefined) modules.push({ k: 'q', q: module });
      }
      const name = key.length === 1 && key[0].k === 'str' ? key[0].v : undefined;
      if (name !== undefined) {
        keys.push(name);
        items.push(member);
      }
    }
  }
  return [{ k: 'dict', keys, items }, ...modules];
}
