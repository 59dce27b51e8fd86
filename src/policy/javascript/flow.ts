// Following a value forward from a use: up the tree through calls, members, subscripts, arguments,
// containers, returns and aliases, checking sinks at each step; values stored in an object's member
// (member-stores.ts), passed to a function of the file, thrown, given as a receiver (handoffs.ts) or
// returned by one are followed from there.
import type { Node } from 'web-tree-sitter';
import { dedupe, display, type Value } from '../shared/value';
import { ELEMENT_RESULTS, SAME_ELEMENTS } from './evaluator';
import { MemberStores } from './member-stores';
import {
  CONTAINERS,
  FUNCTIONS,
  argumentsOf,
  enclosingFunction,
  hasOwnConstructor,
  relationOf,
  same,
} from './syntax';
import { anyEntryOf, anyMemberOf, elementsOf, isModule, membersOf } from './values';
import { valueDropped } from '../shared/dropped-value';
import { CLASS_NODES, memberInitialized, thisReads } from './classes';
import { takesReceiver } from './receivers';
import { awaitedValues } from './late-values';
import { enclosingNamespace, namespacePath } from './namespaces';
import { callbackResults } from './callback-results';
import { followThisReads } from './class-this';
import { objectThisUses } from './object-this';
import { ITERATOR_METHODS, elementsAndHalves, iterated, iteratorKey } from './iteration';

/**
 * Methods that call their callback with the receiver's value (`then`; `catch`: a rejection is not told
 * from a fulfilment) or its elements (`forEach`).
 */
const PROMISE_CALLBACKS = new Set(['then', 'catch']);
const RECEIVER_METHODS = new Set(['call', 'apply', 'bind']);
const ELEMENT_CALLBACKS = new Set([
  'forEach',
  'map',
  'filter',
  'find',
  'findLast',
  'some',
  'every',
  'flatMap',
]);
/** Array methods that call their callback with an accumulator and each element. */
const REDUCERS = new Set(['reduce', 'reduceRight']);
/** How many names in a `with` statement's body are followed as members of its object. */
const MAX_WITH_NAMES = 2000;
/** How far up one use is followed before each step counts against the budget (deeper is never dropped). */
const FREE_STEPS = 32;
/** How many times a name given new values is followed again. */
const MAX_RESCANS = 8;

