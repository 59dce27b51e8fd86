// `require(name)`, `import(name)`, `module.require(name)`, `process.getBuiltinModule(name)`: a constant
// (or folded) name is an ordinary import of that module (restricted-module applies, and what the code
// does with the module is followed like any import); only a name that cannot be known loads code chosen
// at run time. A `data:` URL given to import() is code (data-url.ts).
import { constStrings } from '../../shared/value';
import { recordImports, type JsArgumentCheck } from './call-site';
import { dataUrlModule } from './data-url';

export const moduleCheck: JsArgumentCheck = ({ analyzer, args, call, q, name, sink }) => {
  // `import("data:text/javascript,...")`: the URL's text is the module (require() cannot load one).
  if (q === 'builtins.import' && args[0] && dataUrlModule(analyzer, args[0], call, 'import()')) return;
  const names = args[0] ? constStrings(analyzer.evalExpr(args[0])) : undefined;
  if (names) recordImports(analyzer, names, call, q);
  else {
    analyzer.report(
      sink.rule,
      call,
      `${name === 'import' ? 'import()' : `${name}()`} with a computed module name loads code chosen at run time`,
    );
  }
};
