// Fast ancestor access on a web-tree-sitter tree.
//
// In web-tree-sitter 0.25 `node.parent` walks down from the root each time, scanning the children of every
// node on the way; with thousands of top-level statements every call scans them all, and climbing is
// quadratic. This index finds the top-level statement by binary search, descends once from it and remembers
// every parent on the path, so a climb costs one descent.
import type { Node } from 'web-tree-sitter';

/** Deeper than any tree the parser builds for a file the engine accepts; a bound on a malformed walk. */
const MAX_DEPTH = 100_000;

export class ParentIndex {
  private readonly parents = new Map<number, Node | null>();
  private topLevel: Node[] | undefined;

  constructor(readonly root: Node) {
    this.parents.set(root.id, null);
  }

  /** The top-level statement containing `offset` (or the last one starting before it). */
  private topLevelAt(offset: number): Node | undefined {
    this.topLevel ??= this.root.children.filter((child): child is Node => !!child);
    const children = this.topLevel;
    let lo = 0;
    let hi = children.length - 1;
    let found: Node | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (children[mid].startIndex <= offset) {
        found = children[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** The smallest node spanning [start, end), searched from its top-level statement. */
  descendantAt(start: number, end: number): Node | null {
    const top = this.topLevelAt(start);
    if (top && top.startIndex <= start && end <= top.endIndex) return top.descendantForIndex(start, end);
    return this.root.descendantForIndex(start, end);
  }

  parent(node: Node): Node | null {
    const known = this.parents.get(node.id);
    if (known !== undefined) return known;
    const top = this.topLevelAt(node.startIndex);
    if (top && top.id === node.id) {
      this.parents.set(node.id, this.root);
      return this.root;
    }
    if (top && top.startIndex <= node.startIndex && node.endIndex <= top.endIndex) {
      this.parents.set(top.id, this.root);
      this.descend(top, node);
      const found = this.parents.get(node.id);
      if (found !== undefined) return found;
    }
    // Zero-width or otherwise unusual nodes: ask the tree directly.
    const parent = node.parent;
    this.parents.set(node.id, parent);
    return parent;
  }

  /**
   * Walks from `top` down to `target`, recording the parent of every node on the way. Each step asks the
   * tree for the child containing the target (`childWithDescendant`, what `node.parent` does from the root);
   * the walk counts only if it arrives at the target itself, so a zero-width node that merely touches `top`
   * is left to `node.parent`. (A TreeCursor's `gotoFirstChildForIndex` would do, but in web-tree-sitter
   * 0.25.10 it does not move below a cursor made on a non-root node.)
   */
  private descend(top: Node, target: Node): void {
    const path: Array<[Node, Node]> = [];
    let current = top;
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      const child = current.childWithDescendant(target);
      if (!child || child.id === current.id) return;
      path.push([child, current]);
      if (child.id === target.id) {
        for (const [node, parent] of path) this.parents.set(node.id, parent);
        return;
      }
      current = child;
    }
  }
}
