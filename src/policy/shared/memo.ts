// Memoised evaluation, as both analyzers do it: each node's values computed once, a node met again while
// it is being evaluated (a cycle) or past the depth limit is unknown. The nodes the depth limit cut off
// are kept (`cuts`): an unknown value is a quiet one, so where a cut may have dropped a dangerous value
// the analysis is incomplete and the file not called safe (cuts.ts).
import type { Node } from 'web-tree-sitter';
import { OPAQUE, dedupe, type Value } from './value';

/** How many cut-off nodes are kept to be judged; past them the analysis counts as incomplete. */
const MAX_CUTS = 200;

export class Memo {
  /** The values computed per node id (read by the trace, never evaluated for it). */
  readonly values = new Map<number, Value[]>();
  /** Nodes (and functions) being evaluated: meeting one again gives an unknown value. */
  readonly evaluating = new Set<number>();
  private depth = 0;
  /** Nodes the depth limit cut off, each once (the first MAX_CUTS; `tooManyCuts` past them). */
  readonly cuts: Node[] = [];
  private readonly cutIds = new Set<number>();
  tooManyCuts = false;

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
      // The same node cut again (a cleared cache, another overlay) is one place, not another.
      if (!this.cutIds.has(node.id)) {
        this.cutIds.add(node.id);
        if (this.cuts.length < MAX_CUTS) this.cuts.push(node);
        else this.tooManyCuts = true;
      }
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
