// The binder: every binding of a name as a row (where it binds, in which scope, how its value is computed)
// and `resolveUse`, Python's scoping rules applied to a use. It is lazy both ways: a name's bindings are
// found only when a use asks for them (the occurrences pass is asked to classify the name's occurrences),
// and a binding's value is evaluated only when read (the evaluator is asked), then kept until a parameter
// or attribute gains a value (`Flows.generation`).
import type { Node } from 'web-tree-sitter';
import { OPAQUE, dedupe, type Value } from '../shared/value';
import { BUILTIN_NAMES, UNBOUND_NAMES } from './catalog/names';
import { evalBinary } from './constants';
import { tryBindsOnEveryPath, tryStatementOf } from './every-path';
import { ModuleRuns } from './module-runs';
import type { Scopes } from './scopes';
import { type Binding, type Context, type Flows, type Source } from './state';
import { canonical } from './values';
import { lastAtOrBefore } from '../shared/positions';
import { keepUnknown, unpackedValues } from './loop-targets';
import { dictKeys } from './container-methods';

/** What the binder asks of the roles above it. */
export interface BinderHooks {
  /** The values of an expression (the evaluator). */
  evaluate(node: Node | null | undefined): Value[];
  /** Classify the occurrences of a name that can be bindings (the occurrences pass). */
  findBindings(name: string): void;
  /** For code run by exec in a module's namespace: the module's names, which its unbound names read. */
  enclosing?: (name: string) => Value[];
}

export interface BindOptions {
  kind: Binding['kind'];
  pos: number;
  value?: Value[];
  valueNode?: Node | null;
  index?: number;
  arity?: number;
  walrus?: boolean;
  isFunction?: boolean;
  site?: Node;
  op?: string;
  /** Adds to what the name held rather than replacing it (a container that gains an item). */
  conditional?: boolean;
  /** Binds in the module scope wherever the site is (`globals()["h"] = v` in a function, `builtins.h = v`). */
  global?: boolean;
}

/** The nodes that open a scope of their own: a loop outside one does not repeat the code inside it. */
const SCOPE_NODES = new Set(['function_definition', 'lambda', 'class_definition']);

/** Above this many bindings in a scope before a use, only the latest are read. */
const MAX_CHOSEN = 64;
const MAX_CLIMB = 400;
const MAX_BLOCK_CLIMB = 8;
export { MAX_CALL_SCANS } from './module-runs';
/**
 * What lies between a binding's name and the statement's block: the statement itself and its plain
 * parts (an `if` header or a `for` target is not one: the binding may not happen).
 */
const STATEMENT_PARTS = new Set([
  'assignment',
  'expression_statement',
  'function_definition',
  'class_definition',
  'decorated_definition',
  'import_statement',
  'import_from_statement',
  'aliased_import',
  'dotted_name',
  'delete_statement',
  'expression_list',
  'pattern_list',
  'tuple_pattern',
  'augmented_assignment',
]);

export class Binder {
  private readonly bindings = new Map<string, Binding[]>();
  private readonly globalDecls = new Map<string, Set<number>>();
  private readonly nonlocalDecls = new Map<string, Set<number>>();
  /** Each name's bindings by scope, with the counts it was built from (more bindings or declarations: rebuilt). */
  private readonly scopeIndex = new Map<
    string,
    { bindings: number; globals: number; nonlocals: number; byScope: Map<number, Binding[]> }
  >();
  /** Values a name has for one evaluation (a comprehension's variable); never remembered. */
  readonly overlay = new Map<string, Value[]>();
  /** Whether a try statement binds a name on every path, by statement, name and bindings known. */
  private readonly everyPath = new Map<string, boolean>();
  /** Where module code runs each function of the file, directly or through other functions. */
  private readonly moduleRuns: ModuleRuns;

  constructor(
    private readonly source: Source,
    private readonly scopes: Scopes,
    private readonly flows: Flows,
    private readonly hooks: BinderHooks,
  ) {
    this.moduleRuns = new ModuleRuns(source);
  }