export abstract class Flow extends MemberStores {
  forward(start: Node, initial: Value[]): void {
    let values = initial;
    if (!values.some(this.live)) return;
    let node = start;
    for (let step = 0; ; step++) {
      if (step >= FREE_STEPS && !this.budget()) return;
      const parent = this.tree.parent(node);
      if (!parent) return;
      const relation = relationOf(this.text, this.tree, node, parent);
      if (relation === 'paren') {
        // `try { await Promise.reject(cp) } catch (e) {}`: an awaited promise may reject with its value,
        // which the `catch` around receives (a rejection is not told from a fulfilment).
        if (parent.type === 'await_expression') {
          this.throwFrom(parent, values);
          // `await thenable`: what its `then` settles with.
          values = awaitedValues(this.text, values, (n) => this.evalExpr(n));
        }
        node = parent;
        continue;
      }
      // A container holding the value was checked when the value entered it.
      if (relation !== 'alias' && !(relation === 'contained' && CONTAINERS.has(node.type)))
        this.checkSinks(values, node, parent, relation);
      if (this.parameterDefault(node, parent, values) || this.patternDefault(node, parent, values)) return;
      switch (relation) {
        case 'call': {
          // A function just seen returning a value: its calls are evaluated afresh (not from the cache).
          const functions = values.filter((v) => v.k === 'fn');
          values =
            functions.length === 0 || parent.type === 'new_expression'
              ? this.evalExpr(parent)
              : [
                  ...(parent.type === 'new_expression'
                    ? []
                    : functions.flatMap((f) => this.returnsOf(f.node))),
                  ...(functions.length < values.length ? this.evalExpr(parent) : []),
                ];
          break;
        }
        case 'member': {
          const property = parent.childForFieldName('property');
          if (!property) return;
          const name = this.nodeText(property);
          const call = this.tree.parent(parent);
          if (
            call?.type === 'call_expression' &&
            same(call.childForFieldName('function'), parent) &&
            (ELEMENT_RESULTS.has(name) || SAME_ELEMENTS.has(name) || ITERATOR_METHODS.has(name)) &&
            !ELEMENT_CALLBACKS.has(name) &&
            values.some((v) => v.k === 'seq')
          ) {
            // A module's own method of that name (`https.get`) is followed as a member too.
            const others = values.filter((v) => v.k !== 'seq');
            if (others.length > 0) this.forward(parent, membersOf(others, [name]));
            // `Object.values(cp).at(0)`, `.pop()`: the call gives one of the elements; `.slice()` some.
            // `.values()`, `.entries()`: an iterator over them (iteration.ts).
            values = ITERATOR_METHODS.has(name)
              ? iterated(values, name)
              : SAME_ELEMENTS.has(name)
                ? values.filter((v) => v.k === 'seq').map((v) => ({ k: 'seq', items: [v.items.flat()] }))
                : elementsOf(values, name);
            node = call;
            if (!values.some(this.live)) return;
            continue;
          }
          if (
            call?.type === 'call_expression' &&
            same(call.childForFieldName('function'), parent) &&
            (PROMISE_CALLBACKS.has(name) || ELEMENT_CALLBACKS.has(name))
          ) {
            // `import("x").then((m) => ...)`, `[require("fs")].forEach((fs) => ...)`: the callback's
            // parameter receives the value (or the elements); `then` gives back what the callback returns.
            // A Map's (or Set's) `forEach` gives the callback each entry's value.
            const passed = PROMISE_CALLBACKS.has(name)
              ? values
              : name === 'forEach'
                ? elementsAndHalves(values)
                : values.flatMap((v) => (v.k === 'seq' ? v.items.flat() : []));
            // `.then(ok, fail)`: either callback may be given the value.
            const callbacks = argumentsOf(call).slice(0, name === 'then' ? 2 : 1);
            const functions = callbacks.flatMap((c) => this.evalExpr(c).filter((v) => v.k === 'fn'));
            for (const fn of functions) this.injectParameter(fn.node, 0, passed);
            if (ELEMENT_RESULTS.has(name) || SAME_ELEMENTS.has(name)) {
              // `Object.values(cp).find(...)`: the call gives one of the elements; `.filter(...)` some.
              values = SAME_ELEMENTS.has(name) ? [{ k: 'seq', items: [dedupe(passed)] }] : dedupe(passed);
              node = call;
              if (!values.some(this.live)) return;
              continue;
            }
            if (!PROMISE_CALLBACKS.has(name)) return;
            values = functions.flatMap((fn) => this.returnsOf(fn.node));
            node = call;
            values = dedupe(values);
            if (!values.some(this.live)) return;
            continue;
          }
          if (call?.type === 'call_expression' && REDUCERS.has(name) && values.some((v) => v.k === 'seq')) {
            // `[cp].reduce((acc, m) => ...)`: each element is the callback's second parameter.
            const elements = values.flatMap((v) => (v.k === 'seq' ? v.items.flat() : []));
            values = this.reduced(call, 1, elements);
            node = call;
            if (!values.some(this.live)) return;
            continue;
          }
          // `f.call(t)`, `f.apply(t)`: a function seen returning a value is called; `f.bind(t)` is f.
          const fns =
            RECEIVER_METHODS.has(name) && this.invokedBy(parent, [name]) ? values.filter(takesReceiver) : [];
          if (name === 'bind' && fns.length > 0) {
            values = fns;
            node = call!;
            continue;
          }
          this.methodReceiver(parent, name, values);
          values = [...membersOf(values, [name]), ...fns];
          break;
        }
        case 'subscript': {
          const index = parent.childForFieldName('index');
          const call = this.tree.parent(parent);
          if (
            index &&
            iteratorKey(this.nodeText(index)) &&
            call?.type === 'call_expression' &&
            same(call.childForFieldName('function'), parent) &&
            values.some((v) => v.k === 'seq')
          ) {
            // `list[Symbol.iterator]()`: an iterator over the elements.
            values = iterated(values, 'values');
            node = call;
            continue;
          }
          const keys = this.keysOf(index);
          if (!keys) {
            // A generic helper indexing whatever it is given (`__importStar(require("fs"))`) is not a lookup.
            if (this.injectedUses.has(node.id)) return;
            const sensitive = values.find((v) => v.k === 'ns' || (v.k === 'q' && !v.q.includes('.')));
            if (sensitive) {
              this.report(
                'dynamic-attribute',
                parent,
                `${sensitive.k === 'ns' ? 'the global object' : display((sensitive as { q: string }).q)} indexed with a computed name: any of its functions could be reached`,
              );
            }
            // Any member of a module with sinks: followed on, and judged as the module's worst if called.
            values = [...anyMemberOf(values), ...anyEntryOf(values)];
            break;
          }
          values = membersOf(values, keys);
          break;
        }
        case 'argument': {
          const call = this.tree.parent(parent)!;
          const index = argumentsOf(call).findIndex((a) => a.id === node.id);
          const callee = call.childForFieldName(call.type === 'new_expression' ? 'constructor' : 'function');
          if (!callee || index < 0) return;
          // `f(...[cp])`: the elements go to the parameters.
          if (node.type === 'spread_element') this.spreadArguments(callee, index, values);
          // The call's result is worth computing for modelled callees and for local functions whose
          // returns can involve the parameter (evaluating every helper's returns would be costly).
          let modelled = false;
          const results: Value[] = [];
          const targets = this.evalExpr(callee);
          this.storeThrough(call, callee, targets, index, values);
          results.push(...this.handOff(call, index, values));
          for (const target of targets) {
            if (target.k === 'fn') {
              this.injectParameter(target.node, index, values);
              if (
                target.node.type !== 'class' &&
                target.node.type !== 'class_declaration' &&
                call.type === 'call_expression' &&
                this.returnsParameter(target.node, index)
              )
                results.push(...this.returnsOf(target.node));
            } else if (target.k === 'q') modelled = true;
            if (
              index === 0 &&
              target.k === 'q' &&
              (target.q === 'builtins.Reflect.apply' || target.q === 'builtins.Reflect.construct')
            )
              this.checkSinks(values, node, call, 'call');
          }
          const property = callee.type === 'member_expression' ? callee.childForFieldName('property') : null;
          // `list.reduce((acc) => acc, cp)`: the initial value is the callback's accumulator, and what the
          // call gives when the callback hands it back (or the list is empty).
          if (index === 1 && property && REDUCERS.has(this.nodeText(property)))
            results.push(...values, ...this.reduced(call, 0, values));
          // `list.reduce(() => cp)`, `Array.from(xs, () => cp)`: what the callback returns (callback-results.ts).
          const returned = values.flatMap((v) => (v.k === 'fn' ? this.returnsOf(v.node) : []));
          if (returned.length > 0)
            results.push(
              ...callbackResults(property ? this.nodeText(property) : undefined, targets, index, returned),
            );
          // `keys.map((k) => cp[k])`: the callback returns the value, the call gives an array of them.
          const mapping = index === 0 && !!property && ['map', 'flatMap'].includes(this.nodeText(property));
          // `[].at.call(list, 0)`: a method borrowed for the list (the evaluator reads it, iteration.ts).
          const borrowed = index === 0 && !!property && this.nodeText(property) === 'call';
          if (modelled || mapping || borrowed) results.push(...this.evalExpr(call));
          values = dedupe(results);
          node = call;
          if (!values.some(this.live)) return;
          continue;
        }
        case 'contained':
          // An array element, an object property: follow the container.
          values =
            parent.type === 'pair' || parent.type === 'spread_element' ? values : this.evalExpr(parent);
          if (parent.type === 'object') this.followObjectThis(parent, values);
          break;
        case 'return': {
          // A function returning the value: follow the function (its calls give the value).
          const fn = parent.type === 'arrow_function' ? parent : enclosingFunction(this.tree, parent);
          if (!fn || this.returning.has(fn.id)) return;
          this.returning.add(fn.id);
          if (fn.type === 'function_declaration' || fn.type === 'generator_function_declaration') {
            const name = fn.childForFieldName('name');
            if (!name) return;
            this.rescan(this.nodeText(name));
            return;
          }
          // A class's method or getter: the class is followed (its members are evaluated through it).
          const owner = fn.type === 'method_definition' ? this.tree.parent(this.tree.parent(fn) ?? fn) : null;
          if (owner && CLASS_NODES.has(owner.type)) {
            this.followClass(owner);
            return;
          }
          values = [{ k: 'fn', node: fn }];
          node = fn;
          continue;
        }
        case 'member-init':
          this.followClassMember(node, parent, values);
          return;
        case 'alias':
        case 'store':
          if (relation === 'alias') this.followAlias(parent, values);
          else if (!this.followClassMember(node, parent, values)) this.storeMember(parent, values);
          // `(f = cp.exec)("ls")`: an assignment expression is also its value where it stands, when used.
          if (parent.type !== 'assignment_expression' || valueDropped(this.tree, parent)) return;
          break;
        case 'with':
          this.withScope(parent, values);
          return;
        case 'throw':
          this.throwFrom(parent, values);
          return;
        case 'namespace-member':
          this.followNamespaceOf(parent);
          return;
        case 'tagged': {
          values = this.taggedArgument(parent, values);
          node = this.tree.parent(this.tree.parent(parent)!)!;
          if (!values.some(this.live)) return;
          continue;
        }
        case 'heritage': {
          // `class X extends Function {}`: X constructs like its base.
          const outer = this.tree.parent(parent);
          const cls = outer?.type === 'class_heritage' ? this.tree.parent(outer) : outer;
          // A subclass of a class holding a value inherits its members (its `this` reads hold them).
          if (cls && values.some((v) => v.k === 'fn')) this.followClass(cls);
          if (!cls || hasOwnConstructor(this.text, cls)) return;
          const name = cls.childForFieldName('name');
          if (cls.type === 'class_declaration' && name) this.rescan(this.nodeText(name));
          else if (cls.type === 'class') this.forward(cls, values);
          return;
        }
        default:
          return;
      }
      values = dedupe(values);
      node = parent;
      if (!values.some(this.live)) return;
    }
  }

