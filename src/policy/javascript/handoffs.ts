// Where a followed value is handed to code that does not take it as an argument: a parameter of a
// function the file calls, a receiver chosen by `f.call(t)` (receivers.ts), an exception caught by a
// `catch`, and a promise settled by its executor's `resolve(v)` (promises.ts). flow.ts calls these; the
// names given a value this way are followed again where they are used.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, type Value } from '../shared/value';
import { SinkReporter } from './sinks';
import { receiverCall, ownThis, takesReceiver } from './receivers';
import { isPromiseConstructor, promiseOfSettler, promiseSettledBy, thenMethod } from './promises';
import { REGISTRY_CALLBACK, emittedTo, methodOf, scheduledCallback } from './callbacks';
import {
  FUNCTIONS,
  PATTERNS,
  argumentsOf,
  enclosingFunction,
  parameterAt,
  restParameterAt,
  same,
} from './syntax';
import { membersOf } from './values';
import { elementsAndHalves } from './iteration';
import { generatorsOf, yieldsOf } from './generator-send';
import { CLASS_NODES } from './classes';

/** Functions that build a list from an iterable, calling their mapper (argument 1) with each element. */
const MAPPED_FROM = new Set(['builtins.Array.from', 'builtins.Array.fromAsync']);

/** TypeScript's parameter nodes. */
const PARAMETERS = new Set(['required_parameter', 'optional_parameter']);

/** How many functions an exception is followed out of, to the calls that may catch it. */
const MAX_THROW_DEPTH = 4;

export abstract class Handoffs extends SinkReporter {
  /** The file's generators, found when a value is first sent by `next(v)`. */
  private generators: Node[] | undefined;

  abstract forward(start: Node, initial: Value[]): void;

  /** Follows a name's uses (again, if they were followed before it could have this value). */
  abstract rescan(name: string): void;

  /** A local function called with a value: its parameter (or the names destructured from it) gets it. */
  protected injectParameter(fn: Node, index: number, given: Value[]): void {
    const rest = restParameterAt(fn, index);
    const name = rest?.node.firstNamedChild;
    if (rest && name?.type === 'identifier') {
      // `(...args) => args[0]`: the rest parameter is a list holding the arguments from its place on.
      const before = Array.from({ length: Math.min(index - rest.position, 16) }, () => [OPAQUE]);
      this.injectInto(name, fn, [{ k: 'seq', items: [...before, given] }]);
      return;
    }
    const parameter = rest ? undefined : parameterAt(fn, index);
    if (parameter) this.injectInto(parameter, fn, given);
  }

  /**
   * A parameter (of a function, of a catch clause) given values: each name it binds holds them (or the
   * members it destructures), and its uses in `scope` that were followed before are followed again.
   */
  protected injectInto(parameter: Node, scope: Node, given: Value[]): void {
    // Functions passed to a helper are not followed into it: a parameter called with many callbacks
    // would otherwise make every `param.constructor` look like the Function constructor.
    const values = given.filter((v) => v.k !== 'fn');
    if (!values.some(this.live)) return;
    const names =
      parameter.type === 'identifier'
        ? [parameter]
        : parameter.descendantsOfType(['identifier', 'shorthand_property_identifier_pattern']);
    for (const nameNode of names.slice(0, 50)) {
      if (!nameNode) continue;
      const name = this.nodeText(nameNode);
      const place = nameNode.id === parameter.id ? undefined : this.patternPlace(nameNode, name);
      if (place === 'key' || place === 'use') continue;
      if (place && !place.path) continue;
      let value: Value[] = values;
      for (const member of place?.path ?? []) value = membersOf(value, [member]);
      // Several calls: the parameter may hold any of their values.
      const merged = this.injected.merge(nameNode.id, value);
      if (!merged) continue;
      const wasScanned = this.scanned.has(name);
      this.scanName(name);
      const binding = this.bindings.get(name)?.find((b) => b.site === nameNode.id);
      if (binding) binding.value = merged;
      if (!wasScanned) continue;
      // The name's uses were followed before it had this value: follow those in the scope again.
      for (const use of this.usesOf.get(name) ?? []) {
        if (use.startIndex >= scope.startIndex && use.endIndex <= scope.endIndex) this.uses.push([use, name]);
      }
    }
  }

  /** `f(...[a, cp])`, `f(...iterable)`: the list's elements go to f's parameters from `index` on. */
  protected spreadArguments(callee: Node, index: number, values: Value[]): void {
    const lists = values.filter((v) => v.k === 'seq');
    for (const fn of lists.length > 0 ? this.evalExpr(callee) : [])
      if (fn.k === 'fn' && !CLASS_NODES.has(fn.node.type))
        for (const list of lists)
          if (list.k === 'seq')
            list.items.slice(0, 20).forEach((item, i) => this.injectParameter(fn.node, index + i, item));
  }

