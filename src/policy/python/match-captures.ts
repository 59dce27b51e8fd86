// `match os:` / `case m:` binds m to the subject itself, as `case <pattern> as m:` does: the only captures
// whose value is known. Captures inside a pattern take parts of the subject and stay unknown.
import type { Node } from 'web-tree-sitter';
import type { ParentIndex } from '../tree';

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

/** The names the cases of a match statement bind to its subject. */
export function subjectCaptures(match: Node): Node[] {
  const body = match.childForFieldName('body');
  if (!body) return [];
  return body.namedChildren
    .filter((c): c is Node => c?.type === 'case_clause')
    .map((clause) => subjectCapture(clause))
    .filter((n): n is Node => !!n);
}
