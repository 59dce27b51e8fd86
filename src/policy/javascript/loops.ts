// Loops that never end: `while (true)`, `for (;;)`, `do ... while (1)` with no reachable break, return,
// throw, yield or exit call.
import type { Node } from 'web-tree-sitter';
import { exitStatementLeaves, type LoopSyntax } from '../shared/loop-exits';
import type { JsModel } from './model';
import { FUNCTIONS } from './syntax';

const INNER_LOOPS = /^(for|for_in|while|do|switch)_statement$/;

const JS_LOOPS: LoopSyntax = {
  exits: ['break_statement', 'return_statement', 'throw_statement', 'yield_expression'],
  stops: (node, isBreak) =>
    FUNCTIONS.has(node.type) || node.type === 'class_body' || (isBreak && INNER_LOOPS.test(node.type)),
  // A labelled break may leave an outer loop from inside an inner one.
  isPlainBreak: (node) => node.type === 'break_statement' && node.namedChildCount === 0,
};

export function loopAt(analyzer: JsModel, offset: number, keyword: string): void {
  const token = analyzer.tree.descendantAt(offset, offset + keyword.length);
  const loop = token ? analyzer.tree.parent(token) : null;
  if (!token || token.type !== keyword || !loop) return;
  let infinite = false;
  // Literal conditions only: a flag set to true before the loop is usually cleared in it.
  const literal = (node: Node | null): boolean => {
    if (!node) return false;
    const source = analyzer.nodeText(node).replace(/[\s();]/g, '');
    return /^(?:true|!false|!0|!null|!undefined|!!1|[1-9][0-9]*)$/.test(source);
  };
  if (loop.type === 'while_statement' || loop.type === 'do_statement') {
    infinite = literal(loop.childForFieldName('condition'));
  } else if (loop.type === 'for_statement') {
    const condition = loop.childForFieldName('condition');
    infinite = !condition || condition.type === 'empty_statement' || literal(condition);
  }
  if (!infinite || loopHasExit(analyzer, loop)) return;
  const body = loop.childForFieldName('body');
  analyzer.report(
    'resource-exhaustion',
    { startIndex: loop.startIndex, endIndex: body ? body.startIndex : loop.endIndex },
    'loop never ends: no reachable break, return or throw',
  );
}

function loopHasExit(analyzer: JsModel, loop: Node): boolean {
  const body = loop.childForFieldName('body');
  if (!body) return true;
  if (exitStatementLeaves(analyzer.tree, JS_LOOPS, loop, body) !== false) return true;
  return /\b(?:exit|abort|reallyExit)\b/.test(analyzer.nodeText(body));
}
