// Evaluation: the values an expression can have (modules and their members, the file's functions, object
// and array literals, constants folded with JavaScript's rules), memoised per node, and what the calls
// the catalog models (propagators) or the file's own functions give back.
import type { Node } from 'web-tree-sitter';
import { wordOccurrences } from '../text';
import { OPAQUE, constStrings, dedupe, type Value } from '../shared/value';
import { canonicalJs } from './catalog/names';
import { jsPropagatorFor, type JsPropagatorKind } from './catalog/propagators';
import { Binder } from './binder';
import { evalJsConstant } from './constants';
import {
  TRANSPARENT,
  unwrapped,
  argumentsOf,
  enclosingFunction,
  firstArgument,
  hasOwnConstructor,
  parameterAt,
  restParameterAt,
} from './syntax';
import { CLASS_NODES, baseClassExpression, classMembers, thisOwner } from './classes';
import { isEsModule, isStrictFile, thisMayBeGlobal } from './sloppy-this';
import { receiverCall, takesReceiver, thisFunction } from './receivers';
import { enumValue, namespaceValue } from './namespaces';
import { thisObject } from './object-this';
import { iterationOf, objectLiteralValue } from './object-literals';
import { PrototypeStores, constructedValues } from './constructor-functions';
import { sentValues } from './generator-send';
import { awaitedValues } from './late-values';
import { callbackResults, throughCallback } from './callback-results';
import { ITERATOR_METHODS, borrowedArrayMethod, iterated, iteratorKey } from './iteration';
import { anyEntryOf, anyMemberOf, elementsOf, isTracked, membersOf, setterKey } from './values';

/**
 * Array methods that give back one of the elements (a map's `get`: the value of one of its entries; an
 * iterator's `next`: a result whose `value` is one; a WeakRef's `deref`: the one it holds).
 */
export const ELEMENT_RESULTS = new Set(['find', 'findLast', 'at', 'pop', 'shift', 'get', 'next', 'deref']);
/** Array methods that give back an array of (some of) the same elements. */
export const SAME_ELEMENTS = new Set([
  'filter',
  'slice',
  'reverse',
  'sort',
  'toReversed',
  'toSorted',
  'toSpliced',
  'concat',
  'flat',
]);

export abstract class Evaluator extends Binder {
  /** The members of the classes evaluated so far, by class and static-ness. */
  private readonly classCache = new Map<number, Value>();
  private strictFile: boolean | undefined;
  /** The file's `C.prototype...` assignments, indexed when a constructor function is first met. */
  protected prototypes: PrototypeStores | undefined;
  private commonJsFile: boolean | undefined;

  /** Whether a `this` outside a class may be the global object (sloppy-this.ts). */
  sloppyGlobalThis(node: Node): boolean {
    this.strictFile ??= isStrictFile(this.text, this.root);
    return !this.strictFile && thisMayBeGlobal(this.text, this.tree, node);
  }

  /** What a propagator's call gives, by the kind of its catalog row (propagate.ts). */
  protected abstract propagate(kind: JsPropagatorKind, call: Node, args: Node[]): Value[];

  evalExpr(node: Node | null | undefined): Value[] {
    if (!node) return [OPAQUE];
    return this.memo.evaluate(unwrapped(node));
  }

