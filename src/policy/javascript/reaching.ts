// Which of a name's bindings reach a use, by JavaScript's rules (issue 11). A use resolves to the
// innermost scope that declares the name (a declaration holds for its whole scope: var and functions are
// hoisted, let/const/class are in their TDZ before the declaration runs), and then:
// - in the code of the function that declares it, straight-line order: the latest binding before the use
//   that surely ran hides the earlier ones; a binding in one branch of an if/try/switch, behind `&&`, or
//   in a loop body leaves the earlier meaning possible; a binding later in a loop around the use reaches
//   it on the next pass; before a let/const/class the use throws, so it has no meaning at all;
// - in a nested function (a closure), any binding of the enclosing scope (it may run at any time after),
//   unless the function's own code binds the name first;
// - a name declared only by a program-level `var`, or not at all, may still have its outer meaning (the
//   global) before a binding runs: in a classic script a var does not reset a global property, and in
//   CommonJS `var require` is the wrapper's parameter until assigned. Inside a function a var is undefined
//   until assigned. A function that may run first (called by name before the binding, or created before
//   it) sees the outer meaning too.
import type { Node } from 'web-tree-sitter';
import type { ParentIndex } from '../tree';
import { PROGRAM, runnerOf, type Binding, type Scope } from './scopes';
import { FUNCTIONS, MAX_CLIMB, same } from './syntax';
import { lastAtOrBefore } from '../shared/positions';

/** How many functions' calls by name are looked for (one text scan each) before assuming the worst. */
export const MAX_CALL_SCANS = 200;

const LOOPS = new Set(['for_statement', 'for_in_statement', 'while_statement', 'do_statement']);
const FUNCTION_DECLARATIONS = new Set(['function_declaration', 'generator_function_declaration']);
const SHORT_CIRCUIT = new Set(['&&', '||', '??', '&&=', '||=', '??=']);

/** What the reaching rules need of the analysis. */
export interface ReachingSource {
  readonly tree: ParentIndex;
  readonly text: string;
  contextOf(node: Node): Scope[];
  /** Offsets of a word in the text. */
  occurrences(name: string): readonly number[];
}

/** One declared name: the scope that declares it and every binding of it, sorted by position. */
export interface Variable {
  scope: Scope;
  /** The key of the function (class body, program) whose code runs the scope's code. */
  runner: number;
  declarations: Binding[];
  /** The bindings that can give it a value, by the key of the function whose code makes them. */
  byRunner: Map<number, Binding[]>;
  all: Binding[];
  /** The first let/const/class declaration: before it, in the scope's own code, the TDZ. */
  lexicalStart?: number;
  /** Before a binding runs the name may have its outer meaning (program-level var, or undeclared). */
  outerBefore: boolean;
}

export interface Reached {
  rows: Binding[];
  /** The name may have its outer (global) meaning at the use. */
  outer: boolean;
  variable?: Variable;
}

type Edge = 'through' | 'stop' | 'parent';

export class Reaching {
  private readonly names = new Map<string, { version: number; byScope: Map<number, Variable> }>();
  private readonly calls = new Map<number, number[]>();

  constructor(private readonly source: ReachingSource) {}

  reach(use: Node, name: string, bindings: readonly Binding[]): Reached {
    const byScope = this.index(name, bindings);
    const chain = this.source.contextOf(use);
    let variable: Variable | undefined;
    for (const scope of chain) {
      const found = byScope.get(scope.key);
      if (found && found.declarations.length > 0) {
        variable = found;
        break;
      }
    }
    variable ??= byScope.get(0);
    if (!variable) return { rows: [], outer: true };
    const at = use.startIndex;
    const runner = runnerOf(chain).key;
    const own = variable.byRunner.get(runner) ?? [];
    if (runner === variable.runner) {
      // Before a let/const/class in its own scope's code the use throws: no meaning.
      if (variable.lexicalStart !== undefined && at < variable.lexicalStart)
        return { rows: [], outer: false, variable };
      const { rows, definite } = this.straight(own, use, variable);
      // Bindings made by nested functions may have run (if the function was called) before the use.
      for (const [key, list] of variable.byRunner) if (key !== runner) rows.push(...list);
      return { rows, outer: !definite && variable.outerBefore, variable };
    }
    if (own.length > 0) {
      // The closure binds the name itself before the use: that, or what a call in between rebinds.
      const { rows, definite } = this.straight(own, use, variable);
      if (definite) {
        for (const [key, list] of variable.byRunner) if (key !== runner) rows.push(...list);
        return { rows, outer: false, variable };
      }
    }
    return {
      rows: variable.all,
      outer: variable.outerBefore && this.mayRunFirst(chain, variable),
      variable,
    };
  }

