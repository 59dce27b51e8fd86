// The binder: every binding of a name as a row (where it binds, in which scope, how its value is computed)
// and `resolveUse`, Python's scoping rules applied to a use. It is lazy both ways: a name's bindings are
// found only when a use asks for them (the occurrences pass is asked to classify the name's occurrences),
// and a binding's value is evaluated only when read (the evaluator is asked), then kept until a parameter
// or attribute gains a value (`Flows.generation`).
import type { Node } from 'web-tree-sitter';
import { OPAQUE, dedupe, type Value } from '../shared/value';
import { BUILTIN_NAMES, UNBOUND_NAMES } from './catalog/names';
import { evalBinary } from './constants';
import type { Scopes } from './scopes';
import type { Binding, Flows } from './state';
import { canonical } from './values';

/** What the binder asks of the roles above it. */
export interface BinderHooks {
  /** The values of an expression (the evaluator). */
  evaluate(node: Node | null | undefined): Value[];
  /** Classify the occurrences of a name that can be bindings (the occurrences pass). */
  findBindings(name: string): void;
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
}

/** Above this many bindings in a scope before a use, only the latest are read. */
const MAX_CHOSEN = 64;

export class Binder {
  private readonly bindings = new Map<string, Binding[]>();
  private readonly globalDecls = new Map<string, Set<number>>();
  private readonly nonlocalDecls = new Map<string, Set<number>>();
  private readonly scopeIndex = new Map<string, { version: string; byScope: Map<number, Binding[]> }>();
  /** Values a name has for one evaluation (a comprehension's variable); never remembered. */
  readonly overlay = new Map<string, Value[]>();

  constructor(
    private readonly scopes: Scopes,
    private readonly flows: Flows,
    private readonly hooks: BinderHooks,
  ) {}

  bind(name: string, site: Node, options: BindOptions): void {
    const context = this.scopes.contextOf(site);
    let chain = context.scopes;
    if (options.walrus) chain = chain.slice(chain.findIndex((scope) => scope.kind !== 'comprehension'));
    const binding: Binding = {
      name,
      chain,
      pos: options.pos,
      conditional: context.conditional || options.conditional === true,
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
    for (let i = 0; i < context.scopes.length; i++) {
      let scope = context.scopes[i];
      if (i > 0 && scope.kind === 'class') continue;
      if (scope.key !== 0 && globals?.has(scope.key)) {
        i = context.scopes.length - 1;
        scope = context.scopes[i];
      }
      const here = byScope.get(scope.key);
      if (!here) continue;
      let chosen: Binding[];
      let definite: boolean;
      if (i === 0 || (scope.key === 0 && context.scopes.length === 1)) {
        // The latest binding before the use, and earlier ones while those are conditional.
        chosen = [];
        definite = false;
        for (let j = lastAtOrBefore(here, node.startIndex); j >= 0; j--) {
          chosen.push(here[j]);
          if (!here[j].conditional) {
            definite = true;
            break;
          }
        }
        if (chosen.length === 0) {
          chosen = here;
          definite = here.some((b) => !b.conditional);
        }
      } else {
        chosen = here;
        definite = here.some((b) => !b.conditional);
      }
      for (const binding of chosen.length > MAX_CHOSEN ? chosen.slice(-MAX_CHOSEN) : chosen)
        values.push(...this.bindingValue(binding));
      // Module and class scopes fall back to builtins at run time when the binding did not happen.
      if (definite || scope.kind === 'function' || scope.kind === 'lambda') return dedupe(values);
    }
    values.push(...this.unboundValue(name));
    return dedupe(values);
  }

  /** `globals()[name]`: the module-level binding of a name, or the builtins namespace entry. */
  resolveGlobal(name: string): Value[] {
    const here = this.bindingsOf(name).filter((b) => this.effectiveScope(b) === 0);
    if (here.length === 0) return this.unboundValue(name);
    return dedupe(here.flatMap((binding) => this.bindingValue(binding)));
  }

  /** A name with no binding: a builtin, `__builtins__`, or a known module used without its import (notebooks). */
  unboundValue(name: string): Value[] {
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
    const version = `${all.length}:${this.globalDecls.get(name)?.size ?? 0}:${this.nonlocalDecls.get(name)?.size ?? 0}`;
    const cached = this.scopeIndex.get(name);
    if (cached && cached.version === version) return cached.byScope;
    const byScope = new Map<number, Binding[]>();
    for (const binding of all) {
      const key = this.effectiveScope(binding);
      const list = byScope.get(key);
      if (list) list.push(binding);
      else byScope.set(key, [binding]);
    }
    for (const list of byScope.values()) list.sort((a, b) => a.pos - b.pos);
    this.scopeIndex.set(name, { version, byScope });
    return byScope;
  }

  private bindingValue(binding: Binding): Value[] {
    if (binding.value && (binding.kind === 'value' || binding.generation === this.flows.generation))
      return binding.value;
    const passed = binding.site ? (this.flows.parameters.get(binding.site.id) ?? []) : [];
    if (binding.kind === 'param') return [OPAQUE, ...passed];
    if (binding.kind === 'opaque' || !binding.valueNode) return [OPAQUE];
    if (binding.evaluating) return [OPAQUE];
    binding.evaluating = true;
    const evaluate = this.hooks.evaluate;
    let values: Value[];
    try {
      if (binding.kind === 'assign') values = evaluate(binding.valueNode);
      else if (binding.kind === 'default') values = [...evaluate(binding.valueNode), OPAQUE, ...passed];
      else if (binding.kind === 'iterate') values = iterationValues(evaluate(binding.valueNode));
      else if (binding.kind === 'augment') {
        const before = binding.site ? this.resolveUse(binding.site, binding.name) : [OPAQUE];
        values = evalBinary(binding.op ?? '', before, evaluate(binding.valueNode));
      } else {
        const items = sequenceItems(binding.valueNode);
        values =
          items && items.length === binding.arity && binding.index !== undefined
            ? evaluate(items[binding.index])
            : [OPAQUE];
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
    else if (value.k === 'dict') for (const key of value.keys) out.push({ k: 'str', v: key });
    else out.push(OPAQUE);
  }
  return dedupe(out);
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

/** Index of the last binding at or before `offset` in a list sorted by position, or -1. */
function lastAtOrBefore(sorted: readonly Binding[], offset: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].pos <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
