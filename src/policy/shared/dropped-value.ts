// Whether an expression's value is used: `(f := os.system)("ls")` calls what the assignment gives, while
// `(f := os.system)` on a line of its own only binds. Both grammars name these nodes alike.
import type { Node } from 'web-tree-sitter';
import type { ParentIndex } from '../tree';

/** An expression that is a statement of its own, in parentheses or not: its value is dropped. */
export function valueDropped(tree: ParentIndex, expression: Node): boolean {
  let parent = tree.parent(expression);
  while (parent?.type === 'parenthesized_expression') parent = tree.parent(parent);
  return parent?.type === 'expression_statement';
}
