// Loops that never end: `while True` (or any constant-true condition) with no reachable exit.
import type { Node } from 'web-tree-sitter';
import type { PythonAnalyzer } from './analyzer';
import type { Span } from './sinks';
import { truthy } from './values';

const EXIT_STATEMENTS = ['break_statement', 'return_statement', 'raise_statement', 'yield'];
const NESTED_SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);
const LOOPS = new Set(['for_statement', 'while_statement']);
const EXIT_CALLS = /\b(?:exit|quit|_exit|abort)\b/g;
const MAX_CANDIDATES = 500;

/** Whether `node` leaves `loop` when reached: no function in between, and for `break` no inner loop. */
function exitsLoop(analyzer: PythonAnalyzer, node: Node, loop: Node, isBreak: boolean): boolean {
  for (
    let current = analyzer.tree.parent(node), steps = 0;
    current && steps < 400;
    current = analyzer.tree.parent(current), steps++
  ) {
    if (current.id === loop.id) return true;
    if (NESTED_SCOPES.has(current.type)) return false;
    if (isBreak && LOOPS.has(current.type)) return false;
  }
  return false;
}

/** True when the loop body can leave the loop: break, return, raise, yield or an exit call. */
export function loopHasExit(analyzer: PythonAnalyzer, loop: Node): boolean {
  const body = loop.childForFieldName('body');
  if (!body) return true;
  const candidates = body.descendantsOfType(EXIT_STATEMENTS);
  for (const candidate of candidates.slice(0, MAX_CANDIDATES)) {
    if (candidate && exitsLoop(analyzer, candidate, loop, candidate.type === 'break_statement')) return true;
  }
  if (candidates.length > MAX_CANDIDATES) return true;
  const text = analyzer.text.slice(body.startIndex, body.endIndex);
  EXIT_CALLS.lastIndex = 0;
  for (let m = EXIT_CALLS.exec(text); m !== null; m = EXIT_CALLS.exec(text)) {
    const start = body.startIndex + m.index;
    const node = analyzer.tree.descendantAt(start, start + m[0].length);
    if (node?.type === 'identifier' && node.startIndex === start && exitsLoop(analyzer, node, loop, false))
      return true;
  }
  return false;
}

/** A finding for a `while` loop whose condition is constantly true and whose body never exits. */
export function checkWhileLoop(
  analyzer: PythonAnalyzer,
  loop: Node,
): { node: Span; message: string } | undefined {
  const condition = loop.childForFieldName('condition');
  if (!condition) return undefined;
  const values = analyzer.evalExpr(condition);
  if (values.length === 0 || !values.every((value) => truthy(value) === true)) return undefined;
  if (loopHasExit(analyzer, loop)) return undefined;
  const header = analyzer.nodeText(condition).replace(/\s+/g, ' ');
  return {
    node: { startIndex: loop.startIndex, endIndex: condition.endIndex },
    message: `while ${header.length > 30 ? `${header.slice(0, 27)}...` : header} never ends: no reachable break, return or raise`,
  };
}
