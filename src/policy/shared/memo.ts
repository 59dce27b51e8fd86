// Memoised evaluation, as both analyzers do it: each node's values computed once, a node met again while
// it is being evaluated (a cycle) or past the depth limit is unknown. Past the depth limit the analysis
// is also incomplete (`exceeded`): an unknown value is a quiet one, so the file is not called safe.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, dedupe, type Value } from './value';

export class Memo {
  /** The values computed per node id (read by the trace, never evaluated for it). */
  readonly values = new Map<number, Value[]>();
  /** Nodes (and functions) being evaluated: meeting one again gives an unknown value. */
  readonly evaluating = new Set<number>();
  private depth = 0;
  /** Whether an evaluation went past the depth limit (the analysis must then not be called complete). */
  exceeded = false;

  constructor(
    private readonly maxDepth: number,
    private readonly evalNode: (node: Node) => Value[],
  ) {}

  /** `cacheable` false while values are overridden for one evaluation (they must not be remembered). */
  evaluate(node: Node, cacheable = true): Value[] {
    if (cacheable) {
      const cached = this.values.get(node.id);
      if (cached) return cached;
    }
    if (this.evaluating.has(node.id)) return [OPAQUE];
    if (this.depth > this.maxDepth) {
      this.exceeded = true;
      return [OPAQUE];
    }
    this.depth++;
    this.evaluating.add(node.id);
    let values: Value[];
    try {
      values = dedupe(this.evalNode(node));
    } finally {
      this.depth--;
      this.evaluating.delete(node.id);
    }
    if (cacheable) this.values.set(node.id, values);
    return values;
  }
}
