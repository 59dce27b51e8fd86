// `functools.partial(f, *args, **keywords)` and objects built from a mapping of attributes
// (`types.SimpleNamespace(m=v)`, `type("K", (), {"m": v})`), for calls.ts. Calling a partial calls `f`
// with the bound arguments first: `partial(getattr, os)("system")` is `getattr(os, "system")`. The call
// is evaluated on values (the bound ones have no node of their own), for the callees whose result their
// arguments decide: functions of the file, getattr, the imports by name, attrgetter/methodcaller, and the
// calls that give back their argument; any other callee gives an unknown value.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, constStrings, dedupe, type Value } from '../shared/value';
import type { CallArguments, CallEvaluation } from './model';
import { propagatorFor } from './catalog/propagators';
import { canonical, topModule } from './values';

type Partial = Extract<Value, { k: 'partial' }>;
/** Partials of partials: a few levels at most. */
const MAX_DEPTH = 4;

/** `partial(f, *args, **keywords)`: unknown when the callee is not given or an argument is splatted. */
export function partialOf(ev: CallEvaluation, call: Node): Value {
  const args = ev.argumentsOf(call);
  const [fn, ...rest] = args.positional;
  if (!fn || args.splat) return OPAQUE;
  return {
    k: 'partial',
    fn: ev.evalExpr(fn),
    args: rest.map((a) => ev.evalExpr(a)),
    keywords: [...args.keywords].map(([name, node]): [string, Value[]] => [name, ev.evalExpr(node)]),
    call,
  };
}

/**
 * The arguments a call of a partial passes its function: the bound ones (after the function), then the
 * call's own, so that a sink's argument check reads both (`partial(open, f, "w")()` writes).
 */
export function boundArguments(ev: CallEvaluation, partial: Partial, call: Node): CallArguments | undefined {
  if (!partial.call) return undefined;
  const bound = ev.argumentsOf(partial.call);
  const own = ev.argumentsOf(call);
  return {
    positional: [...bound.positional.slice(1), ...own.positional],
    keywords: new Map([...bound.keywords, ...own.keywords]),
    splat: bound.splat || own.splat,
  };
}

/** Calling a partial: its function with the bound arguments, then the call's own. */
export function callPartial(ev: CallEvaluation, partial: Partial, call: Node): Value[] {
  const args = ev.argumentsOf(call);
  if (args.splat) return [OPAQUE];
  const keywords = new Map<string, Value[]>();
  for (const [name, node] of args.keywords) keywords.set(name, ev.evalExpr(node));
  return applyPartial(
    ev,
    partial,
    args.positional.map((a) => ev.evalExpr(a)),
    keywords,
    0,
  );
}

function applyPartial(
  ev: CallEvaluation,
  partial: Partial,
  positional: Value[][],
  keywords: Map<string, Value[]>,
  depth: number,
): Value[] {
  const allPositional = [...partial.args, ...positional];
  const allKeywords = new Map([...partial.keywords, ...keywords]);
  const out: Value[] = [];
  for (const callee of partial.fn) {
    if (callee.k === 'partial' && depth < MAX_DEPTH)
      out.push(...applyPartial(ev, callee, allPositional, allKeywords, depth + 1));
    else out.push(...applyValues(ev, callee, allPositional, allKeywords));
  }
  return dedupe(out);
}

/** What calling `callee` (a partial too) with positional argument values gives. */
export function applyCallee(ev: CallEvaluation, callee: Value, positional: Value[][]): Value[] {
  if (callee.k === 'partial') return applyPartial(ev, callee, positional, new Map(), 0);
  return applyValues(ev, callee, positional, new Map());
}

