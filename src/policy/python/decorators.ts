// What a decorated def or class binds its name to: the decorators' results, applied from the innermost
// out. A decorator that is a function of the file gives what it returns with the decorated object as its
// argument (`def d(f): return os` makes `@d def g` bind g to os); one that gives back its argument
// (`functools.lru_cache`, `staticmethod`) keeps it. The function itself and an unknown value stay
// possible besides (a decorator of a library may replace the function with anything).
import type { Node } from 'web-tree-sitter';
import { OPAQUE, dedupe, type Value } from '../shared/value';
import type { Binder } from './binder';
import { propagatorFor } from './catalog/propagators';
import type { CallEvaluation } from './model';
import { parameterOf } from './parameters';
import { identName, type Source } from './state';

/** The values a `decorated_definition` binds its name to. */
export function decoratedValues(
  source: Source,
  evaluator: CallEvaluation,
  binder: Binder,
  node: Node,
): Value[] {
  const definition = node.childForFieldName('definition');
  const own: Value[] =
    definition?.type === 'function_definition'
      ? [{ k: 'fn', node: definition }, OPAQUE]
      : definition?.type === 'class_definition'
        ? [{ k: 'class', node: definition, instance: false }, OPAQUE]
        : [OPAQUE];
  const decorators = node.namedChildren.filter((child): child is Node => child?.type === 'decorator');
  let current = own;
  for (const decorator of decorators.reverse()) {
    const next: Value[] = [];
    for (const callee of evaluator.evalExpr(decorator.firstNamedChild)) {
      if (callee.k === 'fn') next.push(...applied(source, evaluator, binder, callee.node, current));
      else if (callee.k === 'q' && propagatorFor(callee.q)?.kind === 'same-as-argument')
        next.push(...current);
      else next.push(OPAQUE);
    }
    current = dedupe(next);
  }
  return dedupe([...own, ...current]);
}

/** What a function of the file returns when its first parameter holds `argument`. */
function applied(
  source: Source,
  evaluator: CallEvaluation,
  binder: Binder,
  fn: Node,
  argument: Value[],
): Value[] {
  const parameter = parameterOf(source, fn, 0, undefined);
  const name = parameter ? identName(source, parameter) : undefined;
  if (!name || binder.overlay.has(name)) return evaluator.returnValues(fn);
  binder.overlay.set(name, argument);
  try {
    return evaluator.returnValues(fn);
  } finally {
    binder.overlay.delete(name);
  }
}