  protected evalNode(node: Node): Value[] {
    const type = node.type;
    if (type === 'await_expression')
      return awaitedValues(this.text, this.evalExpr(node.firstNamedChild), (n) => this.evalExpr(n));
    if (TRANSPARENT.has(type))
      return this.evalExpr(type === 'type_assertion' ? node.lastNamedChild : node.firstNamedChild);
    switch (type) {
      case 'identifier':
      case 'shorthand_property_identifier':
        return this.resolveUse(node, this.nodeText(node));
      case 'member_expression': {
        const property = node.childForFieldName('property');
        if (!property) return [OPAQUE];
        const name = this.nodeText(property);
        // `arguments.callee`: the function itself (the one whose `arguments` they are, past arrows).
        const callee = name === 'callee' ? this.argumentsOwner(node.childForFieldName('object')) : undefined;
        if (callee) return [{ k: 'fn', node: callee }];
        const object = this.evalExpr(node.childForFieldName('object'));
        // `C.prototype`: what C's instances share, its methods (`C.prototype.m.call(cp)`).
        const prototypes =
          name === 'prototype'
            ? object.flatMap((v) =>
                v.k === 'fn' && CLASS_NODES.has(v.node.type) ? [this.membersOfClass(v.node, false)] : [],
              )
            : [];
        return [...membersOf(object, [name]), ...prototypes];
      }
      case 'subscript_expression': {
        const object = this.evalExpr(node.childForFieldName('object'));
        if (object.some((v) => this.live(v) || v.k === 'dict')) {
          const keys = this.keysOf(node.childForFieldName('index'));
          // `cp[name]` with a name that cannot be known: any member of the module.
          if (!keys) return dedupe([...anyMemberOf(object), ...anyEntryOf(object)]);
          return membersOf(object, keys);
        }
        return this.constant(node);
      }
      case 'object':
        return this.objectLiteral(node, true);
      case 'class':
      case 'class_declaration': {
        // A subclass of a sink (`class X extends Function {}`) constructs like it.
        // Only without a constructor of its own: then `new X(...)` passes its arguments to the base.
        const base = baseClassExpression(node);
        const inherited =
          base && !hasOwnConstructor(this.text, node) ? this.evalExpr(base).filter(isTracked) : [];
        return [{ k: 'fn', node }, this.membersOfClass(node, true), ...inherited];
      }
      case 'this': {
        // A receiver chosen by a call (`f.call(cp)`, receivers.ts), besides what `this` is otherwise.
        const fn = thisFunction(this.tree, node);
        const given = (fn && this.givenThis.get(fn.id)) ?? [];
        // In a method, field or static block: the instance (or, in a static member, the class).
        const owner = thisOwner(this.tree, node);
        if (owner) return [this.membersOfClass(owner.cls, owner.isStatic), ...given];
        // In an object literal's method: the object (object-this.ts), as well as what follows.
        const literal = thisObject(this.tree, node);
        const object = literal ? this.thisObjectValue(literal) : [];
        // At the top level of a CommonJS module (arrows included): `module.exports`.
        if (!fn && this.commonJs()) return [OPAQUE, ...this.moduleExports(node)];
        // A sloppy function called without a receiver: the global object.
        return [
          OPAQUE,
          ...object,
          ...(this.sloppyGlobalThis(node) ? [{ k: 'ns', q: 'builtins' } as Value] : []),
          ...given,
        ];
      }
      case 'super': {
        // `super.m` in a class's method: the base class's member (static ones in a static method).
        const owner = thisOwner(this.tree, node);
        return owner ? this.superMembers(owner.cls, owner.isStatic) : [OPAQUE];
      }
      case 'yield_expression':
        // What `next(v)` sends in (generator-send.ts), besides what cannot be known.
        return [OPAQUE, ...sentValues(this.tree, this.sent, node)];
      case 'internal_module':
      case 'module':
        return [
          namespaceValue(
            this.text,
            node,
            (n) => this.evalExpr(n),
            (name, end) => this.resolveUse(end, name),
          ),
        ];
      case 'enum_declaration':
        return [enumValue(this.text, node, (n) => this.evalExpr(n))];
      case 'function_expression':
      case 'function':
      case 'arrow_function':
      case 'generator_function':
        return [{ k: 'fn', node }];
      case 'sequence_expression':
        return this.evalExpr(node.lastNamedChild);
      case 'call_expression':
      case 'new_expression': {
        const callee = node.childForFieldName(type === 'new_expression' ? 'constructor' : 'function');
        if (callee?.type === 'import') return this.moduleValues(node);
        const element = callee && (this.elementOf(callee) ?? this.borrowedOn(node, callee));
        if (element) return element;
        const handed = callee ? throughCallback(this, node, callee) : [];
        if (handed.some(this.live)) return handed;
        const chosen = type === 'call_expression' ? this.receiverResult(node) : undefined;
        if (chosen) return chosen;
        const callees = callee ? this.evalExpr(callee) : [];
        const results = this.callResults(node, callees, type === 'new_expression');
        return results.length > 0 ? results : this.constant(node);
      }
      case 'binary_expression': {
        const operator = node.childForFieldName('operator');
        const op = operator ? this.nodeText(operator) : '';
        // `a || b`, `a ?? b`: either; `a && b`: b (a is the guard, `typeof require == "function" && require`).
        if (op === '&&') return this.evalExpr(node.childForFieldName('right'));
        if (op === '||' || op === '??')
          return [
            ...this.evalExpr(node.childForFieldName('left')),
            ...this.evalExpr(node.childForFieldName('right')),
          ];
        return this.constant(node);
      }
      case 'ternary_expression':
        return [
          ...this.evalExpr(node.childForFieldName('consequence')),
          ...this.evalExpr(node.childForFieldName('alternative')),
        ];
      case 'assignment_expression':
        return this.evalExpr(node.childForFieldName('right'));
      default:
        return this.constant(node);
    }
  }

