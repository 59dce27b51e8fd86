// A promise built by `new Promise((resolve, reject) => ...)` settles with what its executor hands to
// `resolve` or `reject`: `new Promise((r) => r(cp)).then((m) => m.exec("id"))` runs cp.exec. Both are read
// as the promise's value (`.then` and `.catch` callbacks, `await` are given it): the analysis does not
// tell a fulfilment from a rejection.
import type { Node } from 'web-tree-sitter';
import type { Value } from '../shared/value';
import type { ParentIndex } from '../tree';
import { FUNCTIONS, PARAMETER_PARENTS, argumentsOf, nodeText, parameterAt, same } from './syntax';

/** How many calls of an executor's resolve/reject are read. */
const MAX_SETTLES = 50;

/** The names an executor gives its `resolve` and `reject` parameters. */
function settlerNames(text: string, executor: Node): string[] {
  return [0, 1]
    .map((i) => parameterAt(executor, i))
    .map((p) => (p && PARAMETER_PARENTS.has(p.type) ? p.childForFieldName('pattern') : p))
    .filter((p): p is Node => p?.type === 'identifier')
    .map((p) => nodeText(text, p));
}

/** The arguments an executor passes to its `resolve` or `reject` (`r(cp)`: cp). */
export function settledWith(text: string, executor: Node): Node[] {
  const names = settlerNames(text, executor);
  const body = executor.childForFieldName('body');
  if (names.length === 0 || !body) return [];
  const out: Node[] = [];
  for (const call of body.descendantsOfType('call_expression').slice(0, 1000)) {
    const callee = call?.childForFieldName('function');
    const args = call ? argumentsOf(call) : [];
    if (callee?.type === 'identifier' && names.includes(nodeText(text, callee))) {
      if (args[0]) out.push(args[0]);
    } else {
      // `setTimeout(r, 0, cp)`, `helper(r, cp)`: r handed on may be called with the call's other arguments.
      const handed = args.findIndex((a) => a.type === 'identifier' && names.includes(nodeText(text, a)));
      if (handed >= 0) out.push(...args.filter((_, i) => i !== handed));
    }
    if (out.length >= MAX_SETTLES) break;
  }
  return out.slice(0, MAX_SETTLES);
}

/**
 * `r(cp)` in an executor: the `new Promise(...)` that the executor (a function around the call, naming its
 * first or second parameter r) belongs to, when `isPromise` says its constructor is Promise.
 */
export function promiseSettledBy(
  text: string,
  tree: ParentIndex,
  call: Node,
  isPromise: (constructor: Node) => boolean,
): Node | undefined {
  const callee = call.childForFieldName('function');
  if (call.type !== 'call_expression' || callee?.type !== 'identifier') return undefined;
  return promiseOfSettler(text, tree, callee, isPromise);
}

/**
 * The `new Promise(...)` whose executor names `settler` (an identifier) as its resolve or reject, when
 * `isPromise` says its constructor is Promise.
 */
export function promiseOfSettler(
  text: string,
  tree: ParentIndex,
  settler: Node,
  isPromise: (constructor: Node) => boolean,
): Node | undefined {
  const name = nodeText(text, settler);
  let current = tree.parent(settler);
  for (let steps = 0; current && steps < 400; steps++, current = tree.parent(current)) {
    if (!FUNCTIONS.has(current.type)) continue;
    const names = settlerNames(text, current);
    if (!names.includes(name)) continue;
    // The innermost function naming it binds it: it must be the executor, or a thenable's `then`.
    const thenable = thenableOf(text, tree, current);
    if (thenable) return thenable;
    const args = tree.parent(current);
    const created = args?.type === 'arguments' ? tree.parent(args) : null;
    const constructor = created?.childForFieldName('constructor');
    if (created?.type !== 'new_expression' || !constructor || !same(argumentsOf(created)[0], current))
      return undefined;
    return isPromise(constructor) ? created : undefined;
  }
  return undefined;
}

/** Whether a value is the Promise constructor. */
export function isPromiseConstructor(values: readonly Value[]): boolean {
  return values.some((v) => v.k === 'q' && v.q === 'builtins.Promise');
}

/**
 * `{ then(r) { r(cp) } }`: an object literal whose `then` method is the function; awaiting the object
 * (or resolving a promise with it) calls `then` with resolve and reject, so it settles as a promise would.
 */
export function thenableOf(text: string, tree: ParentIndex, fn: Node): Node | undefined {
  const holder = fn.type === 'method_definition' ? fn : tree.parent(fn);
  const key = holder?.childForFieldName(holder.type === 'pair' ? 'key' : 'name');
  if (!holder || !key || (holder.type !== 'pair' && holder.type !== 'method_definition')) return undefined;
  if (holder.type === 'pair' && !same(holder.childForFieldName('value'), fn)) return undefined;
  const object = tree.parent(holder);
  return object?.type === 'object' && nodeText(text, key).replace(/['"]/g, '') === 'then'
    ? object
    : undefined;
}

/** The `then` method of an object literal (a method, or a function under the key `then`). */
export function thenMethod(text: string, object: Node): Node | undefined {
  for (const part of object.namedChildren) {
    const key = part?.childForFieldName(part.type === 'pair' ? 'key' : 'name');
    if (!part || !key || nodeText(text, key).replace(/['"]/g, '') !== 'then') continue;
    if (part.type === 'method_definition') return part;
    const value = part.type === 'pair' ? part.childForFieldName('value') : null;
    if (value && FUNCTIONS.has(value.type)) return value;
  }
  return undefined;
}
