// Judging a call to a known sink by its arguments: shell=True, file modes, loaders, huge sizes,
// destructive commands and paths outside the working directory.
import type { Node } from 'web-tree-sitter';
import type { RuleId } from '../rules';
import type { CallArguments, PythonModel, Span } from './model';
import type { Sink } from './catalog/sinks';
import {
  HUGE_RANGE,
  HUGE_SIZE,
  isDestructiveCommand,
  isOutsideWorkdir,
  isRootPath,
  quote,
} from '../shared/judgments';
import { constNumber, constString, constStrings, display, truthy, type Value } from '../shared/value';

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

function argument(site: CallSite, index: number, ...keywords: string[]): Node | undefined {
  const positional = site.args.positional[index];
  if (positional) return positional;
  for (const keyword of keywords) {
    const node = site.args.keywords.get(keyword);
    if (node) return node;
  }
  return undefined;
}

function values(site: CallSite, node: Node | undefined): Value[] {
  return node ? site.analyzer.evalExpr(node) : [];
}

function destructive(site: CallSite, node: Node | undefined, out: CallFinding[]): void {
  if (!node) return;
  for (const command of commandText(values(site, node))) {
    if (isDestructiveCommand(command)) {
      out.push({ rule: 'destructive-command', node, message: `destructive command ${quote(command)}` });
      return;
    }
  }
}

