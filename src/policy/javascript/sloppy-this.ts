// `this` outside a class. In sloppy-mode code a function called without a receiver gets the global object
// as `this`, so `(function () { return this })().eval(code)` is the global eval. Read that way only where
// the function is not a method (a property's value, a `X.prototype.m = function` store) and no `'use
// strict'` directive or module syntax makes the code strict; at the top level `this` is the module's
// exports (CommonJS) or undefined (ES modules), never the global object.
import type { Node } from 'web-tree-sitter';
import type { ParentIndex } from '../tree';
import { MAX_CLIMB, nodeText } from './syntax';

const PLAIN_FUNCTIONS = new Set([
  'function_declaration',
  'function_expression',
  'function',
  'generator_function',
  'generator_function_declaration',
]);
/** Where a function is a method, called with a receiver: `{ m: function () {} }`, `o.m = function () {}`. */
function isMethodValue(tree: ParentIndex, fn: Node): boolean {
  const parent = tree.parent(fn);
  if (!parent) return false;
  if (parent.type === 'pair') return true;
  return parent.type === 'assignment_expression' && parent.childForFieldName('left')?.type !== 'identifier';
}

/** A body that opens with a `'use strict'` directive. */
function opensWithUseStrict(text: string, body: Node | null): boolean {
  for (const statement of body?.namedChildren ?? []) {
    if (statement?.type === 'comment') continue;
    const expression = statement?.type === 'expression_statement' ? statement.firstNamedChild : null;
    if (expression?.type !== 'string') return false;
    if (/^["']use strict["']$/.test(nodeText(text, expression))) return true;
  }
  return false;
}

/** A file that is strict throughout: an ES module (import or export statements), or `'use strict'` on top. */
export function isStrictFile(text: string, root: Node): boolean {
  return isEsModule(root) || opensWithUseStrict(text, root);
}

/** An ES module: a file with import or export statements (else CommonJS, whose top-level `this` is its exports). */
export function isEsModule(root: Node): boolean {
  return root.namedChildren.some((c) => c?.type === 'import_statement' || c?.type === 'export_statement');
}

/** Whether this `this` (not in a class member) may be the global object, in a file that is not strict. */
export function thisMayBeGlobal(text: string, tree: ParentIndex, node: Node): boolean {
  let fn: Node | undefined;
  let current = tree.parent(node);
  for (let steps = 0; current && steps < MAX_CLIMB; steps++, current = tree.parent(current)) {
    if (!fn && current.type === 'method_definition') return false;
    if (!fn && PLAIN_FUNCTIONS.has(current.type)) {
      if (isMethodValue(tree, current)) return false;
      fn = current;
    }
    if (PLAIN_FUNCTIONS.has(current.type) && opensWithUseStrict(text, current.childForFieldName('body')))
      return false;
  }
  return fn !== undefined;
}
