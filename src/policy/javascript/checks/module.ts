// `require(name)`, `import(name)`: a constant name is an import of that module; a computed one loads
// code chosen at run time.
import { constStrings } from '../../shared/value';
import { canonicalJs } from '../catalog/names';
import type { JsArgumentCheck } from './call-site';

export const moduleCheck: JsArgumentCheck = ({ analyzer, args, call, callee, q, name, sink, message }) => {
  const names = args[0] ? constStrings(analyzer.evalExpr(args[0])) : undefined;
  if (names) {
    for (const module of names)
      analyzer.imports.push({
        module: canonicalJs(module),
        start: call.startIndex,
        end: call.endIndex,
        dynamic: q !== 'builtins.require',
      });
    if (q !== 'builtins.require' && q !== 'builtins.import') analyzer.report(sink.rule, callee, message);
  } else {
    analyzer.report(
      sink.rule,
      call,
      `${name === 'import' ? 'import()' : `${name}()`} with a computed module name loads code chosen at run time`,
    );
  }
};