  bind(name: string, site: Node, options: BindOptions): void {
    const context = this.scopes.contextOf(site);
    let chain = context.scopes;
    if (options.walrus) chain = chain.slice(chain.findIndex((scope) => scope.kind !== 'comprehension'));
    if (options.global) chain = chain.slice(-1);
    const binding: Binding = {
      name,
      chain,
      pos: options.pos,
      conditional: context.conditional || options.conditional === true,
      block: context.conditional && !options.conditional ? this.blockOf(site) : undefined,
      kind: options.kind,
      value: options.value,
      valueNode: options.valueNode,
      index: options.index,
      arity: options.arity,
      isFunction: options.isFunction,
      site: options.site,
      op: options.op,
    };
    let list = this.bindings.get(name);
    if (!list) this.bindings.set(name, (list = []));
    list.push(binding);
  }

  /** The block a binding site is a statement of, unless a clause header or a scope is passed on the way. */
  private blockOf(site: Node): Node | undefined {
    const tree = this.source.tree;
    let current = tree.parent(site);
    for (let steps = 0; current && steps < MAX_BLOCK_CLIMB; steps++) {
      if (current.type === 'block') return current;
      if (STATEMENT_PARTS.has(current.type)) current = tree.parent(current);
      else return undefined;
    }
    return undefined;
  }

  /** A `global` or `nonlocal` statement naming `name`. */
  declare(kind: 'global' | 'nonlocal', name: string, statement: Node): void {
    const table = kind === 'global' ? this.globalDecls : this.nonlocalDecls;
    const scope = this.scopes.contextOf(statement).scopes[0];
    let set = table.get(name);
    if (!set) table.set(name, (set = new Set()));
    set.add(scope.key);
  }

  /** The bindings of a name found so far (without looking for more). */
  knownBindings(name: string): readonly Binding[] {
    return this.bindings.get(name) ?? [];
  }

  /** Every binding of a name in the file. */
  bindingsOf(name: string): Binding[] {
    this.hooks.findBindings(name);
    return this.bindings.get(name) ?? [];
  }

  /** Every value any binding of `name` can have, whatever the scope: a superset of what a use resolves to. */
  possibleValues(name: string): Value[] {
    const values: Value[] = [...this.unboundValue(name)];
    for (const binding of this.bindings.get(name) ?? []) values.push(...this.bindingValue(binding));
    return dedupe(values);
  }

  /** The values a name may have at a use, following Python's scoping rules. */
  resolveUse(node: Node, name: string): Value[] {
    const overlaid = this.overlay.get(name);
    if (overlaid) return overlaid;
    const context = this.scopes.contextOf(node);
    const byScope = this.bindingsByScope(name);
    const globals = this.globalDecls.get(name);
    const values: Value[] = [];
    let declaredGlobal = false;
    for (let i = 0; i < context.scopes.length; i++) {
      let scope = context.scopes[i];
      if (i > 0 && scope.kind === 'class') continue;
      if (scope.key !== 0 && globals?.has(scope.key)) {
        declaredGlobal = i === 0;
        i = context.scopes.length - 1;
        scope = context.scopes[i];
      }
      const here = byScope.get(scope.key);
      if (!here) continue;
      let chosen: Binding[];
      let definite: boolean;
      if (i === 0 || (scope.key === 0 && context.scopes.length === 1)) {
        // The latest binding before the use, and earlier ones while those are conditional.
        ({ chosen, definite } = this.reaching(here, node.startIndex, scope.key));
        if (
          chosen.length === 0 &&
          (scope.kind !== 'module' && scope.kind !== 'class' ? true : context.inLoop)
        ) {
          // A function's name is local throughout it (a use before the binding fails), and a loop body may
          // run a later binding on an earlier pass. Module and class code before any binding sees the
          // builtin (or the enclosing scope).
          chosen = here;
          definite = scope.kind !== 'module' && scope.kind !== 'class' && this.anyDefinite(here, scope.key);
        } else if (context.inLoop) {
          // A binding later in a loop around the use reaches it on the loop's next pass.
          chosen = [...chosen, ...this.laterInLoop(here, node, scope.key)];
        }
      } else {
        // `global x` in the use's function: its own bindings before the use, in straight-line order.
        const own = context.scopes[0].key;
        const mine = declaredGlobal
          ? this.reaching(
              here.filter((b) => b.chain[0].key === own),
              node.startIndex,
              own,
            )
          : undefined;
        if (mine?.definite) {
          // What other code (module statements, other functions' globals) binds may be current too: a call
          // between the function's own binding and the use can rebind the name.
          chosen = [...mine.chosen, ...here.filter((b) => b.chain[0].key !== own)];
          definite = true;
        } else {
          // A function body runs after the module's code, which may have rebound the name since: any binding.
          chosen = here;
          definite = this.anyDefinite(here, scope.key);
          // ...unless module code calls the function before the name is bound: then the builtin too.
          if (definite && scope.key === 0 && this.calledBeforeBound(context, node, here, name))
            definite = false;
        }
      }
      for (const binding of chosen.length > MAX_CHOSEN ? chosen.slice(-MAX_CHOSEN) : chosen)
        values.push(...this.bindingValue(binding));
      // Module and class scopes fall back to builtins at run time when the binding did not happen.
      if (definite || scope.kind === 'function' || scope.kind === 'lambda') return dedupe(values);
    }
    values.push(...this.unboundValue(name));
    return dedupe(values);
  }

