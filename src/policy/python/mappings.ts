// The calls that build a mapping (calls.ts asks): `dict(...)` and its kin from a mapping, pairs and keywords;
// `dict.fromkeys(keys, v)`, every key holding v; `defaultdict(factory, ...)`, any other key holding what the
// factory gives. A key that is not a constant string keeps its values (`dict(zip([os], [1]))` iterates to os),
// and a pair of an unknown shape puts what it holds under any key.
import { OPAQUE, constString, type Value } from '../shared/value';
import { ANY_KEY } from './container-methods';
import type { CallArguments, CallEvaluation } from './model';
import { isTracked } from './values';

type Dict = Extract<Value, { k: 'dict' }>;

/** Keys of a mapping beyond this many are not kept. */
const MAX_KEYS = 1000;

/**
 * `dict(mapping_or_pairs, **keywords)` (its mapping the positional argument at `position`): a namespace stays
 * the namespace (a copy of `vars(os)` still holds `system`), a dict or pairs become a dict; anything else is
 * opaque.
 */
export function mappingOf(given: Value[], args: CallArguments, ev: CallEvaluation, position = 0): Value {
  const dict: Dict = { k: 'dict', keys: [], items: [] };
  if (args.positional.length > position) {
    const whole = given.length === 1 ? given[0] : undefined;
    // A namespace (or `sys.modules`) copied stays what it was: a lookup in the copy finds the same members.
    if (
      whole &&
      (whole.k === 'ns' || (whole.k === 'q' && whole.q === 'sys.modules')) &&
      args.keywords.size === 0
    )
      return whole;
    if (given.length !== 1) return OPAQUE;
    const mapping = given[0];
    if (mapping.k === 'dict') {
      dict.keys.push(...mapping.keys);
      dict.items.push(...mapping.items);
      if (mapping.keyValues) dict.keyValues = [...mapping.keyValues];
    } else if (mapping.k === 'seq') {
      for (const pair of mapping.items.flat()) {
        if (dict.keys.length >= MAX_KEYS) return OPAQUE;
        if (pair.k === 'seq' && pair.items.length === 2) addKey(dict, pair.items[0], pair.items[1]);
        // `dict(zip(names, mods))` with names not known: an element is a key or an item, under any key.
        else if (isTracked(pair)) addKey(dict, [OPAQUE], [pair]);
        else addKey(dict, [OPAQUE], [OPAQUE]);
      }
    } else return OPAQUE;
  }
  if (args.splat) return OPAQUE;
  for (const [keyword, node] of args.keywords) {
    dict.keys.push(keyword);
    dict.items.push(ev.evalExpr(node));
  }
  return dict;
}

/** `dict.fromkeys(keys, value)`: each key (its values kept when not a constant string) holds the value. */
export function keysMapping(keys: Value[], value: Value[]): Value {
  const dict: Dict = { k: 'dict', keys: [], items: [] };
  const known = keys.length === 1 && keys[0].k === 'seq' ? keys[0].items : undefined;
  if (!known || known.length > MAX_KEYS) {
    // Keys not known: any key holds the value, and iterating gives what the keys' container holds.
    const held = keys.flatMap((k) => (k.k === 'seq' ? k.items.flat() : [OPAQUE]));
    addKey(dict, held, value);
    return dict;
  }
  for (const key of known) addKey(dict, key, value);
  return dict;
}

/** `defaultdict(factory, mapping)`: the mapping, and under any other key what calling the factory gives. */
export function defaultMapping(made: Value[], mapping: Value): Value {
  const base: Dict = mapping.k === 'dict' ? { ...mapping } : { k: 'dict', keys: [], items: [] };
  return { ...base, keys: [...base.keys, ANY_KEY], items: [...base.items, made] };
}

/** What a factory called without arguments gives: a function's or a class's of the file; anything else unknown. */
export function factoryResult(ev: CallEvaluation, factories: readonly Value[]): Value[] {
  return factories.flatMap((f) =>
    f.k === 'fn' ? ev.returnValues(f.node) : f.k === 'class' ? ev.classCall(f) : [OPAQUE],
  );
}

/** Adds a key and its item: a constant string key by name, any other one by its place with its values. */
function addKey(dict: Dict, key: Value[], item: Value[]): void {
  const name = constString(key);
  if (name === undefined) {
    dict.keyValues ??= [];
    dict.keyValues[dict.keys.length] = key;
  }
  // A key not known reads as any key (`d[k]` or `d["m"]` may find it), unless it is a value other than a string.
  dict.keys.push(name ?? (key.every((v) => v.k === 'opaque') ? ANY_KEY : `\0${dict.keys.length}`));
  dict.items.push(item);
}
