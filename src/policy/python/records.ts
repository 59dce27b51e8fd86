// Record classes: a call stores its arguments as attributes named by the class's fields. `namedtuple("P",
// "a m")` and `NamedTuple("P", [("m", T)])` name them in a string or a list; a class of the file without an
// `__init__` (a dataclass, a `NamedTuple` subclass, attrs or pydantic models) by its annotated class
// attributes, in order (after those of a namedtuple base). flow.ts stores the value under the field's name,
// as it does for `self.m = m`: `P(os).m`, `P(m=os).m` and `h.m` after `h = H(os)` read it. The call's value
// is the record too (recordValues): an object of the fields and their tuple, read by index or unpacked.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, constString, type Value } from '../shared/value';
import type { Binder } from './binder';
import { classMethod } from './classes';
import type { CallEvaluation } from './model';
import { identName, type Source } from './state';

const FACTORIES = new Set(['collections.namedtuple', 'typing.NamedTuple', 'typing_extensions.NamedTuple']);
const INIT = new Set(['__init__']);
/** Fields beyond this many are not read. */
const MAX_FIELDS = 64;

/** The attribute a record class call's argument (positional `index` or `keyword`) is stored under. */
export function recordField(
  source: Source,
  binder: Binder,
  ev: CallEvaluation,
  callee: Node,
  index: number,
  keyword: string | undefined,
): string | undefined {
  const fields = recordFields(source, binder, ev, callee);
  if (!fields) return undefined;
  if (keyword !== undefined) return fields.includes(keyword) ? keyword : undefined;
  return index >= 0 ? fields[index] : undefined;
}

/**
 * What a record class's call builds, as far as its fields go: an object whose attributes they are and the
 * tuple of them (`P(os, 1)[0]`, `a, b = P(os, 1)`, `getattr(P(os, 1), "a")`); undefined for another call.
 */
export function recordValues(
  source: Source,
  binder: Binder,
  ev: CallEvaluation,
  call: Node,
): Value[] | undefined {
  const callee = call.childForFieldName('function');
  // A record class is unknown as a value (a class, a factory's result): a name bound to anything known is not one.
  if (
    callee?.type !== 'identifier' ||
    !ev.evalExpr(callee).every((v) => v.k === 'opaque' || (v.k === 'class' && !v.instance))
  )
    return undefined;
  const fields = recordFields(source, binder, ev, callee);
  if (!fields) return undefined;
  const args = ev.argumentsOf(call);
  const items = fields.map((field, i): Value[] => {
    const given = args.positional[i] ?? args.keywords.get(field);
    return given ? ev.evalExpr(given) : [OPAQUE];
  });
  return [
    { k: 'obj', keys: fields, items },
    { k: 'seq', items },
  ];
}

/** The fields of the record class a name is bound to, in order; undefined when it is none. */
function recordFields(
  source: Source,
  binder: Binder,
  ev: CallEvaluation,
  callee: Node,
): string[] | undefined {
  if (callee.type !== 'identifier') return undefined;
  for (const binding of binder.bindingsOf(identName(source, callee))) {
    if (binding.site?.type === 'class_definition') {
      const fields = classFields(source, binder, ev, binding.site);
      if (fields) return fields;
    } else if (binding.kind === 'assign' && binding.valueNode?.type === 'call') {
      const fields = factoryFields(ev, binding.valueNode);
      if (fields) return fields;
    }
  }
  return undefined;
}

/** `namedtuple("P", "a m")`, `namedtuple("P", ["a", "m"])`, `NamedTuple("P", [("a", int), ("m", T)])`. */
function factoryFields(ev: CallEvaluation, call: Node): string[] | undefined {
  if (!ev.evalExpr(call.childForFieldName('function')).some((v) => v.k === 'q' && FACTORIES.has(v.q)))
    return undefined;
  const args = ev.argumentsOf(call);
  const given = args.positional[1] ?? args.keywords.get('field_names') ?? args.keywords.get('fields');
  const out: string[] = [];
  for (const value of ev.evalExpr(given)) {
    if (value.k === 'str') out.push(...value.v.split(/[\s,]+/).filter((f) => f.length > 0));
    else if (value.k === 'seq')
      for (const item of value.items) {
        const pair = item.find((v) => v.k === 'seq');
        const name = pair?.k === 'seq' ? constString(pair.items[0] ?? []) : constString(item);
        if (name === undefined) return undefined;
        out.push(name);
      }
    else return undefined;
  }
  // `NamedTuple("P", m=T)`: the keywords are the fields.
  if (!given) out.push(...[...args.keywords.keys()].filter((k) => k !== 'rename' && k !== 'module'));
  return out.length > 0 ? out.slice(0, MAX_FIELDS) : undefined;
}

/** A class of the file without `__init__`: a namedtuple base's fields, then its annotated attributes. */
function classFields(source: Source, binder: Binder, ev: CallEvaluation, cls: Node): string[] | undefined {
  if (classMethod(source, binder, cls, INIT, 0)) return undefined;
  const out: string[] = [];
  for (const base of cls.childForFieldName('superclasses')?.namedChildren ?? [])
    if (base?.type === 'call') out.push(...(factoryFields(ev, base) ?? []));
  for (const statement of cls.childForFieldName('body')?.namedChildren ?? []) {
    const assignment = statement?.type === 'expression_statement' ? statement.firstNamedChild : null;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    if (left?.type === 'identifier' && assignment?.childForFieldName('type'))
      out.push(identName(source, left));
    if (out.length >= MAX_FIELDS) break;
  }
  return out.length > 0 ? out : undefined;
}
