// A CommonJS file's top-level `arguments`. Node runs the file as the body of a wrapper function
// `(exports, require, module, __filename, __dirname)`, so outside any function of its own (an arrow has
// none; it sees its surroundings') `arguments[1]` is require and `arguments[2]` the module record.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, type Value } from '../shared/value';
import type { ParentIndex } from '../tree';
import { FUNCTIONS, MAX_CLIMB } from './syntax';

/** What the wrapper is called with: `exports, require, module, __filename, __dirname`. */
const WRAPPER_ARGUMENTS: Value = {
  k: 'seq',
  items: [[OPAQUE], [{ k: 'q', q: 'builtins.require' }], [{ k: 'q', q: 'module' }], [OPAQUE], [OPAQUE]],
};

/** Whether `arguments` here is the file's own: no function but arrows, and no class body, around it. */
export function isWrapperArguments(tree: ParentIndex, node: Node): boolean {
  let current = tree.parent(node);
  for (let steps = 0; current && steps < MAX_CLIMB; steps++, current = tree.parent(current)) {
    if (current.type === 'class_body') return false;
    if (FUNCTIONS.has(current.type) && current.type !== 'arrow_function') return false;
  }
  return !current;
}

/** The value of an unbound `arguments`: the wrapper's, at the top level; nothing known elsewhere. */
export function wrapperArguments(tree: ParentIndex, node: Node): Value[] {
  return isWrapperArguments(tree, node) ? [WRAPPER_ARGUMENTS] : [];
}

/** Whether any of these occurrences of `arguments` is the file's own (then the name is followed). */
export function anyWrapperArguments(tree: ParentIndex, offsets: readonly number[]): boolean {
  return offsets.some((offset) => {
    const node = tree.descendantAt(offset, offset + 9);
    return node?.type === 'identifier' && node.startIndex === offset && isWrapperArguments(tree, node);
  });
}
