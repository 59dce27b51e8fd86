// What the JavaScript/TypeScript tree looks like to the analyzer: which node types open a scope, which
// hold destructuring patterns or are see-through, and how a node relates to its parent when a value is
// followed forward.
import type { Node } from 'web-tree-sitter';
import type { ParentIndex } from '../tree';

/** How far the analyzer climbs the tree looking for an enclosing node. */
export const MAX_CLIMB = 400;

export const FUNCTIONS = new Set([
  'function_declaration',
  'function_expression',
  'function',
  'arrow_function',
  'method_definition',
  'generator_function',
  'generator_function_declaration',
]);
export const BLOCKS = new Set([
  'statement_block',
  'for_statement',
  'for_in_statement',
  'catch_clause',
  'class_body',
  'switch_body',
]);
/** Destructuring patterns (a default can sit in one). */
export const PATTERNS = new Set([
  'object_pattern',
  'array_pattern',
  'pair_pattern',
  'assignment_pattern',
  'object_assignment_pattern',
  'rest_pattern',
]);
export const CONTAINERS = new Set(['pair', 'spread_element', 'object', 'array']);
export const PARAMETER_PARENTS = new Set(['formal_parameters', 'required_parameter', 'optional_parameter']);
/** Wrappers whose value is their operand's. */
export const TRANSPARENT = new Set([
  'parenthesized_expression',
  'await_expression',
  'as_expression',
  'non_null_expression',
  'type_assertion',
  'satisfies_expression',
]);

/**
 * The expression inside any depth of wrappers that only pass it on (parentheses, TypeScript's `as`, `!`,
 * `satisfies`, `<T>x`; not `await`, which has a meaning of its own): unwrapped in a loop, so that forty
 * of them do not reach the evaluation's depth limit.
 */
export function unwrapped(node: Node): Node;
export function unwrapped(node: Node | null | undefined): Node | null | undefined;
export function unwrapped(node: Node | null | undefined): Node | null | undefined {
  let current = node;
  while (current && TRANSPARENT.has(current.type) && current.type !== 'await_expression') {
    const held =
      current.type === 'type_assertion'
        ? current.lastNamedChild
        : current.namedChildren.find((child) => child?.type !== 'comment');
    if (!held) return current;
    current = held;
  }
  return current;
}

export function same(a: Node | null | undefined, b: Node): boolean {
  return !!a && a.id === b.id;
}

export function nodeText(text: string, node: Node): string {
  return text.slice(node.startIndex, node.endIndex);
}

/** A call's arguments, without comments. */
export function argumentsOf(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  return args ? args.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
}

export function firstArgument(call: Node): Node | undefined {
  const args = call.childForFieldName('arguments');
  return args?.namedChildren.find((c): c is Node => !!c && c.type !== 'comment');
}

/** The function (or method, or arrow) a node is in. */
export function enclosingFunction(tree: ParentIndex, node: Node): Node | undefined {
  let current = tree.parent(node);
  for (let steps = 0; current && steps < MAX_CLIMB; steps++, current = tree.parent(current)) {
    if (FUNCTIONS.has(current.type)) return current;
  }
  return undefined;
}

/** A function's parameter at `index` (an arrow's lone parameter is index 0). */
export function parameterAt(fn: Node, index: number): Node | null | undefined {
  if (fn.type === 'arrow_function' && fn.childForFieldName('parameter'))
    return index === 0 ? fn.childForFieldName('parameter') : undefined;
  // TypeScript's `this: T` declares the receiver's type: it takes no argument.
  return argumentParameters(fn)[index];
}

/** The rest parameter (`...args`) that takes argument `index`, if the function has one before it. */
export function restParameterAt(fn: Node, index: number): { node: Node; position: number } | undefined {
  // TypeScript wraps it: `required_parameter` with the rest pattern as its `pattern`.
  const patterns = argumentParameters(fn).map((c) => c.childForFieldName('pattern') ?? c);
  const position = patterns.findIndex((c) => c.type === 'rest_pattern');
  return position >= 0 && position <= index ? { node: patterns[position], position } : undefined;
}

/** The parameters that take arguments (TypeScript's `this: T` takes none). */
function argumentParameters(fn: Node): Node[] {
  return (
    fn
      .childForFieldName('parameters')
      ?.namedChildren.filter(
        (c): c is Node => !!c && c.type !== 'comment' && c.childForFieldName('pattern')?.type !== 'this',
      ) ?? []
  );
}

/** A class with a constructor of its own (then `new X(...)` does not pass its arguments to the base). */
export function hasOwnConstructor(text: string, cls: Node): boolean {
  return !!cls
    .childForFieldName('body')
    ?.namedChildren.some(
      (m) =>
        m?.type === 'method_definition' && nodeText(text, m.childForFieldName('name') ?? m) === 'constructor',
    );
}