  /** A reducer's callback given values at a parameter: what it returns with them. */
  private reduced(call: Node, position: number, values: Value[]): Value[] {
    const callback = argumentsOf(call)[0];
    const out: Value[] = [];
    for (const fn of callback ? this.evalExpr(callback) : []) {
      if (fn.k !== 'fn') continue;
      this.injectParameter(fn.node, position, values);
      if (this.returnsParameter(fn.node, position)) out.push(...this.returnsOf(fn.node));
    }
    return dedupe(out);
  }

  /**
   * `function f(m = cp)`, `(m: T = cp) =>`, `({ m } = { m: cp }) =>`: a parameter's default is its value
   * when no argument is given, so the parameter is given it as by a call.
   */
  private parameterDefault(node: Node, parent: Node, values: Value[]): boolean {
    // JavaScript: `m = cp` in the parameter list; TypeScript: a parameter node with a `value`.
    const js = parent.type === 'assignment_pattern';
    if (!js && parent.type !== 'required_parameter' && parent.type !== 'optional_parameter') return false;
    // `constructor(private cp = ...)`: a parameter property, followed as the class member it is.
    if (parent.children.some((c) => c?.type === 'accessibility_modifier' || c?.type === 'readonly'))
      return false;
    if (!same(parent.childForFieldName(js ? 'right' : 'value'), node)) return false;
    const target = parent.childForFieldName(js ? 'left' : 'pattern');
    const list = this.tree.parent(parent);
    const fn = list?.type === 'formal_parameters' ? this.tree.parent(list) : null;
    if (!target || !fn || !FUNCTIONS.has(fn.type)) return false;
    this.injectInto(target, fn, values);
    return true;
  }