  /**
   * `const [m = cp] = []`, `({ m = cp } = o)`, `function f({ m = cp } = {})`: a default in a destructuring
   * pattern is the name's value when the member is missing, so the name is given it as by a call.
   */
  protected patternDefault(node: Node, parent: Node, values: Value[]): boolean {
    if (parent.type !== 'assignment_pattern' && parent.type !== 'object_assignment_pattern') return false;
    const target = parent.childForFieldName('left');
    if (!target || !same(parent.childForFieldName('right'), node)) return false;
    let top = parent;
    for (let up = this.tree.parent(top); up && PATTERNS.has(up.type); up = this.tree.parent(top)) top = up;
    const holder = this.tree.parent(top);
    if (
      !holder ||
      holder.type === 'formal_parameters' ||
      FUNCTIONS.has(holder.type) ||
      PARAMETERS.has(holder.type)
    ) {
      this.injectInto(target, enclosingFunction(this.tree, parent) ?? this.root, values);
      return true;
    }
    // A declaration, an assignment or a loop's names: the name may hold the default from there on.
    if (target.type !== 'identifier' && target.type !== 'shorthand_property_identifier_pattern') return true;
    const name = this.nodeText(target);
    const at = holder.type === 'for_in_statement' ? top : holder;
    // The declaration's own binding first: the default is added after it, not hidden by it.
    this.scanName(name);
    this.pushBinding({
      name,
      chain: this.contextOf(target),
      declaration: false,
      kind: 'may',
      at,
      pos: at.endIndex,
      value: values,
    });
    this.rescan(name);
    return true;
  }

  /**
   * A value at argument `index` of a call that hands it on other than as a parameter: the receiver or an
   * argument of `f.call(t, ...)` and kin, or what an executor's `resolve(v)` settles its promise with.
   * Gives what the call then returns, when that is known this way.
   */
  protected handOff(call: Node, index: number, values: Value[]): Value[] {
    const settled = promiseSettledBy(this.text, this.tree, call, (c) =>
      isPromiseConstructor(this.evalExpr(c)),
    );
    if (settled && index === 0) {
      // A thenable's `then` (promises.ts): the object is followed as holding what it settles with.
      // Its `then` counts as giving the value, so that the object's uses are followed to an `await`.
      const then = settled.type === 'object' ? thenMethod(this.text, settled) : undefined;
      if (then) this.returning.add(then.id);
      this.forward(settled, values);
      return [];
    }
    this.callBack(call, index, values);
    const chosen = receiverCall(this.text, call, (n) => this.evalExpr(n));
    if (!chosen || !this.budget()) return [];
    const fns = this.evalExpr(chosen.fn).filter(takesReceiver);
    if (fns.length === 0) return [];
    const args = argumentsOf(call);
    const at = args[index];
    for (const fn of fns) {
      // `g.call(this)` passes the caller's own receiver on: its sloppy global reading stays a guess there.
      if (same(chosen.receiver, at))
        this.giveThis(fn.node, at?.type === 'this' ? values.filter((v) => v.k !== 'ns') : values);
      const position = chosen.args.findIndex((a) => a.id === at?.id);
      if (position >= 0) this.injectParameter(fn.node, position, values);
      // `f.apply(t, [cp])`: each element to the parameter at its place.
      if (same(chosen.list, at))
        for (const list of values)
          if (list.k === 'seq')
            list.items.slice(0, 20).forEach((item, i) => this.injectParameter(fn.node, i, item));
    }
    // Now that f has its receiver and arguments, the call gives what f returns with them.
    return same(chosen.fn, at) || chosen.bind ? [] : this.evalExpr(call);
  }

  /**
   * A call that calls a function it is given with the value (callbacks.ts): a timer's extra argument, an
   * emitter's `emit`, a FinalizationRegistry's `register`; and `setTimeout(r, 0, cp)`, `helper(r, cp)`
   * with r an executor's resolve: the promise may settle with the call's other arguments.
   */
  private callBack(call: Node, index: number, values: Value[]): void {
    if (call.type !== 'call_expression' || !this.budget()) return;
    const args = argumentsOf(call);
    const callee = call.childForFieldName('function');
    const callees = callee ? this.evalExpr(callee) : [];
    const callbacks = scheduledCallback(callees, args, index);
    const method = methodOf(this.text, call);
    if (method === 'emit')
      callbacks.push(
        ...emittedTo(
          this.tree,
          call,
          index,
          (w) => this.words.occurrences(w),
          (n) => this.evalExpr(n),
        ),
      );
    if (method === 'register' && index === 1 && callee?.type === 'member_expression') {
      const registry = membersOf(this.evalExpr(callee.childForFieldName('object')), [REGISTRY_CALLBACK]);
      for (const fn of registry) if (fn.k === 'fn') this.injectParameter(fn.node, 0, values);
    }
    for (const { callback, position } of callbacks)
      for (const fn of this.evalExpr(callback))
        if (fn.k === 'fn') this.injectParameter(fn.node, position, values);
    if (method === 'next' && index === 0) this.sendToGenerators(values);
    // `Array.from(list, (m) => ...)`: the mapper is called with each element (a Map's entries, halves).
    if (index === 0 && args[1] && callees.some((c) => c.k === 'q' && MAPPED_FROM.has(c.q)))
      for (const fn of this.evalExpr(args[1]))
        if (fn.k === 'fn') this.injectParameter(fn.node, 0, elementsAndHalves(values));
    for (const [i, arg] of args.entries()) {
      if (i === index || arg.type !== 'identifier') continue;
      const promise = promiseOfSettler(this.text, this.tree, arg, (c) =>
        isPromiseConstructor(this.evalExpr(c)),
      );
      if (promise) this.forward(promise, values);
    }
  }