  /** The function whose `arguments` a plain `arguments` name is (undefined when rebound or outside). */
  private argumentsOwner(node: Node | null): Node | undefined {
    if (node?.type !== 'identifier' || this.nodeText(node) !== 'arguments') return undefined;
    return this.resolveUse(node, 'arguments').some((v) => v.k !== 'opaque')
      ? undefined
      : thisFunction(this.tree, node);
  }

  private constant(node: Node): Value[] {
    return evalJsConstant(node, this.text, (n) => this.evalExpr(n));
  }

  /** `f.call(t)`, `f.apply(t, args)`: what f returns; `f.bind(t)`: f (receivers.ts). */
  private receiverResult(call: Node): Value[] | undefined {
    const chosen = receiverCall(this.text, call, (n) => this.evalExpr(n));
    const fns = chosen ? this.evalExpr(chosen.fn).filter(takesReceiver) : [];
    if (fns.length === 0) return undefined;
    return chosen!.bind ? fns : dedupe(fns.flatMap((f) => this.returnsOf(f.node)));
  }

  /** What a call gives back, for the callees the analyzer models; empty when none is. */
  private callResults(call: Node, callees: readonly Value[], isNew: boolean): Value[] {
    const out: Value[] = [];
    for (const callee of callees) {
      if (callee.k === 'fn') {
        if (isNew && CLASS_NODES.has(callee.node.type)) {
          const instance = this.membersOfClass(callee.node, false);
          // `C.prototype.m = cp` after the class: its instances have m too.
          out.push(instance, ...iterationOf(this, [instance]), ...this.constructed(callee.node));
        } else if (isNew) out.push(...this.constructed(callee.node));
        else if (!isNew && this.returning.has(callee.node.id)) out.push(...this.returnsOf(callee.node));
        continue;
      }
      if (callee.k !== 'q') continue;
      const args = argumentsOf(call);
      const row = jsPropagatorFor(callee.q);
      if (row) out.push(...this.propagate(row.kind, call, args));
      // `eval.bind(null)`: the same function.
      else if (callee.q.endsWith('.bind') && !isNew) out.push({ k: 'q', q: callee.q.slice(0, -5) });
      else if (!isNew) out.push(...this.propagatedThrough(call, callee.q, args));
    }
    return out;
  }

