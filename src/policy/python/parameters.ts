// Which parameter of a function of the file takes an argument of a call: a named one by position or
// keyword, else `*args` (a tuple of the positional arguments from its place on) or `**kwargs` (a dict of
// the keywords). flow.ts gives the parameter the argument's values.
import type { Node } from 'web-tree-sitter';
import type { Value } from '../shared/value';
import type { CallEvaluation } from './model';
import { identName, type Source } from './state';

/** The identifier of a function's parameter taking the positional argument `index` or the keyword. */
export function parameterOf(
  source: Source,
  fn: Node,
  index: number,
  keyword: string | undefined,
): Node | undefined {
  const parameters = fn.childForFieldName('parameters');
  if (!parameters) return undefined;
  let position = 0;
  for (const child of parameters.namedChildren) {
    if (!child) continue;
    let name: Node | null;
    if (child.type === 'identifier') name = child;
    else if (child.type === 'default_parameter' || child.type === 'typed_default_parameter')
      name = child.childForFieldName('name');
    else if (child.type === 'typed_parameter') name = child.firstNamedChild;
    else if (child.type === 'keyword_separator' || child.type === 'list_splat_pattern') {
      position = Infinity;
      continue;
    } else continue;
    if (name?.type !== 'identifier') {
      if (name?.type === 'list_splat_pattern') position = Infinity;
      else position++;
      continue;
    }
    if (keyword !== undefined ? identName(source, name) === keyword : position === index) return name;
    position++;
  }
  return undefined;
}

/**
 * Runs `evaluate` with a function's parameters, from the one at `first` on, holding the values given (in the
 * binder's overlay: never remembered); a parameter whose name is overlaid already keeps its values.
 */
export function withArguments<T>(
  source: Source,
  overlay: Map<string, Value[]>,
  fn: Node,
  positional: Value[][],
  first: number,
  evaluate: () => T,
): T {
  const bound: string[] = [];
  try {
    positional.forEach((values, i) => {
      const parameter = parameterOf(source, fn, first + i, undefined);
      const name = parameter && identName(source, parameter);
      if (!name || overlay.has(name)) return;
      overlay.set(name, values);
      bound.push(name);
    });
    return evaluate();
  } finally {
    for (const name of bound) overlay.delete(name);
  }
}

/**
 * The parameters of the functions of the file a call's splat reaches: `f(*[os])` the item at each place from
 * the splat's on (any item when the places are not known), `f(**{"m": os})` each key's parameter.
 */
export function splatArguments(
  source: Source,
  evaluator: CallEvaluation,
  splat: Node,
  values: Value[],
): Array<{ fn: Node; parameter: Node; values: Value[] }> {
  const list = source.tree.parent(splat);
  const call = list?.type === 'argument_list' ? source.tree.parent(list) : null;
  if (!list || call?.type !== 'call') return [];
  const functions = evaluator
    .evalExpr(call.childForFieldName('function'))
    .flatMap((v) => (v.k === 'fn' ? [v.node] : []));
  // The splat's place: the positional arguments before it.
  let position = 0;
  for (const child of list.namedChildren) {
    if (!child || child.id === splat.id) break;
    if (child.type !== 'keyword_argument' && child.type !== 'comment' && child.type !== 'dictionary_splat')
      position++;
  }
  const out: Array<{ fn: Node; parameter: Node; values: Value[] }> = [];
  for (const fn of functions) {
    for (const value of values) {
      if (splat.type === 'dictionary_splat' && value.k === 'dict')
        value.keys.forEach((key, i) => {
          const parameter = parameterOf(source, fn, -1, key);
          if (parameter) out.push({ fn, parameter, values: value.items[i] });
        });
      else if (splat.type === 'list_splat' && value.k === 'seq')
        value.items.forEach((item, i) => {
          const parameter = parameterOf(source, fn, position + i, undefined);
          if (parameter) out.push({ fn, parameter, values: item });
        });
    }
  }
  return out;
}

/** The `*args` (for a positional argument) or `**kwargs` (for a keyword) that collects an argument, and what it holds. */
export function collectingParameter(
  evaluator: CallEvaluation,
  fn: Node,
  call: Node,
  keyword: string | undefined,
): { parameter: Node; value: Value } | undefined {
  const wanted = keyword === undefined ? 'list_splat_pattern' : 'dictionary_splat_pattern';
  let position = 0;
  for (const child of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!child || child.type === 'keyword_separator') continue;
    // `*args: Any` is a typed parameter around the splat.
    const pattern = child.type === 'typed_parameter' ? child.firstNamedChild : child;
    if (pattern?.type !== wanted) {
      if (pattern?.type !== 'list_splat_pattern' && pattern?.type !== 'dictionary_splat_pattern') position++;
      continue;
    }
    const name = pattern.firstNamedChild;
    if (name?.type !== 'identifier') return undefined;
    const args = evaluator.argumentsOf(call);
    const value: Value = keyword
      ? {
          k: 'dict',
          keys: [...args.keywords.keys()],
          items: [...args.keywords.values()].map((a) => evaluator.evalExpr(a)),
        }
      : { k: 'seq', items: args.positional.slice(position).map((a) => evaluator.evalExpr(a)) };
    return { parameter: name, value };
  }
  return undefined;
}