/** What calling `callee` with argument values gives, for the callees whose result the arguments decide. */
function applyValues(
  ev: CallEvaluation,
  callee: Value,
  positional: Value[][],
  keywords: Map<string, Value[]>,
): Value[] {
  const arg = (i: number, keyword?: string): Value[] =>
    positional[i] ?? (keyword ? keywords.get(keyword) : undefined) ?? [];
  if (callee.k === 'fn') return ev.returnsGiven(callee.node, positional);
  if (callee.k === 'class') return ev.classCall(callee);
  if (callee.k === 'getter') return callee.method ? [OPAQUE] : ev.getterResult(callee, arg(0));
  if (callee.k !== 'q') return [OPAQUE];
  const row = propagatorFor(callee.q);
  const names = (i: number, keyword: string): string[] | undefined => constStrings(arg(i, keyword));
  switch (row?.kind) {
    case 'getattr':
      return (names(1, 'name') ?? []).flatMap((name) => ev.memberValues(arg(0), name));
    case 'import-top': {
      const fromlist = positional.length >= 4 || keywords.has('fromlist');
      const modules = names(0, 'name');
      return modules
        ? modules.flatMap((n) => ev.moduleNamed(fromlist ? n : topModule(n)))
        : [{ k: 'dynmod' }];
    }
    case 'import-named': {
      const modules = names(0, 'name');
      return modules
        ? modules.flatMap((n) => (n.startsWith('.') ? [OPAQUE] : ev.moduleNamed(n)))
        : [{ k: 'dynmod' }];
    }
    case 'resolve-name':
      return (names(0, 'name') ?? []).map((n): Value => ({ k: 'q', q: canonical(n.replace(':', '.')) }));
    case 'same-as-argument':
      return arg(typeof row.argument === 'number' ? row.argument : 0);
    case 'attribute-getter':
    case 'method-caller': {
      const method = row.kind === 'method-caller';
      const given = (method ? positional.slice(0, 1) : positional).map((v) => constStrings(v));
      const known = given.length > 0 && given.every((n) => n);
      return [{ k: 'getter', method, names: known ? (given.flat() as string[]) : undefined }];
    }
    case 'partial':
      return positional.length > 0
        ? [{ k: 'partial', fn: positional[0], args: positional.slice(1), keywords: [...keywords] }]
        : [OPAQUE];
    default:
      return [OPAQUE];
  }
}

/**
 * An object whose attributes a mapping gives: `SimpleNamespace(m=v)` (keywords, or a mapping first),
 * `type(name, bases, {"m": v})` (the class's attributes, read on the class or an instance).
 */
export function objectOf(mapping: Value[], keywords: Map<string, Value[]>, cls: boolean): Value {
  const keys: string[] = [];
  const items: Value[][] = [];
  for (const value of mapping) {
    if (value.k !== 'dict') return OPAQUE;
    keys.push(...value.keys);
    items.push(...value.items);
  }
  for (const [name, values] of keywords) {
    keys.push(name);
    items.push(values);
  }
  return { k: 'obj', keys, items, cls };
}

/** Whether a call builds a partial (`functools.partial(...)` however imported). */
export function isPartialCall(ev: CallEvaluation, call: Node): boolean {
  return ev
    .evalExpr(call.childForFieldName('function'))
    .some((v) => v.k === 'q' && propagatorFor(v.q)?.kind === 'partial');
}

/**
 * An argument given to a partial's function: `partial(f, os)` (its argument `index` is f's `index - 1`) or
 * `p(os)` for `p = partial(f, x)` (f's `index + 1`). Undefined when the callee is neither.
 */
export function partialCallees(
  ev: CallEvaluation,
  callee: Value,
  call: Node,
  index: number,
  keyword: string | undefined,
): { callees: Value[]; index: number } | undefined {
  if (callee.k === 'partial')
    return { callees: callee.fn, index: index < 0 ? index : index + callee.args.length };
  if (callee.k !== 'q' || propagatorFor(callee.q)?.kind !== 'partial') return undefined;
  if (index < 1 && keyword === undefined) return { callees: [], index };
  return { callees: ev.evalExpr(ev.argumentsOf(call).positional[0]), index: index < 0 ? index : index - 1 };
}
