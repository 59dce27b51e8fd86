// The reporter both analyzers build: findings deduplicated per rule and place, and, when the trace is
// on, each finding explained by the values already computed at its place (explaining evaluates nothing).
import type { Node } from 'web-tree-sitter';
import type { ParentIndex } from '../tree';
import type { Memo } from './memo';
import { Reporter } from './reporter';
import { explainAt, type Tracer } from './trace';

export function tracedReporter(
  text: string,
  tracer: Tracer | undefined,
  tree: ParentIndex,
  memo: Memo,
  nodeText: (node: Node) => string,
): Reporter {
  return new Reporter(text, tracer, (span) => explainAt(tree, span, (id) => memo.values.get(id), nodeText));
}
