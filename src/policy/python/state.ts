// The state one Python analysis shares between its roles, as plain tables (as ruff_python_semantic keeps
// Binding and Scope): what each role module reads and writes is named here, not hidden in one class.
//   - Source: the text, the tree and the seed occurrences (read-only once the analysis starts);
//   - Budget: the work done, and whether the analysis stopped early;
//   - Worklist: the uses and expressions still to follow forward;
//   - Flows: values that reached a function's parameter or an attribute from elsewhere in the file;
//   - Output: the findings, imports and embedded code found.
import type { Node } from 'web-tree-sitter';
import type { EmbeddedCode, ImportEvent } from '../findings';
import type { Reporter } from '../shared/reporter';
import type { Value } from '../shared/value';
import { nfkc } from '../text';
import type { ParentIndex } from '../tree';

export type ScopeKind = 'module' | 'function' | 'class' | 'lambda' | 'comprehension';

export interface Scope {
  key: number;
  kind: ScopeKind;
}

/** Where a node sits: its scope chain and whether it runs conditionally or in a loop. */
export interface Context {
  scopes: Scope[];
  /** The node sits under an if/try/loop/with/match inside its innermost scope. */
  conditional: boolean;
  /** The node is inside a loop body within its function. */
  inLoop: boolean;
}

/** One binding of a name: where it takes effect and how its value is computed (lazily, on demand). */
export interface Binding {
  name: string;
  /** Scope chain of the binding site, innermost first. */
  chain: Scope[];
  /** Where the binding takes effect (UTF-16 offset); -1 for parameters. */
  pos: number;
  conditional: boolean;
  /**
   * For a conditional binding, the block it is a statement of (an if branch, a loop body...): it does
   * happen before the uses later in that block.
   */
  block?: Node;
  /**
   * `param`: a parameter, holding what call sites in the file pass (besides anything); `iterate`: a for-loop
   * target, one of the items of its iterable; `augment`: `x += ...`, the operation on the previous value;
   * `deleted`: `del x`, after which a module or class name is the builtin again; `parts`: a capture nested
   * in a case pattern, any part of the subject (loop-targets.ts).
   */
  kind:
    | 'value'
    | 'assign'
    | 'unpack'
    | 'default'
    | 'param'
    | 'iterate'
    | 'parts'
    | 'augment'
    | 'opaque'
    | 'deleted';
  /** A `def` (calling `type()` of it builds functions from code objects). */
  isFunction?: boolean;
  /** The parameter's or augmented target's identifier. */
  site?: Node;
  /** The operator of an augmented assignment (`+` for `+=`). */
  op?: string;
  /** The analysis' generation when `value` was computed (values computed from code are re-evaluated after). */
  generation?: number;
  value?: Value[];
  valueNode?: Node | null;
  index?: number;
  arity?: number;
  evaluating?: boolean;
}

/** The source under analysis. `focus`: only the uses inside this range are analysed (an edited function). */
export interface Source {
  readonly text: string;
  readonly root: Node;
  readonly tree: ParentIndex;
  readonly focus?: { start: number; end: number };
  /** Identifiers spelled with non-ASCII characters, by their NFKC form (`ｏｓ` is `os`). */
  normalized: Map<string, Array<[number, number]>>;
  /** Offsets of the seed words (the whole text's; empty for a focused analysis). */
  seeds: Map<string, number[]>;
}

/** How many occurrences and flows an analysis may look at before it gives up (and says so). */
export const MAX_OCCURRENCES = 150_000;

export class Budget {
  private work = 0;
  truncated = false;

  /** Counts one unit of work; false once the budget is spent. */
  spend(): boolean {
    if (++this.work > MAX_OCCURRENCES) this.truncated = true;
    return !this.truncated;
  }
}

/** The forward worklist: uses of names and expressions whose values are still to be followed. */
export class Worklist {
  /** Uses of names to follow, with the name. */
  readonly uses: Array<[Node, string]> = [];
  /** Every queued use of each name, to follow again when a name gains a value (a parameter, a loop target). */
  readonly usesByName = new Map<string, Node[]>();
  /** Expressions to follow with values that reached them other than through a name (`x.os`, `self.o`). */
  readonly expressions: Array<[Node, Value[]]> = [];
  /** Where a use of a name held a tracked value: a cut-off evaluation there may have dropped it (cuts.ts). */
  readonly trackedUses: number[] = [];

  queueUse(node: Node, name: string): void {
    this.uses.push([node, name]);
    let known = this.usesByName.get(name);
    if (!known) this.usesByName.set(name, (known = []));
    known.push(node);
  }
}

/** Values that flowed from one statement into another, which evaluations read. */
export class Flows {
  /** What call sites in the file pass to a parameter (by the parameter identifier's node id). */
  readonly parameters = new Map<number, Value[]>();
  /** Tracked values stored as an attribute (`self.o = os`), by attribute name. */
  readonly attributes = new Map<string, Value[]>();
  /**
   * Tracked values stored into `sys.modules` under a name (`sys.modules["h"] = os`), by that name: what
   * `import h` and the imports by name give besides (module-stores.ts writes it, the evaluator reads it).
   */
  readonly modules = new Map<string, Value[]>();
  /**
   * Followed values that reached a function's return statements (or its yields) through the forward flow,
   * by the function's node id: what the evaluator cannot see there (`return self.m` after `self.m = os`).
   */
  readonly returns = new Map<number, Value[]>();
  readonly yields = new Map<number, Value[]>();
  /** Bumped when a parameter or attribute gains a value: cached evaluations from before are stale. */
  generation = 0;
  /**
   * A value flowed from one statement into another (an argument into a function of the file, a return to
   * its callers, an attribute or container store): findings inside a function then depend on code outside it.
   */
  crossUnit = false;
}

/** What the analysis found. */
export interface Output {
  readonly reporter: Reporter;
  readonly imports: ImportEvent[];
  readonly embedded: EmbeddedCode[];
}

export function same(a: Node | null | undefined, b: Node): boolean {
  return !!a && a.id === b.id;
}

export function inFocus(source: Source, offset: number): boolean {
  return !source.focus || (offset >= source.focus.start && offset < source.focus.end);
}

export function nodeText(source: Source, node: Node): string {
  return source.text.slice(node.startIndex, node.endIndex);
}

/** An identifier's name as Python reads it (NFKC-normalised). */
export function identName(source: Source, node: Node): string {
  return nfkc(nodeText(source, node));
}

/** The constructs whose first child is the expression they act on (`x.a`, `x(...)`, `x[...]`). */
const POSTFIX = new Set(['attribute', 'call', 'subscript']);

/** Displays whose `*xs` items are xs's elements. */
export const DISPLAYS = new Set(['list', 'tuple', 'set', 'expression_list']);

/**
 * tree-sitter-python reads `[*os.popen("ls")]` (in a list, set or bare tuple) as `(*os).popen("ls")`: a splat
 * that starts an attribute, call or subscript stands for its operand there, not for its elements.
 */
export function misparsedSplat(tree: ParentIndex, splat: Node): boolean {
  if (splat.type !== 'list_splat') return false;
  const parent = tree.parent(splat);
  return !!parent && POSTFIX.has(parent.type) && parent.startIndex === splat.startIndex;
}
