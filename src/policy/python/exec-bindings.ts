// Names bound by code run through `exec` in the module's namespace: `exec("h = os")`, then `h.system(...)`.
// exec of a constant string at module level (or given `globals()`) runs that code in the module's globals,
// as if it were written there: the names it binds at its top level are visible to the code after it. The
// string is parsed and resolved by an analysis of its own, whose unbound names are the module's names at
// the exec call; what each name it binds holds at the code's end is bound at the call (flow.ts injects it).
// The string is analysed for sinks as before (reports.ts, as embedded code); a string that cannot be read
// statically binds nothing here and stays reported as code execution.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, display, type Value } from '../shared/value';
import type { Binder } from './binder';
import type { CallEvaluation } from './model';
import type { Scopes } from './scopes';
import type { Output, Source } from './state';
import { GLOBALS, isTracked } from './values';

/** A parsed piece of code, released once read. */
export interface ParsedCode {
  readonly root: Node;
  dispose(): void;
}

/** The analysis of an exec'd string: what a name holds at the end of its module code. */
export interface ExecAnalysis {
  moduleValues(name: string): Value[];
}

/** What the analyzer lends: a parser and an analysis of code whose unbound names `enclosing` resolves. */
export interface ExecHooks {
  parse?: (code: string) => ParsedCode | undefined;
  analyse(code: string, root: Node, enclosing: (name: string) => Value[]): ExecAnalysis;
}

/** Strings above this length, and names beyond this count, are not followed. */
const MAX_CODE = 20_000;
const MAX_NAMES = 200;
const MAX_NODES = 5_000;
const MAX_DEPTH = 4;

export class ExecBindings {
  private readonly done = new Set<string>();

  constructor(
    private readonly source: Source,
    private readonly output: Output,
    private readonly scopes: Scopes,
    private readonly binder: Binder,
    private readonly evaluator: CallEvaluation,
    private readonly hooks: ExecHooks,
  ) {}

  /** The names bound by exec'd code found since the last call: each with the call and its values. */
  pending(): Array<{ name: string; site: Node; values: Value[] }> {
    const parse = this.hooks.parse;
    if (!parse) return [];
    const out: Array<{ name: string; site: Node; values: Value[] }> = [];
    for (const embedded of this.output.embedded) {
      const key = `${embedded.start}:${embedded.code}`;
      if (embedded.via !== display('builtins.exec') || embedded.code.length > MAX_CODE || this.done.has(key))
        continue;
      this.done.add(key);
      const call = this.source.tree.descendantAt(embedded.start, embedded.end);
      if (call?.type !== 'call' || call.startIndex !== embedded.start || !this.inModuleNamespace(call))
        continue;
      const parsed = parse(embedded.code);
      if (!parsed) continue;
      try {
        if (parsed.root.hasError) continue;
        const enclosing = (name: string): Value[] => portable(this.binder.resolveUse(call, name), 0);
        const analysis = this.hooks.analyse(embedded.code, parsed.root, enclosing);
        for (const name of namesIn(embedded.code, parsed.root)) {
          const values = portable(analysis.moduleValues(name), 0);
          if (values.some(isTracked)) out.push({ name, site: call, values });
        }
      } finally {
        parsed.dispose();
      }
    }
    return out;
  }

  /** exec at module level, or given `globals()`: the code binds the module's names. */
  private inModuleNamespace(call: Node): boolean {
    if (this.scopes.contextOf(call).scopes.length === 1) return true;
    const namespace = this.evaluator.argumentsOf(call).positional[1];
    return !!namespace && this.evaluator.evalExpr(namespace).some((v) => v.k === 'ns' && v.q === GLOBALS);
  }
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

/** Values without nodes of another tree: a function of the exec'd code is unknown outside it. */
function portable(values: readonly Value[], depth: number): Value[] {
  return values.map((value): Value => {
    if (value.k === 'fn' || depth > MAX_DEPTH) return value.k === 'fn' ? OPAQUE : value;
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
