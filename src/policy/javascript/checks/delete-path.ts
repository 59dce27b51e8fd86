// `fs.rm(path)`: a deletion, and a destructive command when the path is a root or home directory.
import { isRootPath, quote } from '../../shared/judgments';
import { constString } from '../../shared/value';
import { reportSink, type JsArgumentCheck } from './call-site';

export const deletePathCheck: JsArgumentCheck = (site) => {
  const { analyzer, args, call, name } = site;
  reportSink(site);
  const path = args[0] ? constString(analyzer.evalExpr(args[0])) : undefined;
  if (path !== undefined && isRootPath(path))
    analyzer.report('destructive-command', call, `${name} deletes ${quote(path)}`);
};
