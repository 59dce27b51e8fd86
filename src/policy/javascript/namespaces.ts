// TypeScript namespaces (`namespace N {}`, `module N {}`, `namespace A.B {}`): an object whose members are
// the declarations the body exports, bound to the namespace's first name (`A`, holding `{ B: members }`).
// Blocks of the same name merge, each one a possible value of the name (binder.ts). A declaration exported
// from a namespace makes the namespace's name worth following: `N.m` reads it.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, type Value } from '../shared/value';
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
export function namespaceValue(text: string, ns: Node, evalExpr: (node: Node | null) => Value[]): Value {
  const keys: string[] = [];
  const items: Value[][] = [];
  const body = ns.childForFieldName('body');
  for (const statement of body?.namedChildren.slice(0, MAX_EXPORTS) ?? []) {
    if (statement?.type !== 'export_statement') continue;
    let declaration = statement.childForFieldName('declaration') ?? statement.firstNamedChild;
    if (declaration?.type === 'expression_statement') declaration = declaration.firstNamedChild;
    if (!declaration) continue;
    if (DECLARATIONS.has(declaration.type)) {
      for (const declarator of declaration.namedChildren) {
        const name = declarator?.type === 'variable_declarator' ? declarator.childForFieldName('name') : null;
        if (name?.type !== 'identifier') continue;
        keys.push(nodeText(text, name));
        items.push(evalExpr(declarator!.childForFieldName('value')));
      }
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
