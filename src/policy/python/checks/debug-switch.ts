// A setting that turns on the Werkzeug debugger (catalog/debug-switches.ts), stored by a call:
// `app.config.update(DEBUG=True)`, `app.config.from_mapping({"DEBUG": True})`, `os.environ.setdefault(
// "FLASK_DEBUG", "1")`, `os.putenv("FLASK_ENV", "development")`. The same judgement serves the stores by
// assignment (`app.debug = True`, `app.config["DEBUG"] = True`), which reports.ts sees.
import { constStrings, display, truthy, type Value } from '../../shared/value';
import { DEBUG_SWITCHES, type DebugSemantics } from '../catalog/debug-switches';
import { argument, baseFinding, keywordValues, values, type ArgumentCheck } from './call-site';

/** Whether storing these values in a setting turns the debugger on: true, false, or undefined (computed). */
export function turnsDebugOn(semantics: DebugSemantics, stored: readonly Value[]): boolean | undefined {
  if (stored.length === 0) return undefined;
  const answers = stored.map((value): boolean | undefined => {
    if (semantics === 'python') return truthy(value);
    if (value.k === 'none') return false;
    if (value.k !== 'str') return undefined;
    if (semantics === 'development') return value.v === 'development';
    return value.v !== '' && !['0', 'false', 'no'].includes(value.v.toLowerCase());
  });
  if (answers.some((a) => a === true)) return true;
  return answers.every((a) => a === false) ? false : undefined;
}

/** The message for a setting that turns the debugger on (or may). */
export function debugMessage(setting: string, on: true | undefined, via = ''): string {
  const how = on ? 'turns on' : 'set to a value computed at run time may turn on';
  return `${setting} ${how} the Werkzeug debugger, whose console runs any Python code sent to it${via}`;
}

export const debugSwitchCheck: ArgumentCheck = (site, out) => {
  // os.putenv keeps its own finding (it changes the environment); the holders' methods have none.
  if (site.sink.rule !== 'command-execution') out.push(baseFinding(site));
  const holder = site.q.slice(0, site.q.lastIndexOf('.'));
  const method = site.q.slice(site.q.lastIndexOf('.') + 1);
  for (const [key, semantics] of Object.entries(DEBUG_SWITCHES)) {
    if (!semantics || !key.startsWith(`${holder === 'os' ? 'os.environ' : holder}.`)) continue;
    const name = key.slice(key.lastIndexOf('.') + 1);
    let stored: Value[] | undefined;
    if (method === 'setdefault' || method === 'putenv') {
      const keys = constStrings(values(site, argument(site, 0, 'key')));
      if (keys?.includes(name)) stored = values(site, argument(site, 1, 'default', 'value'));
    } else {
      stored = keywordValues(site, name)?.values;
      for (const mapping of values(site, site.args.positional[0])) {
        const index = mapping.k === 'dict' ? mapping.keys.indexOf(name) : -1;
        if (mapping.k === 'dict' && index >= 0) (stored ??= []).push(...mapping.items[index]);
      }
    }
    if (stored === undefined) continue;
    const on = turnsDebugOn(semantics, stored);
    if (on === false) continue;
    out.push({
      rule: 'command-execution',
      node: site.call,
      message: debugMessage(`${display(site.q)} of ${name}`, on, site.via),
    });
  }
};
