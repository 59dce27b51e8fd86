// Values stored into an object, which holds them from then on: a member assignment (`o.cp = v`, nested
// `o.a.b = v`, CommonJS's `exports.m = v` read through `module.exports` too, `globalThis.x = v`) and the
// calls of catalog/stores.ts (`Object.assign(o, cp)`, `map.set(k, cp)`, a descriptor's value or getter).
// Each store is recorded as a possible value of the target's name, whose uses are followed again.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, type Value } from '../shared/value';
import { GLOBAL_OBJECTS } from './catalog/names';
import { jsMethodStoreFor, jsStoreFor, type JsStoreKind } from './catalog/stores';
import { Handoffs } from './handoffs';
import { argumentsOf, unwrapped } from './syntax';
import { isModule, membersOf, setterKey, worthStoring } from './values';
import { sinkMembers } from './catalog/sinks';
import { ownThis, thisFunction } from './receivers';
import {
  PrototypeStores,
  constructorMembers,
  constructorName,
  prototypeMethodOwner,
} from './constructor-functions';
import { thisOwner } from './classes';
import { objectThisUses, thisObject } from './object-this';
import { isEsModule } from './sloppy-this';

/** How many stores into `exports` make the top-level `this` reads followed again. */
const MAX_EXPORTS_THIS = 8;

export abstract class MemberStores extends Handoffs {
  private exportsFollowed = 0;

  /**
   * `o.cp = require("child_process")`, `o["cp"] = ...`: the object named o holds the value under that key
   * from then on, recorded as an assignment of `{ cp: value }` to o.
   */
  protected storeMember(assignment: Node, values: Value[]): void {
    const left = assignment.childForFieldName('left');
    if (!left) return;
    this.callSetter(left, values);
    this.storeAt(left, assignment, values);
  }

  /** `o.x = cp` where o (an object literal, a class's instance) has `set x(v)`: the setter gets cp. */
  private callSetter(left: Node, values: Value[]): void {
    const property = left.type === 'member_expression' ? left.childForFieldName('property') : null;
    const keys = property ? [this.nodeText(property)] : this.keysOf(left.childForFieldName('index'));
    if (!keys) return;
    const object = this.evalExpr(left.childForFieldName('object'));
    for (const setter of membersOf(object, keys.map(setterKey)))
      if (setter.k === 'fn') this.injectParameter(setter.node, 0, values);
  }

  /** `this.m = cp` at the top level of a CommonJS module: `module.exports.m = cp`. */
  private exportsThis(object: Node | null): Node | null {
    if (object?.type !== 'this' || thisFunction(this.tree, object) || thisOwner(this.tree, object))
      return object;
    return isEsModule(this.root) ? object : null;
  }

  /**
   * After a store into `exports`: the top-level `this` reads (`this.m` in a CommonJS module) are followed
   * again, with what the exports now hold.
   */
  private followExportsThis(): void {
    if (isEsModule(this.root) || ++this.exportsFollowed > MAX_EXPORTS_THIS) return;
    for (const offset of (this.seeds.get('this') ?? []).slice(0, 200)) {
      const node = this.tree.descendantAt(offset, offset + 4);
      if (node?.type !== 'this' || node.startIndex !== offset) continue;
      if (thisFunction(this.tree, node) || thisOwner(this.tree, node)) continue;
      const values = [
        ...this.resolveUse(node, 'exports'),
        ...membersOf(
          this.resolveUse(node, 'module').filter((v) => v.k === 'dict'),
          ['exports'],
        ),
      ];
      this.forward(node, values);
    }
  }