  /**
   * `` tag`a${cp}` ``: the tag function is called with the strings, then each substitution: its parameter
   * after the first gets the value. Gives what the call returns, when the tag returns its parameter.
   */
  private taggedArgument(substitution: Node, values: Value[]): Value[] {
    const template = this.tree.parent(substitution)!;
    const call = this.tree.parent(template)!;
    const index =
      1 +
      template.namedChildren.filter(
        (c) => c?.type === 'template_substitution' && c.startIndex < substitution.startIndex,
      ).length;
    const results: Value[] = [];
    for (const target of this.evalExpr(call.childForFieldName('function'))) {
      if (target.k !== 'fn' || CLASS_NODES.has(target.node.type)) continue;
      this.injectParameter(target.node, index, values);
      if (this.returnsParameter(target.node, index)) results.push(...this.returnsOf(target.node));
    }
    return dedupe(results);
  }

  /**
   * `with (cp) { exec("ls") }` (sloppy mode): a plain name in the body may be the object's member. Each
   * name is followed as that member (a name the body declares itself is followed too: the safe reading).
   */
  private withScope(statement: Node, values: Value[]): void {
    const body = statement.childForFieldName('body');
    if (!body) return;
    const names = body.descendantsOfType('identifier');
    if (names.length > MAX_WITH_NAMES) {
      const module = values.find(isModule);
      if (module)
        this.report(
          'dynamic-attribute',
          statement,
          `a with statement over ${display(module.q)} too large to follow: any of its functions could be reached`,
        );
    }
    for (const name of names.slice(0, MAX_WITH_NAMES)) {
      if (!name) continue;
      const members = membersOf(values, [this.nodeText(name)]);
      if (members.some(this.live)) this.forward(name, members);
    }
  }

