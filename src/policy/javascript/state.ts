// What one JavaScript analysis holds while it runs: the findings, imports and embedded code it has
// produced, the bindings found so far, the uses still to follow and the budget. The layers built on it
// (binder, evaluator, sinks, flow, analyzer) read and grow this state; nothing else does.
import type { Node } from 'web-tree-sitter';
import type { EmbeddedCode, ImportEvent } from '../findings';
import type { RuleId } from '../rules';
import { ParentIndex } from '../tree';
import { Memo } from '../shared/memo';
import { ParameterValues } from '../shared/parameters';
import { reachedAs, type Reporter, type Span } from '../shared/reporter';
import { tracerFromEnv } from '../shared/trace';
import { tracedReporter } from '../shared/traced-reporter';
import type { Value } from '../shared/value';
import { ScopeIndex, type Binding, type Scope } from './scopes';
import { TypeQueries, WordIndex } from './seeds';
import { isLive } from './values';

const MAX_OCCURRENCES = 150_000;
const MAX_DEPTH = 100;

export abstract class AnalysisState {
  protected readonly tracer = tracerFromEnv();
  protected readonly reporter: Reporter;
  readonly imports: ImportEvent[] = [];
  readonly embedded: EmbeddedCode[] = [];
  protected readonly scanned = new Set<string>();
  protected readonly bindings = new Map<string, Binding[]>();
  protected readonly uses: Array<[Node, string]> = [];
  protected readonly memo = new Memo(MAX_DEPTH, (node) => this.evalNode(node));
  private readonly scopes: ScopeIndex;
  /** Values passed to parameters by calls the analyzer follows, by the parameter's name node. */
  protected readonly injected = new ParameterValues();
  /**
   * Receivers given to the file's functions by `f.call(t)` and the like, by the function's node id:
   * written by handoffs.ts, read by the evaluator's `this`.
   */
  protected readonly givenThis = new ParameterValues();
  /** Values sent into the file's generators by `next(v)` (generator-send.ts), by the generator's node id. */
  protected readonly sent = new ParameterValues();
  /** Uses that resolved to a parameter given a value by a call. */
  protected readonly injectedUses = new Set<number>();
  /** Every use of a name pushed so far, so that a parameter given a value later can be followed again. */
  protected readonly usesOf = new Map<string, Node[]>();
  protected readonly returnCache = new Map<number, Array<Node | null> | undefined>();
  /** Functions seen returning a followed value: calling them gives it. */
  protected readonly returning = new Set<number>();
  protected readonly rescans = new Map<string, number>();
  protected readonly stores = new Set<number>();
  protected readonly live = (value: Value): boolean => isLive(value, this.returning);
  /** Where a use of a name held a live value: a cut-off evaluation there may have dropped it (cuts.ts). */
  protected readonly liveUses: number[] = [];
  protected seeds = new Map<string, number[]>();
  protected readonly words: WordIndex;
  protected typeQueries: TypeQueries | undefined;
  private work = 0;
  protected truncated = false;

  constructor(
    readonly text: string,
    readonly root: Node,
    readonly tree: ParentIndex = new ParentIndex(root),
  ) {
    this.scopes = new ScopeIndex(this.tree);
    this.words = new WordIndex(text);
    this.reporter = tracedReporter(text, this.tracer, this.tree, this.memo, (n) => this.nodeText(n));
  }

  /** Every value the expression can have. */
  abstract evalExpr(node: Node | null | undefined): Value[];
  protected abstract evalNode(node: Node): Value[];

  nodeText(node: Node): string {
    return this.text.slice(node.startIndex, node.endIndex);
  }

  /** One more unit of work; false (and the analysis truncated) once the budget is spent. */
  budget(): boolean {
    if (++this.work > MAX_OCCURRENCES) this.truncated = true;
    return !this.truncated;
  }

  contextOf(node: Node): Scope[] {
    return this.scopes.contextOf(node);
  }

  /** In a TypeScript type (`typeof eval`, `typeof process.env`, `typeof import("x")`): not a value. */
  inType(node: Node): boolean {
    this.typeQueries ??= new TypeQueries(this.tree, this.seeds.get('typeof') ?? []);
    return this.typeQueries.contains(node);
  }

  via(node: Node, q: string): string {
    return reachedAs(this.nodeText(node), q);
  }

  report(rule: RuleId, node: Span, message: string, module?: string): void {
    this.reporter.report(rule, node, message, module);
  }
}
