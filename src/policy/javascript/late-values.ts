// Values a construct hands out later, read by the evaluator: a Proxy whose `get` trap answers every
// member (`new Proxy({}, { get: () => cp }).x` is cp), a FinalizationRegistry holding its cleanup callback,
// `Promise.withResolvers()` whose promise settles with what its resolve or reject is called with, and an
// awaited thenable (`await { then(r) { r(cp) } }`), which settles as its `then` calls r.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, dedupe, type Value } from '../shared/value';
import type { ParentIndex } from '../tree';
import { REGISTRY_CALLBACK } from './callbacks';
import { settledWith } from './promises';
import { argumentsOf, nodeText, same } from './syntax';
import { COMPUTED_KEY, membersOf } from './values';

/** How many calls of a withResolvers' resolve or reject are read. */
const MAX_SETTLES = 50;
const SETTLERS = ['resolve', 'reject'];

/** `new Proxy(target, handler)`: the target's members, and whatever the handler's `get` trap returns. */
export function proxyValue(target: Value[], handler: Value[], returnsOf: (fn: Node) => Value[]): Value[] {
  const traps = membersOf(handler, ['get']).filter((v) => v.k === 'fn');
  const answered = dedupe(traps.flatMap((t) => returnsOf(t.node)));
  return answered.length > 0 ? [...target, { k: 'dict', keys: [COMPUTED_KEY], items: [answered] }] : target;
}

/** `new FinalizationRegistry(cb)`: a registry keeping cb, which its `register(o, v)` calls with v. */
export function registryValue(callbacks: Value[]): Value {
  return { k: 'dict', keys: [REGISTRY_CALLBACK], items: [callbacks.filter((v) => v.k === 'fn')] };
}

/** `await x`: x's values, and what a thenable among them settles with. */
export function awaitedValues(text: string, values: Value[], evalExpr: (node: Node) => Value[]): Value[] {
  const settled = membersOf(
    values.filter((v) => v.k === 'dict'),
    ['then'],
  ).flatMap((then) => (then.k === 'fn' ? settledWith(text, then.node).flatMap(evalExpr) : []));
  return settled.length > 0 ? dedupe([...values, ...settled]) : values;
}

/**
 * `const { promise, resolve } = Promise.withResolvers()` (or `const d = ...; d.resolve(v)`): the names that
 * call the resolve and reject functions, and the arguments they are called with in the file.
 */
export function resolversSettledWith(
  text: string,
  tree: ParentIndex,
  call: Node,
  occurrences: (word: string) => readonly number[],
): Node[] {
  const declarator = tree.parent(call);
  const name = declarator?.type === 'variable_declarator' ? declarator.childForFieldName('name') : null;
  if (!name || !same(declarator!.childForFieldName('value'), call)) return [];
  const out: Node[] = [];
  const settle = (settler: Node): void => {
    const parent = tree.parent(settler);
    if (parent?.type === 'call_expression' && same(parent.childForFieldName('function'), settler)) {
      const arg = argumentsOf(parent)[0];
      if (arg) out.push(arg);
    } else if (parent?.type === 'arguments') {
      // `setTimeout(resolve, 0, cp)`: handed on, it may be called with the call's other arguments.
      out.push(...parent.namedChildren.filter((a): a is Node => !!a && a.id !== settler.id));
    }
  };
  const uses = (word: string, visit: (node: Node) => void): void => {
    for (const offset of occurrences(word)) {
      const node = tree.descendantAt(offset, offset + word.length);
      if (node?.type === 'identifier' && node.startIndex === offset) visit(node);
      if (out.length >= MAX_SETTLES) return;
    }
  };
  if (name.type === 'identifier') {
    // `d.resolve(cp)`.
    uses(nodeText(text, name), (d) => {
      const member = tree.parent(d);
      const property = member?.type === 'member_expression' ? member.childForFieldName('property') : null;
      if (
        property &&
        same(member!.childForFieldName('object'), d) &&
        SETTLERS.includes(nodeText(text, property))
      )
        settle(member!);
    });
  } else if (name.type === 'object_pattern') {
    for (const part of name.namedChildren) {
      const key = part?.type === 'pair_pattern' ? part.childForFieldName('key') : part;
      const local = part?.type === 'pair_pattern' ? part.childForFieldName('value') : part;
      if (!key || !local || !SETTLERS.includes(nodeText(text, key))) continue;
      if (local.type !== 'identifier' && local.type !== 'shorthand_property_identifier_pattern') continue;
      uses(nodeText(text, local), settle);
    }
  }
  return out.slice(0, MAX_SETTLES);
}

/** What `Promise.withResolvers()` gives: its promise holds what the resolve and reject calls pass. */
export function resolversValue(settled: Value[]): Value {
  return {
    k: 'dict',
    keys: ['promise', 'resolve', 'reject'],
    items: [dedupe([OPAQUE, ...settled]), [OPAQUE], [OPAQUE]],
  };
}
