// Names bound by code run through `exec` in the module's namespace: `exec("h = os")`, then `h.system(...)`.
// exec of a constant string at module level (or given `globals()`) runs that code in the module's globals,
// as if it were written there: the names it binds at its top level are visible to the code after it. The
// string is parsed and resolved by an analysis of its own, whose unbound names are the module's names at
// the exec call; what each name it binds holds at the code's end is bound at the call (flow.ts injects it).
// Given a dict as its namespace (`exec("import os as h", ns)`), the code binds in that dict instead: its
// unbound names read the dict's items, and the dict's name holds what the code bound (`ns["h"]`).
// The string is analysed for sinks as before (reports.ts, as embedded code); a string that cannot be read
// statically binds nothing here and stays reported as code execution.
import type { Node } from 'web-tree-sitter';
import type { RawAnalysis } from '../findings';
import { OPAQUE, constString, display, type Value } from '../shared/value';
import type { Binder } from './binder';
import type { CallEvaluation } from './model';
import type { Scopes } from './scopes';
import { identName, type Output, type Source } from './state';
import { GLOBALS, isTracked } from './values';

/** A parsed piece of code, released once read. */
export interface ParsedCode {
  readonly root: Node;
  dispose(): void;
}

/** The analysis of an exec'd string: what a name holds at the end of its module code, what it finds. */
export interface ExecAnalysis {
  moduleValues(name: string): Value[];
  /** The values of the code when it is one expression (what eval gives). */
  expressionValues(): Value[];
  run(): RawAnalysis;
}

/** What the analyzer lends: a parser and an analysis of code whose unbound names `enclosing` resolves. */
export interface ExecHooks {
  parse?: (code: string) => ParsedCode | undefined;
  /** `seeds`: names of the code whose uses are followed besides its own seeds (what the namespace gives them). */
  analyse(code: string, root: Node, enclosing: (name: string) => Value[], seeds?: string[]): ExecAnalysis;
}

/** Strings above this length, and names beyond this count, are not followed. */
const MAX_CODE = 20_000;
const MAX_NAMES = 200;
const MAX_NODES = 5_000;
const MAX_DEPTH = 4;

export class ExecBindings {
  private readonly done = new Set<string>();
  /** exec calls whose code was analysed again with the names it reads from its namespace. */
  private readonly checked = new Set<string>();
  /** eval calls whose code is being evaluated (code that reads its own result is unknown). */
  private readonly evaluating = new Set<number>();

  constructor(
    private readonly source: Source,
    private readonly output: Output,
    private readonly scopes: Scopes,
    private readonly binder: Binder,
    private readonly evaluator: CallEvaluation,
    private readonly hooks: ExecHooks,
  ) {}

  /**
   * The names bound by exec'd code found since the last call: each with the call and its values, `global`
   * for the module's names; a namespace dict given to exec (`exec(code, ns)`) is bound to a dict of them.
   */
  pending(): Array<{ name: string; site: Node; values: Value[]; global: boolean }> {
    const parse = this.hooks.parse;
    if (!parse) return [];
    const out: Array<{ name: string; site: Node; values: Value[]; global: boolean }> = [];
    for (const embedded of this.output.embedded) {
      const key = `${embedded.start}:${embedded.code}`;
      if (embedded.via !== display('builtins.exec') || embedded.code.length > MAX_CODE) continue;
      // A call already read is looked at again for what its code reads from its namespace, which a later
      // exec may have given it (`checked`: the names read each time it was analysed with them).
      const fresh = !this.done.has(key);
      this.done.add(key);
      const call = this.source.tree.descendantAt(embedded.start, embedded.end);
      if (call?.type !== 'call' || call.startIndex !== embedded.start) continue;
      const global = this.inModuleNamespace(call);
      const holders = namespaceDicts(this.source, this.evaluator, call);
      if (!global && holders.length === 0) continue;
      const parsed = parse(embedded.code);
      if (!parsed) continue;
      try {
        if (parsed.root.hasError) continue;
        const enclosing = (name: string): Value[] =>
          portable(holders.length > 0 ? this.given(call, name) : this.binder.resolveUse(call, name), 0);
        const names = namesIn(embedded.code, parsed.root);
        // `exec("s.run(...)", ns)` after `exec("import subprocess as s", ns)`: the code reads a followed value
        // from its namespace, so what it does is found with it (the engine analyses the code alone besides).
        // Names the file binds before the call (a namespace dict's, the module's): builtins and unbound
        // modules read alike when the code is analysed alone.
        const reads = [...names].filter(
          (name) =>
            enclosing(name).some(isTracked) &&
            (holders.length > 0 || this.binder.knownBindings(name).some((b) => b.pos < call.startIndex)),
        );
        const readsKey = `${key}:${reads.join(',')}`;
        const analysis = this.hooks.analyse(embedded.code, parsed.root, enclosing, reads);
        if (reads.length > 0 && !this.checked.has(readsKey)) {
          this.checked.add(readsKey);
          for (const finding of analysis.run().findings)
            this.output.reporter.report(
              finding.ruleId,
              call,
              `${finding.message} (in the code run by ${embedded.via})`,
              finding.module,
            );
        }
        if (!fresh) continue;
        const keys: string[] = [];
        const items: Value[][] = [];
        for (const name of names) {
          const values = portable(analysis.moduleValues(name), 0);
          if (!values.some(isTracked)) continue;
          if (global) out.push({ name, site: call, values, global });
          keys.push(name);
          items.push(values);
        }
        // `ns["h"]` after `exec("import os as h", ns)`: the dict holds the names the code bound.
        if (keys.length > 0)
          for (const holder of holders)
            out.push({ name: holder, site: call, values: [{ k: 'dict', keys, items }], global: false });
      } finally {
        parsed.dispose();
      }
    }
    return out;
  }

