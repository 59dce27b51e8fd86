// What an argument check sees of a call to a JavaScript sink, and the judgments several checks share:
// a destructive command line, a path read outside the working directory, constant code to analyse.
import type { Node } from 'web-tree-sitter';
import { isDestructiveCommand, isOutsideWorkdir, quote } from '../../shared/judgments';
import { constString } from '../../shared/value';
import { canonicalJs } from '../catalog/names';
import type { JsSink } from '../catalog/sinks';
import type { JsModel } from '../model';

export interface JsCallSite {
  analyzer: JsModel;
  /** The sink's canonical name (`child_process.exec`) and how messages show it (`exec` for builtins). */
  q: string;
  name: string;
  /** The module the sink belongs to (`child_process`, `builtins`). */
  module: string;
  sink: JsSink;
  call: Node;
  callee: Node;
  args: Node[];
  /** The sink's own message: `<name> <what>` and how the source reached it. */
  message: string;
}

/** A check: reports what the call's arguments make of the sink (it never changes the analysis). */
export type JsArgumentCheck = (site: JsCallSite) => void;

/** The sink's own finding, on the callee. */
export function reportSink(site: JsCallSite): void {
  site.analyzer.report(site.sink.rule, site.callee, site.message, site.module);
}

export function destructiveText(analyzer: JsModel, command: string, node: Node): void {
  if (isDestructiveCommand(command))
    analyzer.report('destructive-command', node, `destructive command ${quote(command)}`);
}

/** A constant command line that deletes or overwrites what it should not. */
export function destructive(analyzer: JsModel, arg: Node | undefined): void {
  if (!arg) return;
  const command = constString(analyzer.evalExpr(arg));
  if (command !== undefined) destructiveText(analyzer, command, arg);
}

/** A constant path outside the working directory. */
export function readOutside(site: JsCallSite, arg: Node | undefined): void {
  const path = arg ? constString(site.analyzer.evalExpr(arg)) : undefined;
  if (path !== undefined && isOutsideWorkdir(path)) {
    site.analyzer.report(
      'read-outside-workdir',
      site.callee,
      `${site.name} reads ${JSON.stringify(path)}, outside the working directory`,
      'fs',
    );
  }
}

/** Code given as a constant string to a sink that runs it: the engine analyses it as part of the file. */
export function embedConstantCode(
  analyzer: JsModel,
  source: Node | undefined,
  call: Node,
  via: string,
): void {
  const code = source ? constString(analyzer.evalExpr(source)) : undefined;
  if (code?.trim())
    analyzer.embedded.push({ language: 'javascript', code, start: call.startIndex, end: call.endIndex, via });
}

/** `require("m")` and its kin with constant names: an import event per name, on the call. */
export function recordImports(analyzer: JsModel, names: readonly string[], call: Node, q: string): void {
  for (const module of names)
    analyzer.imports.push({
      module: canonicalJs(module),
      start: call.startIndex,
      end: call.endIndex,
      dynamic: q !== 'builtins.require',
    });
}
