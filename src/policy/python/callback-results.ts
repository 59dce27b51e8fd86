// Calls that call a function they are given on the items of what they are given. `map(f, xs, ...)` gives
// what f returns on the items at each place, `functools.reduce(f, xs, initial)` folds f over the items
// (`reduce(getattr, ["path", "system"], os)` is `os.path.system`), evaluated on values (partials.ts,
// `applyCallee`). flow.ts gives a function of the file the items as its parameters (`callbackArguments`):
// `map(lambda m: m.system("id"), [os])`, and filter's, sorted's, min's and max's function too.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, dedupe, type Value } from '../shared/value';
import { itemsOf } from './container-methods';
import type { CallEvaluation } from './model';
import { applyCallee } from './partials';

/** Items beyond this many are folded as one (any of them). */
const MAX_ITEMS = 64;

/**
 * Where each call takes its function (a position or a keyword), and which parameter of the function the
 * items of each positional argument go to (`rest`: the arguments from 1 on, one parameter each).
 */
const SHAPES = new Map<string, { fn: number | string; items: 'rest' | Array<[number, number[]]> }>(
  Object.entries({
    'builtins.map': { fn: 0, items: 'rest' },
    // The initial value and the items are the accumulator; the items the second parameter.
    'functools.reduce': { fn: 0, items: [[1, [0, 1]]] },
    'builtins.filter': { fn: 0, items: [[1, [0]]] },
    'itertools.filterfalse': { fn: 0, items: [[1, [0]]] },
    'builtins.sorted': { fn: 'key', items: [[0, [0]]] },
    'builtins.min': { fn: 'key', items: [[0, [0]]] },
    'builtins.max': { fn: 'key', items: [[0, [0]]] },
  }),
);

/** What `map(f, ...)` or `functools.reduce(f, ...)` gives. */
export function callbackResult(ev: CallEvaluation, q: string, call: Node): Value[] {
  const args = ev.argumentsOf(call);
  if (args.splat || args.positional.length < 2) return [OPAQUE];
  const [fn, ...rest] = args.positional.map((a) => ev.evalExpr(a));
  const apply = (positional: Value[][]): Value[] =>
    dedupe(fn.flatMap((callee) => applyCallee(ev, callee, positional)));
  const known = rest.map((values) => (values.length === 1 ? itemsOf(values[0]) : undefined));
  if (q === 'builtins.map') {
    if (known.every((items) => items && items.length <= MAX_ITEMS)) {
      const length = Math.min(...known.map((items) => items!.length));
      return [{ k: 'seq', items: Array.from({ length }, (_, i) => apply(known.map((items) => items![i]))) }];
    }
    return [{ k: 'seq', items: [apply(rest.map(anyItem))] }];
  }
  // reduce: the items folded from the initial value (or the first item) when they are known, in order.
  const [items, initial] = [known[0], rest[1]];
  if (items && items.length <= MAX_ITEMS && (initial || items.length > 0)) {
    let accumulator = initial ?? items[0];
    for (const item of initial ? items : items.slice(1)) accumulator = apply([accumulator, item]);
    return accumulator;
  }
  const any = anyItem(rest[0]);
  return dedupe([...apply([[...any, ...(initial ?? [])], any]), ...any, ...(initial ?? [])]);
}

/** A function of the file given items of a followed value as its parameter (by position). */
export interface CallbackArgument {
  fn: Node;
  index: number;
  values: Value[];
}

/** The parameters of the functions a call calls back that the followed value at `position` of the call reaches. */
export function callbackArguments(
  ev: CallEvaluation,
  call: Node,
  position: number,
  values: Value[],
): CallbackArgument[] {
  const shape = ev
    .evalExpr(call.childForFieldName('function'))
    .map((v) => (v.k === 'q' ? SHAPES.get(v.q) : undefined))
    .find((s) => s);
  if (!shape || position < 0) return [];
  const args = ev.argumentsOf(call);
  const fnNode = typeof shape.fn === 'number' ? args.positional[shape.fn] : args.keywords.get(shape.fn);
  const functions = ev.evalExpr(fnNode).flatMap((v) => (v.k === 'fn' ? [v.node] : []));
  const parameters =
    shape.items === 'rest'
      ? position >= 1
        ? [position - 1]
        : []
      : (shape.items.find(([argument]) => argument === position)?.[1] ?? []);
  // reduce's initial value is its function's first argument.
  const initial = ev
    .evalExpr(call.childForFieldName('function'))
    .some((v) => v.k === 'q' && v.q === 'functools.reduce');
  const out: CallbackArgument[] = [];
  for (const fn of functions) {
    for (const index of parameters) out.push({ fn, index, values: anyItem(values) });
    if (initial && position === 2) out.push({ fn, index: 0, values });
  }
  return out;
}

/** Any item of the values (unknown for a value whose items are not known). */
function anyItem(values: readonly Value[]): Value[] {
  return dedupe(values.flatMap((v) => itemsOf(v)?.flat() ?? [OPAQUE]));
}