  /**
   * The bindings of a scope that can reach a use at `offset`: the latest before it, and earlier ones while
   * those may not have run (conditional, or made by another scope through `global`/`nonlocal`).
   */
  private reaching(
    here: readonly Binding[],
    offset: number,
    scopeKey: number,
  ): { chosen: Binding[]; definite: boolean } {
    const chosen: Binding[] = [];
    for (let j = lastAtOrBefore(here, offset); j >= 0; j--) {
      const binding = here[j];
      chosen.push(binding);
      // A conditional binding earlier in the use's own block (or one around it) did happen.
      const block = binding.block;
      const sameBlock =
        block !== undefined &&
        block.startIndex <= offset &&
        offset < block.endIndex &&
        binding.chain[0].key === scopeKey;
      if (sameBlock || !this.mayNotRun(binding, scopeKey)) return { chosen, definite: true };
      // A try that binds the name on every path, ended before the use: every binding inside it may be current.
      const statement = this.everyPathStatement(binding, here, scopeKey);
      if (statement && statement.endIndex <= offset && this.runsBefore(statement, offset)) {
        while (j > 0 && here[j - 1].pos > statement.startIndex) chosen.push(here[--j]);
        return { chosen, definite: true };
      }
    }
    return { chosen, definite: false };
  }

  /** The scope's bindings after `use` but inside the outermost for/while body around it (within its scope). */
  private laterInLoop(here: readonly Binding[], use: Node, scopeKey: number): Binding[] {
    const tree = this.source.tree;
    let loopEnd = -1;
    let previous = use;
    for (
      let current = tree.parent(use);
      current && !SCOPE_NODES.has(current.type);
      current = tree.parent(current)
    ) {
      if (
        (current.type === 'for_statement' || current.type === 'while_statement') &&
        current.childForFieldName('body')?.id === previous.id
      )
        loopEnd = current.endIndex;
      previous = current;
    }
    const later: Binding[] = [];
    for (let j = lastAtOrBefore(here, use.startIndex) + 1; j < here.length && here[j].pos <= loopEnd; j++)
      if (here[j].chain[0].key === scopeKey) later.push(here[j]);
    return later;
  }

  private anyDefinite(here: readonly Binding[], scopeKey: number): boolean {
    return here.some((b) => this.definiteFrom(b, here, scopeKey) !== undefined);
  }

  /** Where a binding is certain to have happened in its scope's code: its own place, or its try's end. */
  private definiteFrom(binding: Binding, here: readonly Binding[], scopeKey: number): number | undefined {
    if (!this.mayNotRun(binding, scopeKey)) return binding.pos;
    const statement = this.everyPathStatement(binding, here, scopeKey);
    return statement && !this.scopes.contextOf(statement).conditional ? statement.endIndex : undefined;
  }

  /** The try statement a conditional binding is in, when the try binds the name on every path. */
  private everyPathStatement(binding: Binding, here: readonly Binding[], scopeKey: number): Node | undefined {
    if (!binding.block || binding.chain[0].key !== scopeKey) return undefined;
    const statement = tryStatementOf(this.source.tree, binding.block);
    if (!statement) return undefined;
    const key = `${statement.id}:${binding.name}:${here.length}`;
    let binds = this.everyPath.get(key);
    if (binds === undefined) {
      const inside: Binding[] = [];
      for (
        let j = lastAtOrBefore(here, statement.endIndex);
        j >= 0 && here[j].pos > statement.startIndex;
        j--
      )
        inside.push(here[j]);
      this.everyPath.set(key, (binds = tryBindsOnEveryPath(statement, inside)));
    }
    return binds ? statement : undefined;
  }