function shellFlag(site: CallSite, out: CallFinding[]): void {
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
function openMode(site: CallSite): { kind: 'write' | 'read' | 'unknown'; mode?: string } {
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

function pathOf(site: CallSite, index: number, ...keywords: string[]): string | undefined {
  if (site.path !== undefined) return site.path;
  return constString(values(site, argument(site, index, ...keywords)));
}

function readOutside(site: CallSite, path: string | undefined, out: CallFinding[]): void {
  if (path !== undefined && isOutsideWorkdir(path)) {
    out.push({
      rule: 'read-outside-workdir',
      node: site.callee,
      message: `${display(site.q)} reads ${quote(path)}, outside the working directory${site.via}`,
    });
  }
}

const OS_OPEN_WRITE_FLAGS = /\bO_(?:WRONLY|RDWR|CREAT|APPEND|TRUNC|EXCL)\b/;

export function checkCall(site: CallSite): CallFinding[] {
  const out: CallFinding[] = [];
  const { sink, q } = site;
  const name = display(q);
  const base = (): CallFinding => ({
    rule: sink.rule,
    node: site.callee,
    message: `${name} ${sink.what}${site.via}`,
  });
  switch (sink.check) {
    case undefined:
      out.push(base());
      break;
    case 'subprocess':
      out.push(base());
      shellFlag(site, out);
      destructive(site, argument(site, 0, 'args', 'argv', 'program', 'file', 'path'), out);
      break;
    case 'shell-command':
      out.push(base());
      destructive(site, argument(site, 0, 'cmd', 'command', 'program'), out);
      break;
    case 'open-mode': {
      const mode = openMode(site);
      const path = pathOf(site, 0, 'file', 'filename', 'name');
      const where = path !== undefined ? ` ${quote(path)}` : '';
      if (mode.kind === 'write') {
        out.push({
          rule: 'file-write',
          node: site.callee,
          message: `${name} opens${where} for writing (mode ${quote(mode.mode!)})${site.via}`,
        });
      } else if (mode.kind === 'unknown') {
        out.push({
          rule: 'file-write',
          node: site.callee,
          message: `${name} opens${where} with a mode computed at run time (may write)${site.via}`,
        });
      } else readOutside(site, path, out);
      break;
    }
    case 'os-open-flags': {
      const flags = argument(site, 1, 'flags');
      const path = pathOf(site, 0, 'path');
      const flagText = flags ? site.analyzer.nodeText(flags) : '';
      const flagValue = constNumber(values(site, flags));
      const writes =
        !flags ||
        OS_OPEN_WRITE_FLAGS.test(flagText) ||
        (typeof flagValue === 'bigint' ? (flagValue & 0x643n) !== 0n : !/\bO_RDONLY\b/.test(flagText));
      if (flags && writes)
        out.push({
          rule: 'file-write',
          node: site.callee,
          message: `${name} opens a file descriptor that can write${site.via}`,
        });
      else readOutside(site, path, out);
      break;
    }
    case 'read-path':
      readOutside(site, pathOf(site, 0, 'path', 'top', 'pathname', 'root_dir'), out);
      break;
    case 'copy':
      out.push(base());
      readOutside(site, constString(values(site, argument(site, 0, 'src'))), out);
      break;
    case 'rmtree': {
      out.push(base());
      const target = argument(site, 0, 'path');
      const path = constString(values(site, target));
      if (target && path !== undefined && isRootPath(path)) {
        out.push({
          rule: 'destructive-command',
          node: target,
          message: `deletes ${quote(path)} recursively`,
        });
      }
      break;
    }
    case 'archive-mode': {
      const node = argument(site, 1, 'mode');
      const modes = node ? constStrings(values(site, node)) : site.args.splat ? undefined : ['r'];
      const writing = modes?.find((mode) => /^[wax]/.test(mode));
      if (!modes || writing) {
        out.push({
          rule: 'file-write',
          node: site.callee,
          message: writing
            ? `${name} opens an archive for writing (mode ${quote(writing)})${site.via}`
            : `${name} opens an archive with a mode computed at run time (may write)${site.via}`,
        });
      }
      break;
    }
    case 'doctest':
      // The examples are analysed as code run at this call (see the analyzer).
      break;
    case 'yaml-load': {
      if (!safeYamlLoader(site, argument(site, 1, 'Loader'))) {
        out.push({
          rule: sink.rule,
          node: site.callee,
          message: `${name} without a safe Loader can construct arbitrary objects${site.via}`,
        });
      }
      break;
    }
    case 'allow-pickle': {
      const flag = site.args.keywords.get('allow_pickle');
      if (
        flag &&
        values(site, flag)
          .map(truthy)
          .some((t) => t !== false)
      ) {
        out.push({
          rule: sink.rule,
          node: site.callee,
          message: `${name} with allow_pickle=True unpickles data that can run code${site.via}`,
        });
      }
      break;
    }
    case 'torch-load': {
      const flag = site.args.keywords.get('weights_only');
      if (
        !flag ||
        values(site, flag)
          .map(truthy)
          .some((t) => t !== true)
      ) {
        out.push({
          rule: sink.rule,
          node: site.callee,
          message: `${name} without weights_only=True unpickles data that can run code${site.via}`,
        });
      }
      break;
    }
    case 'thread':
      if (site.analyzer.contextOf(site.call).inLoop) {
        out.push({
          rule: sink.rule,
          node: site.callee,
          message: `${name} inside a loop can flood the process with threads${site.via}`,
        });
      }
      break;
    case 'range': {
      const nums = site.args.positional.map((node) => constNumber(values(site, node)));
      if (nums.length === 0 || nums.some((n) => n === undefined)) break;
      const count = rangeLength(nums as Array<bigint | 'huge'>);
      if (count === 'huge' || count > HUGE_RANGE) {
        out.push({
          rule: 'resource-exhaustion',
          node: site.call,
          message: 'a range of more than a billion items',
        });
      }
      break;
    }
    case 'alloc': {
      const size =
        site.args.positional.length === 1 ? constNumber(values(site, site.args.positional[0])) : undefined;
      if (size === 'huge' || (typeof size === 'bigint' && size > HUGE_SIZE)) {
        out.push({ rule: 'resource-exhaustion', node: site.call, message: `${name} of more than 100 MB` });
      }
      break;
    }
  }
  return out;
}

const SAFE_YAML_LOADERS = new Set(
  ['SafeLoader', 'CSafeLoader', 'BaseLoader', 'CBaseLoader'].map((name) => `yaml.${name}`),
);

/**
 * Whether a yaml.load Loader argument is a safe loader whatever branch is taken: judged by its values
 * (`yaml.SafeLoader if c else yaml.Loader` is not safe), and by name only when it names a loader the
 * analyzer cannot follow (a class from another package).
 */
function safeYamlLoader(site: CallSite, loader: Node | undefined): boolean {
  if (!loader) return false;
  const options = values(site, loader);
  if (options.length > 0 && options.every((v) => v.k === 'q' && SAFE_YAML_LOADERS.has(v.q))) return true;
  if (options.some((v) => v.k !== 'opaque')) return false;
  if (loader.type !== 'identifier' && loader.type !== 'attribute') return false;
  return /(?:^|\.)C?(?:Safe|Base)Loader$/.test(site.analyzer.nodeText(loader));
}

function rangeLength(nums: Array<bigint | 'huge'>): bigint | 'huge' {
  if (nums.includes('huge')) return 'huge';
  const [a, b, c] = nums as bigint[];
  const [start, stop, step] = nums.length === 1 ? [0n, a, 1n] : [a, b, c ?? 1n];
  if (step === 0n) return 0n;
  const span = step > 0n ? stop - start : start - stop;
  return span <= 0n ? 0n : span / (step > 0n ? step : -step);
}
