// `match os:` / `case m:` binds m to the subject itself, as `case <pattern> as m:` does. Captures inside a
// pattern (`case [m]:`, `case {"k": m}:`, `case K(a=m):`, `case [*ms]:`) take parts of the subject: any part
// (loop-targets.ts, an over-approximation).
import type { Node } from 'web-tree-sitter';
import type { ParentIndex } from '../tree';
import { same } from './state';

/** The match statement's single subject (`match a, b:` matches a tuple, which is not followed). */
export function matchSubject(match: Node): Node | undefined {
  const subjects = match.childrenForFieldName('subject').filter((s): s is Node => !!s);
  return subjects.length === 1 ? subjects[0] : undefined;
}

/** The name a case clause binds to the whole subject, if any: `case m:`, `case str() as m:`. */
export function subjectCapture(clause: Node): Node | undefined {
  const patterns = clause.namedChildren.filter((c): c is Node => c?.type === 'case_pattern');
  if (patterns.length !== 1) return undefined;
  const inner = patterns[0].firstNamedChild;
  if (inner?.type === 'dotted_name' && inner.namedChildCount === 1) return inner.firstNamedChild ?? undefined;
  if (inner?.type === 'as_pattern') {
    const alias = inner.lastNamedChild;
    return alias?.type === 'identifier' ? alias : undefined;
  }
  return undefined;
}

/** For a capture name in a case pattern, the subject it takes whole, if it does. */
export function capturedSubject(tree: ParentIndex, name: Node): Node | undefined {
  let clause: Node | null = tree.parent(name);
  for (let steps = 0; clause && clause.type !== 'case_clause' && steps < 4; steps++)
    clause = tree.parent(clause);
  if (clause?.type !== 'case_clause' || subjectCapture(clause)?.id !== name.id) return undefined;
  const match = tree.parent(tree.parent(clause) ?? clause);
  return match?.type === 'match_statement' ? matchSubject(match) : undefined;
}

/** How far up a capture nested in a case pattern is looked for its clause. */
const MAX_NESTING = 16;

/** For a capture anywhere in a case pattern, the subject of its match statement. */
export function patternSubject(tree: ParentIndex, name: Node): Node | undefined {
  let node: Node | null = tree.parent(name);
  for (let steps = 0; node && steps < MAX_NESTING; steps++) {
    if (node.type === 'case_clause') {
      const match = tree.parent(tree.parent(node) ?? node);
      return match?.type === 'match_statement' ? matchSubject(match) : undefined;
    }
    if (node.type === 'block' || node.type === 'if_clause') return undefined;
    node = tree.parent(node);
  }
  return undefined;
}

/** Whether an identifier in a case pattern is a capture: `m`, `[m]`, `K(a=m)`, `... as m`, `*ms`. */
function isCapture(name: Node, parent: Node, grand: Node | null): boolean {
  switch (parent.type) {
    case 'dotted_name':
      return (
        parent.namedChildCount === 1 &&
        (grand?.type === 'case_pattern' ||
          (grand?.type === 'keyword_pattern' && same(grand.lastNamedChild, parent)))
      );
    case 'as_pattern':
    case 'splat_pattern':
      return same(parent.lastNamedChild, name);
    default:
      return false;
  }
}

/** The names the cases of a match statement bind to its subject or to parts of it. */
export function subjectCaptures(match: Node): Node[] {
  const body = match.childForFieldName('body');
  const out: Node[] = [];
  const walk = (node: Node, parent: Node, grand: Node | null, depth: number): void => {
    if (node.type === 'identifier') {
      if (isCapture(node, parent, grand)) out.push(node);
      return;
    }
    if (depth < MAX_NESTING)
      for (const child of node.namedChildren) if (child) walk(child, node, parent, depth + 1);
  };
  for (const clause of body?.namedChildren ?? []) {
    if (clause?.type !== 'case_clause') continue;
    for (const pattern of clause.namedChildren)
      if (pattern?.type === 'case_pattern') walk(pattern, clause, null, 0);
  }
  return out;
}
