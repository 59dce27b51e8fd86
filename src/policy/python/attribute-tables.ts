// An object's attribute table, `obj.__dict__` or `vars(obj)`: a key stored there is an attribute of the
// object (`k.__dict__["m"] = os`, `vars(k).update(m=os)`, then `k.m`), as `setattr(k, "m", os)` makes one.
// Attributes are followed by name (flow.ts `storeAttribute`), so the stores give the attribute's name.
import type { Node } from 'web-tree-sitter';
import { constStrings, type Value } from '../shared/value';
import type { CallEvaluation } from './model';
import { STORING_METHODS } from './module-stores';
import { identName, same, type Source } from './state';
import { holdsGlobals } from './values';

/** `obj.__dict__` or `vars(obj)`. */
export function isAttributeTable(source: Source, evaluator: CallEvaluation, node: Node): boolean {
  if (node.type === 'attribute') {
    const attribute = node.childForFieldName('attribute');
    return !!attribute && identName(source, attribute) === '__dict__';
  }
  const fn = node.type === 'call' ? node.childForFieldName('function') : null;
  return (
    !!fn &&
    evaluator.argumentsOf(node).positional.length === 1 &&
    evaluator.evalExpr(fn).some((v) => v.k === 'q' && v.q === 'builtins.vars')
  );
}

/**
 * The attributes a method call on an attribute table stores `argument`'s values under (`update(m=v)`,
 * `update({"m": v})`, `setdefault("m", v)`), or undefined when `holder` is no attribute table.
 */
export function attributeTableStores(
  source: Source,
  evaluator: CallEvaluation,
  holder: Node,
  method: string,
  call: Node,
  argument: Node,
  keyword: string | undefined,
): Array<[string, Value[]]> | undefined {
  if (!isAttributeTable(source, evaluator, holder)) return undefined;
  const values = evaluator.evalExpr(argument);
  if (method === 'update') {
    if (keyword !== undefined) return [[keyword, values]];
    return values.flatMap((v) =>
      v.k === 'dict' ? v.keys.map((key, i): [string, Value[]] => [key, v.items[i]]) : [],
    );
  }
  const places = STORING_METHODS[method];
  const args = evaluator.argumentsOf(call).positional;
  if (!places || keyword !== undefined || !same(args[places[1]], argument)) return [];
  const key = args[places[0]];
  return ((key && constStrings(evaluator.evalExpr(key))) || []).map((name): [string, Value[]] => [
    name,
    values,
  ]);
}

/**
 * `setattr(obj, "name", os)` with the followed value at `index` 2: an attribute store under the constant
 * names, `global` when obj is the module's namespace or the builtins (a bare name then).
 */
export function setattrStore(
  evaluator: CallEvaluation,
  callee: Value,
  call: Node,
  index: number,
): { names: string[]; global: boolean } | undefined {
  if (callee.k !== 'q' || callee.q !== 'builtins.setattr' || index !== 2) return undefined;
  const [target, nameNode] = evaluator.argumentsOf(call).positional;
  const names = (nameNode && constStrings(evaluator.evalExpr(nameNode))) || [];
  return { names, global: !!target && holdsGlobals(evaluator.evalExpr(target)) };
}