  /**
   * `require.call(null, "m")`, `Reflect.get.apply(null, [o, "k"])`: a propagator called through its
   * `call` or `apply`, with the arguments after the receiver (an `apply` list written as an array).
   */
  private propagatedThrough(call: Node, q: string, args: Node[]): Value[] {
    const method = /\.(call|apply)$/.exec(q)?.[1];
    const row = method ? jsPropagatorFor(q.slice(0, -method.length - 1)) : undefined;
    if (!row) return [];
    const list = method === 'apply' ? args[1] : undefined;
    if (method === 'apply' && list?.type !== 'array') return [OPAQUE];
    const shifted = list
      ? list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment')
      : args.slice(1);
    return this.propagate(row.kind, call, shifted);
  }

  /** Whether the file is a CommonJS module (no import or export statement): `this` on top is its exports. */
  private commonJs(): boolean {
    this.commonJsFile ??= !isEsModule(this.root);
    return this.commonJsFile;
  }

  /** What `module.exports` holds at a node: the stores into `exports` and `module.exports` (member-stores.ts). */
  private moduleExports(node: Node): Value[] {
    const module = this.resolveUse(node, 'module').filter((v) => v.k === 'dict');
    return dedupe([...this.resolveUse(node, 'exports'), ...membersOf(module, ['exports'])]);
  }

  /**
   * `list.find(...)`, `list.at(i)`, `list.pop()`: an element of a followed array (`Object.values(cp)`);
   * `list.filter(...)`: an array of its elements.
   */
  private elementOf(callee: Node): Value[] | undefined {
    const index = callee.type === 'subscript_expression' ? callee.childForFieldName('index') : null;
    if (callee.type !== 'member_expression' && !index) return undefined;
    const property = callee.childForFieldName('property');
    const method = index ? iteratorKey(this.nodeText(index)) : property ? this.nodeText(property) : '';
    if (!method) return undefined;
    if (method === 'map' || method === 'flatMap') return this.mapped(callee, method);
    const iterator = ITERATOR_METHODS.has(method);
    if (!ELEMENT_RESULTS.has(method) && !SAME_ELEMENTS.has(method) && !iterator) return undefined;
    const lists = this.evalExpr(callee.childForFieldName('object')).filter(
      (v): v is Value & { k: 'seq' } => v.k === 'seq' && this.live(v),
    );
    if (lists.length === 0) return undefined;
    // `list.values()`, `list[Symbol.iterator]()`, `map.keys()`: an iterator over the elements.
    if (iterator) return iterated(lists, method);
    // `Object.entries(cp).filter(...)`: the same elements, in an array of unknown length and order.
    if (SAME_ELEMENTS.has(method)) return lists.map((list) => ({ k: 'seq', items: [list.items.flat()] }));
    return elementsOf(lists, method);
  }

  /** `Array.prototype.at.call(list, 0)`: the borrowed method's result on the list (iteration.ts). */
  private borrowedOn(call: Node, callee: Node): Value[] | undefined {
    const method = borrowedArrayMethod(
      callee,
      (n) => this.nodeText(n),
      (n) => this.evalExpr(n),
    );
    const receiver = method ? argumentsOf(call)[0] : undefined;
    const lists = receiver ? this.evalExpr(receiver).filter((v) => v.k === 'seq' && this.live(v)) : [];
    if (!method || lists.length === 0) return undefined;
    if (ITERATOR_METHODS.has(method)) return iterated(lists, method);
    if (SAME_ELEMENTS.has(method))
      return [{ k: 'seq', items: [lists.flatMap((l) => (l.k === 'seq' ? l.items.flat() : []))] }];
    return ELEMENT_RESULTS.has(method) ? elementsOf(lists, method) : undefined;
  }

