// What an argument check sees of a call to a known sink, and the helpers several checks share: reading
// an argument by position or keyword, its values, a command line, a file mode, a path.
import type { Node } from 'web-tree-sitter';
import type { RuleId } from '../../rules';
import type { CallArguments, PythonModel, Span } from '../model';
import type { Sink } from '../catalog/sinks';
import { isDestructiveCommand, isOutsideWorkdir, quote } from '../../shared/judgments';
import { constString, constStrings, display, truthy, type Value } from '../../shared/value';

export interface CallSite {
  analyzer: PythonModel;
  call: Node;
  callee: Node;
  q: string;
  /** The constant path of a pathlib.Path receiver, if known. */
  path?: string;
  sink: Sink;
  /** " (reached as `...`)" when the source spells it differently. */
  via: string;
  args: CallArguments;
}

export interface CallFinding {
  rule: RuleId;
  node: Span;
  message: string;
}

function commandText(values: readonly Value[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    if (value.k === 'str') out.push(value.v);
    else if (value.k === 'seq') {
      const parts = value.items.map((item) => constString(item));
      if (parts.every((p): p is string => p !== undefined)) out.push(parts.join(' '));
    }
  }
  return out;
}

export function argument(site: CallSite, index: number, ...keywords: string[]): Node | undefined {
  const positional = site.args.positional[index];
  if (positional) return positional;
  for (const keyword of keywords) {
    const node = site.args.keywords.get(keyword);
    if (node) return node;
  }
  return undefined;
}

export function values(site: CallSite, node: Node | undefined): Value[] {
  return node ? site.analyzer.evalExpr(node) : [];
}

export function destructive(site: CallSite, node: Node | undefined, out: CallFinding[]): void {
  if (!node) return;
  for (const command of commandText(values(site, node))) {
    if (isDestructiveCommand(command)) {
      out.push({ rule: 'destructive-command', node, message: `destructive command ${quote(command)}` });
      return;
    }
  }
}

export function shellFlag(site: CallSite, out: CallFinding[]): void {
  const flag = site.args.keywords.get('shell');
  if (!flag) return;
  const flagValues = values(site, flag);
  const known = flagValues.length > 0 ? flagValues.map(truthy) : [undefined];
  if (known.every((t) => t === false)) return;
  const keyword = site.analyzer.tree.parent(flag) ?? flag;
  const name = display(site.q);
  out.push({
    rule: 'shell-true',
    node: keyword,
    message: known.some((t) => t === undefined)
      ? `${name} with a shell flag computed at run time: the command may be run by /bin/sh`
      : `${name} with shell=True runs the command line through /bin/sh (injection-prone)`,
  });
}

/** The file mode of an open()-like call: 'write', 'read', or 'unknown'. */
export function openMode(site: CallSite): { kind: 'write' | 'read' | 'unknown'; mode?: string } {
  const pathMethod = site.q === 'pathlib.Path.open';
  const node = argument(site, pathMethod ? 0 : 1, 'mode');
  if (!node) {
    // Only `*args`/`**kwargs` could carry a mode we cannot see.
    return site.args.splat ? { kind: 'unknown' } : { kind: 'read' };
  }
  const modes = constStrings(values(site, node));
  if (!modes) return { kind: 'unknown' };
  const writing = modes.find((mode) => /[wax+]/.test(mode));
  return writing ? { kind: 'write', mode: writing } : { kind: 'read', mode: modes[0] };
}

export function pathOf(site: CallSite, index: number, ...keywords: string[]): string | undefined {
  if (site.path !== undefined) return site.path;
  return constString(values(site, argument(site, index, ...keywords)));
}

export function readOutside(site: CallSite, path: string | undefined, out: CallFinding[]): void {
  if (path !== undefined && isOutsideWorkdir(path)) {
    out.push({
      rule: 'read-outside-workdir',
      node: site.callee,
      message: `${display(site.q)} reads ${quote(path)}, outside the working directory${site.via}`,
    });
  }
}

/** One argument check: pushes the findings a call to the sink gives (none when its arguments are safe). */
export type ArgumentCheck = (site: CallSite, out: CallFinding[]) => void;

/** The sink's own finding at the callee: `os.system runs a shell command`. */
export function baseFinding(site: CallSite): CallFinding {
  return {
    rule: site.sink.rule,
    node: site.callee,
    message: `${display(site.q)} ${site.sink.what}${site.via}`,
  };
}

/**
 * A keyword argument's values, passed by name (`f(debug=True)`) or inside a mapping splatted into the call
 * (`f(**{"debug": True})`, `f(**options)` with `options` a constant dict); `node` is what a finding points at.
 */
export function keywordValues(site: CallSite, keyword: string): { node: Node; values: Value[] } | undefined {
  const node = site.args.keywords.get(keyword);
  if (node) return { node: site.analyzer.tree.parent(node) ?? node, values: values(site, node) };
  const list = site.call.childForFieldName('arguments');
  for (const child of list?.namedChildren ?? []) {
    if (child?.type !== 'dictionary_splat') continue;
    const found: Value[] = [];
    for (const mapping of values(site, child.firstNamedChild ?? undefined)) {
      const index = mapping.k === 'dict' ? mapping.keys.indexOf(keyword) : -1;
      if (mapping.k === 'dict' && index >= 0) found.push(...mapping.items[index]);
    }
    if (found.length > 0) return { node: child, values: found };
  }
  return undefined;
}
