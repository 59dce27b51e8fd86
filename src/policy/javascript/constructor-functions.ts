// Constructor functions, the way classes were written before `class`: `function C() { this.m = cp }` and
// `C.prototype.run = function () { ... }` (or `C.prototype = { run() {} }`). `new C()` is an object with the
// `this.x = v` stores of C's own code and the members assigned to C.prototype anywhere in the file; in C
// and in those prototype methods `this` is such an object. A class's instances get the members assigned to
// its prototype after it too.
import type { Node } from 'web-tree-sitter';
import type { ParentIndex } from '../tree';
import type { Value } from '../shared/value';
import { ownThis } from './receivers';
import { nodeText } from './syntax';
import { CLASS_NODES } from './classes';

/** How many prototype assignments and `this` stores of one constructor are looked at. */
const MAX_MEMBERS = 200;

/** Plain functions that `new` can construct (methods, arrows and generators cannot). */
const CONSTRUCTIBLE = new Set(['function_declaration', 'function_expression', 'function']);

/** Constructors declared with a name of their own (an expression's name is only visible inside it). */
const DECLARATIONS = new Set(['function_declaration', 'class_declaration', 'abstract_class_declaration']);

/** One member a constructor gives its instances: its name and the expression that is its value. */
export interface ConstructorMember {
  name: string;
  value: Node;
}

/** The name a constructor (or class) is known by: `function C() {}`, `const C = function () {}`. */
export function constructorName(text: string, tree: ParentIndex, fn: Node): string | undefined {
  if (!CONSTRUCTIBLE.has(fn.type) && !CLASS_NODES.has(fn.type)) return undefined;
  const own = DECLARATIONS.has(fn.type) ? fn.childForFieldName('name') : null;
  if (own) return nodeText(text, own);
  const parent = tree.parent(fn);
  const name = parent?.type === 'variable_declarator' ? parent.childForFieldName('name') : null;
  return name?.type === 'identifier' ? nodeText(text, name) : undefined;
}

/** The file's `X.prototype.m = v` and `X.prototype = v` assignments, by X (found by text, per name). */
export class PrototypeStores {
  private readonly byName = new Map<string, Node[]>();

  constructor(
    private readonly text: string,
    private readonly tree: ParentIndex,
  ) {}

  /** `[C.prototype.m = v]` and `[C.prototype = v]` for C. */
  of(name: string): Node[] {
    const cached = this.byName.get(name);
    if (cached) return cached;
    const out: Node[] = [];
    const escaped = name.replace(/[$]/g, '\\$');
    const pattern = new RegExp(`(?<![\\w$])${escaped}\\s*\\.\\s*prototype(?![\\w$])`, 'g');
    for (
      let match = pattern.exec(this.text);
      match && out.length < MAX_MEMBERS;
      match = pattern.exec(this.text)
    ) {
      const object = this.tree.descendantAt(match.index, match.index + name.length);
      const prototype = object && this.tree.parent(object);
      if (object?.type !== 'identifier' || prototype?.type !== 'member_expression') continue;
      // `C.prototype = v`, or `C.prototype.m = v`.
      const parent = this.tree.parent(prototype);
      const left = parent?.type === 'member_expression' ? parent : prototype;
      const assignment = this.tree.parent(left);
      if (
        assignment?.type === 'assignment_expression' &&
        assignment.childForFieldName('left')?.id === left.id &&
        prototypeOwner(this.text, left) === name
      )
        out.push(assignment);
    }
    this.byName.set(name, out);
    return out;
  }
}

/** X for `X.prototype` and `X.prototype.m`; undefined otherwise. */
function prototypeOwner(text: string, left: Node | null): string | undefined {
  const target =
    left?.type === 'member_expression' &&
    nodeText(text, left.childForFieldName('property') ?? left) !== 'prototype'
      ? left.childForFieldName('object')
      : left;
  if (target?.type !== 'member_expression') return undefined;
  const object = target.childForFieldName('object');
  const property = target.childForFieldName('property');
  if (object?.type !== 'identifier' || !property || nodeText(text, property) !== 'prototype')
    return undefined;
  return nodeText(text, object);
}

