// TypeScript namespaces and enums. Namespaces (`namespace N {}`, `module N {}`, `namespace A.B {}`): an object whose members are
// the declarations the body exports, bound to the namespace's first name (`A`, holding `{ B: members }`).
// Blocks of the same name merge, each one a possible value of the name (binder.ts). A declaration exported
// from a namespace makes the namespace's name worth following: `N.m` reads it.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, dedupe, type Value } from '../shared/value';
import { memberOf } from './values';
import type { ParentIndex } from '../tree';
import { nodeText, same } from './syntax';

export const NAMESPACES = new Set(['internal_module', 'module']);
const DECLARATIONS = new Set(['lexical_declaration', 'variable_declaration']);
const NAMED = new Set([
  'function_declaration',
  'generator_function_declaration',
  'class_declaration',
  'abstract_class_declaration',
]);
/** How many exported declarations of one block are read. */
const MAX_EXPORTS = 500;

/** The namespace whose name `node` begins (`N` in `namespace N`, `A` in `namespace A.B.C`). */
export function namespaceNamed(tree: ParentIndex, node: Node): Node | undefined {
  let current = node;
  for (let steps = 0; steps < 8; steps++) {
    const parent = tree.parent(current);
    if (!parent) return undefined;
    if (NAMESPACES.has(parent.type))
      return same(parent.childForFieldName('name'), current) && node.type === 'identifier'
        ? parent
        : undefined;
    if (parent.type !== 'nested_identifier' && parent.type !== 'member_expression') return undefined;
    if (!same(parent.firstNamedChild, current)) return undefined;
    current = parent;
  }
  return undefined;
}

/** The name a namespace is bound to (its first name) and the names nested under it (`B`, `C`). */
export function namespacePath(text: string, ns: Node): { root: string; path: string[] } | undefined {
  const path: string[] = [];
  let name = ns.childForFieldName('name');
  for (let steps = 0; name && steps < 8; steps++) {
    if (name.type === 'identifier') return { root: nodeText(text, name), path: path.reverse() };
    if (name.type !== 'nested_identifier' && name.type !== 'member_expression') return undefined;
    const last = name.lastNamedChild;
    if (last) path.push(nodeText(text, last));
    name = name.firstNamedChild;
  }
  return undefined;
}

/** The namespace a declaration (a declarator's declaration, a function, a class, a namespace) is exported from. */
export function exportingNamespace(tree: ParentIndex, declaration: Node): Node | undefined {
  // `namespace A { export namespace B {} }`: the inner one sits in an expression statement.
  const inner = tree.parent(declaration);
  const statement = inner?.type === 'expression_statement' ? inner : declaration;
  const exported = tree.parent(statement);
  const body = exported?.type === 'export_statement' ? tree.parent(exported) : null;
  const ns = body?.type === 'statement_block' ? tree.parent(body) : null;
  return ns && NAMESPACES.has(ns.type) ? ns : undefined;
}

/** What a namespace block binds its first name to: `{ B: { m } }` for `namespace A.B { export const m }`. */
export function namespaceValue(
  text: string,
  ns: Node,
  evalExpr: (node: Node | null) => Value[],
  atEnd: (name: string, end: Node) => Value[],
): Value {
  const keys: string[] = [];
  const items: Value[][] = [];
  const body = ns.childForFieldName('body');
  // A variable is exported with what it holds once the body has run (`export let m; m = cp`).
  const end = body?.lastChild ?? body;
  for (const statement of body?.namedChildren.slice(0, MAX_EXPORTS) ?? []) {
    if (statement?.type !== 'export_statement') continue;
    let declaration = statement.childForFieldName('declaration') ?? statement.firstNamedChild;
    if (declaration?.type === 'expression_statement') declaration = declaration.firstNamedChild;
    if (!declaration || !end) continue;
    if (DECLARATIONS.has(declaration.type)) {
      for (const declarator of declaration.namedChildren) {
        const name = declarator?.type === 'variable_declarator' ? declarator.childForFieldName('name') : null;
        if (name?.type !== 'identifier') continue;
        keys.push(nodeText(text, name));
        items.push([
          ...evalExpr(declarator!.childForFieldName('value')),
          ...atEnd(nodeText(text, name), end),
        ]);
      }
    } else if (declaration.type === 'export_clause') {
      // `export { m, n as k }`: the local names, as they are at the end of the body.
      for (const specifier of declaration.namedChildren) {
        const name = specifier?.type === 'export_specifier' ? specifier.childForFieldName('name') : null;
        if (name?.type !== 'identifier') continue;
        const alias = specifier!.childForFieldName('alias');
        keys.push(nodeText(text, alias ?? name));
        items.push(atEnd(nodeText(text, name), end));
      }
    } else if (declaration.type === 'import_alias') {
      // `export import X = A.B`: X is the entity A.B.
      const [alias, entity] = declaration.namedChildren;
      if (alias?.type !== 'identifier' || !entity) continue;
      keys.push(nodeText(text, alias));
      items.push(entityValue(text, entity, end, atEnd));
    } else if (NAMED.has(declaration.type)) {
      const name = declaration.childForFieldName('name');
      if (!name) continue;
      keys.push(nodeText(text, name));
      items.push(
        declaration.type.includes('function') ? [{ k: 'fn', node: declaration }] : evalExpr(declaration),
      );
    } else if (NAMESPACES.has(declaration.type)) {
      const inner = namespacePath(text, declaration);
      if (!inner) continue;
      keys.push(inner.root);
      items.push(evalExpr(declaration));
    }
  }
  let value: Value = { k: 'dict', keys, items };
  const path = namespacePath(text, ns)?.path;
  if (!path) return OPAQUE;
  for (const key of [...path].reverse()) value = { k: 'dict', keys: [key], items: [[value]] };
  return value;
}

/** `A.B.C` in `import X = A.B.C`: A's value at the end of the body, then its members. */
function entityValue(
  text: string,
  entity: Node,
  end: Node,
  atEnd: (name: string, end: Node) => Value[],
): Value[] {
  const path: string[] = [];
  let root: Node | null = entity;
  for (let steps = 0; root?.type === 'nested_identifier' && steps < 8; steps++) {
    const last = root.lastNamedChild;
    if (last) path.unshift(nodeText(text, last));
    root = root.firstNamedChild;
  }
  if (root?.type !== 'identifier') return [OPAQUE];
  let values = atEnd(nodeText(text, root), end);
  for (const key of path) values = dedupe(values.flatMap((v) => memberOf(v, key)));
  return values;
}

/** `enum E { A = v }`: an object with each member's value (a computed member may hold anything). */
export function enumValue(text: string, node: Node, evalExpr: (node: Node | null) => Value[]): Value {
  const keys: string[] = [];
  const items: Value[][] = [];
  for (const member of node.childForFieldName('body')?.namedChildren.slice(0, MAX_EXPORTS) ?? []) {
    if (member?.type !== 'enum_assignment') continue;
    const name = member.childForFieldName('name');
    if (!name) continue;
    keys.push(nodeText(text, name).replace(/^['"]|['"]$/g, ''));
    items.push(evalExpr(member.childForFieldName('value')));
  }
  return { k: 'dict', keys, items };
}

/** The namespace (or enum) a node is inside of, nearest first. */
export function enclosingNamespace(tree: ParentIndex, node: Node): Node | undefined {
  for (
    let current = tree.parent(node), steps = 0;
    current && steps < 400;
    current = tree.parent(current), steps++
  )
    if (NAMESPACES.has(current.type) || current.type === 'enum_declaration') return current;
  return undefined;
}
