// A class of the file as a value (`{ k: 'class' }`, a class or an object of it): what Python's special
// methods make of it. Calling an object gives what its class's `__call__` returns, subscripting it what
// `__getitem__` (or a dict subclass's `__missing__`) returns, reading an attribute what `__getattribute__`
// or `__getattr__` returns, or, for a class attribute that is a descriptor, what the descriptor's `__get__`
// returns. A class itself is an object of its metaclass (`class K(metaclass=M)`): M's methods act on it,
// and `K[0]` is also `K.__class_getitem__(0)`. Calling a class builds an object of it. The evaluator asks;
// flow.ts follows a class whose special method returns a followed value (`tracksSomething`).
import type { Node } from 'web-tree-sitter';
import { OPAQUE, dedupe, type Value } from '../shared/value';
import { AnalysisCache } from '../shared/analysis-cache';
import type { Binder } from './binder';
import { classMethod, classesNamed } from './classes';
import type { CallEvaluation } from './model';
import { withArguments } from './parameters';
import { identName, type Source } from './state';

export type ClassValue = Extract<Value, { k: 'class' }>;
export type Operation = 'call' | 'subscript' | 'attribute';

/** The special methods of an object's class that say what each operation on the object gives. */
const ON_OBJECT: Record<Operation, readonly string[]> = {
  call: ['__call__'],
  subscript: ['__getitem__', '__missing__'],
  attribute: ['__getattribute__', '__getattr__'],
};
/** Methods written for the class itself (implicitly class methods). */
const ON_CLASS: Record<Operation, readonly string[]> = {
  call: [],
  subscript: ['__class_getitem__'],
  attribute: [],
};
/** The methods that say what iterating an object gives: a generator `__iter__`'s yields, `__next__`'s returns. */
const ITERATION = ['__iter__', '__next__'];
/** Every special method whose result an operation gives, for the classes flow.ts follows. */
export const RESULT_METHODS = new Set([
  ...Object.values(ON_OBJECT).flat(),
  ...Object.values(ON_CLASS).flat(),
  '__get__',
  ...ITERATION,
]);
const GET = new Set(['__get__']);
/** How many metaclasses and bases deep a metaclass is looked for. */
const MAX_DEPTH = 4;
/** Statements of a class body looked at for a class attribute. */
const MAX_BODY = 500;

export interface ClassModel {
  readonly source: Source;
  readonly binder: Binder;
  readonly ev: CallEvaluation;
}

/** Each analysis's operationMethods answers: asked at every call of a class and for every value followed. */
const OPERATION_METHODS = new AnalysisCache<string, Node[]>();

/** The methods that give the result of an operation on a class value (the class's own, its metaclass's). */
export function operationMethods(model: ClassModel, value: ClassValue, operation: Operation): Node[] {
  const { source, binder } = model;
  const known = OPERATION_METHODS.of(source);
  const key = `${value.node.id}:${value.instance ? 'object' : 'class'}:${operation}`;
  const cached = known.get(key);
  if (cached) return cached;
  const out: Node[] = [];
  known.set(key, out);
  const find = (cls: Node, names: readonly string[]): void => {
    for (const name of names) {
      const method = classMethod(source, binder, cls, new Set([name]), 0);
      if (method) out.push(method);
    }
  };
  if (value.instance) find(value.node, ON_OBJECT[operation]);
  else {
    find(value.node, ON_CLASS[operation]);
    for (const meta of classMetaclasses(model, value.node)) find(meta, ON_OBJECT[operation]);
  }
  return out;
}

/** What an operation on a class value gives; undefined when no special method of the file decides. */
export function operationResult(
  model: ClassModel,
  value: ClassValue,
  operation: Operation,
  name?: string,
): Value[] | undefined {
  const { source, binder, ev } = model;
  if (operation === 'call' && !value.instance) {
    // A metaclass's __call__ may return anything; otherwise an object of the class.
    const made = operationMethods(model, value, 'call').flatMap((fn) => ev.returnValues(fn));
    if (made.length > 0) return made;
    const items = iteration(model, value.node);
    return [
      items
        ? { k: 'class', node: value.node, instance: true, items }
        : { k: 'class', node: value.node, instance: true },
    ];
  }
  if (operation === 'attribute' && name !== undefined) {
    const own = classMethod(source, binder, value.node, new Set(['__getattribute__']), 0);
    // `K.__getattribute__(os, "system")`: object's (or a library base's) getter, unbound: getattr.
    if (!value.instance && name === '__getattribute__' && !own) return [{ k: 'q', q: 'builtins.getattr' }];
    const described = descriptorResults(model, classAttribute(model, value.node, name));
    if (described.length > 0) return described;
    const methods = operationMethods(model, value, 'attribute');
    if (methods.length === 0) return undefined;
    // `__getattr__` runs only for a name the class does not define; an attribute set on the object may hide it.
    if (!own && classDefines(source, value.node, name)) return undefined;
    // The getter's parameter after self holds the name read (`def __getattr__(s, n): return getattr(os, n)`).
    const read: Value[] = [{ k: 'str', v: name }];
    const given = (fn: Node): Value[] =>
      withArguments(source, binder.overlay, fn, [read], 1, () => ev.returnValues(fn));
    return dedupe([...methods.flatMap(given), ...(own ? [] : [OPAQUE])]);
  }
  const methods = operationMethods(model, value, operation);
  return methods.length > 0 ? dedupe(methods.flatMap((fn) => ev.returnValues(fn))) : undefined;
}

