// What a call returns: a propagator of the catalog (`__import__`, `getattr`, `vars`, `attrgetter`, path
// methods...) by its kind, a function of the file by its returns, a constructor by the instance it builds,
// and a builtin on constants by folding. The evaluator calls this; it reports nothing.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, constString, constStrings, dedupe, type Value } from '../shared/value';
import { INSTANCE_BY_KEYWORD, INSTANCE_CLASSES } from './catalog/names';
import { propagatorFor } from './catalog/propagators';
import { FOLDED_CALLS, evalConstCall, foldedArguments } from './constants';
import type { CallArguments, CallEvaluation } from './model';
import { GLOBALS, canonical } from './values';
import { callPartial, objectOf, partialOf } from './partials';
import { itemsOf } from './container-methods';
import { callbackResult } from './callback-results';
import { defaultMapping, factoryResult, keysMapping, mappingOf } from './mappings';

export type { CallEvaluation } from './model';

/** What calling one of `callees` with the arguments of `call` returns. */
export function callResult(ev: CallEvaluation, callees: readonly Value[], call: Node): Value[] {
  const out: Value[] = [];
  let args: CallArguments | undefined;
  const argValues = (i: number, keyword?: string): Value[] => {
    args ??= ev.argumentsOf(call);
    const node = args.positional[i] ?? (keyword ? args.keywords.get(keyword) : undefined);
    return node ? ev.evalExpr(node) : [];
  };
  for (const callee of callees) {
    if (callee.k === 'nsget') {
      out.push(...ev.namespaceLookup(callee.q, constStrings(argValues(0))));
      continue;
    }
    if (callee.k === 'fn') {
      out.push(...ev.returnValues(callee.node));
      continue;
    }
    if (callee.k === 'class') {
      out.push(...ev.classCall(callee));
      continue;
    }
    if (callee.k === 'partial') {
      out.push(...callPartial(ev, callee, call));
      continue;
    }
    if (callee.k === 'obj') {
      // An instance of a class built by `type(name, bases, namespace)` reads the class's attributes.
      out.push(callee.cls ? callee : OPAQUE);
      continue;
    }
    if (callee.k === 'getter') {
      out.push(...(callee.method ? [OPAQUE] : ev.getterResult(callee, argValues(0))));
      continue;
    }
    if (callee.k !== 'q') {
      out.push(OPAQUE);
      continue;
    }
    const q = callee.q;
    if (q === 'builtins.eval') {
      out.push(...ev.codeValues(call));
      continue;
    }
    const row = propagatorFor(q);
    const kind = row?.kind;
    switch (kind) {
      case 'import-top': {
        args ??= ev.argumentsOf(call);
        const names = constStrings(argValues(0, 'name'));
        const fromlist = args.positional.length >= 4 || args.keywords.has('fromlist');
        if (!names) out.push({ k: 'dynmod' });
        else
          for (const name of names) out.push(...(fromlist ? ev.moduleNamed(name) : ev.topModuleNamed(name)));
        continue;
      }
      case 'import-named': {
        const names = constStrings(argValues(0, 'name'));
        if (!names) out.push({ k: 'dynmod' });
        else for (const name of names) out.push(...(name.startsWith('.') ? [OPAQUE] : ev.moduleNamed(name)));
        continue;
      }
      case 'same-as-argument':
        out.push(...argValues(typeof row?.argument === 'number' ? row.argument : 0));
        continue;
      case 'elements-of-argument':
      case 'element-of-argument': {
        args ??= ev.argumentsOf(call);
        const given =
          row?.argument !== 'all'
            ? [argValues(row?.argument ?? 0)]
            : args.positional.map((a) => ev.evalExpr(a));
        if (kind === 'elements-of-argument') {
          out.push(elementsSequence(q, given, args));
          continue;
        }
        // `max(a, b)` picks one of its arguments, `max(xs)` one of the elements of its only one.
        const elements =
          row?.argument === 'all' && given.length > 1
            ? given.flat()
            : given.flatMap((values) => values.flatMap((v) => itemsOf(v)?.flat() ?? [OPAQUE]));
        if (row?.fallback !== undefined) elements.push(...argValues(row.fallback));
        if (args.splat) elements.push(OPAQUE);
        out.push(...elements);
        continue;
      }
      case 'mapping-of-arguments':
        out.push(mappingOf(argValues(0), ev.argumentsOf(call), ev));
        continue;
      case 'callback-results': {
        // `map(chr, [111, 115])` folds on constants; else what the function gives on the items.
        const folded = foldedArguments(q, (args ??= ev.argumentsOf(call)), (a) => ev.evalExpr(a));
        const constant = folded ? evalConstCall(q, undefined, folded) : [];
        out.push(...(constant.some((v) => v.k !== 'opaque') ? constant : callbackResult(ev, q, call)));
        continue;
      }
      case 'keys-mapping':
        out.push(
          keysMapping(
            argValues(0, 'iterable'),
            argValues(1, 'value').length ? argValues(1, 'value') : [{ k: 'none' }],
          ),
        );
        continue;
      case 'default-mapping': {
        args ??= ev.argumentsOf(call);
        const made = args.positional[0] ? factoryResult(ev, argValues(0)) : [];
        out.push(defaultMapping(made, mappingOf(argValues(1), args, ev, 1)));
        continue;
      }
      case 'resolve-name': {
        const names = constStrings(argValues(0, 'name'));
        if (!names) out.push({ k: 'dynmod' });
        else for (const name of names) out.push({ k: 'q', q: canonical(name.replace(':', '.')) });
        continue;
      }
      case 'attribute-getter':
      case 'method-caller': {
        args ??= ev.argumentsOf(call);
        const method = kind === 'method-caller';
        const names = (method ? args.positional.slice(0, 1) : args.positional).map((a) =>
          constStrings(ev.evalExpr(a)),
        );
        out.push({
          k: 'getter',
          method,
          names: names.length > 0 && names.every((n) => n) ? (names.flat() as string[]) : undefined,
        });
        continue;
      }
      case 'item-getter':
        args ??= ev.argumentsOf(call);
        out.push({ k: 'getter', method: false, keys: args.positional.map((a) => ev.evalExpr(a)) });
        continue;
      case 'getattr': {
        const names = constStrings(argValues(1, 'name'));
        if (!names) {
          out.push(OPAQUE);
          continue;
        }
        for (const name of names) out.push(...ev.memberValues(argValues(0), name));
        continue;
      }
      case 'namespace-of': {
        args ??= ev.argumentsOf(call);
        if (args.positional.length === 0) out.push({ k: 'ns', q: GLOBALS });
        for (const value of args.positional.length ? argValues(0) : []) {
          out.push(value.k === 'q' ? { k: 'ns', q: value.q } : value.k === 'ns' ? value : OPAQUE);
        }
        continue;
      }
      case 'module-namespace':
        out.push({ k: 'ns', q: GLOBALS });
        continue;
      case 'type-of': {
        args ??= ev.argumentsOf(call);
        if (args.positional.length === 1) out.push({ k: 'typeof', code: ev.isCodeLike(args.positional[0]) });
        else if (args.positional.length === 3 && !args.splat)
          out.push(objectOf(argValues(2), new Map(), true));
        else out.push(OPAQUE);
        continue;
      }
      case 'partial':
        out.push(partialOf(ev, call));
        continue;
      case 'attribute-namespace': {
        args ??= ev.argumentsOf(call);
        const keywords = new Map(
          [...args.keywords].map(([name, node]) => [name, ev.evalExpr(node)] as const),
        );
        out.push(args.splat ? OPAQUE : objectOf(args.positional.length ? argValues(0) : [], keywords, false));
        continue;
      }
      case 'path-method': {
        args ??= ev.argumentsOf(call);
        const parts =
          q === 'pathlib.Path.joinpath' ? args.positional.map((a) => constString(ev.evalExpr(a))) : [];
        const path = parts.every((p) => p !== undefined)
          ? joinPath(callee.path, ...(parts as string[]))
          : undefined;
        out.push({
          k: 'inst',
          q: 'pathlib.Path',
          path: q === 'pathlib.Path.joinpath' || q === 'pathlib.Path.with_name' ? path : callee.path,
        });
        continue;
      }
      case 'decorator-factory':
        out.push(callee);
        continue;
      case undefined:
        break;
      default:
        kind satisfies never;
    }
    if (q.endsWith('.__getattribute__')) {
      // `os.__getattribute__("system")`: getattr on the module.
      const names = constStrings(argValues(0, 'name'));
      const base: Value = { k: 'q', q: q.slice(0, -'.__getattribute__'.length) };
      if (!names) out.push(OPAQUE);
      else for (const name of names) out.push(...ev.memberValues([base], name));
      continue;
    }
    const instance = INSTANCE_CLASSES[q];
    if (instance) {
      const path = instance === 'pathlib.Path' ? constString(argValues(0)) : undefined;
      const variant = INSTANCE_BY_KEYWORD[instance];
      args ??= ev.argumentsOf(call);
      const chosen = variant ? args.keywords.get(variant.keyword) : undefined;
      const names = chosen ? constStrings(ev.evalExpr(chosen)) : undefined;
      const cls =
        !variant || !chosen
          ? instance
          : names
            ? (names.map((n) => variant.variants[n]).find((c) => c) ?? instance)
            : variant.computed;
      out.push({ k: 'inst', q: cls, path: path ?? (q.endsWith('.home') ? '~' : undefined) });
      continue;
    }
    args ??= ev.argumentsOf(call);
    const method = unboundStringMethod(q);
    if (method) {
      // `str.join("", parts)` is `"".join(parts)`: the method on its first argument.
      const [receiver, ...rest] = args.splat ? [] : args.positional.map((a) => ev.evalExpr(a));
      const text =
        receiver?.length === 1 && ['str', 'bytes'].includes(receiver[0].k) ? receiver[0] : undefined;
      out.push(...(text ? evalConstCall(method, text, rest) : [OPAQUE]));
      continue;
    }
    const folded = foldedArguments(q, args, (a) => ev.evalExpr(a));
    out.push(...(folded ? evalConstCall(q, undefined, folded) : [OPAQUE]));
  }
  return dedupe(out);
}

