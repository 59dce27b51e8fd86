// Calling an `operator.attrgetter(...)`/`methodcaller(...)` on followed values (flow.ts): a computed name on
// a module is a finding, a methodcaller reaching a sink calls it; an attrgetter gives the attributes read,
// which flow.ts follows on from the call.
import type { Node } from 'web-tree-sitter';
import { display, type Value } from '../shared/value';
import type { Evaluator } from './evaluator';
import { describeValue, type Reports } from './reports';
import { isSensitive, sinkOf, topModule } from './values';

/** What the getter's call gives to follow on (nothing for a methodcaller, whose call is the sink). */
export function applyGetter(
  reports: Reports,
  evaluator: Evaluator,
  getter: Extract<Value, { k: 'getter' }>,
  values: Value[],
  call: Node,
): Value[] {
  if (getter.keys) return evaluator.getterResult(getter, values);
  if (!getter.names) {
    const sensitive = values.find(isSensitive);
    if (sensitive)
      reports.report(
        'dynamic-attribute',
        call,
        `operator.${getter.method ? 'methodcaller' : 'attrgetter'} on ${describeValue(sensitive)} with a computed name: any of its functions could be reached`,
      );
    return [];
  }
  const reached = evaluator.getterResult(getter, values);
  if (!getter.method) return reached;
  for (const value of reached) {
    const sink = sinkOf(value);
    if (sink && value.k === 'q')
      reports.report(
        sink.rule,
        call,
        `${display(value.q)} ${sink.what} (reached through operator.methodcaller)`,
        topModule(value.q),
      );
  }
  return [];
}
