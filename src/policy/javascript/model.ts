// The view of a JavaScript analysis that argument checks and the seed-driven detectors see: the source,
// the tree, the values an expression can have, and where findings, imports and embedded code go.
import type { Node } from 'web-tree-sitter';
import type { EmbeddedCode, ImportEvent } from '../findings';
import type { RuleId } from '../rules';
import type { Span } from '../shared/reporter';
import type { Value } from '../shared/value';
import type { ParentIndex } from '../tree';

export interface JsModel {
  readonly text: string;
  readonly tree: ParentIndex;
  readonly imports: ImportEvent[];
  readonly embedded: EmbeddedCode[];
  nodeText(node: Node): string;
  /** Every value the expression can have. */
  evalExpr(node: Node | null | undefined): Value[];
  /** " (reached as `...`)" when the source spells `q` differently. */
  via(node: Node, q: string): string;
  report(rule: RuleId, node: Span, message: string, module?: string): void;
}