/**
 * What a constructor's instances hold: `this.x = v` in its own code, `C.prototype.x = v`, and the object
 * assigned as `C.prototype` (`whole`: its value node, whose members are the instances' too).
 */
export function constructorMembers(
  text: string,
  tree: ParentIndex,
  fn: Node,
  stores: PrototypeStores,
): { members: ConstructorMember[]; wholes: Node[]; methods: Node[] } {
  const members: ConstructorMember[] = [];
  const wholes: Node[] = [];
  // A class's own `this` stores are its members already (classes.ts).
  const thisUses = CLASS_NODES.has(fn.type) ? [] : ownThis(tree, fn).slice(0, MAX_MEMBERS);
  for (const use of thisUses) {
    const member = tree.parent(use);
    const assignment = member ? tree.parent(member) : null;
    const property = member?.type === 'member_expression' ? member.childForFieldName('property') : null;
    const value = assignment?.type === 'assignment_expression' ? assignment.childForFieldName('right') : null;
    if (property && value && assignment?.childForFieldName('left')?.id === member!.id)
      members.push({ name: nodeText(text, property), value });
  }
  const name = constructorName(text, tree, fn);
  for (const assignment of name ? stores.of(name) : []) {
    const left = assignment.childForFieldName('left')!;
    const value = assignment.childForFieldName('right');
    if (!value) continue;
    const property = left.childForFieldName('property');
    if (property && nodeText(text, property) === 'prototype') wholes.push(value);
    else if (property) members.push({ name: nodeText(text, property), value });
  }
  // The functions whose `this` is an instance: the constructor and its prototype's methods.
  const methods = [fn, ...members.map((m) => m.value).filter((v) => CONSTRUCTIBLE.has(v.type))];
  for (const whole of wholes)
    if (whole.type === 'object')
      for (const part of whole.namedChildren) {
        const method = part?.type === 'pair' ? part.childForFieldName('value') : part;
        if (method && (method.type === 'method_definition' || CONSTRUCTIBLE.has(method.type)))
          methods.push(method);
      }
  return { members, wholes, methods };
}

/** C for a function assigned as `C.prototype.m = function () {}` or a member of `C.prototype = { ... }`. */
export function prototypeMethodOwner(text: string, tree: ParentIndex, fn: Node): string | undefined {
  let value = fn;
  let parent = tree.parent(fn);
  if (parent?.type === 'pair' || (fn.type === 'method_definition' && parent?.type === 'object')) {
    const object = parent.type === 'pair' ? tree.parent(parent) : parent;
    if (object?.type !== 'object') return undefined;
    value = object;
    parent = tree.parent(object);
  }
  if (parent?.type !== 'assignment_expression' || parent.childForFieldName('right')?.id !== value.id)
    return undefined;
  return prototypeOwner(text, parent.childForFieldName('left'));
}

/**
 * `new C()` of a constructor function: its `this.x = v` stores and the members of its prototype; of a
 * class, the members assigned to its prototype (its own are the evaluator's). Nothing for what cannot be
 * constructed.
 */
export function constructedValues(
  text: string,
  tree: ParentIndex,
  fn: Node,
  stores: PrototypeStores,
  evalExpr: (node: Node) => Value[],
): Value[] {
  if (!constructorName(text, tree, fn)) return [];
  const { members, wholes } = constructorMembers(text, tree, fn, stores);
  if (members.length === 0 && wholes.length === 0) return [];
  const instance: Value = {
    k: 'dict',
    keys: members.map((m) => m.name),
    items: members.map((m) => evalExpr(m.value)),
  };
  return [instance, ...wholes.flatMap((w) => evalExpr(w))];
}
