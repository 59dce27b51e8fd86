// Python analysis by name resolution over the tree-sitter tree.
//
// Rather than visiting every node (about 1 µs each through web-tree-sitter), the analyzer starts from the
// occurrences of the names that matter (imports, dangerous builtins, known modules, escape attributes) found
// by one text scan, asks the tree what each occurrence is (a binding, a use, an attribute name, or text in a
// string or comment, which is never a finding), and follows values from there: through aliases, attribute
// chains, calls such as `__import__(...)` or `getattr(...)`, subscripts such as `sys.modules[...]`, and
// constant strings. Names bound to tracked values (`m = __import__("o" + "s")`) are scanned in turn.
//
// This file only wires the roles together and runs the passes in order; each role is a file of its own:
//   seeds.ts        the seed words and what the text around an occurrence says
//   occurrences.ts  each occurrence classified through the tree: binding, use, attribute name
//   imports.ts      import statements: bindings to modules, the import list
//   scopes.ts       scope chain and block context of a node
//   binder.ts       bindings as rows, `resolveUse` (Python's scoping rules), lazy binding values
//   evaluator.ts    the values of expressions (calls.ts: what a call returns, propagators by kind)
//   flow.ts         the forward worklist: values followed up the tree, across calls, returns and stores
//   reports.ts      findings where a value meets a sink, getattr, a namespace lookup, `shell=True`
//   resources.ts    loops that never end, huge numbers and repeats
//   state.ts        the state the roles share (Source, Budget, Worklist, Flows, Output) and Binding/Scope
import type { Node } from 'web-tree-sitter';
import type { EmbeddedCode, ImportEvent, RawAnalysis } from '../findings';
import { Reporter } from '../shared/reporter';
import { explainAt, tracerFromEnv } from '../shared/trace';
import type { Value } from '../shared/value';
import { ParentIndex } from '../tree';
import { Binder } from './binder';
import { Evaluator } from './evaluator';
import { ExecBindings, type ParsedCode } from './exec-bindings';
import { Flow } from './flow';
import { Imports } from './imports';
import type { NodeContext, PythonModel } from './model';
import { Occurrences } from './occurrences';
import { Reports } from './reports';
import { Resources } from './resources';
import { Scopes } from './scopes';
import { KEYWORD_SEEDS, scanSeeds } from './seeds';
import { Budget, Flows, Worklist, inFocus, nodeText, type Output, type Source } from './state';
import { cutsMatter } from '../shared/cuts';

export function analyzePython(
  text: string,
  root: Node,
  tree?: ParentIndex,
  focus?: { start: number; end: number },
  options: PythonAnalysisOptions = {},
): RawAnalysis {
  return new PythonAnalyzer(text, root, tree, focus, options).run();
}

export interface PythonAnalysisOptions {
  /**
   * Module code may run again after the module code below it, as a notebook's cells do when re-run out of
   * order: a use with no binding above it also sees the bindings below it (the builtin stays possible).
   */
  moduleCodeRepeats?: boolean;
  /** Parses Python code (a constant string run by exec, whose bindings the module then sees: exec-bindings.ts). */
  parse?: (code: string) => ParsedCode | undefined;
  /** For code run by exec in a module's namespace: the module's names at the call (exec-bindings.ts). */
  enclosing?: (name: string) => Value[];
  /** Names followed besides the seeds (those `enclosing` gives a followed value). */
  seeds?: string[];
}

/** How many times the names bound by exec'd code are followed, each round finding more exec calls. */
const EXEC_ROUNDS = 4;

export class PythonAnalyzer implements PythonModel {
  private readonly source: Source;
  private readonly seeds: Map<string, number[]>;
  private readonly budget = new Budget();
  private readonly flows = new Flows();
  private readonly output: Output;
  private readonly scopes: Scopes;
  private readonly evaluator: Evaluator;
  private readonly occurrences: Occurrences;
  private readonly imports: Imports;
  private readonly reports: Reports;
  private readonly flow: Flow;
  private readonly worklist = new Worklist();
  private readonly resources: Resources;
  private readonly execBindings: ExecBindings;
  private readonly binder: Binder;

