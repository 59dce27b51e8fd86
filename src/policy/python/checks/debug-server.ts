// A development server with the Werkzeug debugger: its console runs any Python code a visitor sends.
// `flask.Flask.run(debug=...)`, `werkzeug.serving.run_simple(use_debugger=...)` listen (the sink's own
// finding) and, with the debugger on, execute code; `DebuggedApplication(app, evalex=...)` only the latter.
import { display, truthy } from '../../shared/value';
import { argument, baseFinding, values, type ArgumentCheck } from './call-site';

/** Where each entry point takes the debugger switch: position and keyword. */
function debugFlag(q: string): [position: number, keyword: string] {
  if (q.endsWith('.run_simple')) return [4, 'use_debugger'];
  if (q.endsWith('.DebuggedApplication')) return [1, 'evalex'];
  return [2, 'debug'];
}

export const debugServerCheck: ArgumentCheck = (site, out) => {
  const listens = site.sink.rule !== 'command-execution';
  if (listens) out.push(baseFinding(site));
  const [position, keyword] = debugFlag(site.q);
  const flag = argument(site, position, keyword);
  if (!flag) return;
  const known = values(site, flag).map(truthy);
  if (known.length > 0 && known.every((t) => t === false)) return;
  const computed = known.length === 0 || known.some((t) => t === undefined);
  const name = display(site.q);
  out.push({
    rule: 'command-execution',
    node: !listens
      ? site.callee
      : site.args.keywords.get(keyword) === flag
        ? (site.analyzer.tree.parent(flag) ?? flag)
        : flag,
    message: computed
      ? `${name} with ${keyword} computed at run time may start the Werkzeug debugger, whose console runs any Python code sent to it${site.via}`
      : `${name} with ${keyword}=True starts the Werkzeug debugger, whose console runs any Python code sent to it${site.via}`,
  });
};
