// How a node relates to its parent for the forward flow (flow.ts): called, an attribute read, subscripted,
// parenthesised, flowing into an operator's result, aliased to names, or something else (flowOut decides).
import type { Node } from 'web-tree-sitter';
import { matchSubject, subjectCaptures } from './match-captures';
import type { Scopes } from './scopes';
import { withTarget } from './seeds';
import { DISPLAYS, misparsedSplat, nodeText, same, type Source } from './state';
import { TARGET_PATTERNS } from './target-patterns';

export type Relation = 'call' | 'attr' | 'subscript' | 'paren' | 'flow' | 'alias' | 'other';

export function relationOf(source: Source, scopes: Scopes, node: Node, parent: Node): Relation {
  const atStart = node.startIndex === parent.startIndex;
  switch (parent.type) {
    case 'conditional_expression':
      // `a if c else b`: a and b flow into the result, c does not.
      return same(parent.namedChildren[1], node) ? 'other' : 'flow';
    case 'boolean_operator':
      return 'flow';
    case 'binary_operator': {
      const op = parent.childForFieldName('operator');
      return atStart && op && nodeText(source, op) === '/' ? 'flow' : 'other';
    }
    case 'call':
      return atStart && same(parent.childForFieldName('function'), node) ? 'call' : 'other';
    case 'attribute':
      return atStart ? 'attr' : 'other';
    case 'subscript':
      return atStart && same(parent.childForFieldName('value'), node) ? 'subscript' : 'other';
    case 'parenthesized_expression':
    case 'await':
      return 'paren';
    case 'list_splat':
    case 'dictionary_splat': {
      // `[*xs]`, `{**d}`: the display holds the items (flow.ts evaluates it).
      const display = source.tree.parent(parent)?.type ?? '';
      const spread = parent.type === 'list_splat' ? DISPLAYS.has(display) : display === 'dictionary';
      return misparsedSplat(source.tree, parent) || spread ? 'paren' : 'other';
    }
    case 'match_statement':
      return same(matchSubject(parent), node) ? 'alias' : 'other';
    case 'assignment':
      return same(parent.childForFieldName('right'), node) && aliasTargetsOf(scopes, parent).length > 0
        ? 'alias'
        : 'other';
    case 'named_expression':
      return same(parent.childForFieldName('value'), node) ? 'alias' : 'other';
    case 'augmented_assignment':
      // `xs += [os]`: xs holds the value from then on (its binding adds the right side).
      return same(parent.childForFieldName('right'), node) && aliasTargetsOf(scopes, parent).length > 0
        ? 'alias'
        : 'other';
    case 'as_pattern':
      // `with paramiko.SSHClient() as c`: c holds what __enter__ returns, the object itself for the
      // classes followed (clients, archives, connections).
      return withTarget(source, parent, node) ? 'alias' : 'other';
    case 'expression_list': {
      const grand = source.tree.parent(parent);
      return grand?.type === 'assignment' &&
        same(grand.childForFieldName('right'), parent) &&
        aliasTargetsOf(scopes, grand).length > 0
        ? 'alias'
        : 'other';
    }
    default:
      return 'other';
  }
}

/** Plain names an assignment binds in a function or module scope (class attributes cannot be followed). */
export function aliasTargetsOf(scopes: Scopes, assignment: Node): Node[] {
  const left = assignment.childForFieldName('left');
  if (!left) return [];
  if (scopes.contextOf(assignment).scopes[0].kind === 'class') return [];
  if (left.type === 'identifier') return [left];
  // `a, *rest = xs`, `[m] = xs`, `(a, (b, m)) = xs`: every name of the pattern, however nested or starred.
  const names: Node[] = [];
  const stack = TARGET_PATTERNS.has(left.type) ? [left] : [];
  while (stack.length > 0 && names.length < MAX_PATTERN_NAMES) {
    for (const item of stack.pop()!.namedChildren) {
      if (item?.type === 'identifier') names.push(item);
      else if (item && TARGET_PATTERNS.has(item.type)) stack.push(item);
      else if (item) return [];
    }
  }
  return names;
}

const MAX_PATTERN_NAMES = 64;

/** The names a value is assigned to where it stands (an `alias` relation with `parent`): scanned in turn. */
export function aliasNames(source: Source, scopes: Scopes, parent: Node): Node[] {
  if (parent.type === 'match_statement') return subjectCaptures(parent);
  const withAlias = parent.type === 'as_pattern' ? withTarget(source, parent) : undefined;
  if (withAlias) return [withAlias];
  if (parent.type === 'named_expression')
    return [parent.childForFieldName('name')].filter((n): n is Node => !!n);
  const assignment = parent.type === 'expression_list' ? source.tree.parent(parent) : parent;
  return assignment ? aliasTargetsOf(scopes, assignment) : [];
}
