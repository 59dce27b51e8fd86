// A class's members read through its own `this`: once a method is seen giving a followed value (returning
// the module), the class body's `this.m()`, `this.#m()` and `return this.m()` are followed too, each `this`
// as the instance (or, in a static member, the class) whose members the class defines.
import type { Node } from 'web-tree-sitter';
import type { Value } from '../shared/value';
import type { ParentIndex } from '../tree';
import { thisOwner } from './classes';

/** How many `this` reads of one class are followed. */
const MAX_THIS_READS = 200;

/** What following a class's `this` reads needs of the analysis. */
export interface ThisReads {
  readonly tree: ParentIndex;
  forward(start: Node, initial: Value[]): void;
  membersOfClass(cls: Node, isStatic: boolean): Value;
  superMembers(cls: Node, isStatic: boolean): Value[];
  budget(): boolean;
}

/**
 * Follows `this.x` in the class's own members (not in a nested function with a `this` of its own), and
 * `super.x` as the member of the classes it extends.
 */
export function followThisReads(analysis: ThisReads, cls: Node): void {
  for (const node of cls.descendantsOfType(['this', 'super']).slice(0, MAX_THIS_READS)) {
    if (!node || analysis.tree.parent(node)?.type !== 'member_expression' || !analysis.budget()) continue;
    const owner = thisOwner(analysis.tree, node);
    if (owner?.cls.id !== cls.id) continue;
    analysis.forward(
      node,
      node.type === 'super'
        ? analysis.superMembers(cls, owner.isStatic)
        : [analysis.membersOfClass(cls, owner.isStatic)],
    );
  }
}
