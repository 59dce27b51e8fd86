// Flow: a use's values followed forward up the tree, reporting what they reach. Each step relates the node
// to its parent: called, an attribute read, subscripted, aliased to another name (which is scanned in turn),
// or passed on out of the expression: into a container, a for loop, a return (the function's callers are
// followed), an argument (a parameter of a function of the file gains the value), an attribute or
// container store. A value that crosses statements bumps `Flows.generation`, so cached evaluations are redone.
import { attributeTableStores, setattrStore } from './attribute-tables';
import type { Node } from 'web-tree-sitter';
import { traceUse, type Tracer } from '../shared/trace';
import { dedupe, type Value } from '../shared/value';
import type { Binder } from './binder';
import type { Evaluator } from './evaluator';
import type { Occurrences } from './occurrences';
import { typedParameters } from './receivers';
import type { Reports } from './reports';
import type { Scopes } from './scopes';
import { identName, same, type Budget, type Flows, type Source, type Worklist } from './state';
import { holdsGlobals } from './values';
import { valueDropped } from '../shared/dropped-value';
import { namespaceCopy } from './namespace-copies';
import { aliasNames, relationOf } from './relations';
import { collectingParameter, parameterOf, splatArguments } from './parameters';
import { applyGetter } from './getters';
import { initParameter } from './classes';
import { recordField } from './records';
import { buildsException } from './exceptions';
import { isPartialCall, partialCallees } from './partials';
import { ModuleStores } from './module-stores';
import { boundNames, givesBack } from './bound-names';
import { containerRead, readsContainer, storedByMethod } from './container-methods';
import { asClassAttribute, type ClassModel } from './special-methods';
import { FunctionResults } from './function-results';
import { callbackArguments } from './callback-results';
import { Stores } from './stores';

/** How many times a name's uses are followed again as it gains values. */
const MAX_FOLLOWS = 8;
/** Relations that only pass the value on (an augmented assignment, `flags |= FLAG`, uses it as well). */
const PASSING = new Set(['paren', 'alias', 'flow']);
/** How far up one use is followed before each step counts against the budget (deeper is never dropped). */
const FREE_STEPS = 32;

export class Flow {
  /** Flows already followed (functions whose returns, names whose values, were followed). */
  private readonly done = new Set<string>();
  private readonly followCount = new Map<string, number>();
  private readonly moduleStores: ModuleStores;
  private readonly classes: ClassModel;
  private readonly results: FunctionResults;
  private readonly stores: Stores;

  constructor(
    private readonly source: Source,
    private readonly budget: Budget,
    private readonly worklist: Worklist,
    private readonly flows: Flows,
    private readonly scopes: Scopes,
    private readonly binder: Binder,
    private readonly evaluator: Evaluator,
    private readonly occurrences: Occurrences,
    private readonly reports: Reports,
    private readonly tracer: Tracer | undefined,
  ) {
    const hooks = { follow: (name: string) => this.follow(name), invalidate: () => this.invalidate() };
    this.moduleStores = new ModuleStores(source, budget, worklist, flows, binder, evaluator, hooks);
    this.stores = new Stores(source, budget, worklist, flows, binder, evaluator, this.moduleStores, {
      ...hooks,
      tracked: (value) => this.tracked(value),
      followedOften: (name) => (this.followCount.get(`${name}:-1`) ?? 0) >= MAX_FOLLOWS,
    });
    this.classes = { source, binder, ev: evaluator };
    this.results = new FunctionResults(source, budget, worklist, flows, evaluator, this.classes, hooks);
  }

  /** Follows the uses and expressions on the worklist until it is empty or the budget is spent. */
  drain(): void {
    const worklist = this.worklist;
    while (!this.budget.truncated) {
      const use = worklist.uses.pop();
      if (use) {
        this.forward(use[0], use[1]);
        continue;
      }
      const flow = worklist.expressions.pop();
      if (!flow || !this.budget.spend()) return;
      this.forwardFrom(flow[0], flow[1]);
    }
  }

  private forward(start: Node, name: string): void {
    const values = this.binder.resolveUse(start, name);
    const tracked = values.some(this.tracked);
    if (tracked) this.worklist.trackedUses.push(start.startIndex);
    if (this.tracer) traceUse(this.tracer, this.source.text, start, name, values, tracked);
    const fn = tracked ? this.scopes.enclosingFunction(start) : undefined;
    if (fn) this.results.usedIn(fn);
    this.forwardFrom(start, values);
  }

  /** Whether a value can lead to a finding (function-results.ts). */
  private tracked = (value: Value): boolean => this.results.tracked(value);

