// Loops that never end: `while True` (or any constant-true condition) with no reachable exit.
import type { Node } from 'web-tree-sitter';
import type { PythonModel, Span } from '../model';

const EXIT_STATEMENTS = ['break_statement', 'return_statement', 'raise_statement', 'yield'];
const NESTED_SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);
const LOOPS = new Set(['for_statement', 'while_statement']);
const EXIT_CALLS = /\b(?:exit|quit|_exit|abort)\b/g;
const MAX_CANDIDATES = 500;

/** Whether `node` leaves `loop` when reached: no function in between, and for `break` no inner loop. */
function exitsLoop(analyzer: PythonModel, node: Node, loop: Node, isBreak: boolean): boolean {
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
export function loopHasExit(analyzer: PythonModel, loop: Node): boolean {
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

/**
 * A condition that is true whatever happens: `True`, a non-zero number, a non-empty string, `not False`.
 * Names are not followed: a flag bound to True before the loop is usually changed in it.
 */
export function constantlyTrue(analyzer: PythonModel, node: Node): boolean | undefined {
  switch (node.type) {
    case 'true':
      return true;
    case 'false':
    case 'none':
      return false;
    case 'integer':
    case 'float':
      return !/^[0._]*(?:e[+-]?\d+)?[jJ]?$/i.test(analyzer.nodeText(node));
    case 'string':
    case 'concatenated_string':
      return !/^[A-Za-z]*(?:''''''|""""""|''|""|\s)*$/.test(analyzer.nodeText(node));
    case 'parenthesized_expression':
      return node.firstNamedChild ? constantlyTrue(analyzer, node.firstNamedChild) : undefined;
    case 'not_operator': {
      const argument = node.childForFieldName('argument');
      const inner = argument ? constantlyTrue(analyzer, argument) : undefined;
      return inner === undefined ? undefined : !inner;
    }
    default:
      return undefined;
  }
}

/**
 * `try: while True: next_item() ... except StopIteration:` ends by an exception the loop's calls raise:
 * a loop with calls inside a try that has an except clause (in the same function) is given that benefit.
 */
function endsByException(analyzer: PythonModel, loop: Node): boolean {
  const body = loop.childForFieldName('body');
  if (!body || body.descendantsOfType('call').length === 0) return false;
  let previous = loop;
  for (
    let current = analyzer.tree.parent(loop), steps = 0;
    current && steps < 400;
    current = analyzer.tree.parent(current), steps++
  ) {
    if (NESTED_SCOPES.has(current.type)) return false;
    if (current.type === 'try_statement' && current.childForFieldName('body')?.id === previous.id) {
      if (
        current.namedChildren.some(
          (child) => child?.type === 'except_clause' || child?.type === 'except_group_clause',
        )
      )
        return true;
    }
    previous = current;
  }
  return false;
}

/** A finding for a `while` loop whose condition is constantly true and whose body never exits. */
export function checkWhileLoop(
  analyzer: PythonModel,
  loop: Node,
): { node: Span; message: string } | undefined {
  const condition = loop.childForFieldName('condition');
  if (!condition || constantlyTrue(analyzer, condition) !== true) return undefined;
  if (loopHasExit(analyzer, loop) || endsByException(analyzer, loop)) return undefined;
  const header = analyzer.nodeText(condition).replace(/\s+/g, ' ');
  return {
    node: { startIndex: loop.startIndex, endIndex: condition.endIndex },
    message: `while ${header.length > 30 ? `${header.slice(0, 27)}...` : header} never ends: no reachable break, return or raise`,
  };
}
