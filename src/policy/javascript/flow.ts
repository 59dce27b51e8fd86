// Following a value forward from a use: up the tree through calls, members, subscripts, arguments,
// containers, returns and aliases, checking sinks at each step; values stored in an object's member,
// passed to a function of the file or returned by one are followed from there.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, dedupe, display, type Value } from '../shared/value';
import { ELEMENT_RESULTS, SAME_ELEMENTS } from './evaluator';
import { SinkReporter } from './sinks';
import {
  CONTAINERS,
  argumentsOf,
  enclosingFunction,
  hasOwnConstructor,
  parameterAt,
  relationOf,
  same,
} from './syntax';
import { anyEntryOf, anyMemberOf, elementsOf, isModule, membersOf, worthStoring } from './values';
import { valueDropped } from '../shared/dropped-value';
import { GLOBAL_OBJECTS } from './catalog/names';
import { CLASS_NODES, memberInitialized, thisReads } from './classes';
import { jsMethodStoreFor, jsStoreFor, type JsStoreKind } from './catalog/stores';

/** Methods that call their callback with the receiver's value (`then`) or its elements (`forEach`). */
const PROMISE_CALLBACKS = new Set(['then']);
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
/** How many names in a `with` statement's body are followed as members of its object. */
const MAX_WITH_NAMES = 2000;
/** How many times a name given new values is followed again. */
const MAX_RESCANS = 8;

