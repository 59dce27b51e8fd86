// Calls whose result is what a callback given to them returns: `list.reduce(fn)` (the last accumulator),
// `Array.from(items, fn)` (a list of what fn maps each item to), `JSON.parse(text, reviver)` (the
// reviver's answer for the whole document) and `list.flatMap(fn)` (the lists fn returns, flattened).
// flow.ts asks this when a function seen returning a followed value is passed on.
import type { Node } from 'web-tree-sitter';
import { dedupe, type Value } from '../shared/value';
import { argumentsOf } from './syntax';

/** How a call hands on what its callback at `index` returns. */
type Use = 'same' | 'list' | 'flattened';

/** Methods (of any receiver) by name, and globals by qualified name: the callback's place and its use. */
const METHODS = new Map<string, [number, Use]>([
  ['reduce', [0, 'same']],
  ['reduceRight', [0, 'same']],
  ['flatMap', [0, 'flattened']],
]);
const GLOBALS = new Map<string, [number, Use]>([
  ['builtins.Array.from', [1, 'list']],
  ['builtins.JSON.parse', [1, 'same']],
]);

/**
 * What the call gives when the argument at `index` is a callback returning `returned`: empty when the
 * call is none of these (`method`: the callee's property name; `callees`: the callee's values).
 */
export function callbackResults(
  method: string | undefined,
  callees: readonly Value[],
  index: number,
  returned: readonly Value[],
): Value[] {
  const byName = method === undefined ? undefined : METHODS.get(method);
  const byGlobal = callees.map((c) => (c.k === 'q' ? GLOBALS.get(c.q) : undefined)).find((u) => u);
  const row = byGlobal ?? byName;
  if (!row || row[0] !== index || returned.length === 0) return [];
  const use = row[1];
  if (use === 'same') return dedupe([...returned]);
  if (use === 'list') return [{ k: 'seq', items: [dedupe([...returned])] }];
  // `flatMap`: a returned list's elements, or the returned value itself.
  const flat = returned.flatMap((v) => (v.k === 'seq' ? v.items.flat() : [v]));
  return [{ k: 'seq', items: [dedupe(flat)] }];
}

/** What the evaluator needs to read a call through its callback. */
export interface CallbackReader {
  evalExpr(node: Node | null | undefined): Value[];
  returnsOf(fn: Node): Value[];
  nodeText(node: Node): string;
}

/** What a call gives through the callback it is given (`[1].reduce(() => cp)`), or empty. */
export function throughCallback(reader: CallbackReader, call: Node, callee: Node): Value[] {
  const property = callee.type === 'member_expression' ? callee.childForFieldName('property') : null;
  const name = property ? reader.nodeText(property) : undefined;
  const method = name !== undefined && METHODS.has(name) ? name : undefined;
  // A global (`Array.from`, `JSON.parse`) is evaluated only when its own name could be one.
  const globalName = name === 'from' || name === 'parse' || callee.type === 'identifier';
  const callees = method === undefined && globalName ? reader.evalExpr(callee) : [];
  if (method === undefined && !callees.some((c) => c.k === 'q' && GLOBALS.has(c.q))) return [];
  const args = argumentsOf(call);
  for (const index of [0, 1]) {
    const fns = args[index] ? reader.evalExpr(args[index]).filter((v) => v.k === 'fn') : [];
    const returned = fns.flatMap((f) => reader.returnsOf(f.node));
    const out = callbackResults(method, callees, index, returned);
    if (out.length > 0) return out;
  }
  return [];
}
