// Python analysis by name resolution over the tree-sitter tree.
//
// Rather than visiting every node (about 1 µs each through web-tree-sitter), the analyzer starts from the
// occurrences of the names that matter (imports, dangerous builtins, known modules, escape attributes) found
// by one text scan, asks the tree what each occurrence is (a binding, a use, an attribute name, or text in a
// string or comment, which is never a finding), and follows values from there: through aliases, attribute
// chains, calls such as `__import__(...)` or `getattr(...)`, subscripts such as `sys.modules[...]`, and
// constant strings. Names bound to tracked values (`m = __import__("o" + "s")`) are scanned in turn.
import type { Node } from 'web-tree-sitter';
import type { EmbeddedCode, ImportEvent, RawAnalysis } from '../findings';
import type { RuleId } from '../rules';
import { WordScanner, nfkc, normalizedIdentifiers, wordOccurrences } from '../text';
import { HUGE_SIZE } from '../shared/judgments';
import { Memo } from '../shared/memo';
import { Reporter, reachedAs } from '../shared/reporter';
import { explainAt, traceUse, tracerFromEnv } from '../shared/trace';
import { ParentIndex } from '../tree';
import {
  BUILTIN_NAMES,
  ESCAPE_ATTRIBUTES,
  ESCAPE_MESSAGES,
  INSTANCE_CLASSES,
  KEY_GETTERS,
  SEED_BUILTINS,
} from './catalog/names';
import { propagatorFor } from './catalog/propagators';
import { starExports, type Sink } from './catalog/sinks';
import { evalConstCall, evalBinary, evalConstSubscript, stringLiteralValue } from './constants';
import { checkCall } from './checks';
import type { CallSite } from './checks/call-site';
import type { CallArguments, PythonModel, Span } from './model';
import { parseInteger } from './literals';
import {
  GLOBALS,
  REEXPORTED_MODULES,
  canonical,
  isSensitive,
  isTracked,
  leadsSomewhere,
  member,
  sinkOf,
  topModule,
} from './values';
import { OPAQUE, constString, constStrings, dedupe, display, truthy, type Value } from '../shared/value';
import { checkWhileLoop, loopHasExit } from './checks/while-loop';
import { lookupTable } from '../shared/lookup';

type ScopeKind = 'module' | 'function' | 'class' | 'lambda' | 'comprehension';

interface Scope {
  key: number;
  kind: ScopeKind;
}

interface Context {
  scopes: Scope[];
  /** The node sits under an if/try/loop/with/match inside its innermost scope. */
  conditional: boolean;
  /** The node is inside a loop body within its function. */
  inLoop: boolean;
}

interface Segment {
  scopes: Scope[];
  conditional: boolean;
  inLoop: boolean;
  sawFunction: boolean;
  /** The enclosing block the climb stopped at; null at the module. */
  block: Node | null;
}

const MODULE_CONTEXT: Context = { scopes: [{ key: 0, kind: 'module' }], conditional: false, inLoop: false };

/** A context from the part of the climb below a block and the block's own context. */
function mergeContext(segment: Segment, outer: Context): Context {
  return {
    scopes: segment.scopes.length ? [...segment.scopes, ...outer.scopes] : outer.scopes,
    conditional: segment.scopes.length ? segment.conditional : segment.conditional || outer.conditional,
    inLoop: segment.sawFunction ? segment.inLoop : segment.inLoop || outer.inLoop,
  };
}

interface Binding {
  name: string;
  /** Scope chain of the binding site, innermost first. */
  chain: Scope[];
  /** Where the binding takes effect (UTF-16 offset); -1 for parameters. */
  pos: number;
  conditional: boolean;
  /**
   * `param`: a parameter, holding what call sites in the file pass (besides anything); `iterate`: a for-loop
   * target, one of the items of its iterable; `augment`: `x += ...`, the operation on the previous value.
   */
  kind: 'value' | 'assign' | 'unpack' | 'default' | 'param' | 'iterate' | 'augment' | 'opaque';
  /** A `def` (calling `type()` of it builds functions from code objects). */
  isFunction?: boolean;
  /** The parameter's or augmented target's identifier. */
  site?: Node;
  /** The operator of an augmented assignment (`+` for `+=`). */
  op?: string;
  /** The analyzer's generation when `value` was computed (values computed from code are re-evaluated after). */
  generation?: number;
  value?: Value[];
  valueNode?: Node | null;
  index?: number;
  arity?: number;
  evaluating?: boolean;
}

const MAX_CLIMB = 400;
const MAX_EVAL_DEPTH = 40;
const MAX_OCCURRENCES = 150_000;

const COMPREHENSIONS = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);
const CONDITIONAL_PARENTS = new Set([
  'if_statement',
  'elif_clause',
  'else_clause',
  'for_statement',
  'while_statement',
  'try_statement',
  'except_clause',
  'except_group_clause',
  'finally_clause',
  'with_statement',
  'match_statement',
  'case_clause',
]);
const TARGET_CONTAINERS = new Set([
  'pattern_list',
  'tuple_pattern',
  'list_pattern',
  'tuple',
  'list',
  'parenthesized_expression',
  'list_splat_pattern',
  'list_splat',
]);

/** Dangerous modules assumed imported when used unbound (a notebook cell or snippet without its imports). */
const UNBOUND_MODULES = new Set([
  'os',
  'sys',
  'subprocess',
  'shutil',
  'socket',
  'pty',
  'ctypes',
  'pickle',
  'marshal',
  'builtins',
  'importlib',
  'posix',
  'nt',
  'commands',
]);
const SEED_NAMES = [
  'import',
  'while',
  'shell',
  '__builtins__',
  // `object.__getattribute__(os, "system")`, `os.__getattribute__("system")`: getattr under another name.
  '__getattribute__',
  ...SEED_BUILTINS,
  ...ESCAPE_ATTRIBUTES,
  ...UNBOUND_MODULES,
  ...Object.keys(REEXPORTED_MODULES),
];
/** Seeds that are handled by a pass of their own, not as names. */
const KEYWORD_SEEDS = new Set(['import', 'while', 'shell']);
const SEEDS = new WordScanner(SEED_NAMES);
/** Operators and literals that can make a huge number: `**`, `<<`, long decimals, long hex, big exponents. */
const NUMERIC_SEEDS =
  /\*\*|<<|(?<![\w.])(?:[0-9][0-9_]{8,}|0[xX][0-9a-fA-F_]{7,}|[0-9][0-9_]*(?:\.[0-9_]*)?[eE]\+?(?:[89]|[0-9]{2,}))(?![\w.])/g;
const MEMBER_AFTER = /[ \t]*\.[ \t]*([A-Za-z_][A-Za-z0-9_]*)/y;
const NEXT_CHAR = /[ \t]*(\S)/y;

function same(a: Node | null | undefined, b: Node): boolean {
  return !!a && a.id === b.id;
}

export function analyzePython(
  text: string,
  root: Node,
  tree?: ParentIndex,
  focus?: { start: number; end: number },
): RawAnalysis {
  return new PythonAnalyzer(text, root, tree, focus).run();
}

export class PythonAnalyzer implements PythonModel {
  private readonly tracer = tracerFromEnv();
  private readonly reporter: Reporter;
  private readonly imports: ImportEvent[] = [];
  private readonly embedded: EmbeddedCode[] = [];
  private readonly scanState = new Map<string, 'bindings' | 'full'>();
  private readonly pendingUses = new Map<string, Node[]>();
  private readonly scopeIndex = new Map<string, { version: string; byScope: Map<number, Binding[]> }>();
  private readonly bindings = new Map<string, Binding[]>();
  private readonly globalDecls = new Map<string, Set<number>>();
  private readonly nonlocalDecls = new Map<string, Set<number>>();
  private readonly uses: Array<[Node, string]> = [];
  /** Every queued use of each name, to follow again when a name gains a value (a parameter, a loop target). */
  private readonly usesByName = new Map<string, Node[]>();
  /** Expressions to follow with values that reached them other than through a name (`x.os`, `self.o`). */
  private readonly flows: Array<[Node, Value[]]> = [];
  /** What call sites in the file pass to a parameter (by the parameter identifier's node id). */
  private readonly parameterFlows = new Map<number, Value[]>();
  /** Tracked values stored as an attribute (`self.o = os`), by attribute name. */
  private readonly attributeFlows = new Map<string, Value[]>();
  /** Flows already followed (functions whose returns, names whose values, were followed). */
  private readonly flowsDone = new Set<string>();
  private readonly returnCache = new Map<number, Value[]>();
  private readonly followCount = new Map<string, number>();
  /** Bumped when a parameter or attribute gains a value: cached evaluations from before are stale. */
  private generation = 0;
  /**
   * A value flowed from one statement into another (an argument into a function of the file, a return to
   * its callers, an attribute or container store): findings inside a function then depend on code outside it.
   */
  crossUnit = false;
  private readonly processedImports = new Set<number>();
  private readonly memo = new Memo(MAX_EVAL_DEPTH, (node) => this.evalNode(node));
  private readonly overlay = new Map<string, Value[]>();
  private readonly contextCache = new Map<number, Context>();
  private normalized = new Map<string, Array<[number, number]>>();
  private seeds = new Map<string, number[]>();
  private work = 0;
  private truncated = false;

  constructor(
    readonly text: string,
    readonly root: Node,
    readonly tree: ParentIndex = new ParentIndex(root),
    /** Analyse only the uses inside this range (an edited function); bindings are still read everywhere. */
    private readonly focus?: { start: number; end: number },
  ) {
    // For a trace: what the expressions at a finding's place hold (values already computed, none evaluated).
    this.reporter = new Reporter(text, this.tracer, (span) =>
      explainAt(
        this.tree,
        span,
        (id) => this.memo.values.get(id),
        (n) => this.nodeText(n),
      ),
    );
  }

  run(): RawAnalysis {
    const focus = this.focus;
    this.normalized = normalizedIdentifiers(this.text);
    let seeds: Map<string, number[]>;
    if (focus) {
      // Uses are looked for in the focus only; bindings anywhere (occurrencesOf scans the whole text).
      seeds = new Map();
      for (const [name, offsets] of SEEDS.scan(this.text.slice(focus.start, focus.end))) {
        seeds.set(
          name,
          offsets.map((offset) => offset + focus.start),
        );
      }
      seeds.set('import', wordOccurrences(this.text, 'import'));
    } else {
      seeds = SEEDS.scan(this.text);
      this.seeds = seeds;
    }
    for (const name of this.normalized.keys()) {
      if (SEED_NAMES.includes(name) && !seeds.has(name)) seeds.set(name, []);
    }
    // Imports first: their bindings must be known before any name is resolved.
    for (const offset of seeds.get('import') ?? []) this.importAt(offset);
    for (const name of seeds.keys()) {
      if (!KEYWORD_SEEDS.has(name)) this.scanName(name);
    }
    this.drainUses();
    for (const offset of seeds.get('while') ?? []) this.whileAt(offset);
    for (const offset of seeds.get('shell') ?? []) this.shellAt(offset);
    this.numericSeeds();
    const inFocus = (start: number): boolean => !focus || (start >= focus.start && start < focus.end);
    return {
      findings: this.reporter.findings().filter((f) => inFocus(f.start)),
      imports: this.imports.filter((event) => inFocus(event.start)),
      embedded: this.embedded.filter((code) => inFocus(code.start)),
      truncated: this.truncated,
    };
  }