  /**
   * `o.run()` with o an object holding a followed value: run is called with o as its receiver, so a
   * method of the file's own (`run() { this.cp.exec() }`) has o as `this`, whoever defined it.
   */
  protected methodReceiver(member: Node, name: string, values: Value[]): void {
    const call = this.tree.parent(member);
    if (call?.type !== 'call_expression' || !same(call.childForFieldName('function'), member)) return;
    const objects = values.filter((v) => v.k === 'dict' && this.live(v));
    if (objects.length === 0 || !this.budget()) return;
    for (const fn of membersOf(values, [name]).filter(takesReceiver)) this.giveThis(fn.node, objects);
  }

  /** `gen.next(cp)`: the `yield`s of the file's generators may give cp (generator-send.ts). */
  private sendToGenerators(values: Value[]): void {
    const sent = values.filter((v) => v.k !== 'fn' && this.live(v));
    if (sent.length === 0) return;
    this.generators ??= generatorsOf(this.root);
    for (const generator of this.generators) {
      if (!this.sent.merge(generator.id, sent) || !this.budget()) continue;
      // Evaluations made before read the yields without it.
      this.memo.values.clear();
      for (const expression of yieldsOf(this.tree, generator)) this.forward(expression, sent);
    }
  }

  /** `f.call(cp)`: f's `this` may be cp; its own `this` reads are followed with it. */
  private giveThis(fn: Node, values: Value[]): void {
    const given = values.filter((v) => v.k !== 'fn' && this.live(v));
    if (given.length === 0 || !this.givenThis.merge(fn.id, given)) return;
    // Evaluations made before read `this` without it.
    this.memo.values.clear();
    for (const node of ownThis(this.tree, fn)) this.forward(node, given);
  }

  /**
   * `throw cp`: the `catch` of the try statement around it receives the value. Out of a function, the
   * calls of the function (by name, or where it is created as an argument or called at once) throw it.
   */
  protected throwFrom(start: Node, values: Value[], depth = 0): void {
    if (depth > MAX_THROW_DEPTH) return;
    let child = start;
    for (let current = this.tree.parent(start); current; current = this.tree.parent(current)) {
      if (current.type === 'try_statement' && same(current.childForFieldName('body'), child)) {
        // A try without a catch (`try {} finally {}`) lets it through to the one around.
        const handler = current.childForFieldName('handler');
        const parameter = handler?.childForFieldName('parameter');
        if (parameter) this.injectInto(parameter, handler!, values);
        if (handler) return;
      }
      if (FUNCTIONS.has(current.type)) {
        for (const call of this.callsOf(current).slice(0, 50)) this.throwFrom(call, values, depth + 1);
        return;
      }
      child = current;
    }
  }

  /** Where a function runs: its calls by name, or the call it is created in (`run(() => ...)`, an IIFE). */
  private callsOf(fn: Node): Node[] {
    let site: Node = fn;
    for (
      let parent = this.tree.parent(site);
      parent?.type === 'parenthesized_expression';
      parent = this.tree.parent(site)
    )
      site = parent;
    const parent = this.tree.parent(site);
    if (parent?.type === 'call_expression') return [parent];
    if (parent?.type === 'arguments') return [this.tree.parent(parent)!];
    const name =
      fn.type === 'function_declaration' || fn.type === 'generator_function_declaration'
        ? fn.childForFieldName('name')
        : parent?.type === 'variable_declarator'
          ? parent.childForFieldName('name')
          : null;
    if (name?.type !== 'identifier') return [];
    const text = this.nodeText(name);
    const out: Node[] = [];
    for (const offset of this.words.occurrences(text)) {
      const use = this.tree.descendantAt(offset, offset + text.length);
      const call = use ? this.tree.parent(use) : null;
      if (
        use?.type === 'identifier' &&
        call?.type === 'call_expression' &&
        same(call.childForFieldName('function'), use)
      )
        out.push(call);
      if (out.length >= 50) break;
    }
    return out;
  }
}
