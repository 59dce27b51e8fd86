// JavaScript scopes as plain data: the chain of function, class and block scopes around a node, and the
// bindings a name has in them (each with where and how it takes effect, for reaching.ts).
import type { Node } from 'web-tree-sitter';
import type { Value } from '../shared/value';
import type { ParentIndex } from '../tree';
import { BLOCKS, FUNCTIONS, MAX_CLIMB } from './syntax';

export interface Scope {
  key: number;
  /** A class body is a scope of its own: its field initializers run later, when an instance is made. */
  kind: 'program' | 'function' | 'class' | 'block';
  /** The scope's node (none for the program). */
  node?: Node;
}

export const PROGRAM: Scope = { key: 0, kind: 'program' };

/**
 * How a binding takes effect, in JavaScript's terms:
 * - `hoisted`: from the scope's start, with its value (function declarations, imports, parameters, a
 *   catch parameter, a class's or function expression's own name);
 * - `lexical`: let/const/class, from the declaration on; a use before it is in the TDZ and throws;
 * - `var`: a var (hoisted as undefined) whose initializer gives the value from the declarator on;
 * - `assign`: a plain assignment (or `+=`...), replacing the value from there on;
 * - `may`: adds a possible value and never hides another (a member store `o.x = v`, a logical assignment
 *   `f ||= v`, the sloppy-mode copy of a function declared in a block to the enclosing function's var).
 */
export type BindingKind = 'hoisted' | 'lexical' | 'var' | 'assign' | 'may';

export interface Binding {
  name: string;
  /** For a declaration, chain[0] is the scope it declares the name in; else the site's scopes. */
  chain: Scope[];
  /** A declaration (var/let/const/function/class/param/import) or a plain assignment. */
  declaration: boolean;
  kind: BindingKind;
  /** The value is seen by code at or after this offset. */
  pos: number;
  /** The node whose evaluation makes the binding; absent for one hoisted to its scope's start. */
  at?: Node;
  /** `const`, an import, a function expression's own name: an assignment to it never takes effect. */
  immutable?: boolean;
  /** A `var` with no initializer: declares the name, changes nothing. */
  declareOnly?: boolean;
  value?: Value[];
  valueNode?: Node | null;
  /** For `const { a: { b: name } } = value`: the members taken from the value (`['a', 'b']`). */
  path?: string[];
  /** Bound by `for (... of valueNode)`: the value's elements, not the value. */
  iterate?: boolean;
  /** The parameter's name node, for values passed in by calls the analyzer follows. */
  site?: number;
  evaluating?: boolean;
  /** Set by reaching.ts: the span around `at` that runs whenever `at` does (see `extentOf`). */
  extent?: [number, number];
}

/** Where a name in a destructuring pattern sits: the members it takes and the node holding the pattern. */
export interface PatternPlace {
  /** The members read from the destructured value, outermost first; undefined when one is computed. */
  path: string[] | undefined;
  /** The pattern's outermost node and its parent (a declarator, a parameter list, an assignment...). */
  top: Node;
  holder: Node;
}

/** The function, class body or program whose code runs a scope's code (the first that is not a block). */
export function runnerOf(chain: readonly Scope[]): Scope {
  return chain.find((scope) => scope.kind !== 'block') ?? PROGRAM;
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
      if (FUNCTIONS.has(current.type)) scopes.push({ key: current.id, kind: 'function', node: current });
      else if (current.type === 'class_body') scopes.push({ key: current.id, kind: 'class', node: current });
      else if (BLOCKS.has(current.type)) scopes.push({ key: current.id, kind: 'block', node: current });
    }
    scopes.push(PROGRAM);
    this.cache.set(node.id, scopes);
    return scopes;
  }
}