  /**
   * `o.cp = v`, `({ exec: o.run } = cp)`: the member node `left` is given the values at `assignment`;
   * `o.a.b = v`: o gains `{ a: { b: v } }`. CommonJS's `exports` is `module.exports`: a store into either
   * is read through both.
   */
  protected storeAt(left: Node, assignment: Node, values: Value[]): void {
    if (this.stores.has(left.id)) return;
    const path: string[][] = [];
    let object: Node | null = left;
    while (object?.type === 'member_expression' || object?.type === 'subscript_expression') {
      const property = object.childForFieldName('property');
      const keys = property ? [this.nodeText(property)] : this.keysOf(object.childForFieldName('index'));
      if (!keys || path.length >= 4) return;
      path.unshift(keys);
      object = unwrapped(object.childForFieldName('object')) ?? null;
    }
    const self = object?.type === 'this' ? this.exportsThis(object) : object;
    if (self?.type === 'this' && !this.stores.has(left.id)) {
      this.stores.add(left.id);
      this.storeThisMember(self, path, assignment, values);
    }
    if (self?.type !== 'identifier' && self !== null) return;
    this.stores.add(left.id);
    const name = self ? this.nodeText(self) : 'exports';
    this.storeNested(name, path, assignment, values);
    if (name === 'exports') this.storeNested('module', [['exports'], ...path], assignment, values);
    else if (name === 'module' && path.length > 1 && path[0].includes('exports'))
      this.storeNested('exports', path.slice(1), assignment, values);
    if (name === 'exports' || name === 'module') this.followExportsThis();
    if (
      path.length === 1 &&
      GLOBAL_OBJECTS.has(name) &&
      self &&
      this.evalExpr(self).some((v) => v.k === 'ns')
    )
      this.storeGlobal(path[0], assignment, values);
  }

  /**
   * `init() { this.cp = v }` in an object literal: the object holds v from then on. Its methods' `this`
   * uses are followed with it, and so are the uses of the name it is declared as.
   */
  private storeThisMember(self: Node, path: string[][], assignment: Node, values: Value[]): void {
    const literal = thisObject(this.tree, self);
    if (!literal) {
      this.storeInstanceMember(self, path, values);
      return;
    }
    const declarator = this.tree.parent(literal);
    const name = declarator?.type === 'variable_declarator' ? declarator.childForFieldName('name') : null;
    if (name?.type === 'identifier') this.storeNested(this.nodeText(name), path, assignment, values);
    const value = nestedValue(path, values);
    for (const use of objectThisUses(this.tree, literal)) if (this.budget()) this.forward(use, value);
  }

  /**
   * `function C() { this.m = cp }` (or a prototype method's `this.m = cp`): C's instances hold cp, so
   * `new C()` is followed again and the `this` uses of C and its prototype's methods get the member.
   */
  private storeInstanceMember(self: Node, path: string[][], values: Value[]): void {
    const fn = thisFunction(this.tree, self);
    if (!fn) return;
    const owner = constructorName(this.text, this.tree, fn) ?? prototypeMethodOwner(this.text, this.tree, fn);
    const constructor = owner
      ? this.resolveUse(self, owner).find(
          (v) => v.k === 'fn' && constructorName(this.text, this.tree, v.node),
        )
      : undefined;
    if (constructor?.k !== 'fn') return;
    this.prototypes ??= new PrototypeStores(this.text, this.tree);
    const { methods } = constructorMembers(this.text, this.tree, constructor.node, this.prototypes);
    const value = nestedValue(path, values);
    for (const method of methods)
      for (const use of ownThis(this.tree, method)) if (this.budget()) this.forward(use, value);
    this.returning.add(constructor.node.id);
    this.rescan(owner!);
  }

  /** The object named `name` gains the value under the path of keys (what it held stays possible: `may`). */
  private storeNested(name: string, path: string[][], assignment: Node, values: Value[]): void {
    const value = nestedValue(path, values);
    this.pushBinding({
      name,
      chain: this.contextOf(assignment),
      declaration: false,
      kind: 'may',
      at: assignment,
      pos: assignment.endIndex,
      value,
    });
    this.rescan(name);
  }

