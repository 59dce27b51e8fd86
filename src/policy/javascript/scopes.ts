// JavaScript scopes as plain data: the chain of function and block scopes around a node, and the
// bindings a name has in them.
import type { Node } from 'web-tree-sitter';
import type { Value } from '../shared/value';
import type { ParentIndex } from '../tree';
import { BLOCKS, FUNCTIONS, MAX_CLIMB } from './syntax';

export interface Scope {
  key: number;
  kind: 'program' | 'function' | 'block';
}

export const PROGRAM: Scope = { key: 0, kind: 'program' };

export interface Binding {
  name: string;
  chain: Scope[];
  /** A declaration (var/let/const/function/class/param/import) or a plain assignment. */
  declaration: boolean;
  value?: Value[];
  valueNode?: Node | null;
  /** For `const { a: { b: name } } = value`: the members taken from the value (`['a', 'b']`). */
  path?: string[];
  /** Bound by `for (... of valueNode)`: the value's elements, not the value. */
  iterate?: boolean;
  /** The parameter's name node, for values passed in by calls the analyzer follows. */
  site?: number;
  evaluating?: boolean;
}

/** Where a name in a destructuring pattern sits: the members it takes and the node holding the pattern. */
export interface PatternPlace {
  /** The members read from the destructured value, outermost first; undefined when one is computed. */
  path: string[] | undefined;
  /** The pattern's outermost node and its parent (a declarator, a parameter list, an assignment...). */
  top: Node;
  holder: Node;
}

/** The scopes around each node, innermost first, ending with the program; computed once per node. */
export class ScopeIndex {
  private readonly cache = new Map<number, Scope[]>();

  constructor(private readonly tree: ParentIndex) {}

  contextOf(node: Node): Scope[] {
    const cached = this.cache.get(node.id);
    if (cached) return cached;
    const scopes: Scope[] = [];
    let current = this.tree.parent(node);
    for (let steps = 0; current && steps < MAX_CLIMB; steps++, current = this.tree.parent(current)) {
      if (FUNCTIONS.has(current.type)) scopes.push({ key: current.id, kind: 'function' });
      else if (BLOCKS.has(current.type)) scopes.push({ key: current.id, kind: 'block' });
    }
    scopes.push({ key: 0, kind: 'program' });
    this.cache.set(node.id, scopes);
    return scopes;
  }
}