/** How a value at a node is used by its parent. */
export type Relation =
  | 'call'
  | 'member'
  | 'subscript'
  | 'paren'
  | 'alias'
  | 'argument'
  | 'contained'
  | 'return'
  | 'store'
  | 'heritage'
  | 'with'
  /** `throw v`: the value goes to the `catch` around it. */
  | 'throw'
  /** A class field's initializer, a TypeScript parameter property's default. */
  | 'member-init'
  /** `enum E { A = v }`, `namespace N { export import X = v }`: E (N) holds v. */
  | 'namespace-member'
  /** `` tag`a${v}` ``: a substitution in a tagged template, an argument of the tag function. */
  | 'tagged'
  | 'other';

export function relationOf(text: string, tree: ParentIndex, node: Node, parent: Node): Relation {
  const type = parent.type;
  if (TRANSPARENT.has(type)) return 'paren';
  switch (type) {
    case 'call_expression':
      return same(parent.childForFieldName('function'), node) ? 'call' : 'other';
    case 'new_expression':
      return same(parent.childForFieldName('constructor'), node) ? 'call' : 'other';
    case 'member_expression':
      return same(parent.childForFieldName('object'), node) ? 'member' : 'other';
    case 'subscript_expression':
      return same(parent.childForFieldName('object'), node) ? 'subscript' : 'other';
    case 'sequence_expression':
      return same(parent.lastNamedChild, node) ? 'paren' : 'other';
    case 'ternary_expression':
      return same(parent.childForFieldName('condition'), node) ? 'other' : 'paren';
    case 'binary_expression': {
      const operator = parent.childForFieldName('operator');
      const op = operator ? nodeText(text, operator) : '';
      return op === '||' || op === '??' || (op === '&&' && same(parent.childForFieldName('right'), node))
        ? 'paren'
        : 'other';
    }
    case 'variable_declarator':
      return same(parent.childForFieldName('value'), node) ? 'alias' : 'other';
    case 'for_in_statement':
      // `for (const f of list)`: the loop's names are bound to the elements.
      return same(parent.childForFieldName('right'), node) && isForOf(text, parent) ? 'alias' : 'other';
    case 'assignment_expression': {
      if (!same(parent.childForFieldName('right'), node)) return 'other';
      const left = parent.childForFieldName('left')?.type ?? '';
      if (['identifier', 'object_pattern', 'array_pattern'].includes(left)) return 'alias';
      return left === 'member_expression' || left === 'subscript_expression' ? 'store' : 'other';
    }
    case 'arguments': {
      const call = tree.parent(parent);
      return call?.type === 'call_expression' || call?.type === 'new_expression' ? 'argument' : 'other';
    }
    case 'array':
    case 'object':
      return 'contained';
    case 'spread_element':
      return 'contained';
    case 'class_heritage':
      return 'heritage';
    case 'extends_clause':
      // TypeScript's `class C extends B<T>`: B is the clause's value.
      return same(parent.childForFieldName('value'), node) ? 'heritage' : 'other';
    case 'with_statement':
      return same(parent.childForFieldName('object'), node) ? 'with' : 'other';
    case 'pair':
      return same(parent.childForFieldName('value'), node) ? 'contained' : 'other';
    case 'enum_assignment':
      return same(parent.childForFieldName('value'), node) ? 'namespace-member' : 'other';
    case 'import_alias':
      // `export import X = cp` in a namespace.
      return same(parent.lastNamedChild, node) ? 'namespace-member' : 'other';
    case 'field_definition':
    case 'public_field_definition':
    case 'required_parameter':
    case 'optional_parameter':
      return same(parent.childForFieldName('value'), node) ? 'member-init' : 'other';
    case 'throw_statement':
      return 'throw';
    case 'template_substitution': {
      const template = tree.parent(parent);
      const call = template ? tree.parent(template) : null;
      return call?.type === 'call_expression' && same(call.childForFieldName('arguments'), template!)
        ? 'tagged'
        : 'other';
    }
    case 'return_statement':
    case 'yield_expression':
      // A generator's calls give what it yields, as a function's give what it returns.
      return 'return';
    case 'arrow_function':
      return same(parent.childForFieldName('body'), node) ? 'return' : 'other';
    default:
      return 'other';
  }
}

/** `for (... of ...)`, not `for (... in ...)`. */
export function isForOf(text: string, loop: Node): boolean {
  const operator = loop.childForFieldName('operator');
  return !!operator && nodeText(text, operator) === 'of';
}