  /**
   * What `eval(<constant>)` (or `eval(compile(<constant>, ...))`) gives: the expression's values, its names
   * read as the module's at the call (or the namespace dicts' items).
   */
  evalValues(call: Node): Value[] {
    const parse = this.hooks.parse;
    const code = parse && constantCode(this.evaluator, call);
    if (!parse || code === undefined || code.length > MAX_CODE || this.evaluating.has(call.id))
      return [OPAQUE];
    const parsed = parse(code);
    if (!parsed) return [OPAQUE];
    this.evaluating.add(call.id);
    try {
      if (parsed.root.hasError) return [OPAQUE];
      const holders = namespaceDicts(this.source, this.evaluator, call);
      const enclosing = (name: string): Value[] =>
        portable(holders.length > 0 ? this.given(call, name) : this.binder.resolveUse(call, name), 0);
      return portable(this.hooks.analyse(code, parsed.root, enclosing).expressionValues(), 0);
    } finally {
      this.evaluating.delete(call.id);
      parsed.dispose();
    }
  }

  /** What a name of code exec'd with namespace dicts reads: their item, else the module's name (unknown dicts). */
  private given(call: Node, name: string): Value[] {
    const out: Value[] = [];
    for (const namespace of namespaceArguments(this.evaluator, call))
      for (const value of this.evaluator.evalExpr(namespace)) {
        if (value.k !== 'dict') return this.binder.resolveUse(call, name);
        const index = value.keys.lastIndexOf(name);
        if (index !== -1) out.push(...value.items[index]);
      }
    return out;
  }

  /** exec at module level, or given `globals()`: the code binds the module's names. */
  private inModuleNamespace(call: Node): boolean {
    const atModule = this.scopes.contextOf(call).scopes.length === 1;
    const args = this.evaluator.argumentsOf(call);
    const namespace = args.positional[1] ?? args.keywords.get('globals');
    if (!namespace) return atModule;
    // A dict display given (`exec(code, {})`, `exec(code, ns)`) is the code's namespace, not the module's.
    const values = this.evaluator.evalExpr(namespace);
    return values.some((v) => (v.k === 'ns' && v.q === GLOBALS) || (atModule && v.k !== 'dict'));
  }
}

/** The constant source an eval call is given, directly or through `compile(source, ...)`. */
function constantCode(ev: CallEvaluation, call: Node): string | undefined {
  let source = ev.argumentsOf(call).positional[0];
  const callee = source?.type === 'call' ? source.childForFieldName('function') : null;
  if (callee && ev.evalExpr(callee).some((v) => v.k === 'q' && v.q === 'builtins.compile'))
    source = ev.argumentsOf(source!).positional[0];
  return source ? constString(ev.evalExpr(source)) : undefined;
}

/** exec's globals and locals arguments. */
function namespaceArguments(ev: CallEvaluation, call: Node): Node[] {
  const args = ev.argumentsOf(call);
  return [
    args.positional[1],
    args.positional[2],
    args.keywords.get('globals'),
    args.keywords.get('locals'),
  ].filter((node): node is Node => !!node);
}

/** The names of the dicts given to exec as its namespaces (`exec(code, ns)`), which its code binds names in. */
function namespaceDicts(source: Source, ev: CallEvaluation, call: Node): string[] {
  return namespaceArguments(ev, call)
    .filter((node) => node.type === 'identifier' && !ev.evalExpr(node).some((v) => v.k === 'ns'))
    .map((node) => identName(source, node));
}

/** The identifiers of a piece of code (a superset of the names its module code binds). */
function namesIn(code: string, root: Node): Set<string> {
  const names = new Set<string>();
  const stack: Node[] = [root];
  for (let visited = 0; stack.length > 0 && visited < MAX_NODES && names.size < MAX_NAMES; visited++) {
    const node = stack.pop()!;
    if (node.type === 'identifier') names.add(code.slice(node.startIndex, node.endIndex));
    for (const child of node.namedChildren) if (child) stack.push(child);
  }
  return names;
}

/** Values without nodes of another tree: a function or class of one code is unknown in the other. */
function portable(values: readonly Value[], depth: number): Value[] {
  return values.map((value): Value => {
    const foreign = value.k === 'fn' || value.k === 'class';
    if (foreign || depth > MAX_DEPTH) return foreign ? OPAQUE : value;
    if (value.k === 'seq') return { k: 'seq', items: value.items.map((item) => portable(item, depth + 1)) };
    if (value.k === 'dict' || value.k === 'obj')
      return { ...value, items: value.items.map((item) => portable(item, depth + 1)) };
    if (value.k === 'partial')
      return {
        k: 'partial',
        fn: portable(value.fn, depth + 1),
        args: value.args.map((arg) => portable(arg, depth + 1)),
        keywords: value.keywords.map(([name, arg]): [string, Value[]] => [name, portable(arg, depth + 1)]),
      };
    return value;
  });
}