/** Objects of classes of the file with a `__get__` among the values: what reading them as class attributes gives. */
export function descriptorResults(model: ClassModel, values: readonly Value[]): Value[] {
  const out: Value[] = [];
  for (const value of values) {
    if (value.k !== 'class' || !value.instance) continue;
    const get = classMethod(model.source, model.binder, value.node, GET, 0);
    if (get) out.push(...model.ev.returnValues(get));
  }
  return dedupe(out);
}

/** Class attributes stored by a class body as descriptors read as what their `__get__` gives. */
export function asClassAttribute(model: ClassModel, values: Value[]): Value[] {
  const described = descriptorResults(model, values);
  return described.length > 0 ? [...values, ...described] : values;
}

/** What iterating an object of a class gives (`for m in K()`), when the class says: undefined otherwise. */
function iteration(model: ClassModel, cls: Node): Value[][] | undefined {
  const out: Value[] = [];
  for (const name of ITERATION) {
    const method = classMethod(model.source, model.binder, cls, new Set([name]), 0);
    if (!method) continue;
    const returned = model.ev.returnValues(method);
    // A generator `__iter__` gives a sequence of what it yields; `__next__` gives one item per call.
    if (name === '__next__') out.push(...returned);
    else out.push(...returned.flatMap((v) => (v.k === 'seq' ? v.items.flat() : [])));
  }
  return out.length > 0 ? [dedupe(out)] : undefined;
}

/** The methods whose returns decide what a class value gives anywhere: followed when one returns something. */
export function resultMethods(model: ClassModel, value: ClassValue): Node[] {
  const out: Node[] = [];
  for (const operation of ['call', 'subscript', 'attribute'] as const)
    out.push(...operationMethods(model, value, operation));
  if (value.instance)
    for (const name of ['__get__', ...ITERATION]) {
      const method = classMethod(model.source, model.binder, value.node, new Set([name]), 0);
      if (method) out.push(method);
    }
  return out;
}

/** The class a def is written in (directly in its body). */
export function classOfMethod(source: Source, fn: Node): Node | undefined {
  const holder = source.tree.parent(fn)?.type === 'decorated_definition' ? source.tree.parent(fn) : fn;
  const block = holder && source.tree.parent(holder);
  const cls = block?.type === 'block' ? source.tree.parent(block) : null;
  return cls?.type === 'class_definition' ? cls : undefined;
}

/** Each analysis's classes' metaclasses, by class node (asked for each operation on the class). */
const METACLASSES = new AnalysisCache<number, Node[]>();

function classMetaclasses(model: ClassModel, cls: Node): Node[] {
  const known = METACLASSES.of(model.source);
  let metaclasses = known.get(cls.id);
  if (!metaclasses) known.set(cls.id, (metaclasses = metaclassesOf(model, cls, 0)));
  return metaclasses;
}

/** The metaclasses of the file a class has (`metaclass=M`, its own or a base's). */
function metaclassesOf(model: ClassModel, cls: Node, depth: number): Node[] {
  if (depth >= MAX_DEPTH) return [];
  const out: Node[] = [];
  for (const argument of cls.childForFieldName('superclasses')?.namedChildren ?? []) {
    if (argument?.type === 'keyword_argument') {
      const name = argument.childForFieldName('name');
      if (name && identName(model.source, name) === 'metaclass')
        for (const value of model.ev.evalExpr(argument.childForFieldName('value')))
          if (value.k === 'class' && !value.instance) out.push(value.node);
    } else if (argument)
      for (const base of classesNamed(model.source, model.binder, argument))
        if (base.id !== cls.id) out.push(...metaclassesOf(model, base, depth + 1));
  }
  return out;
}

/** What a class body assigns to a name (`m = D()`), as the class attribute's values. */
function classAttribute(model: ClassModel, cls: Node, name: string): Value[] {
  const out: Value[] = [];
  for (const right of assignedInBody(model.source, cls, name)) out.push(...model.ev.evalExpr(right));
  return out;
}

/** Whether a class body binds a name (a def or an assignment). */
function classDefines(source: Source, cls: Node, name: string): boolean {
  if (assignedInBody(source, cls, name).length > 0) return true;
  for (const statement of cls.childForFieldName('body')?.namedChildren.slice(0, MAX_BODY) ?? []) {
    const fn =
      statement?.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    const own = fn?.type === 'function_definition' ? fn.childForFieldName('name') : null;
    if (own && identName(source, own) === name) return true;
  }
  return false;
}

function assignedInBody(source: Source, cls: Node, name: string): Node[] {
  const out: Node[] = [];
  for (const statement of cls.childForFieldName('body')?.namedChildren.slice(0, MAX_BODY) ?? []) {
    const assignment = statement?.type === 'expression_statement' ? statement.firstNamedChild : null;
    if (assignment?.type !== 'assignment') continue;
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type === 'identifier' && right && identName(source, left) === name) out.push(right);
  }
  return out;
}
