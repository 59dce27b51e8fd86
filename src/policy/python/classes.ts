// Classes of the file, for the calls that run their methods: `C(os)` runs `C.__init__` with os (flow.ts
// gives it the parameter), `with C() as m` gives m what `C.__enter__` returns (context-managers.ts). A class
// is found by the name called (its binding's site); its methods in its body or a base class of the file.
import type { Node } from 'web-tree-sitter';
import { AnalysisCache } from '../shared/analysis-cache';
import type { Binder } from './binder';
import { parameterOf } from './parameters';
import { identName, type Source } from './state';

/** How many base classes are climbed to find a method. */
const MAX_BASES = 4;
const INIT = new Set(['__init__']);

/** The classes of the file a name (`C` in `C()`) can be. */
export function classesNamed(source: Source, binder: Binder, node: Node): Node[] {
  if (node.type !== 'identifier') return [];
  const out: Node[] = [];
  for (const binding of binder.bindingsOf(identName(source, node)))
    if (binding.site?.type === 'class_definition') out.push(binding.site);
  return out;
}

/** Each analysis's classes' own methods, by class node: a class body is walked once, not once per name asked. */
const OWN_METHODS = new AnalysisCache<number, Map<string, Node>>();

/** The defs directly in a class's body, by name (the first of a name, in the body's order). */
function ownMethods(source: Source, cls: Node): Map<string, Node> {
  const byClass = OWN_METHODS.of(source);
  let methods = byClass.get(cls.id);
  if (methods) return methods;
  methods = new Map();
  for (const statement of cls.childForFieldName('body')?.namedChildren ?? []) {
    const fn =
      statement?.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    const name = fn?.type === 'function_definition' ? fn.childForFieldName('name') : null;
    if (fn && name && !methods.has(identName(source, name))) methods.set(identName(source, name), fn);
  }
  byClass.set(cls.id, methods);
  return methods;
}

/** A method a class of the file defines or inherits from another class of the file. */
export function classMethod(
  source: Source,
  binder: Binder,
  cls: Node,
  names: ReadonlySet<string>,
  depth: number,
): Node | undefined {
  const own = ownMethods(source, cls);
  let first: Node | undefined;
  for (const name of names) {
    const fn = own.get(name);
    if (fn && (!first || fn.startIndex < first.startIndex)) first = fn;
  }
  if (first) return first;
  if (depth >= MAX_BASES) return undefined;
  for (const base of cls.childForFieldName('superclasses')?.namedChildren ?? []) {
    for (const inherited of base ? classesNamed(source, binder, base) : []) {
      if (inherited.id === cls.id) continue;
      const found = classMethod(source, binder, inherited, names, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** The `__init__` parameter a class call's argument (`C(os)`, positional `index` or `keyword`) goes to. */
export function initParameter(
  source: Source,
  binder: Binder,
  callee: Node,
  index: number,
  keyword: string | undefined,
): { fn: Node; parameter: Node } | undefined {
  for (const cls of classesNamed(source, binder, callee)) {
    const init = classMethod(source, binder, cls, INIT, 0);
    // `self` comes first: the call's first argument is the second parameter.
    const parameter = init && parameterOf(source, init, index < 0 ? index : index + 1, keyword);
    if (init && parameter) return { fn: init, parameter };
  }
  return undefined;
}
