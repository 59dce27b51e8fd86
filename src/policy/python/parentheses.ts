// Parentheses only group: what they hold is the expression's value.
import type { Node } from 'web-tree-sitter';

/**
 * The expression any depth of parentheses holds, unwrapped in a loop so that forty pairs of them (valid
 * Python up to 200) do not reach the evaluation's depth limit.
 */
export function insideParentheses(node: Node): Node {
  let inner = node;
  while (inner.type === 'parenthesized_expression') {
    const held = inner.namedChildren.find((child) => child?.type !== 'comment');
    if (!held) break;
    inner = held;
  }
  return inner;
}
