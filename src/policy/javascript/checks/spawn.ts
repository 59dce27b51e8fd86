// `spawn(program, args, options)`: `shell: true` in the options runs the line through /bin/sh, and the
// program with its constant arguments may be a destructive command.
import { constString, truthy } from '../../shared/value';
import { destructiveText, reportSink, type JsArgumentCheck } from './call-site';

export const spawnCheck: JsArgumentCheck = (site) => {
  const { analyzer, args, name, module } = site;
  reportSink(site);
  for (const arg of args) {
    if (arg.type !== 'object') continue;
    for (const pair of arg.namedChildren) {
      if (pair?.type !== 'pair') continue;
      const key = pair.childForFieldName('key');
      if (!key || analyzer.nodeText(key).replace(/['"]/g, '') !== 'shell') continue;
      const flag = analyzer.evalExpr(pair.childForFieldName('value')).map(truthy);
      if (flag.every((t) => t === false)) continue;
      analyzer.report(
        'shell-true',
        pair,
        `${name} with shell: true runs the command line through /bin/sh (injection-prone)`,
        module,
      );
    }
  }
  if (args[0]) {
    const command = constString(analyzer.evalExpr(args[0]));
    const rest = args[1] ? analyzer.evalExpr(args[1]) : [];
    const list =
      rest.length === 1 && rest[0].k === 'seq' ? rest[0].items.map((item) => constString(item) ?? '') : [];
    if (command !== undefined) destructiveText(analyzer, `${command} ${list.join(' ')}`, args[0]);
  }
};
