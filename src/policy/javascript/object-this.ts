// `this` in an object literal's methods: `{ cp, run() { return this.cp.exec("id") } }` called as `o.run()`
// runs with the object as its receiver, so `this` is the object (besides what it is otherwise: a method
// taken off the object and called bare has another). Methods, getters, setters and `function`
// expressions given as members count; arrows do not (their `this` is the surroundings'), but an arrow
// inside a method shares the method's.
import type { Node } from 'web-tree-sitter';
import type { ParentIndex } from '../tree';
import { ownThis, thisFunction } from './receivers';

/** How many `this` uses of one object literal are followed. */
const MAX_THIS_USES = 200;

/** Function expressions that, as an object literal's member, get the object as `this`. */
const MEMBER_FUNCTIONS = new Set(['function_expression', 'function', 'generator_function']);

/** The object literal a function is a method (or `function` member) of; undefined otherwise. */
export function objectOfMethod(tree: ParentIndex, fn: Node): Node | undefined {
  const parent = tree.parent(fn);
  if (fn.type === 'method_definition') return parent?.type === 'object' ? parent : undefined;
  if (!MEMBER_FUNCTIONS.has(fn.type) || parent?.type !== 'pair') return undefined;
  const object = tree.parent(parent);
  return object?.type === 'object' && parent.childForFieldName('value')?.id === fn.id ? object : undefined;
}

/** The object literal whose method a `this` is in (through arrows); undefined otherwise. */
export function thisObject(tree: ParentIndex, node: Node): Node | undefined {
  const fn = thisFunction(tree, node);
  return fn && objectOfMethod(tree, fn);
}

/** The `this` nodes of an object literal's own methods (`this.cp`, `const { cp } = this`). */
export function objectThisUses(tree: ParentIndex, object: Node): Node[] {
  const out: Node[] = [];
  for (const part of object.namedChildren) {
    const fn = part?.type === 'pair' ? part.childForFieldName('value') : part;
    if (!fn || objectOfMethod(tree, fn)?.id !== object.id) continue;
    out.push(...ownThis(tree, fn));
    if (out.length >= MAX_THIS_USES) return out.slice(0, MAX_THIS_USES);
  }
  return out;
}
