// Calls that call a function they are given, later, with values they are also given: a timer's extra
// arguments (`setTimeout(f, 0, cp)` calls f(cp)), an emitter's `emit("e", cp)` (the listeners `on("e", f)`
// registered for that event), a FinalizationRegistry's `register(o, cp)` (the registry's callback). This
// file reads the shapes; handoffs.ts hands the values to the callbacks' parameters.
import type { Node } from 'web-tree-sitter';
import { constStrings, type Value } from '../shared/value';
import type { ParentIndex } from '../tree';
import { argumentsOf, nodeText, same } from './syntax';

/** Functions that call their callback (argument `callback`) with their arguments from `from` on. */
const SCHEDULERS = new Map<string, { callback: number; from: number }>([
  ['builtins.setTimeout', { callback: 0, from: 2 }],
  ['builtins.setInterval', { callback: 0, from: 2 }],
  ['builtins.setImmediate', { callback: 0, from: 1 }],
  ['timers.setTimeout', { callback: 0, from: 2 }],
  ['timers.setInterval', { callback: 0, from: 2 }],
  ['timers.setImmediate', { callback: 0, from: 1 }],
  ['process.nextTick', { callback: 0, from: 1 }],
]);

/** Methods that register an event listener: `(event, listener)`. */
export const LISTENER_METHODS = ['on', 'once', 'addListener', 'prependListener', 'prependOnceListener'];
/** How many listener registrations one `emit` looks at. */
const MAX_LISTENERS = 200;

/** The key under which `new FinalizationRegistry(cb)` keeps its callback. */
export const REGISTRY_CALLBACK = '\u0000cleanup';

export interface CallbackCall {
  /** The callback's node. */
  callback: Node;
  /** The parameter of the callback that gets the value. */
  position: number;
}

/** `setTimeout(f, 0, a, cp)`: f is called with cp as its parameter 1. */
export function scheduledCallback(callees: readonly Value[], args: Node[], index: number): CallbackCall[] {
  const out: CallbackCall[] = [];
  for (const callee of callees) {
    const row = callee.k === 'q' ? SCHEDULERS.get(callee.q) : undefined;
    if (row && index >= row.from && args[row.callback])
      out.push({ callback: args[row.callback], position: index - row.from });
  }
  return out;
}

/** The method name of a call through a member (`em.emit(...)`: emit). */
export function methodOf(text: string, call: Node): string | undefined {
  const callee = call.childForFieldName('function');
  const property = callee?.type === 'member_expression' ? callee.childForFieldName('property') : null;
  return property ? nodeText(text, property) : undefined;
}

/**
 * `em.emit("e", a, cp)`: the listeners registered in the file with `x.on("e", f)` (and kin) for the same
 * event, or for an event whose name cannot be known; cp goes to their parameter 1.
 */
export function emittedTo(
  tree: ParentIndex,
  call: Node,
  index: number,
  occurrences: (word: string) => readonly number[],
  constants: (node: Node) => Value[],
): CallbackCall[] {
  const args = argumentsOf(call);
  if (index < 1 || !args[0]) return [];
  const event = constStrings(constants(args[0]));
  const out: CallbackCall[] = [];
  for (const method of LISTENER_METHODS) {
    for (const offset of occurrences(method)) {
      const property = tree.descendantAt(offset, offset + method.length);
      const member = property ? tree.parent(property) : null;
      const registration = member ? tree.parent(member) : null;
      if (
        property?.type !== 'property_identifier' ||
        member?.type !== 'member_expression' ||
        registration?.type !== 'call_expression' ||
        !same(registration.childForFieldName('function'), member)
      )
        continue;
      const [name, listener] = argumentsOf(registration);
      if (!name || !listener) continue;
      const registered = constStrings(constants(name));
      if (event && registered && !registered.some((e) => event.includes(e))) continue;
      out.push({ callback: listener, position: index - 1 });
      if (out.length >= MAX_LISTENERS) return out;
    }
  }
  return out;
}