  forwardFrom(start: Node, initial: Value[]): void {
    const tree = this.source.tree;
    const ev = this.evaluator;
    let values = initial;
    if (!values.some(this.tracked)) return;
    let node = start;
    for (let step = 0; ; step++) {
      if (step >= FREE_STEPS && !this.budget.spend()) return;
      const parent = tree.parent(node);
      if (!parent) return;
      const relation = relationOf(this.source, this.scopes, node, parent);
      if (!PASSING.has(relation) || parent.type === 'augmented_assignment')
        this.reports.checkSinks(values, node, parent, relation);
      // `{**vars(os)}`: the spread passes the items on, but the namespace is handed out whole.
      if (relation === 'attr' || relation === 'other' || parent.type === 'dictionary_splat') {
        const copy = namespaceCopy(this.source, values, parent);
        if (copy) this.reports.report('dynamic-attribute', node, copy);
      }
      switch (relation) {
        case 'call':
          this.reports.checkCallExtras(values, parent);
          values = ev.callResult(values, parent);
          break;
        case 'attr': {
          const attribute = parent.childForFieldName('attribute');
          if (!attribute) return;
          const name = identName(this.source, attribute);
          const call = tree.parent(parent);
          if (
            call?.type === 'call' &&
            same(call.childForFieldName('function'), parent) &&
            readsContainer(values, name)
          ) {
            // `mods.get("o")`, `d.values()`, `xs.pop()`: what the container holds (container-methods.ts).
            values = containerRead(ev, values, name, call);
            node = call;
            if (!values.some(this.tracked)) return;
            continue;
          }
          values = ev.memberValues(values, name);
          break;
        }
        case 'subscript':
          this.reports.checkSubscript(values, parent);
          // `sys.modules["h"] = os` stores: the item is not read.
          if (
            tree.parent(parent)?.type === 'assignment' &&
            parent.startIndex === tree.parent(parent)?.startIndex
          )
            return;
          values = ev.subscriptValues(values, parent);
          break;
        case 'paren':
          break;
        case 'flow':
          values = parent.type === 'binary_operator' ? ev.evalExpr(parent) : values;
          break;
        case 'alias':
          this.followAlias(parent);
          // `(f := os.system)("ls")`: a named expression is also its value where it stands, when used.
          if (parent.type !== 'named_expression' || valueDropped(this.source.tree, parent)) return;
          break;
        default: {
          const next = this.flowOut(node, parent, values);
          if (!next) return;
          [node, values] = next;
          if (!values.some(this.tracked)) return;
          continue;
        }
      }
      node = parent;
      if (!values.some(this.tracked)) return;
    }
  }