  /**
   * `globalThis.x = cp`, `global["x"] = cp`: a global variable, read as `x` anywhere and through every name
   * of the global object (`self.x`, `window.x`).
   */
  private storeGlobal(keys: string[], at: Node, values: Value[]): void {
    // `globalThis.__proto__ = cp`: the global object inherits the module's functions as global names.
    if (keys.includes('__proto__')) this.storeGlobalMembers(at, values);
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

  /** A module merged into the global object: its sinks' names are global names (`exec("id")`). */
  private storeGlobalMembers(at: Node, values: Value[]): void {
    for (const module of values.filter(isModule).slice(0, 4))
      for (const member of sinkMembers(module.q).slice(0, 50))
        this.storeGlobal([member], at, [{ k: 'q', q: `${module.q}.${member}` }]);
  }

  /**
   * `Object.assign(o, cp)`, `list.push(cp)`, `map.set("k", cp)`: the target named by the call holds the
   * value from then on (a catalog row says how), recorded as a possible value of its name.
   */
  protected storeThrough(call: Node, callee: Node, callees: Value[], index: number, values: Value[]): void {
    const property = callee.type === 'member_expression' ? callee.childForFieldName('property') : null;
    const method = property ? this.nodeText(property) : undefined;
    const known = callees.filter((c) => c.k === 'q');
    // A method of a known value (`cp.set`) is that value's own; `list.push` on anything else stores.
    const row = known.length
      ? known.map((c) => jsStoreFor(c.q)).find((r) => r !== undefined)
      : method && jsMethodStoreFor(method);
    // Built-in objects' prototypes and the like (`Object.setPrototypeOf(node, Object.prototype)`) are not
    // worth a new value for the target: its every use would be followed again for nothing.
    if (!row || index < row.from) return;
    const args = argumentsOf(call);
    const target = unwrapped(
      row.target === 'receiver' ? callee.childForFieldName('object') : args[row.target],
    );
    // Keyed apart from member assignments' ids: one store per call and argument.
    const key = -(call.id * 64 + Math.min(index, 63)) - 1;
    const global = target?.type === 'this' && this.evalExpr(target).some((v) => v.k === 'ns');
    if ((target?.type !== 'identifier' && !global) || this.stores.has(key)) return;
    const stored = storedValue(
      row.kind,
      values,
      () => this.keysOf(args[row.from - 1]),
      (fn) => this.returnsOf(fn),
    );
    if (!stored?.some(worthStoring)) return;
    this.stores.add(key);
    const name = global ? 'globalThis' : this.nodeText(target!);
    if (!global)
      this.pushBinding({
        name,
        chain: this.contextOf(call),
        declaration: false,
        kind: 'may',
        at: call,
        pos: call.endIndex,
        value: stored,
      });
    if (!global) this.rescan(name);
    // `Object.defineProperty(globalThis, "x", { value: cp })`, `Object.assign(globalThis, { x: cp })` (or
    // a sloppy function's `this`): a global variable, as `globalThis.x = cp` makes one;
    // `Object.assign(globalThis, cp)`, `Object.setPrototypeOf(globalThis, cp)`: the module's functions.
    if (!GLOBAL_OBJECTS.has(name) || !this.evalExpr(target!).some((v) => v.k === 'ns')) return;
    for (const object of stored.slice(0, 8))
      if (object.k === 'dict')
        object.keys.slice(0, 50).forEach((k, i) => this.storeGlobal([k], call, object.items[i]));
    this.storeGlobalMembers(call, stored);
  }
}

/** `{ a: { b: v } }` for the path a.b: what an object holds after `o.a.b = v`. */
function nestedValue(path: string[][], values: Value[]): Value[] {
  let value = values;
  for (const keys of [...path].reverse()) {
    const inner = value;
    value = [{ k: 'dict', keys, items: keys.map(() => inner) }];
  }
  return value;
}

/** What a store's target holds once the call has stored `values` in it (undefined: nothing known). */
function storedValue(
  kind: JsStoreKind,
  values: Value[],
  keys: () => string[] | undefined,
  returnsOf: (fn: Node) => Value[],
): Value[] | undefined {
  // A descriptor's member is its `value`, or what its getter returns (`{ get: () => cp }`).
  const member = (descriptors: Value[]): Value[] => [
    ...membersOf(descriptors, ['value']),
    ...getterResults(membersOf(descriptors, ['get']), returnsOf),
  ];
  switch (kind) {
    case 'members':
      return values;
    case 'member-at-key':
    case 'descriptor':
    case 'getter': {
      const names = keys();
      if (!names) return undefined;
      const stored =
        kind === 'descriptor'
          ? member(values)
          : kind === 'getter'
            ? getterResults(values, returnsOf)
            : values;
      return [{ k: 'dict', keys: names, items: names.map(() => stored) }];
    }
    case 'descriptors':
      return values.flatMap((v): Value[] =>
        v.k === 'dict' ? [{ k: 'dict', keys: v.keys, items: v.items.map((d) => member(d)) }] : [],
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

/** What the getters among the values (the file's functions) return. */
function getterResults(getters: Value[], returnsOf: (fn: Node) => Value[]): Value[] {
  return getters.flatMap((g) => (g.k === 'fn' ? returnsOf(g.node) : []));
}
