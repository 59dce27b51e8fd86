// `Buffer.alloc(n)`, `new Array(n)`: a constant size of more than 100 million elements.
import { HUGE_SIZE } from '../../shared/judgments';
import type { JsArgumentCheck } from './call-site';

export const allocCheck: JsArgumentCheck = ({ analyzer, args, call, q, name }) => {
  // `Array(a, b)` is a two-element array; the others take a size and options.
  const size = args.length === 1 || (q !== 'builtins.Array' && args[0]) ? analyzer.evalExpr(args[0]) : [];
  if (size.length === 1 && size[0].k === 'num' && (size[0].huge || size[0].v > HUGE_SIZE)) {
    analyzer.report('resource-exhaustion', call, `${name} of more than 100 million elements`);
  }
};
