// Where a value flowing up the tree binds names that do not read it whole, for flow.ts: the targets of a
// for loop or a comprehension's clause (`for i, m in enumerate([os])`, `[m.system() for m in [os]]`) and a
// parameter's default (`def f(m=os)`, `lambda m=os: ...`, the parameter holds it when not given). The names
// are followed in turn; their values come from the binder (loop-targets.ts says what a tuple target takes).
// And the calls that give back what they are given, through which a value is followed on from the call.
import type { Node } from 'web-tree-sitter';
import { propagatorFor, type PropagatorKind } from './catalog/propagators';
import type { CallEvaluation } from './model';
import { targetNames } from './loop-targets';
import { same, type Source } from './state';

export interface BoundNames {
  names: Node[];
  /** The function a default's parameter belongs to (its uses are followed there). */
  within?: Node;
}

/** The names `node` (a child of `parent`) binds through `parent`, if it is an iterable or a default. */
export function boundNames(source: Source, node: Node, parent: Node): BoundNames | undefined {
  switch (parent.type) {
    case 'for_statement':
    case 'for_in_clause': {
      const target = parent.childForFieldName('left');
      if (!target || !same(parent.childForFieldName('right'), node)) return undefined;
      return { names: targetNames(target) };
    }
    case 'default_parameter':
    case 'typed_default_parameter': {
      const name = parent.childForFieldName('name');
      if (name?.type !== 'identifier' || !same(parent.childForFieldName('value'), node)) return undefined;
      const parameters = source.tree.parent(parent);
      return { names: [name], within: (parameters && source.tree.parent(parameters)) ?? undefined };
    }
    default:
      return undefined;
  }
}

/** Propagators whose result holds what they are given, followed on from the call. */
const GIVE_BACK = new Set<PropagatorKind>([
  'same-as-argument',
  'elements-of-argument',
  'element-of-argument',
  'mapping-of-arguments',
  'keys-mapping',
  'callback-results',
  'default-mapping',
  'namespace-of',
  'partial',
  'attribute-namespace',
]);

/** Whether a call gives back (an element of) what it is given: `typing.cast`, `sorted`, `next`, `dict`... */
export function givesBack(ev: CallEvaluation, call: Node): boolean {
  const fn = call.childForFieldName('function');
  // `P(os, 1)` of a record class P: the record holds it (records.ts).
  if (ev.recordValues(call)) return true;
  return ev.evalExpr(fn).some((callee) => {
    const kind = callee.k === 'q' ? propagatorFor(callee.q)?.kind : undefined;
    // `type("K", (), {"m": os})`: a class holding its namespace's values.
    if (kind === 'type-of') return ev.argumentsOf(call).positional.length === 3;
    return kind !== undefined && GIVE_BACK.has(kind);
  });
}