/** `str.join`, `bytes.decode`...: a string method called on the class, when it is one that folds. */
function unboundStringMethod(q: string): string | undefined {
  const match = /^builtins\.(?:str|bytes)(\.[a-z_]+)$/.exec(q);
  return match && !FOLDED_CALLS.has(q) && FOLDED_CALLS.has(match[1]) ? match[1] : undefined;
}

/** Calls whose result keeps the order of the items they are given (`reversed` keeps it backwards). */
const ORDER_KEEPING = new Set([
  'builtins.list',
  'builtins.tuple',
  'builtins.iter',
  'collections.deque',
  'itertools.chain',
]);
const MAX_ITEMS = 1000;

/**
 * `list(xs)`, `sorted(xs)`, `itertools.chain(a, b)`: the items of what is given, in order where the call
 * keeps it (`"".join(reversed("metsys"))` folds); else every place may hold any of them.
 */
function elementsSequence(q: string, given: Value[][], args: CallArguments): Value {
  const splat = args.splat;
  const parts = given.map((values) => (values.length === 1 ? itemsOf(values[0]) : undefined));
  const known = !splat && parts.every((p) => p !== undefined);
  const items = known ? (parts as Value[][][]).flat() : [];
  if (items.length > MAX_ITEMS) return OPAQUE;
  if (known && ORDER_KEEPING.has(q)) return { k: 'seq', items };
  // `zip(keys, mods)`: tuples of the items at each place, as long as the shortest.
  if (known && q === 'builtins.zip' && parts.length > 0) {
    const length = Math.min(...parts.map((p) => p!.length));
    const tuples = Array.from({ length }, (_, i): Value[] => [{ k: 'seq', items: parts.map((p) => p![i]) }]);
    return { k: 'seq', items: tuples };
  }
  if (known && q === 'builtins.reversed') return { k: 'seq', items: [...items].reverse() };
  const sorted =
    known && q === 'builtins.sorted' && args.keywords.size === 0 ? sortedStrings(items) : undefined;
  if (sorted) return { k: 'seq', items: sorted };
  const merged = dedupe([
    ...items.flat(),
    // The items of the arguments whose items are known, when some others' are not (`zip(names, [os])`).
    ...given.flatMap((values, i) =>
      parts[i] ? (known ? [] : parts[i]!.flat()) : values.flatMap((v) => itemsOf(v)?.flat() ?? [OPAQUE]),
    ),
    ...(splat ? [OPAQUE] : []),
  ]);
  return { k: 'seq', items: Array.from({ length: Math.max(items.length, 1) }, () => merged) };
}

/** `sorted("so")`: constant strings in Python's order (by code point), or undefined when any item is not one. */
function sortedStrings(items: Value[][]): Value[][] | undefined {
  const texts: string[] = [];
  for (const item of items) {
    if (item.length !== 1 || item[0].k !== 'str') return undefined;
    texts.push(item[0].v);
  }
  const byCodePoint = (a: string, b: string): number => {
    const [x, y] = [[...a], [...b]];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
      if (d !== 0) return d;
    }
    return x.length - y.length;
  };
  return texts.sort(byCodePoint).map((v): Value[] => [{ k: 'str', v }]);
}

/** Joins constant path parts; with an unknown base, a part that is absolute or climbs with ".." still tells. */
export function joinPath(base: string | undefined, ...parts: string[]): string | undefined {
  let out = base;
  for (const part of parts) {
    if (part.startsWith('/') || part.startsWith('~')) out = part;
    else if (out !== undefined) out = `${out.replace(/\/+$/, '')}/${part}`;
    else if (/(?:^|\/)\.\.(?:\/|$)/.test(part)) out = part;
  }
  return out;
}