  /**
   * The bindings of one function's code that reach a use in it: the latest before it, earlier ones
   * while those may not have run, and later ones in a loop around the use (the next pass sees them).
   */
  private straight(
    own: readonly Binding[],
    use: Node,
    variable: Variable,
  ): { rows: Binding[]; definite: boolean } {
    const at = use.startIndex;
    const rows: Binding[] = [];
    let killer: Binding | undefined;
    const last = lastAtOrBefore(own, at);
    for (let i = last; i >= 0; i--) {
      rows.push(own[i]);
      if (own[i].kind !== 'may' && this.covers(own[i], at)) {
        killer = own[i];
        break;
      }
    }
    if (last < own.length - 1) {
      const loop = this.loopAround(use, variable, killer);
      if (loop)
        for (let i = last + 1; i < own.length; i++)
          if (own[i].pos >= loop[0] && own[i].pos <= loop[1]) rows.push(own[i]);
    }
    return { rows, definite: killer !== undefined };
  }

  /** A binding of the function's code that surely ran before code at `offset` runs. */
  private definiteAt(own: readonly Binding[], offset: number): boolean {
    for (let i = lastAtOrBefore(own, offset); i >= 0; i--)
      if (own[i].kind !== 'may' && this.covers(own[i], offset)) return true;
    return false;
  }

  /**
   * The outermost loop around a use (within the declaring scope and the use's function) that does not
   * contain the binding hiding the earlier ones: a later binding in it reaches the use on the next pass.
   */
  private loopAround(
    use: Node,
    variable: Variable,
    killer: Binding | undefined,
  ): [number, number] | undefined {
    const tree = this.source.tree;
    const limit = variable.scope.node?.startIndex ?? 0;
    let found: [number, number] | undefined;
    let current = tree.parent(use);
    for (let steps = 0; current && steps < MAX_CLIMB; steps++, current = tree.parent(current)) {
      if (FUNCTIONS.has(current.type) || current.type === 'class_body' || current.startIndex < limit) break;
      if (!LOOPS.has(current.type)) continue;
      // A for loop's initializer runs once: the loop proper starts after it.
      const initializer = current.type === 'for_statement' ? current.childForFieldName('initializer') : null;
      const region: [number, number] = [initializer?.endIndex ?? current.startIndex, current.endIndex];
      if (killer && killer.pos >= region[0] && killer.pos <= region[1]) break;
      found = region;
    }
    return found;
  }

  /** Whether a binding surely ran when code at `offset` runs (it was made before, see `extentOf`). */
  private covers(binding: Binding, offset: number): boolean {
    binding.extent ??= this.extentOf(binding);
    return binding.extent[0] <= offset && offset < binding.extent[1];
  }

  /**
   * The span that runs whenever the binding's node does: climbing from it while the parent surely runs
   * the child (not a branch of an if, a loop body, a try body, a case, the right of `&&`...). Code in that
   * span after the binding sees it.
   */
  private extentOf(binding: Binding): [number, number] {
    const tree = this.source.tree;
    if (!binding.at) {
      const node = binding.chain[0].node;
      return node ? [node.startIndex, node.endIndex] : [0, Infinity];
    }
    let child = binding.at;
    for (let steps = 0; steps < MAX_CLIMB; steps++) {
      const parent = tree.parent(child);
      if (!parent) return [0, Infinity];
      if (FUNCTIONS.has(parent.type) || parent.type === 'class_body') break;
      const edge = this.edge(child, parent);
      if (edge === 'stop') break;
      if (edge === 'parent') return [parent.startIndex, parent.endIndex];
      child = parent;
    }
    return [child.startIndex, child.endIndex];
  }

  /** Whether a parent surely runs a child ('through'), may not ('stop'), or runs it for its own span. */
  private edge(child: Node, parent: Node): Edge {
    const field = (name: string): boolean => same(parent.childForFieldName(name), child);
    switch (parent.type) {
      case 'if_statement':
      case 'ternary_expression':
      case 'while_statement':
        return field('condition') ? 'through' : 'stop';
      case 'for_statement':
        return field('initializer') || field('condition') ? 'through' : 'stop';
      case 'for_in_statement':
        // The loop's own names are bound on each pass, for the loop's code.
        return field('right') ? 'through' : field('left') ? 'parent' : 'stop';
      case 'try_statement':
        return field('finalizer') ? 'through' : 'stop';
      case 'binary_expression':
      case 'augmented_assignment_expression': {
        const operator = parent.childForFieldName('operator');
        const op = operator ? this.source.text.slice(operator.startIndex, operator.endIndex) : '';
        return SHORT_CIRCUIT.has(op) && field('right') ? 'stop' : 'through';
      }
      case 'assignment_pattern':
      case 'object_assignment_pattern':
        return field('right') ? 'stop' : 'through';
      case 'do_statement':
      case 'switch_body':
      case 'labeled_statement':
        return 'stop';
      default:
        return 'through';
    }
  }

