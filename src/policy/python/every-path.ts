// Bindings made on every path through a `try` statement: the name is bound after the statement when its
// `finally` binds it, or when the body (or its `else`) binds it and every handler binds it too or leaves
// (raise, return, break, continue). The binder (resolveUse) then treats the statement as one definite
// binding at its end, with the values of every binding inside it.
import type { Node } from 'web-tree-sitter';
import type { ParentIndex } from '../tree';
import type { Binding } from './state';

const HANDLERS = new Set(['except_clause', 'except_group_clause']);
/** Statements after which a handler's block does not fall through to the code after the try. */
const EXITS = new Set(['raise_statement', 'return_statement', 'break_statement', 'continue_statement']);

/** The try statement a clause's block belongs to (its body, a handler, its else or its finally). */
export function tryStatementOf(tree: ParentIndex, block: Node): Node | undefined {
  const parent = tree.parent(block);
  if (parent?.type === 'try_statement') return parent;
  if (
    parent &&
    (HANDLERS.has(parent.type) || parent.type === 'else_clause' || parent.type === 'finally_clause')
  ) {
    const grand = tree.parent(parent);
    return grand?.type === 'try_statement' ? grand : undefined;
  }
  return undefined;
}

/** Whether every path through `statement` (a try) that reaches the code after it binds the name. */
export function tryBindsOnEveryPath(statement: Node, bindings: readonly Binding[]): boolean {
  const bound = new Set<number>();
  for (const binding of bindings) {
    if (binding.block && binding.pos > statement.startIndex && binding.pos <= statement.endIndex)
      bound.add(binding.block.id);
  }
  const binds = (block: Node | null | undefined): boolean => !!block && bound.has(block.id);
  let body = binds(statement.childForFieldName('body'));
  let handlersBind = true;
  for (const clause of statement.namedChildren) {
    if (!clause) continue;
    const block = clause.namedChildren.find((child) => child?.type === 'block');
    if (clause.type === 'finally_clause' && binds(block)) return true;
    if (clause.type === 'else_clause') body ||= binds(block);
    if (HANDLERS.has(clause.type) && !binds(block) && !EXITS.has(block?.lastNamedChild?.type ?? ''))
      handlersBind = false;
  }
  return body && handlersBind;
}
