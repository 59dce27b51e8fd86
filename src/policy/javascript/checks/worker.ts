// `new Worker(code, { eval: true })`: the first argument runs as code (analysed when constant). Options
// the analysis cannot read (a parameter, an object changed after it was written) may say `eval: true`
// too, and a `data:` URL is code as well: both are reported, never taken as a file name.
import type { Node } from 'web-tree-sitter';
import { truthy, type Value } from '../../shared/value';
import type { JsModel } from '../model';
import { membersOf } from '../values';
import { embedConstantCode, type JsArgumentCheck } from './call-site';
import { dataUrl } from './data-url';

export const workerCheck: JsArgumentCheck = ({ analyzer, args, call, callee, name, sink, module }) => {
  const source = args[0] ? dataUrl(analyzer, args[0]) : undefined;
  if (source !== undefined) {
    analyzer.report(sink.rule, callee, `${name} with a data: URL runs the URL's text as code`, module);
    return;
  }
  if (!args[1]) return;
  const options = analyzer.evalExpr(args[1]);
  const known = options.every((o) => o.k === 'dict') && !changedLater(analyzer, args[1]);
  const evaluated = !known || options.some((o) => evalOption(o));
  if (!evaluated) return;
  analyzer.report(
    sink.rule,
    callee,
    known
      ? `${name} with eval: true runs its first argument as code`
      : `${name} with options the analysis cannot read may run its first argument as code (eval: true)`,
    module,
  );
  embedConstantCode(analyzer, args[0], call, name);
};

function evalOption(options: Value): boolean {
  return (
    options.k === 'dict' &&
    options.keys.includes('eval') &&
    membersOf([options], ['eval']).some((v) => truthy(v) !== false)
  );
}

/** An options object named by a variable that is changed after it was written (`opts.eval = true`). */
function changedLater(analyzer: JsModel, node: Node): boolean {
  if (node.type !== 'identifier') return false;
  const name = analyzer.nodeText(node).replace(/\$/g, '\\$');
  return new RegExp(
    `(?<![\\w$.])${name}\\s*(?:\\.\\s*eval\\b|\\[)|(?:assign|defineProperty|defineProperties|set)\\s*\\(\\s*${name}(?![\\w$])`,
  ).test(analyzer.text);
}
