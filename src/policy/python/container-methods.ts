// A list's, tuple's, set's, deque's or dict's own methods, on the containers the evaluator builds (a display,
// a list a value was appended to). Reading ones give what the container holds: `d.get("k")`, `d.pop("k")`,
// `d.values()`, `d.items()`, `d.popitem()`, `d.copy()`, `xs.pop()`, `q.popleft()`, `it.__next__()`.
// Storing ones put a followed value in: `xs.append(v)`, `xs.insert(i, v)`, `xs.extend([v])`,
// `d.update(k=v)`, `d.update({"k": v})`, `d.setdefault("k", v)`, `d.__setitem__("k", v)`. flow.ts and
// the evaluator ask; a container no one reads this way costs nothing.
import type { Node } from 'web-tree-sitter';
import { str } from '../shared/folding';
import { OPAQUE, constStrings, dedupe, type Value } from '../shared/value';
import type { CallEvaluation } from './model';
import { same } from './state';
import { isTracked } from './values';

/** The key of a dict's items that any key may read (a comprehension's, an unknown mapping's spread). */
export const ANY_KEY = '\0*';

/** What iterating over a value gives, item by item: a container's items, a dict's keys, a string's characters. */
export function itemsOf(value: Value): Value[][] | undefined {
  switch (value.k) {
    case 'seq':
      return value.items;
    case 'dict':
      return dictKeys(value);
    case 'str':
      return [...value.v].map((ch): Value[] => [{ k: 'str', v: ch }]);
    case 'bytes':
      return [...value.v].map((ch): Value[] => [{ k: 'num', v: BigInt(ch.charCodeAt(0)) }]);
    case 'class':
      // An object of a class of the file whose `__iter__`/`__next__` give items (special-methods.ts).
      return value.items;
    default:
      return undefined;
  }
}

/** What iterating a dict gives, key by key: a constant string, or the values of a key that is not one (`{os: 1}`). */
export function dictKeys(dict: Extract<Value, { k: 'dict' }>): Value[][] {
  return dict.keys.map((key, i) => dict.keyValues?.[i] ?? [str(key)]);
}

/** The items a dict holds under a constant key (those under ANY_KEY too; unknown when none). */
export function itemsUnder(dict: Extract<Value, { k: 'dict' }>, key: string): Value[] {
  const index = dict.keys.lastIndexOf(key);
  if (index !== -1) return dict.items[index];
  return [...dict.items.filter((_, i) => dict.keys[i] === ANY_KEY).flat(), OPAQUE];
}

/** `xs[k]` on values, for `operator.itemgetter(k)(xs)`: the item at a known place or key, else any followed item. */
export function itemsAt(values: readonly Value[], key: readonly Value[]): Value[] {
  const index = key.length === 1 && key[0].k === 'num' && !key[0].huge ? Number(key[0].v) : undefined;
  const names = constStrings(key);
  return dedupe(
    values.flatMap((value): Value[] => {
      if (value.k === 'seq' && index !== undefined)
        return value.items[index < 0 ? value.items.length + index : index] ?? [OPAQUE];
      if (value.k === 'dict' && names) return names.flatMap((name) => itemsUnder(value, name));
      if (value.k === 'seq' || value.k === 'dict') return followedOnly(value.items.flat());
      return [OPAQUE];
    }),
  );
}

/** The items of a dict display stored under the keys (any item when the keys are unknown). */
export function dictItems(dict: Extract<Value, { k: 'dict' }>, keys: string[] | undefined): Value[] {
  if (!keys) return dict.items.flat();
  const out: Value[] = [];
  for (const key of keys) out.push(...itemsUnder(dict, key));
  return out;
}

/**
 * Values read out of a container by a method or a key not known, for the evaluator: the followed ones (and
 * the containers holding them), the rest unknown: a constant may have been replaced since the display.
 */
export function followedOnly(values: readonly Value[], depth = 0): Value[] {
  return dedupe(
    values.map((v): Value => {
      if (!isTracked(v)) return OPAQUE;
      if ((v.k !== 'seq' && v.k !== 'dict') || depth >= 3) return v;
      return { ...v, items: v.items.map((item) => followedOnly(item, depth + 1)) };
    }),
  );
}

