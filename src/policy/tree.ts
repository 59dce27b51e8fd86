// Fast ancestor access on a web-tree-sitter tree.
//
// In web-tree-sitter 0.25 `node.parent` walks down from the root each time, scanning the children of every
// node on the way; with thousands of top-level statements every call scans them all, and climbing is
// quadratic. This index finds the top-level statement by binary search, descends once with a TreeCursor
// and remembers every parent on the path, so a climb costs one descent.
import type { Node } from 'web-tree-sitter';

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

  /** Walks from `top` down to `target`, recording the parent of every node on the way. */
  private descend(top: Node, target: Node): void {
    const cursor = top.walk();
    try {
      let current = top;
      for (let depth = 0; depth < 100_000; depth++) {
        if (!cursor.gotoFirstChildForIndex(target.startIndex)) return;
        // Several children may touch the offset (zero-width nodes); take the one that contains the target.
        let child = cursor.currentNode;
        while (!(child.startIndex <= target.startIndex && target.endIndex <= child.endIndex)) {
          if (!cursor.gotoNextSibling()) return;
          child = cursor.currentNode;
          if (child.startIndex > target.startIndex) return;
        }
        this.parents.set(child.id, current);
        if (child.id === target.id) return;
        current = child;
      }
    } finally {
      cursor.delete();
    }
  }
}
