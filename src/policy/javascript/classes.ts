// What a class looks like to the analyzer: its members (fields, methods, getters, members stored on `this`,
// TypeScript's parameter properties), the class a `this` stands for, and the `this.name` reads of a member.
import type { Node } from 'web-tree-sitter';
import type { ParentIndex } from '../tree';
import { MAX_CLIMB, nodeText, same } from './syntax';
import { iteratorMemberName } from './object-literals';

export const CLASS_NODES = new Set(['class', 'class_declaration', 'abstract_class_declaration']);
/** Fields: JavaScript's and TypeScript's spelling. */
export const FIELDS = new Set(['field_definition', 'public_field_definition']);
/** How many members and `this` stores of one class are looked at. */
const MAX_MEMBERS = 200;

export interface ClassMember {
  name: string;
  isStatic: boolean;
  /** How the member gets its value: a field's initializer, a store's right side, a parameter's default. */
  value: Node | null;
  /** A method (its value is the function), a getter (its value is what it returns), a setter. */
  method?: Node;
  getter?: boolean;
  setter?: boolean;
}

/** The expression a class extends (`class C extends B`: B; TypeScript's `extends` clause's value). */
export function baseClassExpression(cls: Node): Node | undefined {
  const heritage = cls.namedChildren.find((c) => c?.type === 'class_heritage');
  const first = heritage?.firstNamedChild;
  if (first?.type !== 'extends_clause') return first ?? undefined;
  return first.childForFieldName('value') ?? first.firstNamedChild ?? undefined;
}

/** A class member's name (`m`, `#m`, `"m"`), or undefined when computed. */
function memberName(text: string, node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (['property_identifier', 'private_property_identifier', 'identifier'].includes(node.type))
    return nodeText(text, node);
  if (node.type === 'string') return nodeText(text, node).slice(1, -1);
  return iteratorMemberName((n) => nodeText(text, n), node);
}

function isStatic(member: Node): boolean {
  return member.children.some((c) => c?.type === 'static');
}

/** The members of a class, as written in its body and stored on `this` by its methods. */
export function classMembers(text: string, cls: Node): ClassMember[] {
  const body = cls.childForFieldName('body');
  if (!body) return [];
  const out: ClassMember[] = [];
  for (const member of body.namedChildren.slice(0, MAX_MEMBERS)) {
    if (!member) continue;
    if (FIELDS.has(member.type)) {
      const name = memberName(text, member.childForFieldName('property') ?? member.childForFieldName('name'));
      if (name !== undefined)
        out.push({ name, isStatic: isStatic(member), value: member.childForFieldName('value') });
    } else if (member.type === 'method_definition') {
      const name = memberName(text, member.childForFieldName('name'));
      if (name === 'constructor') out.push(...parameterProperties(text, member));
      else if (name !== undefined)
        out.push({
          name,
          isStatic: isStatic(member),
          value: null,
          method: member,
          getter: member.children.some((c) => c?.type === 'get'),
          setter: member.children.some((c) => c?.type === 'set'),
        });
    }
  }
  for (const assignment of body.descendantsOfType('assignment_expression').slice(0, MAX_MEMBERS)) {
    const left = assignment?.childForFieldName('left');
    if (
      !assignment ||
      left?.type !== 'member_expression' ||
      left.childForFieldName('object')?.type !== 'this'
    )
      continue;
    const name = memberName(text, left.childForFieldName('property'));
    // In a static block or a static method, `this` is the class: the member is a static one.
    if (name !== undefined)
      out.push({ name, isStatic: inStaticMember(assignment), value: assignment.childForFieldName('right') });
  }
  return out;
}

/** Whether a node is in a static block or static method of its class (through arrows). */
function inStaticMember(node: Node): boolean {
  for (
    let current = node.parent, steps = 0;
    current && steps < MAX_CLIMB;
    current = current.parent, steps++
  ) {
    if (current.type === 'class_static_block') return true;
    if (current.type === 'method_definition' || FIELDS.has(current.type)) return isStatic(current);
    if (current.type !== 'arrow_function' && /function|generator|class/.test(current.type)) return false;
  }
  return false;
}