  /** `keys.map((k) => cp[k])`: an array of what the callback returns (flattened by flatMap), if followed. */
  private mapped(callee: Node, method: string): Value[] | undefined {
    const call = this.tree.parent(callee);
    const callback = call ? argumentsOf(call)[0] : undefined;
    if (!callback) return undefined;
    const returned = this.evalExpr(callback)
      .filter((v) => v.k === 'fn')
      .flatMap((fn) => this.returnsOf(fn.node));
    if (!returned.some(this.live)) return undefined;
    return method === 'flatMap'
      ? callbackResults(method, [], 0, returned)
      : [{ k: 'seq', items: [dedupe(returned)] }];
  }

  /**
   * A class's static members (`isStatic`) or its instances' members, by name: fields by their
   * initializers, methods as functions, getters by what they return, `this.x = v` stores by v.
   */
  membersOfClass(cls: Node, isStatic: boolean): Value {
    const key = cls.id * 2 + (isStatic ? 1 : 0);
    const cached = this.classCache.get(key);
    if (cached) return cached;
    // Met again while being built (a member read through `this` in another): unknown for now.
    this.classCache.set(key, OPAQUE);
    const keys: string[] = [];
    const items: Value[][] = [];
    for (const member of classMembers(this.text, cls)) {
      if (member.isStatic !== isStatic) continue;
      if (member.setter && member.method) {
        keys.push(setterKey(member.name));
        items.push([{ k: 'fn', node: member.method }]);
        continue;
      }
      keys.push(member.name);
      if (member.method)
        items.push(member.getter ? this.returnsOf(member.method) : [{ k: 'fn', node: member.method }]);
      else items.push(member.value ? this.evalExpr(member.value) : [OPAQUE]);
    }
    // `class C extends B`: what C lacks is read from B's members (an instance's or, static, B itself).
    const bases = this.superMembers(cls, isStatic);
    if (bases.length > 0) {
      keys.push('__proto__');
      items.push(bases);
    }
    const value: Value = { k: 'dict', keys, items };
    this.classCache.set(key, value);
    return value;
  }

  /** `new C()` of a constructor function, or a class's prototype stores (constructor-functions.ts). */
  private constructed(fn: Node): Value[] {
    this.prototypes ??= new PrototypeStores(this.text, this.tree);
    return constructedValues(this.text, this.tree, fn, this.prototypes, (n) => this.evalExpr(n));
  }

  /** What `super` is in a class's member: the members of the classes of the file it extends. */
  superMembers(cls: Node, isStatic: boolean): Value[] {
    const base = baseClassExpression(cls);
    return (base ? this.evalExpr(base) : []).flatMap((v) =>
      v.k === 'fn' && CLASS_NODES.has(v.node.type) ? [this.membersOfClass(v.node, isStatic)] : [],
    );
  }

  /** What a function defined in the file returns: its expression body or its return statements. */
  returnsOf(fn: Node): Value[] {
    if (isGenerator(fn)) return [this.yieldsOf(fn)];
    const returned = this.returnedExpressions(fn);
    if (!returned) return [OPAQUE];
    const out = returned.flatMap((node) => (node ? this.evalExpr(node) : [{ k: 'none' } as Value]));
    return out.length > 0 ? dedupe(out) : [OPAQUE];
  }

  /**
   * What a generator's calls give: an iterator over what it yields (a list of one slot; `yield* list`
   * yields the list's elements).
   */
  private yieldsOf(fn: Node): Value {
    const yielded: Value[] = [];
    for (const expression of fn.descendantsOfType('yield_expression').slice(0, 50)) {
      if (!expression || enclosingFunction(this.tree, expression)?.id !== fn.id) continue;
      const values = this.evalExpr(expression.firstNamedChild);
      const delegated = expression.children.some((c) => c?.type === '*');
      yielded.push(
        ...(delegated ? values.flatMap((v) => (v.k === 'seq' ? v.items.flat() : [OPAQUE])) : values),
      );
    }
    return { k: 'seq', items: [dedupe(yielded)] };
  }

