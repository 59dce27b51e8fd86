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
