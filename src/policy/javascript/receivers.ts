// Calls that choose the `this` a function runs with: `f.call(t, ...args)`, `f.apply(t, args)`,
// `f.bind(t, ...args)`, `Reflect.apply(f, t, args)` and the same reached through Function.prototype
// (`Function.prototype.call.call(f, t)`). The caller's receiver is the function's `this`, so
// `function f() { return this.exec("id") }` run by `f.call(cp)` runs cp.exec. This file only reads the
// shapes; handoffs.ts gives the receiver to the function and evaluator.ts gives the call's result.
import type { Node } from 'web-tree-sitter';
import type { Value } from '../shared/value';
import type { ParentIndex } from '../tree';
import { FIELDS } from './classes';
import { MAX_CLIMB, argumentsOf, nodeText } from './syntax';

/** Functions with a `this` of their own (an arrow's is its surroundings'). */
const OWN_THIS = new Set([
  'function_declaration',
  'function_expression',
  'function',
  'method_definition',
  'generator_function',
  'generator_function_declaration',
]);

const THROUGH = /^builtins\.Function(?:\.prototype)?\.(call|apply|bind)$/;

export interface ReceiverCall {
  /** The function called (or bound). */
  fn: Node;
  /** The receiver it is given (undefined: none, `f.call()`). */
  receiver: Node | undefined;
  /** Its arguments, one per parameter (`call`, `bind`), or the list that holds them (`apply`). */
  args: Node[];
  list: Node | undefined;
  /** `bind`: the call gives back the function, bound. */
  bind: boolean;
}

/** The function whose own `this` a `this` is: through arrows, not past a class field or static block. */
export function thisFunction(tree: ParentIndex, node: Node): Node | undefined {
  let current = tree.parent(node);
  for (let steps = 0; current && steps < MAX_CLIMB; steps++, current = tree.parent(current)) {
    if (OWN_THIS.has(current.type)) return current;
    if (FIELDS.has(current.type) || current.type === 'class_static_block') return undefined;
  }
  return undefined;
}

/** The `this` nodes of a function's own code (its arrows' included, nested functions' not). */
export function ownThis(tree: ParentIndex, fn: Node): Node[] {
  const body = fn.childForFieldName('body');
  if (!body) return [];
  return body
    .descendantsOfType('this')
    .filter((t): t is Node => !!t && thisFunction(tree, t)?.id === fn.id)
    .slice(0, 200);
}

/** A function that takes a receiver: a function of the file other than an arrow or a class. */
export function takesReceiver(value: Value): value is Value & { k: 'fn' } {
  return value.k === 'fn' && OWN_THIS.has(value.node.type);
}

/**
 * The shape of a call that chooses a receiver. `.call`, `.apply` and `.bind` are read from the text (the
 * function's own methods); `Reflect.apply` and Function.prototype's methods from the callee's value.
 */
export function receiverCall(
  text: string,
  call: Node,
  calleeValues: (callee: Node) => Value[],
): ReceiverCall | undefined {
  if (call.type !== 'call_expression') return undefined;
  const callee = call.childForFieldName('function');
  const args = argumentsOf(call);
  if (!callee) return undefined;
  if (args.length >= 2 && calleeValues(callee).some((v) => v.k === 'q' && v.q === 'builtins.Reflect.apply'))
    return { fn: args[0], receiver: args[1], args: [], list: args[2], bind: false };
  if (callee.type !== 'member_expression') return undefined;
  const property = callee.childForFieldName('property');
  const method = property ? nodeText(text, property) : '';
  const object = callee.childForFieldName('object');
  if (!object || (method !== 'call' && method !== 'apply' && method !== 'bind')) return undefined;
  const through = calleeValues(object).find((v) => v.k === 'q' && THROUGH.test(v.q));
  if (!through) return shape(object, args, method);
  // `Function.prototype.call.call(f, t, ...)` is f.call(t, ...); `.apply.call(f, t, list)` f.apply(t, list).
  if (method !== 'call' || !args[0]) return undefined;
  return shape(args[0], args.slice(1), THROUGH.exec((through as { q: string }).q)![1]);
}

function shape(fn: Node, args: Node[], method: string): ReceiverCall {
  return {
    fn,
    receiver: args[0],
    args: method === 'apply' ? [] : args.slice(1),
    list: method === 'apply' ? args[1] : undefined,
    bind: method === 'bind',
  };
}
