// Object literals as values: their members by constant name (`{ f: require("fs"), g, m() {} }`), getters
// by what they return, setters under a hidden key; and an object with its own iterator
// (`{ *[Symbol.iterator]() { yield cp } }`), which spreading, destructuring, `for...of` and `Array.from`
// read as the list of what the iterator gives.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, dedupe, type Value } from '../shared/value';
import { iteratorKey } from './iteration';
import { COMPUTED_KEY, getterKey, membersOf, setterKey } from './values';

/** The hidden key under which an object (or a class's instance) keeps its `[Symbol.iterator]` method. */
export const ITERATOR_KEY = '\u0000iterator';

/** What evaluating an object literal's parts needs of the analysis. */
export interface LiteralContext {
  evalExpr(node: Node | null | undefined): Value[];
  resolveUse(node: Node, name: string): Value[];
  propertyKey(key: Node | null | undefined): string | undefined;
  returnsOf(fn: Node): Value[];
  nodeText(node: Node): string;
}

/** `[Symbol.iterator]`, `[Symbol.asyncIterator]` as a member's name: ITERATOR_KEY. */
export function iteratorMemberName(text: (node: Node) => string, key: Node | null): string | undefined {
  if (key?.type !== 'computed_property_name') return undefined;
  const expression = key.namedChildren.find((c): c is Node => !!c && c.type !== 'comment');
  return expression && iteratorKey(text(expression)) ? ITERATOR_KEY : undefined;
}

/**
 * An object literal with constant keys. `getters` false: a getter's member is unknown (the object is
 * being evaluated already, and the getter may read it through `this`).
 */
export function objectLiteralValue(ctx: LiteralContext, node: Node, getters: boolean): Value {
  const keys: string[] = [];
  const items: Value[][] = [];
  for (const part of node.namedChildren.slice(0, 1000)) {
    if (!part) continue;
    if (part.type === 'spread_element') {
      // `{ ...{ m: cp } }`, `{ ...o }`: the members of the object spread, under their names.
      for (const value of ctx.evalExpr(part.firstNamedChild).slice(0, 8)) {
        if (value.k !== 'dict') continue;
        keys.push(...value.keys);
        items.push(...value.items);
      }
      continue;
    }
    if (part.type === 'shorthand_property_identifier') {
      keys.push(ctx.nodeText(part));
      items.push(ctx.resolveUse(part, ctx.nodeText(part)));
      continue;
    }
    const key =
      part.type === 'pair' || part.type === 'method_definition'
        ? part.childForFieldName(part.type === 'pair' ? 'key' : 'name')
        : null;
    const computed = key?.type === 'computed_property_name';
    const name =
      iteratorMemberName((n) => ctx.nodeText(n), key) ??
      ctx.propertyKey(key) ??
      (computed && part.type === 'pair' ? COMPUTED_KEY : undefined);
    if (name === undefined) continue;
    keys.push(name);
    if (part.type === 'method_definition' && part.children.some((c) => c?.type === 'get')) {
      // `{ get x() { return cp } }`: reading x runs the getter; its descriptor's `get` is the function.
      items.push(getters ? ctx.returnsOf(part) : [OPAQUE]);
      keys.push(getterKey(name));
      items.push([{ k: 'fn', node: part }]);
      continue;
    }
    if (part.type === 'method_definition' && part.children.some((c) => c?.type === 'set')) {
      // `{ set x(v) { ... } }`: assigning to x calls the setter with the value (flow.ts).
      keys[keys.length - 1] = setterKey(name);
      items.push([{ k: 'fn', node: part }]);
      continue;
    }
    items.push(
      part.type === 'pair' ? ctx.evalExpr(part.childForFieldName('value')) : [{ k: 'fn', node: part }],
    );
  }
  return { k: 'dict', keys, items };
}

/**
 * What iterating an object with its own `[Symbol.iterator]` gives, as a list of one slot: a generator
 * method's yields, or the `value` of what the `next()` of the iterator it returns gives back.
 */
export function iterationOf(ctx: LiteralContext, objects: readonly Value[]): Value[] {
  const out: Value[] = [];
  for (const method of membersOf(
    objects.filter((v) => v.k === 'dict'),
    [ITERATOR_KEY],
  )) {
    if (method.k !== 'fn') continue;
    for (const iterator of ctx.returnsOf(method.node)) {
      if (iterator.k === 'seq') out.push(iterator);
      else if (iterator.k === 'dict') {
        const results = membersOf([iterator], ['next']).flatMap((n) =>
          n.k === 'fn' ? ctx.returnsOf(n.node) : [],
        );
        out.push({ k: 'seq', items: [dedupe(membersOf(results, ['value']))] });
      }
    }
  }
  return out.slice(0, 8);
}