  /** A statement that runs whenever code at `offset` runs: unconditional, or in a block around the offset. */
  private runsBefore(statement: Node, offset: number): boolean {
    if (!this.scopes.contextOf(statement).conditional) return true;
    const block = this.blockOf(statement);
    return block !== undefined && block.startIndex <= offset && offset < block.endIndex;
  }

  /**
   * A binding that may not have happened when the scope's code runs: one under an if/try/loop, or one a
   * function makes in this scope through `global`/`nonlocal` (it happens only if the function is called).
   */
  private mayNotRun(binding: Binding, scopeKey: number): boolean {
    return binding.conditional || binding.chain[0].key !== scopeKey;
  }

  /**
   * A use in a function of a name whose module bindings would hide the builtin: true when module-level
   * code calls the function (by its name, directly) at a place no definite binding of the name reaches.
   */
  private calledBeforeBound(context: Context, use: Node, here: readonly Binding[], name: string): boolean {
    const outer = context.scopes[context.scopes.length - 2];
    if (outer?.kind !== 'function' || this.unboundValue(name).length === 0) return false;
    let fn: Node | null = use;
    for (let steps = 0; fn && fn.id !== outer.key && steps < MAX_CLIMB; steps++)
      fn = this.source.tree.parent(fn);
    // The function can only be called after its def: a binding made before it reaches every call.
    let first = Infinity;
    for (const b of here) {
      if (b.pos >= first) break;
      first = Math.min(first, this.definiteFrom(b, here, 0) ?? Infinity);
    }
    if (!fn || first <= fn.endIndex) return false;
    // What the function's body reports now depends on module-level statements: no focused re-check.
    this.flows.crossUnit = true;
    // Each function's calls are found by a scan of the text: past the cap, assume it may run first.
    const offsets = this.moduleRuns.moduleOffsets(fn);
    return offsets === undefined || offsets.some((offset) => !this.reaching(here, offset, 0).definite);
  }

  /** What a name holds at the end of the module's code (the names code run by exec leaves bound). */
  resolveAtModuleEnd(name: string): Value[] {
    const here = this.bindingsByScope(name).get(0);
    if (!here) return [];
    const { chosen } = this.reaching(here, this.source.text.length, 0);
    return dedupe(chosen.flatMap((binding) => this.bindingValue(binding)));
  }

  /** `globals()[name]`: the module-level binding of a name, or the builtins namespace entry. */
  resolveGlobal(name: string): Value[] {
    const here = this.bindingsOf(name).filter((b) => this.effectiveScope(b) === 0);
    if (here.length === 0) return this.unboundValue(name);
    return dedupe(here.flatMap((binding) => this.bindingValue(binding)));
  }

  /** A name with no binding: a builtin, `__builtins__`, or a known module used without its import (notebooks). */
  unboundValue(name: string): Value[] {
    const enclosing = this.hooks.enclosing?.(name);
    if (enclosing?.length) return enclosing;
    if (name === '__builtins__') return [{ k: 'ns', q: 'builtins' }];
    if (BUILTIN_NAMES.has(name)) return [{ k: 'q', q: `builtins.${name}` }];
    const unbound = UNBOUND_NAMES[name];
    if (unbound) return [{ k: 'q', q: canonical(unbound) }];
    return [];
  }

  /** The scope a binding binds in: its own, unless `global` or `nonlocal` sends it outward. */
  private effectiveScope(binding: Binding): number {
    const own = binding.chain[0];
    if (this.globalDecls.get(binding.name)?.has(own.key)) return 0;
    if (this.nonlocalDecls.get(binding.name)?.has(own.key)) {
      const outer = binding.chain
        .slice(1)
        .find((scope) => scope.kind === 'function' || scope.kind === 'lambda');
      return outer ? outer.key : 0;
    }
    return own.key;
  }

