// `new Worker(code, { eval: true })`: the first argument runs as code (analysed when constant).
import { truthy } from '../../shared/value';
import { membersOf } from '../values';
import { embedConstantCode, type JsArgumentCheck } from './call-site';

export const workerCheck: JsArgumentCheck = ({ analyzer, args, call, callee, name, sink, module }) => {
  const options = args[1] ? analyzer.evalExpr(args[1]) : [];
  const evaluated = options.some(
    (o) =>
      o.k === 'dict' && o.keys.includes('eval') && membersOf([o], ['eval']).some((v) => truthy(v) !== false),
  );
  if (!evaluated) return;
  analyzer.report(sink.rule, callee, `${name} with eval: true runs its first argument as code`, module);
  embedConstantCode(analyzer, args[0], call, name);
};
