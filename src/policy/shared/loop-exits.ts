// Whether a loop body can leave the loop, as both analyzers judge it: some exit statement (break,
// return, raise/throw, yield) reaches the loop with no function or class in between, and a plain
// `break` with no inner loop (or switch) in between. Which node types are which is each language's.
import type { Node } from 'web-tree-sitter';
import type { ParentIndex } from '../tree';

export interface LoopSyntax {
  /** Statement types that leave a loop. */
  exits: readonly string[];
  /** Whether a node ends the climb: a nested function or class (and, for a break, an inner loop). */
  stops(node: Node, isBreak: boolean): boolean;
  /** Whether an exit is an unlabelled break (stopped by an inner loop). */
  isPlainBreak(node: Node): boolean;
}

const MAX_CANDIDATES = 500;
const MAX_CLIMB = 400;

/** Whether `node` leaves `loop` when reached. */
export function exitsLoop(
  tree: ParentIndex,
  syntax: LoopSyntax,
  node: Node,
  loop: Node,
  isBreak: boolean,
): boolean {
  for (
    let current = tree.parent(node), steps = 0;
    current && steps < MAX_CLIMB;
    current = tree.parent(current), steps++
  ) {
    if (current.id === loop.id) return true;
    if (syntax.stops(current, isBreak)) return false;
  }
  return false;
}

/**
 * Whether an exit statement of the body leaves the loop: true or false, or 'many' when the body holds
 * more candidates than are examined (then the loop is taken to end).
 */
export function exitStatementLeaves(
  tree: ParentIndex,
  syntax: LoopSyntax,
  loop: Node,
  body: Node,
): boolean | 'many' {
  const candidates = body.descendantsOfType([...syntax.exits]);
  for (const candidate of candidates.slice(0, MAX_CANDIDATES)) {
    if (candidate && exitsLoop(tree, syntax, candidate, loop, syntax.isPlainBreak(candidate))) return true;
  }
  return candidates.length > MAX_CANDIDATES ? 'many' : false;
}