  private drainUses(): void {
    while (!this.truncated) {
      const use = this.uses.pop();
      if (use) {
        this.forward(use[0], use[1]);
        continue;
      }
      const flow = this.flows.pop();
      if (!flow || !this.budget()) return;
      this.forwardFrom(flow[0], flow[1]);
    }
  }

  private inFocus(offset: number): boolean {
    return !this.focus || (offset >= this.focus.start && offset < this.focus.end);
  }

  // ---------------------------------------------------------------------------------------------
  // Occurrences and classification

  nodeText(node: Node): string {
    return this.text.slice(node.startIndex, node.endIndex);
  }

  identName(node: Node): string {
    return nfkc(this.nodeText(node));
  }

  private identifierAt(start: number, length: number): Node | undefined {
    const node = this.tree.descendantAt(start, start + length);
    if (!node || node.startIndex !== start || node.endIndex !== start + length) return undefined;
    return node.type === 'identifier' ? node : undefined;
  }

  private budget(): boolean {
    if (++this.work > MAX_OCCURRENCES) this.truncated = true;
    return !this.truncated;
  }

  private occurrencesOf(name: string): Array<[number, number]> {
    const out: Array<[number, number]> = (this.seeds.get(name) ?? wordOccurrences(this.text, name)).map(
      (offset) => [offset, name.length],
    );
    for (const pair of this.normalized.get(name) ?? []) out.push(pair);
    return out;
  }

  private previousChar(offset: number): string {
    let i = offset - 1;
    while (i >= 0 && (this.text[i] === ' ' || this.text[i] === '\t')) i--;
    return i >= 0 ? this.text[i] : '';
  }

  /** The attribute read right after an occurrence (`X.attr`), if the text says so. */
  private memberAfter(end: number): string | undefined {
    MEMBER_AFTER.lastIndex = end;
    return MEMBER_AFTER.exec(this.text)?.[1];
  }

  /**
   * Whether an occurrence can be a binding, judged from the text around it: an attribute name (`.x`) or
   * a name followed by `.`, `(` or `[` never is, except the name of a def or class.
   */
  private maybeBinding(offset: number, length: number): boolean {
    if (this.previousChar(offset) === '.') return false;
    NEXT_CHAR.lastIndex = offset + length;
    const next = NEXT_CHAR.exec(this.text)?.[1];
    if (next !== '.' && next !== '(' && next !== '[') return true;
    return /(?:^|\W)(?:def|class)\s+$/.test(this.text.slice(Math.max(0, offset - 12), offset));
  }

  /**
   * Classifies the occurrences of `name`. In `bindings` mode (a name resolved on demand, for a constant)
   * only those that can be bindings are looked at; `full` mode (a name that can reach a sink) also queues
   * its uses, skipping `X.attr` reads that cannot lead anywhere whatever X is bound to.
   */
  scanName(name: string, mode: 'full' | 'bindings' = 'full'): void {
    const state = this.scanState.get(name);
    if (state === 'full' || state === mode) return;
    this.scanState.set(name, mode);
    const deferred: Array<[number, number, string]> = [];
    for (const [offset, length] of this.occurrencesOf(name)) {
      if (!this.budget()) return;
      const binding = this.maybeBinding(offset, length);
      if (binding && state === 'bindings') continue; // classified by the first pass
      const focused = this.inFocus(offset);
      if (!binding) {
        if (mode === 'bindings' || !focused) continue;
        if (this.previousChar(offset) === '.') {
          if (name in REEXPORTED_MODULES || name === '__getattribute__') {
            this.reexportAt(offset, length);
            continue;
          }
          if (!ESCAPE_ATTRIBUTES.has(name)) continue;
        } else {
          const attribute = this.memberAfter(offset + length);
          if (attribute) {
            deferred.push([offset, length, attribute]);
            continue;
          }
        }
      }
      const node = this.identifierAt(offset, length);
      if (node) this.classify(node, name, mode === 'full' && focused, focused);
      else if (mode === 'full' && focused && ESCAPE_ATTRIBUTES.has(name)) this.escapeNameAt(offset, length);
    }
    if (mode === 'full') {
      for (const use of this.pendingUses.get(name) ?? []) this.uses.push([use, name]);
      this.pendingUses.delete(name);
    }
    if (deferred.length === 0) return;
    const possible = this.possibleValues(name);
    for (const [offset, length, attribute] of deferred) {
      if (!possible.some((value) => leadsSomewhere(value, attribute)) && !this.attributeFlows.has(attribute))
        continue;
      const node = this.identifierAt(offset, length);
      if (node) this.classify(node, name, true);
    }
  }

  /** Every value any binding of `name` can have, whatever the scope: a superset of what a use resolves to. */
  private possibleValues(name: string): Value[] {
    const values: Value[] = [...this.unboundValue(name)];
    for (const binding of this.bindings.get(name) ?? []) values.push(...this.bindingValue(binding));
    return dedupe(values);
  }

