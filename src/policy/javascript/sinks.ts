// Reaching a sink: a followed value called (judged by the sink's argument check), read (`process.env`),
// destructured, or invoked through `.call`/`.apply`.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, constStrings, display, type Value } from '../shared/value';
import { jsSinkFor, reflectedModule, type JsSink } from './catalog/sinks';
import { embedConstantCode, recordImports } from './checks/call-site';
import { checkJsCall } from './checks/index';
import { Propagators } from './propagate';
import { argumentsOf, same, type Relation } from './syntax';

export abstract class SinkReporter extends Propagators {
  /** Sinks reported on any reference (`process.env`), reached by reading one of their members. */
  protected reportReference(values: readonly Value[], node: Node): void {
    for (const value of values) {
      if (value.k !== 'q') continue;
      const sink = jsSinkFor(value.q);
      if (sink && sink.onReference !== false)
        this.report(
          sink.rule,
          node,
          `${display(value.q)} ${sink.what} (destructured as \`${this.nodeText(node)}\`)`,
        );
    }
  }

  protected checkSinks(values: readonly Value[], node: Node, parent: Node, relation: Relation): void {
    for (const value of values) {
      if (value.k !== 'q') continue;
      const sink = jsSinkFor(value.q);
      if (!sink) continue;
      if (relation === 'call') this.reportCall(value.q, sink, parent, node);
      else if (relation === 'member' && this.invokedBy(parent, ['call', 'apply'])) {
        // `eval.call(null, code)`, `cp.exec.apply(cp, args)`: the sink
        // itself runs (its arguments shifted, so only sinks that need no argument check are judged here).
        const method = this.nodeText(parent.childForFieldName('property')!);
        if (sink.check === 'module' && this.importedThrough(value.q, method, parent)) continue;
        if ([undefined, 'shell', 'spawn', 'module', 'delete-path'].includes(sink.check)) {
          const module = reflectedModule(value.q);
          this.report(
            sink.rule,
            parent,
            module === undefined
              ? `${display(value.q)}.${method} ${sink.what}${this.via(node, value.q)}`
              : reflectedMessage(module, sink, this.via(parent, value.q)),
            value.q.split('.')[0],
          );
        }
      } else if (
        relation === 'member' &&
        (value.q === 'builtins.Function' || this.invokedBy(parent, ['bind']))
      ) {
        // Function.prototype is not a use; `x.bind(...)` is x again, followed from the call.
      } else if (
        relation === 'other' &&
        parent.type === 'unary_expression' &&
        this.nodeText(parent).startsWith('typeof')
      ) {
        // `typeof eval`: a feature test, not a use.
      } else if (relation === 'other' && this.comparedAsClass(node, parent)) {
        // `x instanceof net.Socket`: the class is only compared with, never run.
      } else if (sink.onReference !== false)
        this.report(
          sink.rule,
          node,
          `${display(value.q)} ${sink.what}${this.via(node, value.q)}`,
          value.q.split('.')[0],
        );
    }
  }

  /**
   * `require.call(null, "m")`, `require.apply(null, ["m"])`: with a constant name, an import of that
   * module (true); else false, and the caller reports a module chosen at run time.
   */
  private importedThrough(q: string, method: string, member: Node): boolean {
    const call = this.tree.parent(member)!;
    const args = argumentsOf(call);
    let values = args[1] ? this.evalExpr(args[1]) : [];
    if (method === 'apply')
      values = values.flatMap((v) => (v.k === 'seq' && v.items[0] ? v.items[0] : [OPAQUE]));
    const names = constStrings(values);
    if (!names) return false;
    recordImports(this, names, call, q);
    return true;
  }

  /** `x instanceof C`, with the value as C. */
  private comparedAsClass(node: Node, parent: Node): boolean {
    const operator = parent.type === 'binary_expression' ? parent.childForFieldName('operator') : null;
    return (
      !!operator && this.nodeText(operator) === 'instanceof' && same(parent.childForFieldName('right'), node)
    );
  }

  /** `x.call(...)`, `x.apply(...)`, `x.bind(...)`: the member is called right away. */
  protected invokedBy(member: Node, methods: readonly string[]): boolean {
    const property = member.childForFieldName('property');
    const call = this.tree.parent(member);
    return (
      !!property &&
      methods.includes(this.nodeText(property)) &&
      call?.type === 'call_expression' &&
      same(call.childForFieldName('function'), member)
    );
  }

  private reportCall(q: string, sink: JsSink, call: Node, callee: Node): void {
    const name = display(q);
    const module = reflectedModule(q);
    const args = argumentsOf(call);
    if (q === 'builtins.eval' || q === 'builtins.Function' || q.startsWith('vm.')) {
      // Constant code (the body is the last argument of Function): analysed by the engine too.
      embedConstantCode(this, q === 'builtins.Function' ? args[args.length - 1] : args[0], call, name);
    }
    checkJsCall({
      analyzer: this,
      q,
      name,
      module: q.split('.')[0],
      sink,
      call,
      callee,
      args,
      message:
        module === undefined
          ? `${name} ${sink.what}${this.via(callee, q)}`
          : reflectedMessage(module, sink, this.via(callee, q)),
    });
  }
}

/** A module's function reached by reflection (`Object.values(cp)`, `cp[name]`): judged as its worst. */
function reflectedMessage(module: string, sink: JsSink, via: string): string {
  return `a ${module} function reached by reflection, which may be one that ${sink.what}${via}`;
}
