// Lists read through the iteration protocol: `list.values()`, `.keys()`, `.entries()`,
// `list[Symbol.iterator]()` and an iterator's `toArray()` give an iterator over the elements (a list of
// one slot, as a generator's calls do; `next().value` and `for...of` read it). The analysis does not tell
// an array from a Map (a list of [key, value] pairs) or a Set, so what such a call gives covers all
// three: the elements, and both halves of any element that is a pair.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, dedupe, type Value } from '../shared/value';

/** Methods that give an iterator over (a view of) the receiver's elements. */
export const ITERATOR_METHODS = new Set(['values', 'keys', 'entries', 'toArray']);

/** `list[Symbol.iterator]`, `list[Symbol.asyncIterator]`: read as `list.values`. */
export function iteratorKey(indexText: string): string | undefined {
  return /^Symbol\s*\.\s*(?:asyncIterator|iterator)$/.test(indexText) ? 'values' : undefined;
}

/** The elements of the lists, and both halves of the elements that are pairs (a Map's entries). */
export function elementsAndHalves(lists: readonly Value[]): Value[] {
  const elements = lists.flatMap((v) => (v.k === 'seq' ? v.items.flat() : []));
  const halves = elements.flatMap((e) =>
    e.k === 'seq' && e.items.length >= 2 ? [...e.items[0], ...e.items[1]] : [],
  );
  return dedupe([...elements, ...halves]);
}

/**
 * What `list.values()` (`keys`, `entries`, `toArray`) gives: an iterator over the elements, as a list of
 * one slot; `entries()` pairs each element with its index (an array's) or itself (a Set's).
 */
export function iterated(lists: readonly Value[], method: string): Value[] {
  const slot = elementsAndHalves(lists);
  // An array's entries are [index, element]; a Set's [element, element].
  if (method === 'entries') slot.push({ k: 'seq', items: [[OPAQUE, ...slot], slot.slice()] });
  return [{ k: 'seq', items: [dedupe(slot)] }];
}

/**
 * `Array.prototype.at.call(list, 0)`, `[].find.call(list, fn)`: an array method borrowed by `call`, whose
 * receiver is the first argument. The method's name, when the callee is one.
 */
export function borrowedArrayMethod(
  callee: Node,
  nodeText: (node: Node) => string,
  evalExpr: (node: Node) => Value[],
): string | undefined {
  const property = callee.type === 'member_expression' ? callee.childForFieldName('property') : null;
  const method = callee.childForFieldName('object');
  if (!property || nodeText(property) !== 'call' || method?.type !== 'member_expression') return undefined;
  const owner = method.childForFieldName('object');
  const name = method.childForFieldName('property');
  if (!owner || !name) return undefined;
  if (owner.type === 'array' && owner.namedChildren.length === 0) return nodeText(name);
  const borrowed = evalExpr(method).find((v) => v.k === 'q' && /^builtins\.Array\.prototype\.\w+$/.test(v.q));
  return borrowed?.k === 'q' ? borrowed.q.slice('builtins.Array.prototype.'.length) : undefined;
}
