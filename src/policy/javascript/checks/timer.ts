// `setTimeout("code", ms)`: a string first argument is evaluated as code.
import type { JsArgumentCheck } from './call-site';

export const timerCheck: JsArgumentCheck = ({ analyzer, args, callee, name }) => {
  if (args[0] && analyzer.evalExpr(args[0]).some((v) => v.k === 'str'))
    analyzer.report('dynamic-code', callee, `${name} with a string argument evaluates it as code`);
};