export abstract class Flow extends SinkReporter {
  forward(start: Node, initial: Value[]): void {
    let values = initial;
    if (!values.some(this.live)) return;
    let node = start;
    for (let step = 0; step < 32; step++) {
      const parent = this.tree.parent(node);
      if (!parent) return;
      const relation = relationOf(this.text, this.tree, node, parent);
      if (relation === 'paren') {
        node = parent;
        continue;
      }
      // A container holding the value was checked when the value entered it.
      if (relation !== 'alias' && !(relation === 'contained' && CONTAINERS.has(node.type)))
        this.checkSinks(values, node, parent, relation);
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
            (ELEMENT_RESULTS.has(name) || SAME_ELEMENTS.has(name)) &&
            !ELEMENT_CALLBACKS.has(name) &&
            values.some((v) => v.k === 'seq')
          ) {
            // A module's own method of that name (`https.get`) is followed as a member too.
            const others = values.filter((v) => v.k !== 'seq');
            if (others.length > 0) this.forward(parent, membersOf(others, [name]));
            // `Object.values(cp).at(0)`, `.pop()`: the call gives one of the elements; `.slice()` some.
            values = SAME_ELEMENTS.has(name)
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
            const passed = PROMISE_CALLBACKS.has(name)
              ? values
              : values.flatMap((v) => (v.k === 'seq' ? v.items.flat() : []));
            const callback = argumentsOf(call)[0];
            const functions = callback ? this.evalExpr(callback).filter((v) => v.k === 'fn') : [];
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
          values = membersOf(values, [name]);
          break;
        }
        case 'subscript': {
          const keys = this.keysOf(parent.childForFieldName('index'));
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
          // The call's result is worth computing for modelled callees and for local functions whose
          // returns can involve the parameter (evaluating every helper's returns would be costly).
          let modelled = false;
          const results: Value[] = [];
          const targets = this.evalExpr(callee);
          this.storeThrough(call, callee, targets, index, values);
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
          // `keys.map((k) => cp[k])`: the callback returns the value, the call gives an array of them.
          const property = callee.type === 'member_expression' ? callee.childForFieldName('property') : null;
          const mapping = index === 0 && !!property && ['map', 'flatMap'].includes(this.nodeText(property));
          if (modelled || mapping) results.push(...this.evalExpr(call));
          values = dedupe(results);
          node = call;
          if (!values.some(this.live)) return;
          continue;
        }
        case 'contained':
          // An array element, an object property: follow the container.
          values =
            parent.type === 'pair' || parent.type === 'spread_element' ? values : this.evalExpr(parent);
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
        case 'heritage': {
          // `class X extends Function {}`: X constructs like its base.
          const cls = this.tree.parent(parent);
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

  /** A class holding a followed value: its name's uses (or the class expression) are followed. */
  private followClass(cls: Node): void {
    if (this.returning.has(cls.id)) return;
    this.returning.add(cls.id);
    const name = cls.childForFieldName('name');
    if (cls.type !== 'class' && name) this.rescan(this.nodeText(name));
    else this.forward(cls, [{ k: 'fn', node: cls }]);
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

  /**
   * `o.cp = require("child_process")`, `o["cp"] = ...`: the object named o holds the value under that key
   * from then on, recorded as an assignment of `{ cp: value }` to o.
   */
  private storeMember(assignment: Node, values: Value[]): void {
    const left = assignment.childForFieldName('left');
    if (left) this.storeAt(left, assignment, values);
  }

  /** `o.cp = v`, `({ exec: o.run } = cp)`: the member node `left` is given the values at `assignment`. */
  private storeAt(left: Node, assignment: Node, values: Value[]): void {
    const object = left.childForFieldName('object');
    if (object?.type !== 'identifier' || this.stores.has(left.id)) return;
    this.stores.add(left.id);
    const keys =
      left.type === 'member_expression'
        ? [this.nodeText(left.childForFieldName('property') ?? left)]
        : this.keysOf(left.childForFieldName('index'));
    if (!keys) return;
    const name = this.nodeText(object);
    // The object gains a member: what it held before is still possible too (a `may` row).
    this.pushBinding({
      name,
      chain: this.contextOf(assignment),
      declaration: false,
      kind: 'may',
      at: assignment,
      pos: assignment.endIndex,
      value: [{ k: 'dict', keys, items: keys.map(() => values) }],
    });
    this.rescan(name);
    if (GLOBAL_OBJECTS.has(name) && this.evalExpr(object).some((v) => v.k === 'ns'))
      this.storeGlobal(keys, assignment, values);
  }

  /**
   * `globalThis.x = cp`, `global["x"] = cp`: a global variable, read as `x` anywhere and through every name
   * of the global object (`self.x`, `window.x`).
   */
  private storeGlobal(keys: string[], at: Node, values: Value[]): void {
    const chain = this.contextOf(this.root);
    const names = [...keys.filter((key) => /^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(key)), ...GLOBAL_OBJECTS];
    for (const name of names) {
      const value: Value[] = GLOBAL_OBJECTS.has(name)
        ? [{ k: 'dict', keys, items: keys.map(() => values) }]
        : values;
      this.pushBinding({ name, chain, declaration: false, kind: 'may', at, pos: 0, value });
      this.rescan(name);
    }
  }

  /**
   * `Object.assign(o, cp)`, `list.push(cp)`, `map.set("k", cp)`: the target named by the call holds the
   * value from then on (a catalog row says how), recorded as a possible value of its name.
   */
  private storeThrough(call: Node, callee: Node, callees: Value[], index: number, values: Value[]): void {
    const property = callee.type === 'member_expression' ? callee.childForFieldName('property') : null;
    const method = property ? this.nodeText(property) : undefined;
    const known = callees.filter((c) => c.k === 'q');
    // A method of a known value (`cp.set`) is that value's own; `list.push` on anything else stores.
    const row = known.length
      ? known.map((c) => jsStoreFor(c.q)).find((r) => r !== undefined)
      : method && jsMethodStoreFor(method);
    // Built-in objects' prototypes and the like (`Object.setPrototypeOf(node, Object.prototype)`) are not
    // worth a new value for the target: its every use would be followed again for nothing.
    if (!row || index < row.from || !values.some(worthStoring)) return;
    const args = argumentsOf(call);
    const target = row.target === 'receiver' ? callee.childForFieldName('object') : args[row.target];
    // Keyed apart from member assignments' ids: one store per call and argument.
    const key = -(call.id * 64 + Math.min(index, 63)) - 1;
    if (target?.type !== 'identifier' || this.stores.has(key)) return;
    const stored = storedValue(row.kind, values, () => this.keysOf(args[row.from - 1]));
    if (!stored) return;
    this.stores.add(key);
    const name = this.nodeText(target);
    this.pushBinding({
      name,
      chain: this.contextOf(call),
      declaration: false,
      kind: 'may',
      at: call,
      pos: call.endIndex,
      value: stored,
    });
    this.rescan(name);
  }

  /** A local function called with a value: its parameter (or the names destructured from it) gets it. */
  protected injectParameter(fn: Node, index: number, given: Value[]): void {
    // Functions passed to a helper are not followed into it: a parameter called with many callbacks
    // would otherwise make every `param.constructor` look like the Function constructor.
    const values = given.filter((v) => v.k !== 'fn');
    if (!values.some(this.live)) return;
    const parameter = parameterAt(fn, index);
    if (!parameter) return;
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
      // The name's uses were followed before it had this value: follow those in the function again.
      for (const use of this.usesOf.get(name) ?? []) {
        if (use.startIndex >= fn.startIndex && use.endIndex <= fn.endIndex) this.uses.push([use, name]);
      }
    }
  }

  private followAlias(parent: Node, values: Value[]): void {
    const target = parent.childForFieldName(parent.type === 'variable_declarator' ? 'name' : 'left');
    if (!target) return;
    if (target.type === 'identifier') {
      this.scanName(this.nodeText(target));
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

/** What a store's target holds once the call has stored `values` in it (undefined: nothing known). */
function storedValue(
  kind: JsStoreKind,
  values: Value[],
  keys: () => string[] | undefined,
): Value[] | undefined {
  switch (kind) {
    case 'members':
      return values;
    case 'member-at-key':
    case 'descriptor': {
      const names = keys();
      if (!names) return undefined;
      const member = kind === 'descriptor' ? membersOf(values, ['value']) : values;
      return [{ k: 'dict', keys: names, items: names.map(() => member) }];
    }
    case 'descriptors':
      return values.flatMap((v): Value[] =>
        v.k === 'dict'
          ? [{ k: 'dict', keys: v.keys, items: v.items.map((d) => membersOf(d, ['value'])) }]
          : [],
      );
    case 'element':
      return [{ k: 'seq', items: [values] }];
    case 'entry': {
      // A map is the list of its [key, value] pairs (`map.get(k)` reads the value of one).
      const names = keys();
      const key: Value[] = names ? names.map((v) => ({ k: 'str', v })) : [OPAQUE];
      return [{ k: 'seq', items: [[{ k: 'seq', items: [key, values] }]] }];
    }
    default:
      return kind satisfies never;
  }
}