  /**
   * Whether the function around a closure's use may run before the declaring code binds the name: a
   * function declaration called by name at a place no binding surely reached (past MAX_CALL_SCANS
   * functions, assumed), any other function created before a binding surely ran.
   */
  private mayRunFirst(chain: readonly Scope[], variable: Variable): boolean {
    const index = chain.findIndex((scope) => scope.key === variable.runner);
    let outer: Scope | undefined;
    for (let i = (index < 0 ? chain.length : index) - 1; i >= 0 && !outer; i--)
      if (chain[i].kind !== 'block') outer = chain[i];
    const node = outer?.node;
    if (!node) return true;
    const own = variable.byRunner.get(variable.runner) ?? [];
    if (!FUNCTION_DECLARATIONS.has(node.type)) return !this.definiteAt(own, node.startIndex);
    if (!this.calls.has(node.id) && this.calls.size >= MAX_CALL_SCANS) return true;
    return this.callsOf(node, variable.runner).some((offset) => !this.definiteAt(own, offset));
  }

  /** Offsets of the calls of a function by its name (`f()`) in the code of one function (or the program). */
  private callsOf(fn: Node, runner: number): number[] {
    const cached = this.calls.get(fn.id);
    if (cached) return cached;
    const calls: number[] = [];
    const nameNode = fn.childForFieldName('name');
    const name = nameNode ? this.source.text.slice(nameNode.startIndex, nameNode.endIndex) : '';
    for (const offset of name ? this.source.occurrences(name) : []) {
      const identifier = this.source.tree.descendantAt(offset, offset + name.length);
      const call = identifier ? this.source.tree.parent(identifier) : null;
      if (
        identifier?.type === 'identifier' &&
        call?.type === 'call_expression' &&
        same(call.childForFieldName('function'), identifier) &&
        runnerOf(this.source.contextOf(call)).key === runner
      )
        calls.push(call.startIndex);
    }
    this.calls.set(fn.id, calls);
    return calls;
  }

  /** A name's bindings grouped by the scope whose variable they bind; rebuilt when bindings are added. */
  private index(name: string, bindings: readonly Binding[]): Map<number, Variable> {
    const cached = this.names.get(name);
    if (cached && cached.version === bindings.length) return cached.byScope;
    const byScope = new Map<number, Variable>();
    const variableOf = (scope: Scope, runner: number): Variable => {
      let variable = byScope.get(scope.key);
      if (!variable) {
        variable = { scope, runner, declarations: [], byRunner: new Map(), all: [], outerBefore: true };
        byScope.set(scope.key, variable);
      }
      return variable;
    };
    for (const binding of bindings)
      if (binding.declaration)
        variableOf(binding.chain[0], runnerOf(binding.chain).key).declarations.push(binding);
    for (const binding of bindings) {
      let variable: Variable | undefined;
      if (binding.declaration) variable = byScope.get(binding.chain[0].key);
      else {
        const target = binding.chain.find((scope) => byScope.get(scope.key)?.declarations.length);
        variable = target ? byScope.get(target.key) : variableOf(PROGRAM, 0);
      }
      if (!variable || binding.declareOnly) continue;
      // An assignment to a const (an import, a function expression's name) throws or is ignored; a
      // member store (`o.x = v`, a `may` row) changes the object, not the binding.
      if (binding.kind === 'assign' && variable.declarations.some((d) => d.immutable)) continue;
      variable.all.push(binding);
    }
    for (const variable of byScope.values()) {
      variable.all.sort((a, b) => a.pos - b.pos);
      for (const binding of variable.all) {
        const key = runnerOf(binding.chain).key;
        const list = variable.byRunner.get(key);
        if (list) list.push(binding);
        else variable.byRunner.set(key, [binding]);
      }
      const lexical = variable.declarations.filter((d) => d.kind === 'lexical').map((d) => d.pos);
      if (lexical.length > 0) variable.lexicalStart = Math.min(...lexical);
      variable.outerBefore = variable.scope.key === 0 && lexical.length === 0;
    }
    this.names.set(name, { version: bindings.length, byScope });
    return byScope;
  }
}