  /**
   * Where a tracked value goes when it is not called, read or aliased: into a container display, a for loop,
   * an argument (a parameter of a function of the file), a return, an attribute store. Gives the expression
   * to follow on from with its values, if any.
   */
  private flowOut(node: Node, parent: Node, values: Value[]): [Node, Value[]] | undefined {
    switch (parent.type) {
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
      case 'dictionary':
        return [parent, this.evaluator.evalExpr(parent)];
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
        // `[m for m in mods]`: the body's values are the items.
        return same(parent.firstNamedChild, node) ? [parent, [{ k: 'seq', items: [values] }]] : undefined;
      case 'binary_operator':
        // `[1] + [os]`, `[os] * 2`: a list holding the value.
        return [parent, this.evaluator.evalExpr(parent)];
      case 'list_splat':
      case 'dictionary_splat':
        // `f(*[os])`, `f(**{"m": os})`: the parameters the items reach (parameters.ts).
        for (const given of splatArguments(this.source, this.evaluator, parent, values))
          this.giveParameter(given.fn, given.parameter, given.values);
        return undefined;
      case 'raise_statement':
        // `raise E from os`: an `except E as e:` reads it as `e.__cause__`.
        if (same(parent.childForFieldName('cause'), node)) this.stores.attribute('__cause__', values);
        return undefined;
      case 'call':
        // `next(m for m in mods)`: a generator expression is the call's only argument.
        return node.type === 'generator_expression' && givesBack(this.evaluator, parent)
          ? [parent, this.evaluator.evalExpr(parent)]
          : undefined;
      case 'pair': {
        const dict = this.source.tree.parent(parent);
        // `{"k": os}`, and `{os: 1}`, whose iteration gives the key.
        return dict ? [dict, this.evaluator.evalExpr(dict)] : undefined;
      }
      case 'lambda':
        if (!same(parent.childForFieldName('body'), node)) return undefined;
        this.results.gives(parent, values, false);
        return [parent, [{ k: 'fn', node: parent }]];
      case 'return_statement':
      case 'yield': {
        const fn = this.scopes.enclosingFunction(parent);
        if (fn) this.results.gives(fn, values, parent.type === 'yield');
        return undefined;
      }
      case 'argument_list': {
        const call = this.source.tree.parent(parent);
        // `map(f, [os])`, `reduce(f, xs, os)`: f's parameters take the items (callback-results.ts).
        if (call?.type === 'call') this.giveCallbacks(call, parent, node, values);
        if (call?.type === 'call' && givesBack(this.evaluator, call)) {
          this.passArgument(parent, node, undefined, values, true);
          return [call, this.evaluator.evalExpr(call)];
        }
        if (call?.type !== 'class_definition') this.passArgument(parent, node, undefined, values);
        else {
          this.typeParameters(parent, values);
          this.subclassed(call, values);
        }
        return undefined;
      }
      case 'decorator': {
        this.typeParameters(parent, values);
        // `@d def g`: g is what d returns (decorators.ts), followed in turn.
        const name = this.source.tree
          .parent(parent)
          ?.childForFieldName('definition')
          ?.childForFieldName('name');
        if (name) this.follow(identName(this.source, name));
        return undefined;
      }
      case 'keyword_argument': {
        const list = this.source.tree.parent(parent);
        const keyword = parent.childForFieldName('name');
        if (list?.type !== 'argument_list' || !keyword || !same(parent.childForFieldName('value'), node))
          return undefined;
        const call = this.source.tree.parent(list);
        const name = identName(this.source, keyword);
        // `class K(metaclass=M)`: K is an object of M.
        if (call?.type === 'class_definition') this.subclassed(call, values);
        if (call?.type === 'call' && givesBack(this.evaluator, call)) {
          this.passArgument(list, node, name, values, true);
          return [call, this.evaluator.evalExpr(call)];
        }
        this.passArgument(list, node, name, values);
        return undefined;
      }
      case 'assignment': {
        const left = parent.childForFieldName('left');
        if (left?.type === 'subscript' && same(parent.childForFieldName('right'), node)) {
          this.stores.container(left, undefined, undefined, parent, values);
          return undefined;
        }
        if (!same(parent.childForFieldName('right'), node)) return undefined;
        // A class attribute (`class C: m = os`) is read as `C.m` or `self.m`.
        const attribute =
          left?.type === 'attribute'
            ? left.childForFieldName('attribute')
            : left?.type === 'identifier' && this.scopes.contextOf(parent).scopes[0].kind === 'class'
              ? left
              : null;
        if (!attribute) return undefined;
        // A class attribute that is a descriptor reads as what its `__get__` gives.
        const stored = left?.type === 'identifier' ? asClassAttribute(this.classes, values) : values;
        this.stores.attribute(identName(this.source, attribute), stored);
        const holder = left?.type === 'attribute' ? left.childForFieldName('object') : null;
        if (holder && holdsGlobals(this.evaluator.evalExpr(holder)))
          this.injectName(identName(this.source, attribute), parent, values);
        return undefined;
      }
      default: {
        // A loop's or comprehension's targets, a parameter's default (bound-names.ts).
        const bound = boundNames(this.source, node, parent);
        for (const name of bound?.names ?? [])
          if (this.once(`bound:${name.id}`)) this.follow(identName(this.source, name), bound?.within);
        return undefined;
      }
    }
  }

  /** True the first time a flow key is seen. */
  private once(key: string): boolean {
    if (this.done.has(key)) return false;
    this.done.add(key);
    return true;
  }

  /** A name gained a value: scan it, or follow its known uses again when it was scanned already. */
  private follow(name: string, within?: Node): void {
    // Each new value re-follows the name's uses (in the function whose parameter gained it): bounded, so
    // that generated code stays linear.
    const key = `${name}:${within?.id ?? -1}`;
    const count = (this.followCount.get(key) ?? 0) + 1;
    this.followCount.set(key, count);
    if (count > MAX_FOLLOWS) return;
    if (this.occurrences.scannedInFull(name)) {
      for (const use of this.worklist.usesByName.get(name) ?? []) {
        if (!within || (use.startIndex >= within.startIndex && use.endIndex <= within.endIndex))
          this.worklist.uses.push([use, name]);
      }
    } else this.occurrences.scanName(name);
  }

