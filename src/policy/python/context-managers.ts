// `with <context> as m`: m holds what the context's `__enter__` gives. For the objects followed (clients,
// archives, `nullcontext(v)`) that is the object itself; for a generator function made a context manager
// (`@contextlib.contextmanager`), what it yields; for a class of the file (or one it inherits from), what
// its `__enter__` (or `__aenter__`) returns. The evaluator asks `enteredValues` for a with target's value;
// flow.ts has a followed `__enter__` result reach every with target through `withContexts`.
import type { Node } from 'web-tree-sitter';
import { dedupe, type Value } from '../shared/value';
import type { Binder } from './binder';
import type { CallEvaluation } from './model';
import { occurrencesOf, withTarget } from './seeds';
import { classMethod, classesNamed } from './classes';
import { identName, inFocus, type Budget, type Source } from './state';

/** Methods that give a with statement's target. */
export const ENTER_METHODS = new Set(['__enter__', '__aenter__']);

/** The value a with item's `as` target takes (`pattern`: the item's `as_pattern`). */
export function enteredValues(
  source: Source,
  evaluator: CallEvaluation,
  binder: Binder,
  pattern: Node,
): Value[] {
  const context = pattern.firstNamedChild;
  const out: Value[] = [];
  for (const value of evaluator.evalExpr(context)) {
    // A sequence here is a generator's (a list is no context manager): what it yields is entered.
    if (value.k === 'seq') out.push(...value.items.flat());
    else out.push(value);
  }
  const called = context?.type === 'call' ? context.childForFieldName('function') : null;
  for (const cls of called ? contextClasses(source, binder, called, 0) : []) {
    const enter = classMethod(source, binder, cls, ENTER_METHODS, 0);
    if (enter) out.push(...evaluator.returnValues(enter));
  }
  return dedupe(out);
}

/** How many factory functions deep `with make() as m` is followed to the class a factory returns. */
const MAX_FACTORY_DEPTH = 3;
/** Statements walked in a factory's body for its returns. */
const MAX_FACTORY_WALK = 2_000;

/**
 * The classes of the file a with item's call can make: the class called (`with C() as m`), or the classes
 * a function of the file returns a call of (`def make(): return C()`, then `with make() as m`).
 */
function contextClasses(source: Source, binder: Binder, called: Node, depth: number): Node[] {
  const classes = classesNamed(source, binder, called);
  if (called.type !== 'identifier' || depth >= MAX_FACTORY_DEPTH) return classes;
  for (const binding of binder.bindingsOf(identName(source, called))) {
    for (const value of binding.value ?? []) {
      if (value.k !== 'fn' || value.node.type !== 'function_definition') continue;
      for (const returned of returnedCallees(value.node))
        classes.push(...contextClasses(source, binder, returned, depth + 1));
    }
  }
  return classes;
}

/** The functions called in a function's `return f(...)` statements (not in the functions it defines). */
function returnedCallees(fn: Node): Node[] {
  const out: Node[] = [];
  const stack: Node[] = fn.childForFieldName('body') ? [fn.childForFieldName('body')!] : [];
  for (let visited = 0; stack.length > 0 && visited < MAX_FACTORY_WALK; visited++) {
    const current = stack.pop()!;
    if (current.type === 'return_statement') {
      const value = current.firstNamedChild;
      const callee = value?.type === 'call' ? value.childForFieldName('function') : null;
      if (callee) out.push(callee);
      continue;
    }
    for (const child of current.namedChildren)
      if (child && child.type !== 'function_definition' && child.type !== 'class_definition')
        stack.push(child);
  }
  return out;
}

/** The context expressions of the file's `with ... as name` items: where an `__enter__` result is given. */
export function withContexts(source: Source, budget: Budget): Node[] {
  const out: Node[] = [];
  for (const [offset] of occurrencesOf(source, 'with')) {
    if (!budget.spend()) break;
    const statement = source.tree.parent(source.tree.descendantAt(offset, offset + 4) ?? source.root);
    if (statement?.type !== 'with_statement' || !inFocus(source, offset)) continue;
    const clause = statement.namedChildren.find((child) => child?.type === 'with_clause');
    for (const item of clause?.namedChildren ?? []) {
      const pattern = item?.firstNamedChild;
      if (pattern?.type === 'as_pattern' && withTarget(source, pattern) && pattern.firstNamedChild)
        out.push(pattern.firstNamedChild);
    }
  }
  return out;
}
