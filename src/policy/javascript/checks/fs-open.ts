// `fs.open(path, flags)`: flags that write make it a file write; else a read, judged by its path.
import { constString } from '../../shared/value';
import { readOutside, type JsArgumentCheck } from './call-site';

export const fsOpenCheck: JsArgumentCheck = (site) => {
  const { analyzer, args, callee, name, q, module } = site;
  const flags = args[1] ? constString(analyzer.evalExpr(args[1])) : 'r';
  if (flags === undefined || /[wa+]/.test(flags))
    analyzer.report(
      'file-write',
      callee,
      `${name} opens a file for writing${analyzer.via(callee, q)}`,
      module,
    );
  else readOutside(site, args[0]);
};
