// Targets that take parts of a value: `for i, m in enumerate(mods)`, `[m for _, m in pairs]`, `a, m = f()`
// and the captures nested in a case pattern (`case [m]:`, `case {"k": m}:`). A flat tuple target takes
// the item at its place when the value is a sequence of that length; otherwise (a value whose shape is not
// known, a nested pattern) every name takes any part of the value: an over-approximation, so that a module
// packed into a tuple or a record is still followed when it is unpacked again.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, dedupe, type Value } from '../shared/value';
import { TARGET_PATTERNS } from './target-patterns';

/** How deep parts of parts are taken for a nested target. */
const MAX_DEPTH = 3;

/** The plain names a target binds: `m`, `i, m`, `(a, (b, m))`, `*rest`. */
export function targetNames(target: Node): Node[] {
  if (target.type === 'identifier') return [target];
  if (!TARGET_PATTERNS.has(target.type)) return [];
  return target.namedChildren.flatMap((child) => (child ? targetNames(child) : []));
}

/**
 * What one name of a tuple target takes from values: the item at `index` of a sequence of `arity` items,
 * else (index unknown, another length, an item that is not a sequence) any part of the value.
 */
export function unpackedValues(values: readonly Value[], index: number | undefined, arity?: number): Value[] {
  const out: Value[] = [];
  for (const value of values) {
    if (value.k === 'seq' && index !== undefined && value.items.length === arity)
      out.push(...value.items[index]);
    else out.push(...partsOf(value, 0));
  }
  return keepUnknown(out);
}

/**
 * Deduplicated values, an unknown one first: `dedupe` keeps a bounded number, and a target over many
 * constants and one unknown item must stay unknown (`pkgutil.resolve_name(s)` is a computed import).
 */
export function keepUnknown(values: Value[]): Value[] {
  return dedupe(
    values.some((v) => v.k === 'opaque') ? [OPAQUE, ...values.filter((v) => v.k !== 'opaque')] : values,
  );
}

/** Any part of a value: the value itself, the items of a sequence, the values of a mapping or object. */
export function partsOf(value: Value, depth: number): Value[] {
  if (depth >= MAX_DEPTH) return [value];
  if (value.k === 'seq' || value.k === 'obj')
    return [OPAQUE, ...value.items.flatMap((item) => item.flatMap((v) => partsOf(v, depth + 1)))];
  // An object whose class's `__iter__`/`__next__` give items (special-methods.ts): unpacked, any of them.
  if (value.k === 'class' && value.items)
    return [value, ...value.items.flatMap((item) => item.flatMap((v) => partsOf(v, depth + 1)))];
  if (value.k === 'dict')
    return [
      ...value.keys.map((v, i): Value[] => value.keyValues?.[i] ?? [{ k: 'str', v }]).flat(),
      ...value.items.flatMap((item) => item.flatMap((v) => partsOf(v, depth + 1))),
    ];
  return [value];
}