  /** A tracked value passed to a call: when the callee is a function of the file, its parameter holds it. */
  private passArgument(
    list: Node,
    argument: Node,
    keyword: string | undefined,
    values: Value[],
    partialOnly = false,
  ): void {
    const ev = this.evaluator;
    const call = this.source.tree.parent(list);
    const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
    if (!call || !fn || (partialOnly && !isPartialCall(ev, call))) return;
    if (fn.type === 'attribute') {
      // A method (`obj.f(os)`) is never a function of the file the analyzer follows into, but
      // `mods.append(os)` puts the value in a container; `globals().update(h=os)` binds a name.
      const holder = fn.childForFieldName('object');
      const method = fn.childForFieldName('attribute');
      const name = method ? identName(this.source, method) : '';
      if (holder && this.moduleStores.methodStore(holder, name, call, argument, keyword)) return;
      const table = holder && attributeTableStores(this.source, ev, holder, name, call, argument, keyword);
      if (table) return table.forEach(([attribute, stored]) => this.stores.attribute(attribute, stored));
      // `globals().update(h=os)`, `.update({"h": os})`, `.setdefault("h", os)`: the bare name h.
      const put =
        holder &&
        holdsGlobals(ev.evalExpr(holder)) &&
        storedByMethod(ev, name, call, argument, keyword, values);
      if (put && put.k === 'dict')
        put.keys.forEach((key, i) => !key.startsWith('\0') && this.injectName(key, call, put.items[i]));
      this.stores.container(fn, argument, keyword, list, values);
      return;
    }
    const callees = ev.evalExpr(fn);
    const index = keyword ? -1 : ev.argumentsOf(call).positional.findIndex((a) => a.id === argument.id);
    // `C(os)`: C.__init__'s parameter; `raise E(os)`: the exception's `.args` (an `except E as e` reads).
    const init = initParameter(this.source, this.binder, fn, index, keyword);
    if (init) this.giveParameter(init.fn, init.parameter, values);
    // `P(os)` for a namedtuple or a dataclass P: the field's attribute (records.ts).
    const field = init ? undefined : recordField(this.source, this.binder, ev, fn, index, keyword);
    if (field) this.stores.attribute(field, values);
    if (buildsException(this.source, this.binder, fn, call))
      this.stores.attribute('args', [
        { k: 'seq', items: ev.argumentsOf(call).positional.map((a) => ev.evalExpr(a)) },
      ]);
    for (const callee of callees) {
      if (callee.k === 'getter') {
        const reached = applyGetter(this.reports, ev, callee, values, call);
        if (reached.length > 0) this.worklist.expressions.push([call, reached]);
        continue;
      }
      const set = setattrStore(ev, callee, call, index);
      if (set) {
        for (const name of set.names) {
          this.stores.attribute(name, values);
          if (set.global) this.injectName(name, call, values);
        }
        continue;
      }
      // `partial(f, os)`, `partial(f)(os)`: f's parameter, counting the arguments bound before.
      const bound = partialCallees(ev, callee, call, index, keyword);
      for (const fn of bound?.callees ?? [callee]) {
        if (fn.k !== 'fn') continue;
        const parameter = parameterOf(this.source, fn.node, bound?.index ?? index, keyword);
        if (parameter) this.giveParameter(fn.node, parameter, values);
        else {
          const collected = bound ? undefined : collectingParameter(ev, fn.node, call, keyword);
          if (collected) this.giveParameter(fn.node, collected.parameter, [collected.value]);
        }
      }
    }
  }

  /** A class of the file followed into a class statement (a base, a metaclass): the new class is followed. */
  private subclassed(cls: Node, values: Value[]): void {
    const name = cls.childForFieldName('name');
    if (name && values.some((v) => v.k === 'class')) this.follow(identName(this.source, name));
  }

  /** The functions a call calls back on its arguments' items take the followed value's items. */
  private giveCallbacks(call: Node, list: Node, argument: Node, values: Value[]): void {
    const position = this.evaluator.argumentsOf(call).positional.findIndex((a) => same(a, argument));
    for (const given of callbackArguments(this.evaluator, call, position, values)) {
      const parameter = parameterOf(this.source, given.fn, given.index, undefined);
      if (parameter && same(this.source.tree.parent(argument), list))
        this.giveParameter(given.fn, parameter, given.values);
    }
  }

  /** A base class or a task decorator: the parameters it types hold its instance (receivers.ts). */
  private typeParameters(site: Node, values: Value[]): void {
    for (const typed of typedParameters(this.source, site, values))
      this.giveParameter(typed.fn, typed.parameter, [typed.value]);
  }

  /** A parameter of a function of the file gains values: its uses in the function are followed again. */
  private giveParameter(fn: Node, parameter: Node, values: Value[]): void {
    const known = this.flows.parameters.get(parameter.id) ?? [];
    const merged = dedupe([...known, ...values.filter(this.tracked)]);
    if (merged.length === known.length) return;
    this.flows.parameters.set(parameter.id, merged);
    this.flows.crossUnit = true;
    this.invalidate();
    this.follow(identName(this.source, parameter), fn);
  }

  /** `globals()["h"] = os`, `builtins.h = os`: the bare name `h` holds the value (stores.ts). */
  injectName(name: string, site: Node, values: Value[], global = true): void {
    this.stores.injectName(name, site, values, global);
  }

  /** Cached evaluations may have read a parameter or attribute that has since gained a value. */
  private invalidate(): void {
    this.flows.generation++;
    this.evaluator.forget();
  }

  /** The value is assigned to names: they are scanned (their uses followed) in turn. */
  private followAlias(parent: Node): void {
    for (const target of aliasNames(this.source, this.scopes, parent))
      this.occurrences.scanName(identName(this.source, target));
  }
}
