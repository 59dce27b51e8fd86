// A development server with the Werkzeug debugger: its console runs any Python code a visitor sends.
// `flask.Flask.run(debug=...)`, `werkzeug.serving.run_simple(use_debugger=...)` listen (the sink's own
// finding) and, with the debugger on, execute code; `DebuggedApplication(app, evalex=...)` only the latter.
// `Flask.run` hands its other keywords to run_simple, so `use_debugger=True` turns the debugger on there
// too; a switch inside a splatted constant dict (`app.run(**{"debug": True})`) counts as passed.
import type { Node } from 'web-tree-sitter';
import { display, truthy, type Value } from '../../shared/value';
import { baseFinding, keywordValues, values, type ArgumentCheck, type CallSite } from './call-site';

/** Where each entry point takes the debugger switch: position (if any) and keyword. */
function debugFlags(q: string): Array<[position: number | undefined, keyword: string]> {
  if (q.endsWith('.run_simple')) return [[4, 'use_debugger']];
  if (q.endsWith('.DebuggedApplication')) return [[1, 'evalex']];
  return [
    [2, 'debug'],
    [undefined, 'use_debugger'],
  ];
}

function flagOf(
  site: CallSite,
  position: number | undefined,
  keyword: string,
): { node: Node; values: Value[] } | undefined {
  const positional = position === undefined ? undefined : site.args.positional[position];
  if (positional) return { node: positional, values: values(site, positional) };
  return keywordValues(site, keyword);
}

export const debugServerCheck: ArgumentCheck = (site, out) => {
  const listens = site.sink.rule !== 'command-execution';
  if (listens) out.push(baseFinding(site));
  for (const [position, keyword] of debugFlags(site.q)) {
    const flag = flagOf(site, position, keyword);
    if (!flag) continue;
    const known = flag.values.map(truthy);
    if (known.length > 0 && known.every((t) => t === false)) continue;
    const computed = known.length === 0 || known.some((t) => t === undefined);
    const name = display(site.q);
    out.push({
      rule: 'command-execution',
      node: listens ? flag.node : site.callee,
      message: computed
        ? `${name} with ${keyword} computed at run time may start the Werkzeug debugger, whose console runs any Python code sent to it${site.via}`
        : `${name} with ${keyword}=True starts the Werkzeug debugger, whose console runs any Python code sent to it${site.via}`,
    });
    return;
  }
};
