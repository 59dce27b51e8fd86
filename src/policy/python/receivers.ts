// Parameters typed by where their function sits (catalog/receivers.ts): a tracked base class reaching a
// class's superclass list gives `self` in each of its methods (and in those of the file's classes derived
// from it) an instance of the base; a task decorator reaching a `@` line gives the decorated function's
// first parameter the context the task runner passes. The flow follows the parameters from there.
import type { Node } from 'web-tree-sitter';
import type { Value } from '../shared/value';
import { TASK_DECORATORS, instanceOfBase } from './catalog/receivers';
import { identifierAt, occurrencesOf } from './seeds';
import { identName, nodeText, same, type Source } from './state';

/** A parameter and the instance it holds. */
export interface TypedParameter {
  fn: Node;
  parameter: Node;
  value: Value;
}

/** How many classes derived from a typed class in the file are typed in turn. */
const MAX_DERIVED = 16;
/** Methods whose first parameter is not the instance. */
const NOT_INSTANCE = /^@\s*(?:staticmethod|classmethod)\b/;

/** What a tracked value reaching a decorator, or a class's superclass list, types. */
export function typedParameters(source: Source, site: Node, values: readonly Value[]): TypedParameter[] {
  const tree = source.tree;
  if (site.type === 'decorator') {
    const instance = values.map((v) => (v.k === 'q' ? TASK_DECORATORS[v.q] : undefined)).find((i) => i);
    const fn = tree.parent(site)?.childForFieldName('definition');
    const parameter = fn?.type === 'function_definition' ? firstParameter(fn) : undefined;
    return instance && fn && parameter ? [{ fn, parameter, value: { k: 'inst', q: instance } }] : [];
  }
  const cls = tree.parent(site);
  const instance = values.map((v) => (v.k === 'q' ? instanceOfBase(v.q) : undefined)).find((i) => i);
  if (cls?.type !== 'class_definition' || !same(cls.childForFieldName('superclasses'), site) || !instance)
    return [];
  const value: Value = { k: 'inst', q: instance };
  const out: TypedParameter[] = [];
  for (const typed of [cls, ...derivedClasses(source, cls)]) {
    for (const statement of typed.childForFieldName('body')?.namedChildren ?? []) {
      const fn =
        statement?.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
      if (fn?.type !== 'function_definition') continue;
      if (
        statement !== fn &&
        statement?.namedChildren.some(
          (d) => d?.type === 'decorator' && NOT_INSTANCE.test(nodeText(source, d)),
        )
      )
        continue;
      const parameter = firstParameter(fn);
      if (parameter) out.push({ fn, parameter, value });
    }
  }
  return out;
}

/** The identifier of a function's first parameter, if it is a plain (or typed, or defaulted) one. */
function firstParameter(fn: Node): Node | undefined {
  const first = fn.childForFieldName('parameters')?.firstNamedChild;
  if (first?.type === 'identifier') return first;
  const name =
    first?.type === 'typed_parameter'
      ? first.firstNamedChild
      : first
        ? first.childForFieldName('name')
        : null;
  return name?.type === 'identifier' ? name : undefined;
}

/** Classes of the file derived from `cls` by its name, directly or through each other (bounded). */
function derivedClasses(source: Source, cls: Node): Node[] {
  const out: Node[] = [];
  const queue = [cls];
  for (let current = queue.pop(); current && out.length < MAX_DERIVED; current = queue.pop()) {
    const name = current.childForFieldName('name');
    for (const [offset, length] of name ? occurrencesOf(source, identName(source, name)) : []) {
      const identifier = identifierAt(source, offset, length);
      const list = identifier ? source.tree.parent(identifier) : null;
      const derived = list?.type === 'argument_list' ? source.tree.parent(list) : null;
      if (derived?.type !== 'class_definition' || !same(derived.childForFieldName('superclasses'), list!))
        continue;
      if (derived.id === cls.id || out.some((c) => c.id === derived.id)) continue;
      out.push(derived);
      queue.push(derived);
    }
  }
  return out;
}