/** TypeScript's `constructor(private cp = require("child_process"))`: a parameter that is a member. */
function parameterProperties(text: string, constructor: Node): ClassMember[] {
  const out: ClassMember[] = [];
  for (const parameter of constructor.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!parameter || !isParameterProperty(parameter)) continue;
    const name = memberName(text, parameter.childForFieldName('pattern'));
    if (name !== undefined) out.push({ name, isStatic: false, value: parameter.childForFieldName('value') });
  }
  return out;
}

export function isParameterProperty(parameter: Node): boolean {
  return (
    (parameter.type === 'required_parameter' || parameter.type === 'optional_parameter') &&
    parameter.children.some((c) => c?.type === 'accessibility_modifier' || c?.type === 'readonly')
  );
}

/**
 * The class whose instance (or, in a static member, the class itself) a `this` is: through arrow
 * functions, up to the method, field or static block it is in; undefined in a plain function.
 */
export function thisOwner(tree: ParentIndex, node: Node): { cls: Node; isStatic: boolean } | undefined {
  let current = tree.parent(node);
  for (let steps = 0; current && steps < MAX_CLIMB; steps++, current = tree.parent(current)) {
    if (current.type === 'arrow_function') continue;
    if (
      current.type === 'method_definition' ||
      FIELDS.has(current.type) ||
      current.type === 'class_static_block'
    ) {
      const cls = tree.parent(tree.parent(current) ?? current);
      if (!cls || !CLASS_NODES.has(cls.type)) return undefined;
      return { cls, isStatic: current.type === 'class_static_block' || isStatic(current) };
    }
    if (/function|generator/.test(current.type) || CLASS_NODES.has(current.type)) return undefined;
  }
  return undefined;
}

/** The member a value initializes: a field's value, a parameter property's default, a `this.x = v` store. */
export function memberInitialized(
  text: string,
  tree: ParentIndex,
  node: Node,
  parent: Node,
): { cls: Node; name: string } | undefined {
  let name: string | undefined;
  let inside: Node | null = null;
  if (FIELDS.has(parent.type) && same(parent.childForFieldName('value'), node)) {
    name = memberName(text, parent.childForFieldName('property') ?? parent.childForFieldName('name'));
    inside = tree.parent(parent);
  } else if (isParameterProperty(parent) && same(parent.childForFieldName('value'), node)) {
    name = memberName(text, parent.childForFieldName('pattern'));
    inside = tree.parent(tree.parent(tree.parent(parent) ?? parent) ?? parent);
  } else if (parent.type === 'assignment_expression' && same(parent.childForFieldName('right'), node)) {
    const left = parent.childForFieldName('left');
    if (left?.type !== 'member_expression' || left.childForFieldName('object')?.type !== 'this')
      return undefined;
    name = memberName(text, left.childForFieldName('property'));
    const owner = thisOwner(tree, left);
    return owner && name !== undefined ? { cls: owner.cls, name } : undefined;
  }
  const cls = inside ? tree.parent(inside) : null;
  return cls && name !== undefined && CLASS_NODES.has(cls.type) ? { cls, name } : undefined;
}

/** The `this.name` reads in a class's body (not the stores). */
export function thisReads(text: string, tree: ParentIndex, cls: Node, name: string): Node[] {
  const body = cls.childForFieldName('body');
  if (!body) return [];
  return body.descendantsOfType('member_expression').filter((member): member is Node => {
    if (!member || member.childForFieldName('object')?.type !== 'this') return false;
    if (memberName(text, member.childForFieldName('property')) !== name) return false;
    const parent = tree.parent(member);
    return !(parent?.type === 'assignment_expression' && same(parent.childForFieldName('left'), member));
  });
}