/** Dict methods that read an item by its key (the first argument). */
const BY_KEY = new Set(['get', 'pop', 'setdefault', '__getitem__']);
/** Methods that give any item of a list, set or deque (or an iterator over one). */
const ANY_ITEM = new Set(['pop', 'popleft', 'popright', '__getitem__', '__next__']);
/** Methods that give a container holding every item (a view or a copy). */
const VIEWS = new Set(['values', 'copy', 'items', 'keys', 'popitem', '__copy__']);

/** Whether a method of a container is one that reads what it holds. */
export function readsContainer(values: readonly Value[], method: string): boolean {
  return values.some(
    (v) =>
      (v.k === 'dict' && (BY_KEY.has(method) || VIEWS.has(method))) ||
      (v.k === 'seq' && (ANY_ITEM.has(method) || method === 'copy')),
  );
}

/** What calling `method` of the containers among `values` gives (anything else: unknown). */
export function containerRead(
  ev: CallEvaluation,
  values: readonly Value[],
  method: string,
  call: Node,
): Value[] {
  const out: Value[] = [];
  for (const value of values) {
    if (value.k === 'dict') out.push(...dictRead(ev, value, method, call));
    else if (value.k === 'seq' && method === 'copy') out.push(value);
    else if (value.k === 'seq' && ANY_ITEM.has(method)) out.push(...value.items.flat());
    else out.push(OPAQUE);
  }
  return dedupe(out);
}

function dictRead(
  ev: CallEvaluation,
  dict: Extract<Value, { k: 'dict' }>,
  method: string,
  call: Node,
): Value[] {
  const all = dict.items.flat();
  switch (method) {
    case 'copy':
    case '__copy__':
      return [dict];
    case 'values':
      return [{ k: 'seq', items: [all] }];
    case 'keys':
      return [{ k: 'seq', items: dictKeys(dict) }];
    case 'items':
    case 'popitem': {
      // `for k, v in d.items()`, `d.popitem()[1]`: pairs of a key and its item.
      const keys = dictKeys(dict);
      const pairs: Value[] = keys.map((key, i) => ({ k: 'seq', items: [key, dict.items[i]] }));
      return method === 'items' ? [{ k: 'seq', items: [pairs] }] : pairs;
    }
    default: {
      const key = ev.argumentsOf(call).positional[0];
      const keys = key ? constStrings(ev.evalExpr(key)) : undefined;
      if (!keys) return all;
      return keys.flatMap((k) => itemsUnder(dict, k));
    }
  }
}

/**
 * What a storing method of a container puts in it when `argument` (or the keyword argument `keyword`) holds
 * the followed `kept` values: a list or dict of them; undefined for another method or place.
 */
export function storedByMethod(
  ev: CallEvaluation,
  method: string,
  call: Node,
  argument: Node,
  keyword: string | undefined,
  kept: Value[],
): Value | undefined {
  const args = ev.argumentsOf(call);
  if (keyword !== undefined)
    return method === 'update' ? { k: 'dict', keys: [keyword], items: [kept] } : undefined;
  const index = args.positional.findIndex((a) => same(a, argument));
  switch (method) {
    case 'append':
    case 'add':
    case 'appendleft':
      return index === 0 ? { k: 'seq', items: [kept] } : undefined;
    case 'insert':
      return index === 1 ? { k: 'seq', items: [kept] } : undefined;
    case 'extend':
    case 'extendleft':
    case 'update': {
      if (index !== 0) return undefined;
      // `d.update({"k": v})`: the mapping's items under their keys; `xs.extend([v])`: the elements.
      const dicts = kept.filter((v): v is Extract<Value, { k: 'dict' }> => v.k === 'dict');
      if (method === 'update' && dicts.length > 0)
        return { k: 'dict', keys: dicts.flatMap((d) => d.keys), items: dicts.flatMap((d) => d.items) };
      return { k: 'seq', items: [kept.flatMap((v) => (v.k === 'seq' ? v.items.flat() : [v]))] };
    }
    case 'setdefault':
    case '__setitem__': {
      const key = args.positional[0];
      const keys = index === 1 && key ? constStrings(ev.evalExpr(key)) : undefined;
      return keys ? { k: 'dict', keys, items: keys.map(() => kept) } : undefined;
    }
    default:
      return undefined;
  }
}