  /** The bindings of a name grouped by the scope they bind in, each group sorted by position. */
  private bindingsByScope(name: string): Map<number, Binding[]> {
    const all = this.bindingsOf(name);
    const globals = this.globalDecls.get(name)?.size ?? 0;
    const nonlocals = this.nonlocalDecls.get(name)?.size ?? 0;
    const cached = this.scopeIndex.get(name);
    if (
      cached &&
      cached.bindings === all.length &&
      cached.globals === globals &&
      cached.nonlocals === nonlocals
    )
      return cached.byScope;
    const byScope = new Map<number, Binding[]>();
    for (const binding of all) {
      const key = this.effectiveScope(binding);
      const list = byScope.get(key);
      if (list) list.push(binding);
      else byScope.set(key, [binding]);
    }
    for (const list of byScope.values()) list.sort((a, b) => a.pos - b.pos);
    this.scopeIndex.set(name, { bindings: all.length, globals, nonlocals, byScope });
    return byScope;
  }

  private bindingValue(binding: Binding): Value[] {
    if (binding.value && (binding.kind === 'value' || binding.generation === this.flows.generation))
      return binding.value;
    const passed = binding.site ? (this.flows.parameters.get(binding.site.id) ?? []) : [];
    if (binding.kind === 'param') return [OPAQUE, ...passed];
    if (binding.kind === 'deleted') {
      // A deleted local is unbound (using it fails); a module or class name falls back to the builtin.
      const kind = binding.chain[0].kind;
      return kind === 'module' || kind === 'class' ? this.unboundValue(binding.name) : [];
    }
    if (binding.kind === 'opaque' || !binding.valueNode) return [OPAQUE];
    if (binding.evaluating) return [OPAQUE];
    binding.evaluating = true;
    const evaluate = this.hooks.evaluate;
    let values: Value[];
    try {
      if (binding.kind === 'assign') values = evaluate(binding.valueNode);
      else if (binding.kind === 'default') values = [...evaluate(binding.valueNode), OPAQUE, ...passed];
      else if (binding.kind === 'iterate') {
        values = iterationValues(evaluate(binding.valueNode));
        // `for i, m in pairs`: the name's place in the target (loop-targets.ts).
        if (binding.index === -1) values = [{ k: 'seq', items: [unpackedValues(values, undefined)] }];
        else if (binding.arity !== undefined) values = unpackedValues(values, binding.index, binding.arity);
      } else if (binding.kind === 'parts') {
        values = unpackedValues(evaluate(binding.valueNode), undefined);
        if (binding.index === -1) values = [{ k: 'seq', items: [values] }];
      } else if (binding.kind === 'augment') {
        const before = binding.site ? this.resolveUse(binding.site, binding.name) : [OPAQUE];
        values = evalBinary(binding.op ?? '', before, evaluate(binding.valueNode));
      } else {
        const items = sequenceItems(binding.valueNode);
        values =
          items && items.length === binding.arity && binding.index !== undefined
            ? evaluate(items[binding.index])
            : items
              ? [OPAQUE]
              : // `a, m = P(1, os)`: a sequence of that length gives the item at the name's place.
                unpackedValues(evaluate(binding.valueNode), binding.index, binding.arity);
      }
    } finally {
      binding.evaluating = false;
    }
    if (this.overlay.size === 0) {
      binding.value = values;
      binding.generation = this.flows.generation;
    }
    return values;
  }
}

/** What a for loop over these values binds: any item of a constant sequence, the keys of a dict. */
function iterationValues(values: readonly Value[]): Value[] {
  const out: Value[] = [];
  for (const value of values) {
    if (value.k === 'seq') for (const item of value.items) out.push(...item);
    else if (value.k === 'dict') for (const key of dictKeys(value)) out.push(...key);
    else if (value.k === 'class' && value.items) for (const item of value.items) out.push(...item);
    else out.push(OPAQUE);
  }
  return keepUnknown(out);
}

function sequenceItems(node: Node): Node[] | undefined {
  if (
    node.type === 'expression_list' ||
    node.type === 'tuple' ||
    node.type === 'list' ||
    node.type === 'pattern_list'
  )
    return node.namedChildren.filter((child): child is Node => !!child && child.type !== 'comment');
  return undefined;
}