  private classify(node: Node, name: string, queueUses = true, focused = true): void {
    const parent = this.tree.parent(node);
    if (!parent) return;
    switch (parent.type) {
      case 'attribute':
        if (parent.endIndex === node.endIndex && parent.startIndex !== node.startIndex) {
          this.attributeName(node, name);
          return;
        }
        break;
      case 'keyword_argument':
        if (same(parent.childForFieldName('name'), node)) return;
        break;
      case 'function_definition':
        if (same(parent.childForFieldName('name'), node)) {
          // A decorator may replace the function: then calling it can give anything.
          const decorated = this.tree.parent(parent)?.type === 'decorated_definition';
          const fn: Value = { k: 'fn', node: parent };
          this.bind(name, parent, {
            kind: 'value',
            value: decorated ? [fn, OPAQUE] : [fn],
            pos: parent.endIndex,
            isFunction: true,
          });
          return;
        }
        break;
      case 'class_definition':
        if (same(parent.childForFieldName('name'), node)) {
          this.bind(name, parent, { kind: 'opaque', pos: parent.endIndex });
          return;
        }
        break;
      case 'parameters':
      case 'lambda_parameters':
        this.bind(name, node, { kind: 'param', pos: -1, site: node });
        return;
      case 'default_parameter':
      case 'typed_default_parameter':
        if (same(parent.childForFieldName('name'), node)) {
          // `def f(os=os)`: the parameter most likely holds its default.
          this.bind(name, node, {
            kind: 'default',
            valueNode: parent.childForFieldName('value'),
            pos: -1,
            site: node,
          });
          return;
        }
        break;
      case 'typed_parameter':
        if (same(parent.firstNamedChild, node)) {
          this.bind(name, node, { kind: 'param', pos: -1, site: node });
          return;
        }
        break;
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern': {
        const grand = this.tree.parent(parent)?.type;
        if (grand === 'parameters' || grand === 'lambda_parameters') {
          this.bind(name, node, { kind: 'opaque', pos: -1 });
          return;
        }
        break;
      }
      case 'global_statement':
        this.declare(this.globalDecls, name, parent);
        return;
      case 'nonlocal_statement':
        this.declare(this.nonlocalDecls, name, parent);
        return;
      case 'dotted_name': {
        const grand = this.tree.parent(parent);
        if (grand?.type === 'case_pattern') {
          if (parent.namedChildCount === 1) this.bind(name, node, { kind: 'opaque', pos: node.endIndex });
          return;
        }
        if (grand && this.isImportPart(grand)) return;
        break;
      }
      case 'aliased_import':
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
      case 'relative_import':
        return;
      case 'as_pattern_target':
      case 'splat_pattern':
      case 'case_pattern':
      case 'as_pattern':
        if (parent.type === 'as_pattern' && !same(parent.childForFieldName('alias'), node)) break;
        this.bind(name, node, { kind: 'opaque', pos: node.endIndex });
        return;
      case 'keyword_pattern':
        if (same(parent.firstNamedChild, node)) return;
        this.bind(name, node, { kind: 'opaque', pos: node.endIndex });
        return;
      case 'named_expression':
        if (same(parent.childForFieldName('name'), node)) {
          this.bind(name, node, {
            kind: 'assign',
            valueNode: parent.childForFieldName('value'),
            pos: parent.endIndex,
            walrus: true,
          });
          return;
        }
        break;
      case 'delete_statement':
        return;
      default:
        break;
    }
    if (this.classifyTarget(node, name)) return;
    if (name === '__builtins__')
      this.report('sandbox-escape', node, `__builtins__ ${ESCAPE_MESSAGES.__builtins__}`);
    if (queueUses) {
      this.uses.push([node, name]);
      let known = this.usesByName.get(name);
      if (!known) this.usesByName.set(name, (known = []));
      known.push(node);
    } else if (focused) {
      let pending = this.pendingUses.get(name);
      if (!pending) this.pendingUses.set(name, (pending = []));
      pending.push(node);
    }
  }

  private isImportPart(node: Node): boolean {
    const type = node.type;
    return (
      type === 'import_statement' ||
      type === 'import_from_statement' ||
      type === 'aliased_import' ||
      type === 'relative_import' ||
      type === 'future_import_statement'
    );
  }

  /** Assignment, for-loop and comprehension targets, possibly inside tuples and lists. */
  private classifyTarget(node: Node, name: string): boolean {
    let child = node;
    let ancestor = this.tree.parent(node);
    let levels = 0;
    let index = -1;
    let arity = 0;
    while (ancestor && TARGET_CONTAINERS.has(ancestor.type)) {
      if (levels === 0) {
        const items = ancestor.namedChildren;
        index = items.findIndex((item) => item?.id === child.id);
        arity = items.length;
      }
      levels++;
      child = ancestor;
      ancestor = this.tree.parent(ancestor);
    }
    if (!ancestor) return false;
    switch (ancestor.type) {
      case 'assignment': {
        if (!same(ancestor.childForFieldName('left'), child)) return false;
        const valueNode = ancestor.childForFieldName('right');
        if (levels === 0) this.bind(name, node, { kind: 'assign', valueNode, pos: ancestor.endIndex });
        else if (levels === 1 && index >= 0 && child.type !== 'parenthesized_expression')
          this.bind(name, node, { kind: 'unpack', valueNode, index, arity, pos: ancestor.endIndex });
        else this.bind(name, node, { kind: 'opaque', pos: ancestor.endIndex });
        return true;
      }
      case 'augmented_assignment': {
        if (!same(ancestor.childForFieldName('left'), child)) return false;
        const op = ancestor.childForFieldName('operator');
        if (levels === 0 && op)
          this.bind(name, node, {
            kind: 'augment',
            valueNode: ancestor.childForFieldName('right'),
            op: this.nodeText(op).slice(0, -1),
            site: node,
            pos: ancestor.endIndex,
          });
        else this.bind(name, node, { kind: 'opaque', pos: ancestor.endIndex });
        return true;
      }
      case 'for_statement':
      case 'for_in_clause':
        if (!same(ancestor.childForFieldName('left'), child)) return false;
        if (levels === 0)
          this.bind(name, node, {
            kind: 'iterate',
            valueNode: ancestor.childForFieldName('right'),
            pos: child.endIndex,
          });
        else this.bind(name, node, { kind: 'opaque', pos: child.endIndex });
        return true;
      default:
        return false;
    }
  }

  private declare(table: Map<string, Set<number>>, name: string, statement: Node): void {
    const scope = this.contextOf(statement).scopes[0];
    let set = table.get(name);
    if (!set) table.set(name, (set = new Set()));
    set.add(scope.key);
  }

  private bind(
    name: string,
    site: Node,
    options: {
      kind: Binding['kind'];
      pos: number;
      value?: Value[];
      valueNode?: Node | null;
      index?: number;
      arity?: number;
      walrus?: boolean;
      isFunction?: boolean;
      site?: Node;
      op?: string;
      /** Adds to what the name held rather than replacing it (a container that gains an item). */
      conditional?: boolean;
    },
  ): void {
    const context = this.contextOf(site);
    let chain = context.scopes;
    if (options.walrus) chain = chain.slice(chain.findIndex((scope) => scope.kind !== 'comprehension'));
    const binding: Binding = {
      name,
      chain,
      pos: options.pos,
      conditional: context.conditional || options.conditional === true,
      kind: options.kind,
      value: options.value,
      valueNode: options.valueNode,
      index: options.index,
      arity: options.arity,
      isFunction: options.isFunction,
      site: options.site,
      op: options.op,
    };
    let list = this.bindings.get(name);
    if (!list) this.bindings.set(name, (list = []));
    list.push(binding);
  }

  private attributeName(node: Node, name: string): void {
    if (!ESCAPE_ATTRIBUTES.has(name)) return;
    const why = ESCAPE_MESSAGES[name] ?? 'reaches interpreter frames, the classic way out of a sandbox';
    this.report('sandbox-escape', node, `.${name} ${why}`);
  }

  // ---------------------------------------------------------------------------------------------
  // Scopes

  /**
   * Scope chain and block context of a node. The climb stops at the nearest `block`, whose own context is
   * cached, so each block is climbed through once per tree (and without recursion, however deep).
   */
  contextOf(node: Node): Context {
    const cached = this.contextCache.get(node.id);
    if (cached) return cached;
    const own = this.climbSegment(node);
    const chain: Array<[Node, Segment]> = [];
    let block = own.block;
    while (block && !this.contextCache.has(block.id)) {
      const segment = this.climbSegment(block);
      chain.push([block, segment]);
      block = segment.block;
    }
    let base: Context = block ? this.contextCache.get(block.id)! : MODULE_CONTEXT;
    for (let i = chain.length - 1; i >= 0; i--) {
      base = mergeContext(chain[i][1], base);
      this.contextCache.set(chain[i][0].id, base);
    }
    const context = mergeContext(own, base);
    this.contextCache.set(node.id, context);
    return context;
  }

  /** Climbs from a node to the nearest enclosing `block` (or the module), noting scopes and conditions passed. */
  private climbSegment(node: Node): Segment {
    const segment: Segment = {
      scopes: [],
      conditional: false,
      inLoop: false,
      sawFunction: false,
      block: null,
    };
    let outerParameter = false;
    let fromComprehensionIterable = false;
    let previous = node;
    let current = this.tree.parent(node);
    for (let steps = 0; current && steps < MAX_CLIMB; steps++) {
      const type = current.type;
      if (type === 'module') return segment;
      if (type === 'block') {
        segment.block = current;
        return segment;
      }
      switch (type) {
        case 'function_definition':
        case 'lambda': {
          const body = current.childForFieldName('body');
          const params = current.childForFieldName('parameters');
          if (same(body, previous) || (same(params, previous) && !outerParameter)) {
            segment.scopes.push({ key: current.id, kind: type === 'lambda' ? 'lambda' : 'function' });
            segment.sawFunction = true;
          }
          outerParameter = false;
          break;
        }
        case 'class_definition':
          if (same(current.childForFieldName('body'), previous))
            segment.scopes.push({ key: current.id, kind: 'class' });
          break;
        case 'default_parameter':
        case 'typed_default_parameter':
          if (same(current.childForFieldName('value'), previous)) outerParameter = true;
          break;
        case 'typed_parameter':
        case 'type':
          outerParameter = true;
          break;
        case 'for_in_clause': {
          const right = current.childForFieldName('right');
          fromComprehensionIterable = !!right && previous.startIndex >= right.startIndex;
          break;
        }
        case 'for_statement':
        case 'while_statement':
          if (!segment.sawFunction && same(current.childForFieldName('body'), previous))
            segment.inLoop = true;
          break;
        default:
          if (COMPREHENSIONS.has(type)) {
            const first = previous.type === 'for_in_clause' && this.isFirstForIn(current, previous);
            if (!(first && fromComprehensionIterable)) {
              segment.scopes.push({ key: current.id, kind: 'comprehension' });
              if (!segment.sawFunction) segment.inLoop = true;
            }
            fromComprehensionIterable = false;
          }
      }
      if (segment.scopes.length === 0 && CONDITIONAL_PARENTS.has(type)) segment.conditional = true;
      previous = current;
      current = this.tree.parent(current);
    }
    return segment;
  }

  private isFirstForIn(comprehension: Node, clause: Node): boolean {
    for (const child of comprehension.namedChildren) {
      if (child?.type === 'for_in_clause') return child.id === clause.id;
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Resolution

  private bindingsOf(name: string): Binding[] {
    this.scanName(name, 'bindings');
    return this.bindings.get(name) ?? [];
  }

  private effectiveScope(binding: Binding): number {
    const own = binding.chain[0];
    if (this.globalDecls.get(binding.name)?.has(own.key)) return 0;
    if (this.nonlocalDecls.get(binding.name)?.has(own.key)) {
      const outer = binding.chain
        .slice(1)
        .find((scope) => scope.kind === 'function' || scope.kind === 'lambda');
      return outer ? outer.key : 0;
    }
    return own.key;
  }

  /** The values a name may have at a use, following Python's scoping rules. */
  resolveUse(node: Node, name: string): Value[] {
    const overlaid = this.overlay.get(name);
    if (overlaid) return overlaid;
    const context = this.contextOf(node);
    const byScope = this.bindingsByScope(name);
    const globals = this.globalDecls.get(name);
    const values: Value[] = [];
    for (let i = 0; i < context.scopes.length; i++) {
      let scope = context.scopes[i];
      if (i > 0 && scope.kind === 'class') continue;
      if (scope.key !== 0 && globals?.has(scope.key)) {
        i = context.scopes.length - 1;
        scope = context.scopes[i];
      }
      const here = byScope.get(scope.key);
      if (!here) continue;
      let chosen: Binding[];
      let definite: boolean;
      if (i === 0 || (scope.key === 0 && context.scopes.length === 1)) {
        // The latest binding before the use, and earlier ones while those are conditional.
        chosen = [];
        definite = false;
        for (let j = lastAtOrBefore(here, node.startIndex); j >= 0; j--) {
          chosen.push(here[j]);
          if (!here[j].conditional) {
            definite = true;
            break;
          }
        }
        if (chosen.length === 0) {
          chosen = here;
          definite = here.some((b) => !b.conditional);
        }
      } else {
        chosen = here;
        definite = here.some((b) => !b.conditional);
      }
      for (const binding of chosen.length > 64 ? chosen.slice(-64) : chosen)
        values.push(...this.bindingValue(binding));
      // Module and class scopes fall back to builtins at run time when the binding did not happen.
      if (definite || scope.kind === 'function' || scope.kind === 'lambda') return dedupe(values);
    }
    values.push(...this.unboundValue(name));
    return dedupe(values);
  }

  /** The bindings of a name grouped by the scope they bind in, each group sorted by position. */
  private bindingsByScope(name: string): Map<number, Binding[]> {
    const all = this.bindingsOf(name);
    const version = `${all.length}:${this.globalDecls.get(name)?.size ?? 0}:${this.nonlocalDecls.get(name)?.size ?? 0}`;
    const cached = this.scopeIndex.get(name);
    if (cached && cached.version === version) return cached.byScope;
    const byScope = new Map<number, Binding[]>();
    for (const binding of all) {
      const key = this.effectiveScope(binding);
      const list = byScope.get(key);
      if (list) list.push(binding);
      else byScope.set(key, [binding]);
    }
    for (const list of byScope.values()) list.sort((a, b) => a.pos - b.pos);
    this.scopeIndex.set(name, { version, byScope });
    return byScope;
  }

  /** A name with no binding: a builtin, `__builtins__`, or a known module used without its import (notebooks). */
  private unboundValue(name: string): Value[] {
    if (name === '__builtins__') return [{ k: 'ns', q: 'builtins' }];
    if (BUILTIN_NAMES.has(name)) return [{ k: 'q', q: `builtins.${name}` }];
    if (UNBOUND_MODULES.has(name)) return [{ k: 'q', q: canonical(name) }];
    return [];
  }

  /** `globals()[name]`: the module-level binding of a name, or the builtins namespace entry. */
  private resolveGlobal(name: string): Value[] {
    const here = this.bindingsOf(name).filter((b) => this.effectiveScope(b) === 0);
    if (here.length === 0) return this.unboundValue(name);
    return dedupe(here.flatMap((binding) => this.bindingValue(binding)));
  }

  private bindingValue(binding: Binding): Value[] {
    if (binding.value && (binding.kind === 'value' || binding.generation === this.generation))
      return binding.value;
    const passed = binding.site ? (this.parameterFlows.get(binding.site.id) ?? []) : [];
    if (binding.kind === 'param') return [OPAQUE, ...passed];
    if (binding.kind === 'opaque' || !binding.valueNode) return [OPAQUE];
    if (binding.evaluating) return [OPAQUE];
    binding.evaluating = true;
    let values: Value[];
    try {
      if (binding.kind === 'assign') values = this.evalExpr(binding.valueNode);
      else if (binding.kind === 'default') values = [...this.evalExpr(binding.valueNode), OPAQUE, ...passed];
      else if (binding.kind === 'iterate') values = this.iterationValues(this.evalExpr(binding.valueNode));
      else if (binding.kind === 'augment') {
        const before = binding.site ? this.resolveUse(binding.site, binding.name) : [OPAQUE];
        values = evalBinary(binding.op ?? '', before, this.evalExpr(binding.valueNode));
      } else {
        const items = this.sequenceItems(binding.valueNode);
        values =
          items && items.length === binding.arity && binding.index !== undefined
            ? this.evalExpr(items[binding.index])
            : [OPAQUE];
      }
    } finally {
      binding.evaluating = false;
    }
    if (this.overlay.size === 0) {
      binding.value = values;
      binding.generation = this.generation;
    }
    return values;
  }

  /** What a for loop over these values binds: any item of a constant sequence, the keys of a dict. */
  private iterationValues(values: readonly Value[]): Value[] {
    const out: Value[] = [];
    for (const value of values) {
      if (value.k === 'seq') for (const item of value.items) out.push(...item);
      else if (value.k === 'dict') for (const key of value.keys) out.push({ k: 'str', v: key });
      else out.push(OPAQUE);
    }
    return dedupe(out);
  }

  private sequenceItems(node: Node): Node[] | undefined {
    if (
      node.type === 'expression_list' ||
      node.type === 'tuple' ||
      node.type === 'list' ||
      node.type === 'pattern_list'
    )
      return node.namedChildren.filter((child): child is Node => !!child && child.type !== 'comment');
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Evaluation (no findings are reported here)

  evalExpr(node: Node | null | undefined): Value[] {
    if (!node) return [OPAQUE];
    // Values overridden for one evaluation (a parameter bound to an argument) must not be remembered.
    return this.memo.evaluate(node, this.overlay.size === 0);
  }

  private evalNode(node: Node): Value[] {
    switch (node.type) {
      case 'identifier':
        return this.resolveUse(node, this.identName(node));
      case 'attribute': {
        const object = node.childForFieldName('object');
        const attribute = node.childForFieldName('attribute');
        if (!object || !attribute) return [OPAQUE];
        return this.memberValues(this.evalExpr(object), this.identName(attribute));
      }
      case 'call':
        return this.evalCall(node);
      case 'subscript':
        return this.subscriptValues(this.evalExpr(node.childForFieldName('value')), node);
      case 'parenthesized_expression':
        return this.evalExpr(node.firstNamedChild);
      case 'string':
        return this.stringValue(node);
      case 'concatenated_string': {
        let out = '';
        let bytes = false;
        for (const part of node.namedChildren) {
          const value = part ? this.stringValue(part) : [];
          if (value.length !== 1 || (value[0].k !== 'str' && value[0].k !== 'bytes')) return [OPAQUE];
          out += value[0].v;
          bytes = value[0].k === 'bytes';
        }
        return [{ k: bytes ? 'bytes' : 'str', v: out }];
      }
      case 'integer':
      case 'float': {
        const value = parseInteger(this.nodeText(node));
        return value === undefined ? [OPAQUE] : [{ k: 'num', v: value }];
      }
      case 'true':
        return [{ k: 'num', v: 1n }];
      case 'false':
        return [{ k: 'num', v: 0n }];
      case 'none':
        return [{ k: 'none' }];
      case 'not_operator': {
        const inner = this.evalExpr(node.childForFieldName('argument'));
        const t = inner.length === 1 ? truthy(inner[0]) : undefined;
        return t === undefined ? [OPAQUE] : [{ k: 'num', v: t ? 0n : 1n }];
      }
      case 'unary_operator': {
        const inner = this.evalExpr(node.childForFieldName('argument'));
        const op = node.childForFieldName('operator');
        if (inner.length === 1 && inner[0].k === 'num' && !inner[0].huge && op) {
          const symbol = this.nodeText(op);
          if (symbol === '-') return [{ k: 'num', v: -inner[0].v }];
          if (symbol === '+') return inner;
        }
        return [OPAQUE];
      }
      case 'binary_operator': {
        const op = node.childForFieldName('operator');
        if (!op) return [OPAQUE];
        const left = this.evalExpr(node.childForFieldName('left'));
        const right = this.evalExpr(node.childForFieldName('right'));
        const symbol = this.nodeText(op);
        if (symbol === '/' && left.some((v) => v.k === 'inst' && v.q === 'pathlib.Path')) {
          const base = left.find((v) => v.k === 'inst')?.path;
          const tail = constString(right);
          return [
            { k: 'inst', q: 'pathlib.Path', path: tail !== undefined ? joinPath(base, tail) : undefined },
          ];
        }
        return evalBinary(symbol, left, right);
      }
      case 'tuple':
      case 'list':
      case 'expression_list':
      case 'set': {
        const items = node.namedChildren.filter(
          (child): child is Node => !!child && child.type !== 'comment',
        );
        if (items.length > 1000) return [OPAQUE];
        return [{ k: 'seq', items: items.map((item) => this.evalExpr(item)) }];
      }
      case 'conditional_expression': {
        const [whenTrue, , whenFalse] = node.namedChildren;
        return [...this.evalExpr(whenTrue), ...this.evalExpr(whenFalse)];
      }
      case 'boolean_operator':
        return [
          ...this.evalExpr(node.childForFieldName('left')),
          ...this.evalExpr(node.childForFieldName('right')),
        ];
      case 'assignment':
        return this.evalExpr(node.childForFieldName('right'));
      case 'named_expression':
        return this.evalExpr(node.childForFieldName('value'));
      case 'list_comprehension':
      case 'generator_expression':
        return this.evalComprehension(node);
      case 'dictionary':
        return [this.evalDictionary(node)];
      case 'lambda':
        return [{ k: 'fn', node }];
      default:
        return [OPAQUE];
    }
  }

  /** A dict display with constant string keys (any other key makes it opaque). */
  private evalDictionary(node: Node): Value {
    const keys: string[] = [];
    const items: Value[][] = [];
    for (const pair of node.namedChildren) {
      if (!pair || pair.type === 'comment') continue;
      if (pair.type !== 'pair' || keys.length >= 1000) return OPAQUE;
      const key = constString(this.evalExpr(pair.childForFieldName('key')));
      if (key === undefined) return OPAQUE;
      keys.push(key);
      items.push(this.evalExpr(pair.childForFieldName('value')));
    }
    return { k: 'dict', keys, items };
  }

  private stringValue(node: Node): Value[] {
    if (node.type !== 'string') return this.evalExpr(node);
    return stringLiteralValue(node, this.text, (expression) => this.evalExpr(expression));
  }

  /** `[f(x) for x in <constant sequence>]` with a single clause, so that `"".join(chr(c) for c in [...])` folds. */
  private evalComprehension(node: Node): Value[] {
    const children = node.namedChildren;
    if (children.length !== 2 || children[1]?.type !== 'for_in_clause') return [OPAQUE];
    const body = children[0];
    const clause = children[1];
    const left = clause.childForFieldName('left');
    if (!body || !left || left.type !== 'identifier') return [OPAQUE];
    const iterable = this.evalExpr(clause.childForFieldName('right'));
    if (iterable.length !== 1) return [OPAQUE];
    const elements = iterationOf(iterable[0]);
    if (!elements || elements.length > 1000) return [OPAQUE];
    const name = this.identName(left);
    const items: Value[][] = [];
    for (const element of elements) {
      this.overlay.set(name, element);
      try {
        items.push(this.evalExpr(body));
      } finally {
        this.overlay.delete(name);
      }
    }
    return [{ k: 'seq', items }];
  }

  private memberValues(values: readonly Value[], name: string): Value[] {
    const out: Value[] = [];
    for (const value of values) {
      const next = member(value, name);
      if (next) out.push(next);
      else out.push(OPAQUE);
    }
    return dedupe(out);
  }

  argumentsOf(call: Node): CallArguments {
    const list = call.childForFieldName('arguments');
    const positional: Node[] = [];
    const keywords = new Map<string, Node>();
    let splat = false;
    if (list?.type === 'generator_expression') positional.push(list);
    else if (list) {
      for (const child of list.namedChildren) {
        if (!child || child.type === 'comment') continue;
        if (child.type === 'keyword_argument') {
          const name = child.childForFieldName('name');
          const value = child.childForFieldName('value');
          if (name && value) keywords.set(this.identName(name), value);
        } else if (child.type === 'list_splat' || child.type === 'dictionary_splat') splat = true;
        else positional.push(child);
      }
    }
    return { positional, keywords, splat };
  }

  private evalCall(call: Node): Value[] {
    const fn = call.childForFieldName('function');
    if (!fn) return [OPAQUE];
    if (fn.type === 'attribute') {
      const object = fn.childForFieldName('object');
      const attribute = fn.childForFieldName('attribute');
      if (object && attribute) {
        const receiver = this.evalExpr(object);
        if (receiver.length === 1 && ['str', 'bytes', 'seq'].includes(receiver[0].k)) {
          const args = this.argumentsOf(call);
          return evalConstCall(
            `.${this.identName(attribute)}`,
            receiver[0],
            args.positional.map((a) => this.evalExpr(a)),
          );
        }
        return this.callResult(this.memberValues(receiver, this.identName(attribute)), call);
      }
    }
    return this.callResult(this.evalExpr(fn), call);
  }

  /** What calling one of `callees` with the arguments of `call` returns. */
  callResult(callees: readonly Value[], call: Node): Value[] {
    const out: Value[] = [];
    let args: CallArguments | undefined;
    const argValues = (i: number, keyword?: string): Value[] => {
      args ??= this.argumentsOf(call);
      const node = args.positional[i] ?? (keyword ? args.keywords.get(keyword) : undefined);
      return node ? this.evalExpr(node) : [];
    };
    for (const callee of callees) {
      if (callee.k === 'nsget') {
        out.push(...this.namespaceLookup(callee.q, constStrings(argValues(0)), call));
        continue;
      }
      if (callee.k === 'fn') {
        out.push(...this.returnValues(callee.node));
        continue;
      }
      if (callee.k === 'getter') {
        out.push(...(callee.method ? [OPAQUE] : this.getterResult(callee, argValues(0))));
        continue;
      }
      if (callee.k !== 'q') {
        out.push(OPAQUE);
        continue;
      }
      const q = callee.q;
      const kind = propagatorFor(q)?.kind;
      switch (kind) {
        case 'import-top': {
          args ??= this.argumentsOf(call);
          const names = constStrings(argValues(0, 'name'));
          const fromlist = args.positional.length >= 4 || args.keywords.has('fromlist');
          if (!names) out.push({ k: 'dynmod' });
          else
            for (const name of names) out.push({ k: 'q', q: canonical(fromlist ? name : topModule(name)) });
          continue;
        }
        case 'import-named': {
          const names = constStrings(argValues(0, 'name'));
          if (!names) out.push({ k: 'dynmod' });
          else
            for (const name of names)
              out.push(name.startsWith('.') ? OPAQUE : { k: 'q', q: canonical(name) });
          continue;
        }
        case 'same-as-argument':
          out.push(...argValues(0));
          continue;
        case 'resolve-name': {
          const names = constStrings(argValues(0, 'name'));
          if (!names) out.push({ k: 'dynmod' });
          else for (const name of names) out.push({ k: 'q', q: canonical(name.replace(':', '.')) });
          continue;
        }
        case 'attribute-getter':
        case 'method-caller': {
          args ??= this.argumentsOf(call);
          const method = kind === 'method-caller';
          const names = (method ? args.positional.slice(0, 1) : args.positional).map((a) =>
            constStrings(this.evalExpr(a)),
          );
          out.push({
            k: 'getter',
            method,
            names: names.length > 0 && names.every((n) => n) ? (names.flat() as string[]) : undefined,
          });
          continue;
        }
        case 'getattr': {
          const names = constStrings(argValues(1, 'name'));
          if (!names) {
            out.push(OPAQUE);
            continue;
          }
          for (const name of names) out.push(...this.memberValues(argValues(0), name));
          continue;
        }
        case 'namespace-of': {
          args ??= this.argumentsOf(call);
          if (args.positional.length === 0) out.push({ k: 'ns', q: GLOBALS });
          for (const value of args.positional.length ? argValues(0) : []) {
            out.push(value.k === 'q' ? { k: 'ns', q: value.q } : value.k === 'ns' ? value : OPAQUE);
          }
          continue;
        }
        case 'module-namespace':
          out.push({ k: 'ns', q: GLOBALS });
          continue;
        case 'type-of': {
          args ??= this.argumentsOf(call);
          if (args.positional.length === 1)
            out.push({ k: 'typeof', code: this.isCodeLike(args.positional[0]) });
          else out.push(OPAQUE);
          continue;
        }
        case 'path-method': {
          args ??= this.argumentsOf(call);
          const parts =
            q === 'pathlib.Path.joinpath' ? args.positional.map((a) => constString(this.evalExpr(a))) : [];
          const path = parts.every((p) => p !== undefined)
            ? joinPath(callee.path, ...(parts as string[]))
            : undefined;
          out.push({
            k: 'inst',
            q: 'pathlib.Path',
            path: q === 'pathlib.Path.joinpath' || q === 'pathlib.Path.with_name' ? path : callee.path,
          });
          continue;
        }
        case undefined:
          break;
        default:
          kind satisfies never;
      }
      if (q.endsWith('.__getattribute__')) {
        // `os.__getattribute__("system")`: getattr on the module.
        const names = constStrings(argValues(0, 'name'));
        const base: Value = { k: 'q', q: q.slice(0, -'.__getattribute__'.length) };
        if (!names) out.push(OPAQUE);
        else for (const name of names) out.push(...this.memberValues([base], name));
        continue;
      }
      const instance = INSTANCE_CLASSES[q];
      if (instance) {
        const path = instance === 'pathlib.Path' ? constString(argValues(0)) : undefined;
        out.push({ k: 'inst', q: instance, path: path ?? (q.endsWith('.home') ? '~' : undefined) });
        continue;
      }
      args ??= this.argumentsOf(call);
      out.push(
        ...evalConstCall(
          q,
          undefined,
          args.positional.map((a) => this.evalExpr(a)),
        ),
      );
    }
    return dedupe(out);
  }

  /** Whether `type(<node>)` is the type of a function or code object (calling it builds code). */
  private isCodeLike(node: Node): boolean {
    if (node.type === 'lambda') return true;
    const text = this.nodeText(node);
    if (/(__code__|func_code|gi_code|f_code)\s*$/.test(text)) return true;
    if (node.type === 'identifier') {
      const bindings = this.bindingsOf(this.identName(node));
      return bindings.some((b) => b.isFunction === true);
    }
    return false;
  }

  subscriptValues(values: readonly Value[], node: Node): Value[] {
    const keyNode = node.childForFieldName('subscript');
    const keys = keyNode ? this.evalExpr(keyNode) : [];
    const out: Value[] = [];
    for (const value of values) {
      if (value.k === 'ns') out.push(...this.namespaceLookup(value.q, constStrings(keys), node));
      else if (value.k === 'q' && value.q === 'sys.modules') {
        const names = constStrings(keys);
        if (names) for (const name of names) out.push({ k: 'q', q: canonical(name) });
        else out.push({ k: 'dynmod' });
      } else if (value.k === 'dict') {
        out.push(...dictItems(value, constStrings(keys)));
      } else if (keyNode && (value.k === 'str' || value.k === 'bytes' || value.k === 'seq')) {
        out.push(...evalConstSubscript(value, keyNode, this.text, (n) => this.evalExpr(n)));
      } else out.push(OPAQUE);
    }
    return dedupe(out);
  }

  private namespaceLookup(namespace: string, keys: string[] | undefined, _site: Node): Value[] {
    if (!keys) return [OPAQUE];
    const out: Value[] = [];
    for (const key of keys) {
      if (namespace === 'sys.modules') out.push({ k: 'q', q: canonical(key) });
      else if (namespace === GLOBALS) out.push(...this.resolveGlobal(key));
      else out.push({ k: 'q', q: canonical(`${namespace}.${key}`) });
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Following values forward from a use, reporting what they reach

  private forward(start: Node, name: string): void {
    const values = this.resolveUse(start, name);
    if (this.tracer) traceUse(this.tracer, this.text, start, name, values, values.some(this.tracked));
    this.forwardFrom(start, values);
  }

  /** Whether a value can lead to a finding: a tracked value, or a function of the file returning one. */
  private tracked = (value: Value): boolean => {
    if (value.k !== 'fn') return isTracked(value);
    // A function returning a function returning a module: followed a few levels deep.
    if (this.trackingFunctions.has(value.node.id) || this.trackingFunctions.size > 3) return false;
    this.trackingFunctions.add(value.node.id);
    try {
      return this.returnValues(value.node).some(this.tracked);
    } finally {
      this.trackingFunctions.delete(value.node.id);
    }
  };
  private readonly trackingFunctions = new Set<number>();

  private forwardFrom(start: Node, initial: Value[]): void {
    let values = initial;
    if (!values.some(this.tracked)) return;
    let node = start;
    for (let step = 0; step < 32; step++) {
      const parent = this.tree.parent(node);
      if (!parent) return;
      const relation = this.relation(node, parent);
      if (relation !== 'paren' && relation !== 'alias' && relation !== 'flow')
        this.checkSinks(values, node, parent, relation);
      switch (relation) {
        case 'call':
          this.checkCallExtras(values, parent);
          values = this.callResult(values, parent);
          break;
        case 'attr': {
          const attribute = parent.childForFieldName('attribute');
          if (!attribute) return;
          const name = this.identName(attribute);
          const call = this.tree.parent(parent);
          if (
            call?.type === 'call' &&
            same(call.childForFieldName('function'), parent) &&
            values.some((v) => v.k === 'dict') &&
            KEY_GETTERS.has(name)
          ) {
            // `mods.get("o")`: the item, as the subscript would give it.
            values = this.containerMethod(values, name, call);
            node = call;
            if (!values.some(this.tracked)) return;
            continue;
          }
          values = this.memberValues(values, name);
          break;
        }
        case 'subscript':
          this.checkSubscript(values, parent);
          values = this.subscriptValues(values, parent);
          break;
        case 'paren':
          break;
        case 'flow':
          values = parent.type === 'binary_operator' ? this.evalExpr(parent) : values;
          break;
        case 'alias':
          this.followAlias(node, parent);
          return;
        default: {
          const next = this.flowOut(node, parent, values);
          if (!next) return;
          [node, values] = next;
          if (!values.some(this.tracked)) return;
          continue;
        }
      }
      node = parent;
      if (!values.some(this.tracked)) return;
    }
  }

  /**
   * Where a tracked value goes when it is not called, read or aliased: into a container display, a
   * for loop, a call's argument (a parameter of a function of the file), a return, an attribute store.
   * Gives the expression to follow on from with its values, if any.
   */
  private flowOut(node: Node, parent: Node, values: Value[]): [Node, Value[]] | undefined {
    switch (parent.type) {
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
        return [parent, this.evalExpr(parent)];
      case 'pair': {
        const dict = this.tree.parent(parent);
        if (!dict || !same(parent.childForFieldName('value'), node)) return undefined;
        return [dict, this.evalExpr(dict)];
      }
      case 'lambda':
        return same(parent.childForFieldName('body'), node)
          ? [parent, [{ k: 'fn', node: parent }]]
          : undefined;
      case 'return_statement': {
        const fn = this.enclosingFunction(parent);
        const name = fn?.childForFieldName('name');
        if (fn && name && this.once(`return:${fn.id}`)) {
          this.crossUnit = true;
          this.follow(this.identName(name));
        }
        return undefined;
      }
      case 'for_statement': {
        const target = parent.childForFieldName('left');
        if (!same(parent.childForFieldName('right'), node) || target?.type !== 'identifier') return undefined;
        if (this.once(`iterate:${target.id}`)) this.follow(this.identName(target));
        return undefined;
      }
      case 'argument_list':
        this.passArgument(parent, node, undefined, values);
        return undefined;
      case 'keyword_argument': {
        const list = this.tree.parent(parent);
        const keyword = parent.childForFieldName('name');
        if (list?.type !== 'argument_list' || !keyword || !same(parent.childForFieldName('value'), node))
          return undefined;
        this.passArgument(list, node, this.identName(keyword), values);
        return undefined;
      }
      case 'assignment': {
        const left = parent.childForFieldName('left');
        if (left?.type === 'subscript' && same(parent.childForFieldName('right'), node)) {
          this.containerStore(left, undefined, parent, values);
          return undefined;
        }
        if (!same(parent.childForFieldName('right'), node)) return undefined;
        // A class attribute (`class C: m = os`) is read as `C.m` or `self.m`.
        const attribute =
          left?.type === 'attribute'
            ? left.childForFieldName('attribute')
            : left?.type === 'identifier' && this.contextOf(parent).scopes[0].kind === 'class'
              ? left
              : null;
        if (!attribute) return undefined;
        this.storeAttribute(this.identName(attribute), values);
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** True the first time a flow key is seen. */
  private once(key: string): boolean {
    if (this.flowsDone.has(key)) return false;
    this.flowsDone.add(key);
    return true;
  }

  /** A name gained a value: scan it, or follow its known uses again when it was scanned already. */
  private follow(name: string, within?: Node): void {
    // Each new value re-follows the name's uses (in the function whose parameter gained it): bounded, so
    // that generated code stays linear.
    const key = `${name}:${within?.id ?? -1}`;
    const count = (this.followCount.get(key) ?? 0) + 1;
    this.followCount.set(key, count);
    if (count > MAX_FOLLOWS) return;
    if (this.scanState.get(name) === 'full') {
      for (const use of this.usesByName.get(name) ?? []) {
        if (!within || (use.startIndex >= within.startIndex && use.endIndex <= within.endIndex))
          this.uses.push([use, name]);
      }
    } else this.scanName(name);
  }

  /** The function (or lambda) a node is in, within its class or module. */
  private enclosingFunction(node: Node): Node | undefined {
    for (let current = this.tree.parent(node), steps = 0; current && steps < MAX_CLIMB; steps++) {
      if (current.type === 'function_definition' || current.type === 'lambda') return current;
      if (current.type === 'class_definition' || current.type === 'module') return undefined;
      current = this.tree.parent(current);
    }
    return undefined;
  }

  /** The values a function of the file may return (`None` when it has no return with a value). */
  private returnValues(fn: Node): Value[] {
    const cached = this.returnCache.get(fn.id);
    if (cached && this.overlay.size === 0) return cached;
    if (this.memo.evaluating.has(fn.id)) return [OPAQUE];
    this.memo.evaluating.add(fn.id);
    const out: Value[] = [];
    try {
      if (fn.type === 'lambda') out.push(...this.evalExpr(fn.childForFieldName('body')));
      else {
        const body = fn.childForFieldName('body');
        const stack: Node[] = body ? [body] : [];
        for (let visited = 0; stack.length > 0; visited++) {
          if (visited > MAX_RETURN_WALK) {
            out.push(OPAQUE);
            break;
          }
          const current = stack.pop()!;
          if (current.type === 'return_statement') {
            const value = current.firstNamedChild;
            out.push(...(value ? this.evalExpr(value) : [{ k: 'none' } as Value]));
            continue;
          }
          for (const child of current.namedChildren) {
            if (child && (child.type === 'return_statement' || COMPOUND_PARTS.has(child.type)))
              stack.push(child);
          }
        }
        if (out.length === 0) out.push({ k: 'none' });
      }
    } finally {
      this.memo.evaluating.delete(fn.id);
    }
    const values = dedupe(out);
    if (this.overlay.size === 0) this.returnCache.set(fn.id, values);
    return values;
  }

  /** A tracked value passed to a call: when the callee is a function of the file, its parameter holds it. */
  private passArgument(list: Node, argument: Node, keyword: string | undefined, values: Value[]): void {
    const call = this.tree.parent(list);
    const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
    if (!call || !fn) return;
    if (fn.type === 'attribute') {
      // A method (`obj.f(os)`) is never a function of the file the analyzer follows into, but
      // `mods.append(os)` puts the value in a container.
      this.containerStore(fn, keyword ? undefined : argument, list, values);
      return;
    }
    const callees = this.evalExpr(fn);
    const index = keyword ? -1 : this.argumentsOf(call).positional.findIndex((a) => a.id === argument.id);
    for (const callee of callees) {
      if (callee.k === 'getter') {
        this.applyGetter(callee, values, call);
        continue;
      }
      if (callee.k === 'q' && callee.q === 'builtins.setattr' && index === 2) {
        // `setattr(obj, "name", os)`: an attribute store under a constant name.
        const nameNode = this.argumentsOf(call).positional[1];
        for (const name of (nameNode && constStrings(this.evalExpr(nameNode))) || [])
          this.storeAttribute(name, values);
        continue;
      }
      if (callee.k !== 'fn') continue;
      const parameter = this.parameterOf(callee.node, index, keyword);
      if (!parameter) continue;
      const known = this.parameterFlows.get(parameter.id) ?? [];
      const merged = dedupe([...known, ...values.filter(this.tracked)]);
      if (merged.length === known.length) continue;
      this.parameterFlows.set(parameter.id, merged);
      this.crossUnit = true;
      this.invalidate();
      this.follow(this.identName(parameter), callee.node);
    }
  }

  /** `xs.append(v)`, `xs.add(v)`, `xs.insert(i, v)`, `d[k] = v`: the container holds the value from then on. */
  private containerStore(target: Node, argument: Node | undefined, site: Node, values: Value[]): void {
    let holder: Node | null;
    let stored: Value;
    const kept = values.filter(this.tracked);
    if (kept.length === 0) return;
    if (target.type === 'attribute') {
      holder = target.childForFieldName('object');
      const method = target.childForFieldName('attribute');
      const call = this.tree.parent(site);
      if (!method || !argument || call?.type !== 'call') return;
      const name = this.identName(method);
      const index = this.argumentsOf(call).positional.findIndex((a) => a.id === argument.id);
      if (!((APPENDERS.has(name) && index === 0) || (name === 'insert' && index === 1))) return;
      stored = { k: 'seq', items: [kept] };
    } else {
      holder = target.childForFieldName('value');
      const keyNode = target.childForFieldName('subscript');
      const key = keyNode ? constString(this.evalExpr(keyNode)) : undefined;
      stored = key !== undefined ? { k: 'dict', keys: [key], items: [kept] } : { k: 'seq', items: [kept] };
    }
    if (holder?.type !== 'identifier') return;
    const name = this.identName(holder);
    if (!this.once(`store:${site.id}:${name}`) || (this.followCount.get(`${name}:-1`) ?? 0) >= MAX_FOLLOWS)
      return;
    this.bind(name, site, { kind: 'value', value: [stored], pos: site.endIndex, conditional: true });
    this.crossUnit = true;
    this.invalidate();
    this.follow(name);
  }

  /** Cached evaluations may have read a parameter or attribute that has since gained a value. */
  private invalidate(): void {
    this.generation++;
    this.memo.values.clear();
    this.returnCache.clear();
  }

  /** The identifier of a function's parameter taking the positional argument `index` or the keyword. */
  private parameterOf(fn: Node, index: number, keyword: string | undefined): Node | undefined {
    const parameters = fn.childForFieldName('parameters');
    if (!parameters) return undefined;
    let position = 0;
    for (const child of parameters.namedChildren) {
      if (!child) continue;
      let name: Node | null;
      if (child.type === 'identifier') name = child;
      else if (child.type === 'default_parameter' || child.type === 'typed_default_parameter')
        name = child.childForFieldName('name');
      else if (child.type === 'typed_parameter') name = child.firstNamedChild;
      else if (child.type === 'keyword_separator' || child.type === 'list_splat_pattern') {
        position = Infinity;
        continue;
      } else continue;
      if (name?.type !== 'identifier') {
        position++;
        continue;
      }
      if (keyword !== undefined ? this.identName(name) === keyword : position === index) return name;
      position++;
    }
    return undefined;
  }

  /** `obj.attr = <tracked>`: reads of `.attr` elsewhere in the file may give it. */
  private storeAttribute(attribute: string, values: Value[]): void {
    const known = this.attributeFlows.get(attribute) ?? [];
    const merged = dedupe([...known, ...values.filter(this.tracked)]);
    if (merged.length === known.length) return;
    this.attributeFlows.set(attribute, merged);
    this.crossUnit = true;
    for (const [offset, length] of this.occurrencesOf(attribute)) {
      if (!this.budget()) return;
      if (this.previousChar(offset) !== '.' || !this.inFocus(offset)) continue;
      const read = this.attributeRead(offset, length);
      if (read) this.flows.push([read, merged]);
    }
  }

  /** The `x.name` attribute node whose name is at an offset, unless it is assigned to or deleted. */
  private attributeRead(offset: number, length: number): Node | undefined {
    const node = this.identifierAt(offset, length);
    const attribute = node ? this.tree.parent(node) : null;
    if (!node || attribute?.type !== 'attribute' || !same(attribute.childForFieldName('attribute'), node))
      return undefined;
    const parent = this.tree.parent(attribute);
    if (
      parent &&
      (parent.type === 'assignment' || parent.type === 'augmented_assignment') &&
      same(parent.childForFieldName('left'), attribute)
    )
      return undefined;
    return attribute;
  }

  /**
   * `module.os` (any module re-exports the modules it imports), `x.__getattribute__`: followed when the
   * read gives something tracked (a module, getattr).
   */
  private reexportAt(offset: number, length: number): void {
    const read = this.attributeRead(offset, length);
    if (!read) return;
    const values = this.evalExpr(read);
    if (values.some(isTracked)) this.flows.push([read, values]);
  }

  /**
   * An escape attribute named in a string: `vars(type)["__subclasses__"]`, `x.__dict__["__globals__"]`,
   * `object.__getattribute__(f, "__code__")`, `attrgetter("__globals__")`. Only subscript reads and
   * getattr-like calls count (not hasattr, not a dict display, not a store).
   */
  private escapeNameAt(offset: number, length: number): void {
    let string = this.tree.descendantAt(offset, offset + length);
    while (string && string.type !== 'string') string = this.tree.parent(string);
    if (!string) return;
    const values = this.evalExpr(string);
    const name = constString(values);
    if (name === undefined || !ESCAPE_ATTRIBUTES.has(name)) return;
    const parent = this.tree.parent(string);
    if (!parent) return;
    const message = `looks up "${name}" by name, which ${ESCAPE_MESSAGES[name] ?? 'reaches interpreter internals'}`;
    if (parent.type === 'subscript' && same(parent.childForFieldName('subscript'), string)) {
      const grand = this.tree.parent(parent);
      if (
        grand?.type === 'delete_statement' ||
        ((grand?.type === 'assignment' || grand?.type === 'augmented_assignment') &&
          same(grand.childForFieldName('left'), parent))
      )
        return;
      this.report('sandbox-escape', parent, message);
      return;
    }
    if (parent.type !== 'argument_list') return;
    const call = this.tree.parent(parent);
    const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
    if (!call || !fn) return;
    const callees = this.evalExpr(fn);
    if (callees.some((v) => v.k === 'q' && GETTERS.has(v.q))) this.report('sandbox-escape', call, message);
  }

  /** `f(..., shell=True)` on any function, a wrapper of another library included (`invoke.run`). */
  private shellAt(offset: number): void {
    if (!this.inFocus(offset)) return;
    const node = this.identifierAt(offset, 5);
    const keyword = node ? this.tree.parent(node) : null;
    if (keyword?.type !== 'keyword_argument' || !same(keyword.childForFieldName('name'), node!)) return;
    const value = keyword.childForFieldName('value');
    if (value?.type !== 'true') return;
    const call = this.tree.parent(this.tree.parent(keyword) ?? keyword);
    if (call?.type !== 'call') return;
    for (const finding of this.reporter.findings()) {
      if (finding.ruleId === 'shell-true' && finding.start >= call.startIndex && finding.end <= call.endIndex)
        return;
    }
    const fn = call.childForFieldName('function');
    // A function of the file with a `shell` parameter of its own is judged by what it does with it.
    const callees = fn ? this.evalExpr(fn) : [];
    if (callees.length > 0 && callees.every((v) => v.k === 'fn')) return;
    this.report(
      'shell-true',
      keyword,
      `${fn ? this.nodeText(fn).replace(/\s+/g, ' ') : 'a call'} with shell=True likely runs the command line through a shell (injection-prone)`,
    );
  }

  /** Calling an `operator.attrgetter(...)`/`methodcaller(...)` on tracked values. */
  private applyGetter(getter: Extract<Value, { k: 'getter' }>, values: Value[], call: Node): void {
    if (!getter.names) {
      const sensitive = values.find(isSensitive);
      if (sensitive)
        this.report(
          'dynamic-attribute',
          call,
          `operator.${getter.method ? 'methodcaller' : 'attrgetter'} on ${describeValue(sensitive)} with a computed name: any of its functions could be reached`,
        );
      return;
    }
    const reached = this.getterResult(getter, values);
    if (getter.method) {
      for (const value of reached) {
        const sink = sinkOf(value);
        if (sink && value.k === 'q')
          this.report(
            sink.rule,
            call,
            `${display(value.q)} ${sink.what} (reached through operator.methodcaller)`,
            topModule(value.q),
          );
      }
      return;
    }
    this.flows.push([call, reached]);
  }

  private getterResult(getter: Extract<Value, { k: 'getter' }>, values: readonly Value[]): Value[] {
    if (!getter.names) return [OPAQUE];
    const out: Value[] = [];
    for (const name of getter.names) {
      let current: Value[] = [...values];
      for (const part of name.split('.')) current = this.memberValues(current, part);
      out.push(...current);
    }
    return dedupe(out);
  }

  /** `d.get(key)`, `d.pop(key)`, `d.setdefault(key)` of a dict display. */
  private containerMethod(values: readonly Value[], _name: string, call: Node): Value[] {
    const key = this.argumentsOf(call).positional[0];
    const keys = key ? constStrings(this.evalExpr(key)) : undefined;
    const out: Value[] = [];
    for (const value of values) {
      if (value.k === 'dict') out.push(...dictItems(value, keys));
      else out.push(OPAQUE);
    }
    return dedupe(out);
  }

  private relation(
    node: Node,
    parent: Node,
  ): 'call' | 'attr' | 'subscript' | 'paren' | 'flow' | 'alias' | 'other' {
    const atStart = node.startIndex === parent.startIndex;
    switch (parent.type) {
      case 'conditional_expression':
        // `a if c else b`: a and b flow into the result, c does not.
        return same(parent.namedChildren[1], node) ? 'other' : 'flow';
      case 'boolean_operator':
        return 'flow';
      case 'binary_operator': {
        const op = parent.childForFieldName('operator');
        return atStart && op && this.nodeText(op) === '/' ? 'flow' : 'other';
      }
      case 'call':
        return atStart && same(parent.childForFieldName('function'), node) ? 'call' : 'other';
      case 'attribute':
        return atStart ? 'attr' : 'other';
      case 'subscript':
        return atStart && same(parent.childForFieldName('value'), node) ? 'subscript' : 'other';
      case 'parenthesized_expression':
        return 'paren';
      case 'assignment':
        return same(parent.childForFieldName('right'), node) && this.aliasTargetsOf(parent).length > 0
          ? 'alias'
          : 'other';
      case 'named_expression':
        return same(parent.childForFieldName('value'), node) ? 'alias' : 'other';
      case 'expression_list': {
        const grand = this.tree.parent(parent);
        return grand?.type === 'assignment' &&
          same(grand.childForFieldName('right'), parent) &&
          this.aliasTargetsOf(grand).length > 0
          ? 'alias'
          : 'other';
      }
      default:
        return 'other';
    }
  }

  /** Plain names an assignment binds in a function or module scope (class attributes cannot be followed). */
  private aliasTargetsOf(assignment: Node): Node[] {
    const left = assignment.childForFieldName('left');
    if (!left) return [];
    if (this.contextOf(assignment).scopes[0].kind === 'class') return [];
    if (left.type === 'identifier') return [left];
    if (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'tuple') {
      const items = left.namedChildren.filter((c): c is Node => !!c);
      return items.every((item) => item.type === 'identifier') ? items : [];
    }
    return [];
  }

  private followAlias(_value: Node, parent: Node): void {
    const assignment =
      parent.type === 'expression_list'
        ? this.tree.parent(parent)
        : parent.type === 'named_expression'
          ? null
          : parent;
    const targets =
      parent.type === 'named_expression'
        ? [parent.childForFieldName('name')].filter((n): n is Node => !!n)
        : assignment
          ? this.aliasTargetsOf(assignment)
          : [];
    for (const target of targets) this.scanName(this.identName(target));
  }

  private checkSinks(values: readonly Value[], node: Node, parent: Node, relation: string): void {
    for (const value of values) {
      const sink = sinkOf(value);
      if (!sink || value.k !== 'q') continue;
      if (relation === 'call') this.reportCall(value, sink, parent, node);
      else if (sink.onReference !== false) {
        this.report(
          sink.rule,
          node,
          `${display(value.q)} ${sink.what}${this.via(node, value.q)}`,
          topModule(value.q),
        );
      }
    }
  }

  private via(node: Node, q: string): string {
    return reachedAs(this.nodeText(node), q);
  }

  private reportCall(value: Extract<Value, { k: 'q' }>, sink: Sink, call: Node, callee: Node): void {
    const site: CallSite = {
      analyzer: this,
      call,
      callee,
      q: value.q,
      path: value.path,
      sink,
      via: this.via(callee, value.q),
      args: this.argumentsOf(call),
    };
    for (const finding of checkCall(site)) {
      const message =
        sink.rule === 'dynamic-import' && !value.q.startsWith('sys.modules.')
          ? this.dynamicImportMessage(value.q, call, site.via)
          : finding.message;
      this.report(finding.rule, finding.node, message, topModule(value.q));
    }
    if (sink.rule === 'dynamic-import') this.recordDynamicImport(value.q, call);
    if (EVALUATORS.has(value.q)) this.recordEmbedded(value.q, site.args, call);
    if (sink.check === 'doctest') this.recordDoctests(value.q, call);
  }

  /** doctest runs the `>>>` examples of the file's docstrings: each is code run at this call. */
  private recordDoctests(q: string, call: Node): void {
    DOCTEST_PROMPT.lastIndex = 0;
    let count = 0;
    for (let m = DOCTEST_PROMPT.exec(this.text); m !== null; m = DOCTEST_PROMPT.exec(this.text)) {
      if (++count > 500) return;
      const inside = this.tree.descendantAt(m.index, m.index + m[0].length);
      if (inside?.type !== 'string_content' && inside?.type !== 'string') continue;
      const lines = m[0].split('\n').map((line) => line.replace(/^[ \t]*(?:>>>|\.\.\.) ?/, ''));
      this.embed(lines.join('\n').trim(), call, q);
    }
  }

  /** Python code run by a call (exec of a constant, doctest examples): the engine analyses it as well. */
  private embed(code: string, call: Node, q: string): void {
    if (code.trim())
      this.embedded.push({
        language: 'python',
        code,
        start: call.startIndex,
        end: call.endIndex,
        via: display(q),
      });
  }

  /** exec/eval/compile of a constant string: the string is Python code the engine analyses as well. */
  private recordEmbedded(q: string, args: CallArguments, call: Node): void {
    const source = args.positional[0] ?? args.keywords.get('source') ?? args.keywords.get('object');
    const values = source ? this.evalExpr(source) : [];
    // exec accepts bytes too (`exec(zlib.decompress(...))`): decoded as UTF-8, as Python does.
    const codes = values.every((v) => v.k === 'str' || v.k === 'bytes')
      ? values.map((v) =>
          v.k === 'bytes' ? Buffer.from(v.v, 'latin1').toString('utf8') : (v as { v: string }).v,
        )
      : [];
    for (const code of codes) this.embed(code, call, q);
  }

  private dynamicImportMessage(q: string, call: Node, via: string): string {
    const args = this.argumentsOf(call);
    const first = args.positional[0] ?? args.keywords.get('name');
    const names = first ? constStrings(this.evalExpr(first)) : undefined;
    const what = names
      ? `imports ${names.join(' or ')} at run time, out of sight of import checks`
      : 'imports a module whose name is computed at run time';
    return `${display(q)} ${what}${via}`;
  }

  private recordDynamicImport(q: string, call: Node): void {
    if (q !== 'builtins.__import__' && q !== 'importlib.import_module' && q !== 'importlib.__import__')
      return;
    const args = this.argumentsOf(call);
    const first = args.positional[0] ?? args.keywords.get('name');
    const names = first ? constStrings(this.evalExpr(first)) : undefined;
    for (const name of names ?? []) {
      if (!name.startsWith('.'))
        this.imports.push({ module: name, start: call.startIndex, end: call.endIndex, dynamic: true });
    }
  }

  /** Calls that are findings without being sinks themselves: getattr with computed names, type(f)(...), ... */
  private checkCallExtras(values: readonly Value[], call: Node): void {
    for (const value of values) {
      if (value.k === 'typeof' && value.code) {
        this.report(
          'dynamic-code',
          call,
          'calls the type of a function or code object, which builds new code',
        );
      } else if (value.k === 'nsget') {
        const args = this.argumentsOf(call);
        const key = args.positional[0];
        const names = key ? constStrings(this.evalExpr(key)) : undefined;
        this.checkNamespaceKey(value.q, names, call);
      } else if (value.k === 'q' && value.q === 'builtins.getattr') {
        const args = this.argumentsOf(call);
        const target = args.positional[0];
        const nameNode = args.positional[1];
        if (!target || !nameNode) continue;
        const names = constStrings(this.evalExpr(nameNode));
        if (names) {
          for (const name of names) {
            if (ESCAPE_ATTRIBUTES.has(name))
              this.report(
                'sandbox-escape',
                call,
                `getattr(..., "${name}") ${ESCAPE_MESSAGES[name] ?? 'reaches interpreter internals'}`,
              );
          }
        } else {
          const sensitive = this.evalExpr(target).find(isSensitive);
          if (sensitive) {
            this.report(
              'dynamic-attribute',
              call,
              `getattr on ${describeValue(sensitive)} with a computed name: any of its functions could be reached`,
              sensitive.k === 'q' ? topModule(sensitive.q) : undefined,
            );
          }
        }
      } else if (value.k === 'q' && INFINITE_ITERATORS.has(value.q)) {
        this.checkInfiniteIterator(value.q, call);
      }
    }
  }

  private checkSubscript(values: readonly Value[], node: Node): void {
    // `globals()[name] = value` stores; only reads can reach a function.
    const parent = this.tree.parent(node);
    if (
      (parent?.type === 'assignment' || parent?.type === 'augmented_assignment') &&
      same(parent.childForFieldName('left'), node)
    ) {
      return;
    }
    for (const value of values) {
      if (value.k === 'ns') {
        const key = node.childForFieldName('subscript');
        this.checkNamespaceKey(value.q, key ? constStrings(this.evalExpr(key)) : undefined, node);
      } else if (value.k === 'q' && value.q === 'sys.modules') {
        this.checkNamespaceKey('sys.modules', undefined, node);
      }
    }
  }

  private checkNamespaceKey(namespace: string, names: string[] | undefined, site: Node): void {
    if (namespace === 'sys.modules') {
      const keyNode =
        site.type === 'subscript'
          ? site.childForFieldName('subscript')
          : this.argumentsOf(site).positional[0];
      const keyText = keyNode ? this.nodeText(keyNode) : '';
      if (keyText === '__name__') return;
      const keys = keyNode ? constStrings(this.evalExpr(keyNode)) : undefined;
      for (const key of keys ?? [])
        this.imports.push({ module: key, start: site.startIndex, end: site.endIndex, dynamic: true });
      this.report(
        'dynamic-import',
        site,
        keys
          ? `sys.modules lookup of ${keys.join(', ')} reaches a module without an import`
          : 'sys.modules lookup with a computed name',
      );
      return;
    }
    if (names) {
      for (const name of names) {
        if (name === '__builtins__')
          this.report(
            'sandbox-escape',
            site,
            `looks up __builtins__ by name, which ${ESCAPE_MESSAGES.__builtins__}`,
          );
      }
      return;
    }
    const what = namespace === GLOBALS ? 'globals()/vars()' : `the namespace of ${namespace}`;
    this.report(
      'dynamic-attribute',
      site,
      `${what} indexed with a computed name: any function in it could be reached`,
    );
  }

  private checkInfiniteIterator(q: string, call: Node): void {
    const args = this.argumentsOf(call);
    if (q === 'itertools.repeat' && (args.positional.length > 1 || args.keywords.has('times'))) return;
    if (q === 'builtins.iter' && args.positional.length < 2) return;
    if (q === 'builtins.iter' && !this.neverSentinel(args.positional[0], args.positional[1])) return;
    let node = call;
    let parent = this.tree.parent(node);
    while (parent?.type === 'parenthesized_expression') {
      node = parent;
      parent = this.tree.parent(parent);
    }
    if (parent?.type !== 'for_statement' || !same(parent.childForFieldName('right'), node)) return;
    if (loopHasExit(this, parent)) return;
    this.report(
      'resource-exhaustion',
      call,
      `for loop over ${display(q)}(...), which never ends, and no break/return/raise in the loop`,
    );
  }

  /**
   * `iter(callable, sentinel)` ends when the callable returns the sentinel: only certain never to when
   * the callable returns known constants (a builtin constructor, a function of the file) that differ from it.
   */
  private neverSentinel(callable: Node, sentinel: Node): boolean {
    const expected = this.evalExpr(sentinel);
    if (expected.length !== 1 || !isConstant(expected[0])) return false;
    const results: Value[] = [];
    for (const callee of this.evalExpr(callable)) {
      const constructed = callee.k === 'q' ? CONSTRUCTOR_RESULTS[callee.q] : undefined;
      if (callee.k === 'fn') results.push(...this.returnValues(callee.node));
      else if (constructed) results.push(constructed);
      else return false;
    }
    return results.length > 0 && results.every((r) => isConstant(r) && !sameConstant(r, expected[0]));
  }

  // ---------------------------------------------------------------------------------------------
  // Imports

  private importAt(offset: number): void {
    const keyword = this.tree.descendantAt(offset, offset + 6);
    if (!keyword || keyword.type !== 'import') return;
    const statement = this.tree.parent(keyword);
    if (!statement || this.processedImports.has(statement.id)) return;
    this.processedImports.add(statement.id);
    if (statement.type === 'import_statement') this.importStatement(statement);
    else if (statement.type === 'import_from_statement') this.importFrom(statement);
  }

  private dotted(node: Node): string {
    return this.nodeText(node).replace(/\s+/g, '').split('.').map(nfkc).join('.');
  }

  private importStatement(statement: Node): void {
    for (const child of statement.namedChildren) {
      if (!child) continue;
      if (child.type === 'dotted_name') {
        const module = this.dotted(child);
        this.imports.push({ module, start: child.startIndex, end: child.endIndex, dynamic: false });
        const top = topModule(module);
        this.importBinding(top, statement, { k: 'q', q: canonical(top) });
      } else if (child.type === 'aliased_import') {
        const name = child.childForFieldName('name');
        const alias = child.childForFieldName('alias');
        if (!name || !alias) continue;
        const module = this.dotted(name);
        this.imports.push({ module, start: name.startIndex, end: name.endIndex, dynamic: false });
        this.importBinding(this.identName(alias), statement, { k: 'q', q: canonical(module) });
      }
    }
  }

  private importFrom(statement: Node): void {
    const moduleNode = statement.childForFieldName('module_name');
    if (!moduleNode) return;
    const relative = moduleNode.type === 'relative_import';
    const module = relative ? '' : this.dotted(moduleNode);
    if (!relative)
      this.imports.push({ module, start: moduleNode.startIndex, end: moduleNode.endIndex, dynamic: false });
    for (const child of statement.namedChildren) {
      if (!child || child.id === moduleNode.id) continue;
      if (child.type === 'wildcard_import') {
        if (relative) continue;
        const base = canonical(module);
        for (const name of starExports(base))
          this.importBinding(name, statement, { k: 'q', q: canonical(`${base}.${name}`) });
      } else if (child.type === 'dotted_name' || child.type === 'aliased_import') {
        const nameNode = child.type === 'aliased_import' ? child.childForFieldName('name') : child;
        const aliasNode = child.type === 'aliased_import' ? child.childForFieldName('alias') : child;
        if (!nameNode || !aliasNode) continue;
        const imported = this.dotted(nameNode);
        const value: Value = relative ? OPAQUE : { k: 'q', q: canonical(`${module}.${imported}`) };
        this.importBinding(this.identName(aliasNode), statement, value);
      }
    }
  }

  private importBinding(name: string, statement: Node, value: Value): void {
    this.bind(name, statement, { kind: 'value', value: [value], pos: statement.endIndex });
    if (isTracked(value)) this.scanName(name);
  }

  // ---------------------------------------------------------------------------------------------
  // Loops and huge constants

  private whileAt(offset: number): void {
    if (!this.inFocus(offset)) return;
    const keyword = this.tree.descendantAt(offset, offset + 5);
    const loop = keyword?.type === 'while' ? this.tree.parent(keyword) : null;
    if (!loop || loop.type !== 'while_statement') return;
    const finding = checkWhileLoop(this, loop);
    if (finding) this.report('resource-exhaustion', finding.node, finding.message);
  }

  private numericSeeds(): void {
    NUMERIC_SEEDS.lastIndex = this.focus?.start ?? 0;
    const seen = new Set<number>();
    for (let m = NUMERIC_SEEDS.exec(this.text); m !== null; m = NUMERIC_SEEDS.exec(this.text)) {
      if (this.focus && m.index >= this.focus.end) return;
      if (!this.budget()) return;
      const token = this.tree.descendantAt(m.index, m.index + m[0].length);
      if (!token) continue;
      let node: Node | null =
        token.type === '**' || token.type === '<<'
          ? this.tree.parent(token)
          : token.type === 'integer' || token.type === 'float'
            ? token
            : null;
      if (!node || (node.type !== 'binary_operator' && node.type !== 'integer' && node.type !== 'float'))
        continue;
      // The largest arithmetic expression around the number.
      for (
        let parent = this.tree.parent(node), steps = 0;
        parent && steps < 50;
        parent = this.tree.parent(parent), steps++
      ) {
        // `int(1e10)`: the integer made of the number.
        const call = parent.type === 'argument_list' ? this.tree.parent(parent) : null;
        if (call?.type === 'call' && parent.namedChildCount === 1 && this.isIntCall(call)) {
          node = call;
          parent = call;
          continue;
        }
        if (
          parent.type !== 'binary_operator' &&
          parent.type !== 'parenthesized_expression' &&
          parent.type !== 'unary_operator'
        )
          break;
        node = parent;
      }
      if (seen.has(node.id)) continue;
      seen.add(node.id);
      this.checkHugeExpression(node);
      // A huge argument: range(10**12), bytearray(10**10), pow(2, 10**10).
      const args = this.tree.parent(node);
      const call = args ? this.tree.parent(args) : null;
      const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
      if (args?.type === 'argument_list' && call && fn) {
        const callees = this.evalExpr(fn);
        this.checkSinks(callees, fn, call, 'call');
        if (callees.some((v) => v.k === 'q' && v.q === 'builtins.pow')) {
          const [base, exponent] = this.argumentsOf(call).positional;
          const value =
            base && exponent ? evalBinary('**', this.evalExpr(base), this.evalExpr(exponent)) : [];
          if (value.length === 1 && value[0].k === 'num' && value[0].huge) {
            this.report('resource-exhaustion', call, 'computes a number with millions of digits');
          }
        }
      }
    }
  }

  private isIntCall(call: Node): boolean {
    const fn = call.childForFieldName('function');
    return !!fn && this.evalExpr(fn).some((v) => v.k === 'q' && v.q === 'builtins.int');
  }

  private checkHugeExpression(node: Node): void {
    // Walk the arithmetic expression iteratively, looking at every `*` and `**`.
    const stack: Node[] = [node];
    for (let visited = 0; stack.length > 0 && visited < 200; visited++) {
      const current = stack.pop()!;
      if (current.type === 'parenthesized_expression' || current.type === 'unary_operator') {
        const inner = current.firstNamedChild;
        if (inner) stack.push(inner);
        continue;
      }
      if (current.type !== 'binary_operator') continue;
      const op = current.childForFieldName('operator');
      const left = current.childForFieldName('left');
      const right = current.childForFieldName('right');
      if (!op || !left || !right) continue;
      const symbol = this.nodeText(op);
      if (symbol === '**') {
        const value = this.evalExpr(current);
        if (value.length === 1 && value[0].k === 'num' && value[0].huge) {
          this.report('resource-exhaustion', current, 'computes a number with millions of digits');
          continue;
        }
      } else if (symbol === '*') {
        for (const [sequence, count] of [
          [left, right],
          [right, left],
        ]) {
          if (!SEQUENCE_LITERALS.has(sequence.type)) continue;
          const n = this.evalExpr(count);
          if (n.length === 1 && n[0].k === 'num' && (n[0].huge || n[0].v > HUGE_SIZE)) {
            this.report('resource-exhaustion', current, 'repeats a sequence more than 100 million times');
          }
        }
      }
      stack.push(left, right);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Findings

  report(rule: RuleId, node: Span, message: string, module?: string): void {
    this.reporter.report(rule, node, message, module);
  }
}

const MAX_RETURN_WALK = 5000;
/** How many times a name's uses are followed again as it gains values. */
const MAX_FOLLOWS = 8;
/** A doctest example: a `>>>` line and its `...` continuation lines. */
const DOCTEST_PROMPT = /^[ \t]*>>> .*(?:\n[ \t]*\.\.\.(?: .*)?)*/gm;
/** Statements and clauses that can hold a return statement of the function they are in. */
const COMPOUND_PARTS = new Set(['block', ...CONDITIONAL_PARENTS]);
/** What builtin constructors return when called with no argument. */
const CONSTRUCTOR_RESULTS = lookupTable<Value>({
  'builtins.int': { k: 'num', v: 0n },
  'builtins.float': { k: 'num', v: 0n },
  'builtins.bool': { k: 'num', v: 0n },
  'builtins.str': { k: 'str', v: '' },
  'builtins.bytes': { k: 'bytes', v: '' },
});

function isConstant(value: Value): boolean {
  return value.k === 'str' || value.k === 'bytes' || (value.k === 'num' && !value.huge) || value.k === 'none';
}

function sameConstant(a: Value, b: Value): boolean {
  if (a.k === 'none' || b.k === 'none') return a.k === b.k;
  if ((a.k === 'str' || a.k === 'bytes') && a.k === b.k) return a.v === b.v;
  if (a.k === 'num' && b.k === 'num') return a.v === b.v;
  return false;
}

/** Methods that add their argument to a list, set or deque. */
const APPENDERS = new Set(['append', 'add', 'appendleft']);
/** Callables that read an attribute named by a string (hasattr does not give the attribute). */
const GETTERS = new Set(['builtins.getattr', 'operator.attrgetter']);

/** The items of a dict display stored under the keys (any item when the keys are unknown). */
function dictItems(dict: Extract<Value, { k: 'dict' }>, keys: string[] | undefined): Value[] {
  if (!keys) return dict.items.flat();
  const out: Value[] = [];
  for (const key of keys) {
    const index = dict.keys.lastIndexOf(key);
    out.push(...(index === -1 ? [OPAQUE] : dict.items[index]));
  }
  return out;
}
const EVALUATORS = new Set(['builtins.eval', 'builtins.exec', 'builtins.compile']);
const SEQUENCE_LITERALS = new Set(['string', 'concatenated_string', 'list', 'tuple', 'list_comprehension']);
const INFINITE_ITERATORS = new Set([
  'itertools.count',
  'itertools.cycle',
  'itertools.repeat',
  'builtins.iter',
]);

/** Joins constant path parts; with an unknown base, a part that is absolute or climbs with ".." still tells. */
function joinPath(base: string | undefined, ...parts: string[]): string | undefined {
  let out = base;
  for (const part of parts) {
    if (part.startsWith('/') || part.startsWith('~')) out = part;
    else if (out !== undefined) out = `${out.replace(/\/+$/, '')}/${part}`;
    else if (/(?:^|\/)\.\.(?:\/|$)/.test(part)) out = part;
  }
  return out;
}

/** Index of the last binding at or before `offset` in a list sorted by position, or -1. */
function lastAtOrBefore(sorted: readonly Binding[], offset: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].pos <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function describeValue(value: Value): string {
  if (value.k === 'q') return display(value.q) === value.q ? value.q : 'builtins';
  if (value.k === 'ns') return value.q === GLOBALS ? 'globals()' : `the namespace of ${value.q}`;
  if (value.k === 'dynmod') return 'a module imported at run time';
  return 'a module';
}

function iterationOf(value: Value): Value[][] | undefined {
  if (value.k === 'seq') return value.items;
  if (value.k === 'str') return [...value.v].map((ch) => [{ k: 'str', v: ch }]);
  if (value.k === 'bytes') return [...value.v].map((ch) => [{ k: 'num', v: BigInt(ch.charCodeAt(0)) }]);
  return undefined;
}