  constructor(
    readonly text: string,
    readonly root: Node,
    readonly tree: ParentIndex = new ParentIndex(root),
    /** Analyse only the uses inside this range (an edited function); bindings are still read everywhere. */
    focus?: { start: number; end: number },
    private readonly options: PythonAnalysisOptions = {},
  ) {
    ({ source: this.source, seeds: this.seeds } = scanSeeds(text, root, tree, focus));
    const tracer = tracerFromEnv();
    // For a trace: what the expressions at a finding's place hold (values already computed, none evaluated).
    const reporter = new Reporter(text, tracer, (span) =>
      explainAt(
        tree,
        span,
        (id) => this.evaluator.memo.values.get(id),
        (n) => this.nodeText(n),
      ),
    );
    this.output = { reporter, imports: [] as ImportEvent[], embedded: [] as EmbeddedCode[] };
    const worklist = this.worklist;
    this.scopes = new Scopes(tree, options.moduleCodeRepeats);
    // The binder is lazy: it asks the occurrences pass for a name's bindings, the evaluator for their values.
    const binder = new Binder(this.source, this.scopes, this.flows, {
      evaluate: (node) => this.evaluator.evalExpr(node),
      findBindings: (name) => this.occurrences.scanName(name, 'bindings'),
      enclosing: options.enclosing,
    });
    this.evaluator = new Evaluator(this.source, binder, this.flows);
    this.reports = new Reports(this.source, this.output, this.evaluator, this);
    this.occurrences = new Occurrences(
      this.source,
      this.budget,
      worklist,
      this.flows,
      binder,
      this.evaluator,
      this.reports,
    );
    this.imports = new Imports(this.source, this.output, binder, this.occurrences);
    this.flow = new Flow(
      this.source,
      this.budget,
      worklist,
      this.flows,
      this.scopes,
      binder,
      this.evaluator,
      this.occurrences,
      this.reports,
      tracer,
    );
    this.resources = new Resources(this.source, this.budget, this.evaluator, this.reports, this);
    this.execBindings = new ExecBindings(this.source, this.output, this.scopes, binder, this.evaluator, {
      parse: options.parse,
      analyse: (code, root, enclosing, seeds) =>
        new PythonAnalyzer(code, root, undefined, undefined, { parse: options.parse, enclosing, seeds }),
    });
    this.binder = binder;
    this.evaluator.codeValues = (call) => this.execBindings.evalValues(call);
  }

  /** The values of the code when it is one expression (for code run by eval: exec-bindings.ts). */
  expressionValues(): Value[] {
    const statement = this.root.namedChildCount === 1 ? this.root.firstNamedChild : null;
    if (statement?.type !== 'expression_statement' || statement.namedChildCount !== 1) return [];
    if (!this.importsBound) this.bindImports();
    return this.evaluator.evalExpr(statement.firstNamedChild);
  }

  /** What a name holds at the end of the module's code (for code run by exec: exec-bindings.ts). */
  moduleValues(name: string): Value[] {
    if (!this.importsBound) this.bindImports();
    return this.binder.resolveAtModuleEnd(name);
  }

  private importsBound = false;

  /**
   * Whether the evaluation's depth limit may have dropped a dangerous value. A focused analysis knows only
   * its focus's seeds: any cut then counts (and the update falls back to the whole file).
   */
  private cutsMatter(): boolean {
    const memo = this.evaluator.memo;
    if (this.source.focus) return memo.cuts.length > 0 || memo.tooManyCuts;
    return cutsMatter(memo, {
      seeds: this.source.seeds,
      keywords: KEYWORD_SEEDS,
      trackedUses: this.worklist.trackedUses,
      extraSeeds: [...this.source.normalized.values()].flatMap((pairs) => pairs.map(([offset]) => offset)),
    });
  }

  /** Import statements bind their names before any name is resolved. */
  private bindImports(): void {
    this.importsBound = true;
    for (const offset of this.seeds.get('import') ?? []) this.imports.importAt(offset);
  }

  /**
   * A value flowed from one statement into another (an argument into a function of the file, a return to
   * its callers, an attribute or container store): findings inside a function then depend on code outside it.
   */
  get crossUnit(): boolean {
    return this.flows.crossUnit;
  }

  run(): RawAnalysis {
    const seeds = this.seeds;
    // Imports first: their bindings must be known before any name is resolved.
    this.bindImports();
    for (const name of seeds.keys()) {
      if (!KEYWORD_SEEDS.has(name)) this.occurrences.scanName(name);
    }
    for (const name of this.options.seeds ?? []) this.occurrences.scanName(name);
    this.flow.drain();
    // Names bound by code exec'd in the module's namespace, then what they reach (and the exec calls found then).
    for (let round = 0; round < EXEC_ROUNDS && !this.budget.truncated; round++) {
      const bound = this.execBindings.pending();
      if (bound.length === 0) break;
      for (const { name, site, values, global } of bound) this.flow.injectName(name, site, values, global);
      this.flow.drain();
    }
    for (const offset of seeds.get('while') ?? []) this.resources.whileAt(offset);
    for (const offset of seeds.get('shell') ?? []) this.reports.shellAt(offset);
    this.resources.numericSeeds();
    const focused = (start: number): boolean => inFocus(this.source, start);
    return {
      findings: this.output.reporter.findings().filter((f) => focused(f.start)),
      imports: this.output.imports.filter((event) => focused(event.start)),
      embedded: this.output.embedded.filter((code) => focused(code.start)),
      truncated: this.budget.truncated || this.cutsMatter(),
    };
  }

  // The read-only model argument checks see (model.ts).

  nodeText(node: Node): string {
    return nodeText(this.source, node);
  }

  evalExpr(node: Node | null | undefined): Value[] {
    return this.evaluator.evalExpr(node);
  }

  contextOf(node: Node): NodeContext {
    return this.scopes.contextOf(node);
  }
}