  /** The expressions a function returns (null for a bare `return`); undefined when not known. */
  private returnedExpressions(fn: Node): Array<Node | null> | undefined {
    if (this.returnCache.has(fn.id)) return this.returnCache.get(fn.id);
    const body = fn.childForFieldName('body');
    let out: Array<Node | null> | undefined;
    if (!body || fn.type === 'class' || fn.type === 'class_declaration') out = undefined;
    else if (body.type !== 'statement_block') out = [body];
    else if (body.endIndex - body.startIndex > 200_000) out = undefined;
    else {
      out = [];
      for (const statement of body.descendantsOfType('return_statement').slice(0, 50)) {
        if (!statement || enclosingFunction(this.tree, statement)?.id !== fn.id) continue;
        out.push(statement.firstNamedChild);
      }
    }
    this.returnCache.set(fn.id, out);
    return out;
  }

  /** Whether a function's return values can depend on its parameter at `index` (by name). */
  returnsParameter(fn: Node, index: number): boolean {
    const returned = this.returnedExpressions(fn);
    if (!returned || returned.length === 0) return false;
    const parameter = restParameterAt(fn, index)?.node ?? parameterAt(fn, index);
    if (!parameter) return false;
    const names =
      parameter.type === 'identifier'
        ? [this.nodeText(parameter)]
        : parameter
            .descendantsOfType(['identifier', 'shorthand_property_identifier_pattern'])
            .map((n) => (n ? this.nodeText(n) : ''));
    return returned.some((node) => {
      const text = node ? this.nodeText(node) : '';
      return names.some((name) => name && wordOccurrences(text, name).length > 0);
    });
  }

  /**
   * The object literal a method's `this` is. Met while the object itself is being evaluated (a getter
   * returning `this.cp`): the object without its getters' values, which would need the object again.
   */
  private thisObjectValue(object: Node): Value[] {
    return this.memo.evaluating.has(object.id) ? this.objectLiteral(object, false) : this.evalExpr(object);
  }

  /** An object literal's value; spread members (`{ ...cp }`) are reached through the object too. */
  private objectLiteral(node: Node, getters: boolean): Value[] {
    const spread = node.namedChildren
      .filter((c): c is Node => c?.type === 'spread_element')
      .slice(0, 8)
      .flatMap((c) => this.evalExpr(c.firstNamedChild).filter(isTracked));
    const value = objectLiteralValue(this, node, getters);
    // `{ *[Symbol.iterator]() { yield cp } }`: also the list its iteration gives (object-literals.ts).
    return [value, ...iterationOf(this, [value]), ...spread];
  }

  /** Constant property names of an index: strings, or numbers for arrays. */
  keysOf(index: Node | null | undefined): string[] | undefined {
    const values = this.evalExpr(index);
    if (values.length === 0) return undefined;
    const out: string[] = [];
    for (const value of values) {
      if (value.k === 'str') out.push(value.v);
      else if (value.k === 'num' && !value.huge) out.push(value.v.toString());
      // `o[true]`, `o[null]`: JavaScript's property keys are the primitives' strings.
      else if (value.k === 'jsprim') out.push(String(value.v));
      else return undefined;
    }
    return out;
  }

  protected moduleValues(call: Node): Value[] {
    return this.moduleValuesOf(firstArgument(call));
  }

  /** The modules a name argument names (a computed name: a module chosen at run time). */
  protected moduleValuesOf(arg: Node | undefined): Value[] {
    const names = arg ? constStrings(this.evalExpr(arg)) : undefined;
    if (!names) return [{ k: 'dynmod' }];
    return names.map((name) => ({ k: 'q', q: canonicalJs(name) }));
  }
}

/** A generator function or method (`function* g()`, `async *m()`). */
function isGenerator(fn: Node): boolean {
  return (
    fn.type === 'generator_function' ||
    fn.type === 'generator_function_declaration' ||
    (fn.type === 'method_definition' && fn.children.some((c) => c?.type === '*'))
  );
}