  /**
   * `class C { m = cp }`, `this.m = cp`, `constructor(private m = cp)`: the member's `this.m` reads in the
   * class hold the value, and the class is followed (its instances and statics are evaluated with it).
   */
  private followClassMember(node: Node, parent: Node, values: Value[]): boolean {
    const target = memberInitialized(this.text, this.tree, node, parent);
    if (!target) return false;
    if (this.stores.has(-parent.id - 1)) return true;
    this.stores.add(-parent.id - 1);
    for (const read of thisReads(this.text, this.tree, target.cls, target.name).slice(0, 200))
      this.forward(read, values);
    this.followClass(target.cls);
    return true;
  }

  /** An object literal holding a followed value: its methods' `this` is it (object-this.ts). */
  private followObjectThis(object: Node, values: Value[]): void {
    if (this.stores.has(-object.id - 1)) return;
    this.stores.add(-object.id - 1);
    for (const use of objectThisUses(this.tree, object)) if (this.budget()) this.forward(use, values);
  }

  /** A class holding a followed value: its name's uses (or the class expression) are followed. */
  private followClass(cls: Node): void {
    // Again for each member found giving a value (`run() { return this.m() }` after `m`), a few times.
    const count = (this.rescans.get(`\u0000class ${cls.id}`) ?? 0) + 1;
    this.rescans.set(`\u0000class ${cls.id}`, count);
    if (count > MAX_RESCANS) return;
    this.returning.add(cls.id);
    followThisReads(this, cls);
    const name = cls.childForFieldName('name');
    if (cls.type !== 'class' && name) this.rescan(this.nodeText(name));
    else if (count === 1) this.forward(cls, [{ k: 'fn', node: cls }]);
  }

  /** A value stored in a namespace's (or enum's) body: the namespace's name is followed again. */
  private followNamespaceOf(node: Node): void {
    const ns = enclosingNamespace(this.tree, node);
    const name = ns?.type === 'enum_declaration' ? ns.childForFieldName('name') : undefined;
    const root = ns && (name ? this.nodeText(name) : namespacePath(this.text, ns)?.root);
    if (root) this.rescan(root);
  }

  /** Follows a name's uses (again, if they were followed before it could have this value). */
  rescan(name: string): void {
    if (!this.scanned.has(name)) {
      this.scanName(name);
      return;
    }
    // Bounded: a name given new values over and over is followed again a few times at most.
    const count = (this.rescans.get(name) ?? 0) + 1;
    this.rescans.set(name, count);
    if (count > MAX_RESCANS || !this.budget()) return;
    for (const use of this.usesOf.get(name) ?? []) this.uses.push([use, name]);
  }

  private followAlias(parent: Node, values: Value[]): void {
    const target = parent.childForFieldName(parent.type === 'variable_declarator' ? 'name' : 'left');
    if (!target) return;
    if (target.type === 'identifier') {
      this.scanName(this.nodeText(target));
      // `namespace N { export let m; m = cp }`: N's exports may hold it now.
      this.followNamespaceOf(parent);
      return;
    }
    // Destructuring: every name in the pattern. Reading members of a sensitive value (`const { HOME } =
    // process.env`) uses it, whether or not the names are used later.
    for (const name of target.descendantsOfType(['identifier', 'shorthand_property_identifier_pattern'])) {
      if (!name) continue;
      const text = this.nodeText(name);
      this.scanName(text);
      const place = this.patternPlace(name, text);
      if (typeof place === 'string' || !place.path) continue;
      let read = values;
      for (const member of place.path) {
        this.reportReference(read, name);
        read = membersOf(read, [member]);
      }
    }
    // `({ exec: o.run } = cp)`, `[o.f] = [cp.exec]`: a member in the pattern is stored into.
    for (const member of target
      .descendantsOfType(['member_expression', 'subscript_expression'])
      .slice(0, 50)) {
      if (!member) continue;
      const place = this.patternPlace(member, '');
      if (typeof place === 'string' || !place.path || this.tree.parent(member)?.type === 'member_expression')
        continue;
      let read = values;
      for (const key of place.path) read = membersOf(read, [key]);
      if (read.some(this.live)) this.storeAt(member, parent, read);
    }
  }
}
