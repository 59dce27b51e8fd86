// Findings where a followed value meets the code: a sink called or referenced (its argument check in
// checks/), the code it runs (exec of a constant, doctest examples), imports made at run time, getattr
// and namespace lookups with escape or computed names, iterators that never end, `shell=True`.
import type { Node } from 'web-tree-sitter';
import type { RuleId } from '../rules';
import { lookupTable } from '../shared/lookup';
import { reachedAs } from '../shared/reporter';
import { constString, constStrings, display, type Value } from '../shared/value';
import { CODE_ARGUMENTS } from './catalog/code-arguments';
import { DEBUG_HOLDERS, DEBUG_SWITCHES } from './catalog/debug-switches';
import { ESCAPE_ATTRIBUTES, ESCAPE_MESSAGES } from './catalog/names';
import type { Sink } from './catalog/sinks';
import { checkCall } from './checks';
import { debugMessage, turnsDebugOn } from './checks/debug-switch';
import type { CallSite } from './checks/call-site';
import { loopHasExit } from './checks/while-loop';
import type { Evaluator } from './evaluator';
import type { CallArguments, PythonModel, Span } from './model';
import { identifierAt } from './seeds';
import { inFocus, nodeText, same, type Output, type Source } from './state';
import { GLOBALS, isSensitive, sinkOf, topModule } from './values';
import { boundArguments } from './partials';

/** A doctest example: a `>>>` line and its `...` continuation lines. */
const DOCTEST_PROMPT = /^[ \t]*>>> .*(?:\n[ \t]*\.\.\.(?: .*)?)*/gm;
const INFINITE_ITERATORS = new Set([
  'itertools.count',
  'itertools.cycle',
  'itertools.repeat',
  'builtins.iter',
]);
/** Imports by name: with a constant (or folded) name they are ordinary imports of that module. */
const IMPORTERS = new Set([
  'builtins.__import__',
  'importlib.import_module',
  'importlib.__import__',
  'pkgutil.resolve_name',
  'pydoc.locate',
]);
const GETATTRIBUTE = '.__getattribute__';
/** Callables that read an attribute named by a string (hasattr does not give the attribute). */
const GETTERS = new Set(['builtins.getattr', 'operator.attrgetter']);
/** What builtin constructors return when called with no argument. */
const CONSTRUCTOR_RESULTS = lookupTable<Value>({
  'builtins.int': { k: 'num', v: 0n },
  'builtins.float': { k: 'num', v: 0n },
  'builtins.bool': { k: 'num', v: 0n },
  'builtins.str': { k: 'str', v: '' },
  'builtins.bytes': { k: 'bytes', v: '' },
});

/** A replacement field of a format string (`{0.__globals__}`, `{f.__init__.__globals__[os]}`) reading an escape attribute. */
const FORMAT_FIELD_ESCAPE = new RegExp(
  `\\{[^{}!:]*?\\.(${[...ESCAPE_ATTRIBUTES].join('|')})(?![A-Za-z0-9_])[^{}]*\\}`,
);

export class Reports {
  constructor(
    private readonly source: Source,
    private readonly output: Output,
    private readonly evaluator: Evaluator,
    /** What argument checks see of the analysis. */
    private readonly model: PythonModel,
  ) {}

  report(rule: RuleId, node: Span, message: string, module?: string): void {
    this.output.reporter.report(rule, node, message, module);
  }

  /** A followed value at `node`: called (`relation` 'call', `parent` the call) or referenced. */
  checkSinks(values: readonly Value[], node: Node, parent: Node, relation: string): void {
    if (relation === 'other' && isStoreTarget(parent, node)) this.checkDebugStore(values, undefined, parent);
    for (const value of values) {
      // `partial(open, f, "w")()`: the function's check reads the bound arguments too.
      const args =
        value.k === 'partial' && relation === 'call' && boundArguments(this.evaluator, value, parent);
      for (const fn of args && value.k === 'partial' ? value.fn : []) {
        const bound = sinkOf(fn);
        // Imports are resolved on the bound values already (partials.ts).
        if (bound && fn.k === 'q' && bound.rule !== 'dynamic-import')
          this.reportCall(fn, bound, parent, node, args || undefined);
      }
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

  /** `.__globals__` and the other escape attributes, read on anything. */
  attributeName(node: Node, name: string): void {
    if (!ESCAPE_ATTRIBUTES.has(name)) return;
    const why = ESCAPE_MESSAGES[name] ?? 'reaches interpreter frames, the classic way out of a sandbox';
    this.report('sandbox-escape', node, `.${name} ${why}`);
  }

  /**
   * An escape attribute named in a string: `vars(type)["__subclasses__"]`, `x.__dict__["__globals__"]`,
   * `object.__getattribute__(f, "__code__")`, `attrgetter("__globals__")`. Only subscript reads and
   * getattr-like calls count (not hasattr, not a dict display, not a store).
   */
  escapeNameAt(offset: number, length: number): void {
    const tree = this.source.tree;
    let string = tree.descendantAt(offset, offset + length);
    while (string && string.type !== 'string') string = tree.parent(string);
    if (!string) return;
    const values = this.evaluator.evalExpr(string);
    const name = constString(values);
    const parent = tree.parent(string);
    if (!parent) return;
    if (name !== undefined && !ESCAPE_ATTRIBUTES.has(name)) {
      // `"{0.__init__.__globals__[os].environ}".format(f)`: a format field reads attributes and items.
      const field = name.replace(/\{\{|\}\}/g, '').match(FORMAT_FIELD_ESCAPE);
      if (field && parent.type !== 'expression_statement')
        this.report(
          'sandbox-escape',
          string,
          `a format string reads .${field[1]}, which ${ESCAPE_MESSAGES[field[1]] ?? 'reaches interpreter internals'}`,
        );
      return;
    }
    if (name === undefined) return;
    const message = `looks up "${name}" by name, which ${ESCAPE_MESSAGES[name] ?? 'reaches interpreter internals'}`;
    if (parent.type === 'subscript' && same(parent.childForFieldName('subscript'), string)) {
      const grand = tree.parent(parent);
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
    const call = tree.parent(parent);
    const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
    if (!call || !fn) return;
    const callees = this.evaluator.evalExpr(fn);
    if (callees.some((v) => v.k === 'q' && GETTERS.has(v.q))) this.report('sandbox-escape', call, message);
  }

  /** `f(..., shell=True)` on any function, a wrapper of another library included (`invoke.run`). */
  shellAt(offset: number): void {
    if (!inFocus(this.source, offset)) return;
    const tree = this.source.tree;
    const node = identifierAt(this.source, offset, 5);
    const keyword = node ? tree.parent(node) : null;
    if (keyword?.type !== 'keyword_argument' || !same(keyword.childForFieldName('name'), node!)) return;
    const value = keyword.childForFieldName('value');
    if (value?.type !== 'true') return;
    const call = tree.parent(tree.parent(keyword) ?? keyword);
    if (call?.type !== 'call') return;
    for (const finding of this.output.reporter.findings()) {
      if (finding.ruleId === 'shell-true' && finding.start >= call.startIndex && finding.end <= call.endIndex)
        return;
    }
    const fn = call.childForFieldName('function');
    // A function of the file with a `shell` parameter of its own is judged by what it does with it.
    const callees = fn ? this.evaluator.evalExpr(fn) : [];
    if (callees.length > 0 && callees.every((v) => v.k === 'fn')) return;
    this.report(
      'shell-true',
      keyword,
      `${fn ? nodeText(this.source, fn).replace(/\s+/g, ' ') : 'a call'} with shell=True likely runs the command line through a shell (injection-prone)`,
    );
  }

  /** Calls that are findings without being sinks themselves: getattr with computed names, type(f)(...), ... */
  checkCallExtras(values: readonly Value[], call: Node): void {
    const ev = this.evaluator;
    for (const value of values) {
      if (value.k === 'typeof' && value.code) {
        this.report(
          'dynamic-code',
          call,
          'calls the type of a function or code object, which builds new code',
        );
      } else if (value.k === 'nsget') {
        const args = ev.argumentsOf(call);
        const key = args.positional[0];
        const names = key ? constStrings(ev.evalExpr(key)) : undefined;
        this.checkNamespaceKey(value.q, names, call);
      } else if (value.k === 'q' && value.q === 'builtins.getattr') {
        const args = ev.argumentsOf(call);
        const target = args.positional[0];
        const nameNode = args.positional[1];
        if (!target || !nameNode) continue;
        const names = constStrings(ev.evalExpr(nameNode));
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
          const sensitive = ev.evalExpr(target).find(isSensitive);
          if (sensitive) {
            this.report(
              'dynamic-attribute',
              call,
              `getattr on ${describeValue(sensitive)} with a computed name: any of its functions could be reached`,
              sensitive.k === 'q' ? topModule(sensitive.q) : undefined,
            );
          }
        }
      } else if (value.k === 'q' && value.q.endsWith(GETATTRIBUTE)) {
        // `os.__getattribute__(name)`: getattr on the module.
        const nameNode = ev.argumentsOf(call).positional[0];
        const base: Value = { k: 'q', q: value.q.slice(0, -GETATTRIBUTE.length) };
        if (nameNode && !constStrings(ev.evalExpr(nameNode)) && isSensitive(base))
          this.report(
            'dynamic-attribute',
            call,
            `${describeValue(base)}.__getattribute__ with a computed name: any of its functions could be reached`,
            topModule(base.q),
          );
      } else if (value.k === 'q' && INFINITE_ITERATORS.has(value.q)) {
        this.checkInfiniteIterator(value.q, call);
      }
    }
  }

  /** `globals()[name]`, `sys.modules[name]`: a namespace read by key. */
  checkSubscript(values: readonly Value[], node: Node): void {
    // `globals()[name] = value` stores; only reads can reach a function.
    const parent = this.source.tree.parent(node);
    if (parent && isStoreTarget(parent, node)) {
      const key = node.childForFieldName('subscript');
      const keys =
        key && values.some((v) => v.k === 'q' && DEBUG_HOLDERS.has(v.q)) ? this.evaluator.evalExpr(key) : [];
      this.checkDebugStore(values, constStrings(keys), parent);
      return;
    }
    for (const value of values) {
      if (value.k === 'ns') {
        const key = node.childForFieldName('subscript');
        this.checkNamespaceKey(value.q, key ? constStrings(this.evaluator.evalExpr(key)) : undefined, node);
      } else if (value.k === 'q' && value.q === 'sys.modules') {
        this.checkNamespaceKey('sys.modules', undefined, node);
      }
    }
  }

  /**
   * `app.debug = True`, `app.config["DEBUG"] = True`, `os.environ["FLASK_DEBUG"] = "1"`: a store into a
   * setting that turns on the Werkzeug debugger (`keys`: the item stored, for a subscript).
   */
  private checkDebugStore(values: readonly Value[], keys: string[] | undefined, assignment: Node): void {
    if (assignment.type !== 'assignment') return;
    for (const value of values) {
      if (value.k !== 'q') continue;
      for (const setting of keys ? keys.map((key) => `${value.q}.${key}`) : [value.q]) {
        const semantics = DEBUG_SWITCHES[setting];
        if (!semantics) continue;
        const on = turnsDebugOn(semantics, this.evaluator.evalExpr(assignment.childForFieldName('right')));
        if (on !== false) this.report('command-execution', assignment, debugMessage(display(setting), on));
      }
    }
  }

  private via(node: Node, q: string): string {
    return reachedAs(nodeText(this.source, node), q);
  }

  private reportCall(
    value: Extract<Value, { k: 'q' }>,
    sink: Sink,
    call: Node,
    callee: Node,
    args?: CallArguments,
  ): void {
    const site: CallSite = {
      analyzer: this.model,
      call,
      callee,
      q: value.q,
      path: value.path,
      sink,
      via: this.via(callee, value.q),
      args: args ?? this.evaluator.argumentsOf(call),
    };
    // `importlib.import_module("json")` is `import json`: the module's own rules apply (restricted modules,
    // its sinks where it is used), and only a name that cannot be resolved is a dynamic import.
    const constantImport = IMPORTERS.has(value.q) && this.importedNames(call) !== undefined;
    for (const finding of checkCall(site)) {
      if (constantImport && finding.rule === 'dynamic-import') continue;
      const message =
        sink.rule === 'dynamic-import' && !value.q.startsWith('sys.modules.')
          ? this.dynamicImportMessage(value.q, call, site.via)
          : finding.message;
      this.report(finding.rule, finding.node, message, topModule(value.q));
    }
    if (sink.rule === 'dynamic-import') this.recordDynamicImport(value.q, call);
    this.recordEmbedded(value.q, site.args, call);
    if (sink.check === 'doctest') this.recordDoctests(value.q, call);
  }

  /** doctest runs the `>>>` examples of the file's docstrings: each is code run at this call. */
  private recordDoctests(q: string, call: Node): void {
    const text = this.source.text;
    DOCTEST_PROMPT.lastIndex = 0;
    let count = 0;
    for (let m = DOCTEST_PROMPT.exec(text); m !== null; m = DOCTEST_PROMPT.exec(text)) {
      if (++count > 500) return;
      const inside = this.source.tree.descendantAt(m.index, m.index + m[0].length);
      if (inside?.type !== 'string_content' && inside?.type !== 'string') continue;
      const lines = m[0].split('\n').map((line) => line.replace(/^[ \t]*(?:>>>|\.\.\.) ?/, ''));
      this.embed(lines.join('\n').trim(), call, q);
    }
  }

  /** Python code run by a call (exec of a constant, doctest examples): the engine analyses it as well. */
  private embed(code: string, call: Node, q: string): void {
    const via = display(q);
    // A call reached by two flows (from its callee and from an argument) runs the code once.
    const known = this.output.embedded.some(
      (e) => e.start === call.startIndex && e.end === call.endIndex && e.via === via && e.code === code,
    );
    if (code.trim() && !known)
      this.output.embedded.push({
        language: 'python',
        code,
        start: call.startIndex,
        end: call.endIndex,
        via,
      });
  }

  /**
   * exec/eval/compile, an interactive interpreter, a subinterpreter or a runner given a constant string:
   * the string is Python code the engine analyses as well (catalog/code-arguments.ts says which argument).
   */
  private recordEmbedded(q: string, args: CallArguments, call: Node): void {
    for (const { position, keywords } of CODE_ARGUMENTS[q] ?? []) {
      let source: Node | undefined = args.positional[position];
      for (const keyword of keywords) source ??= args.keywords.get(keyword);
      const values = source ? this.evaluator.evalExpr(source) : [];
      // exec accepts bytes too (`exec(zlib.decompress(...))`): decoded as UTF-8, as Python does.
      const codes = values.every((v) => v.k === 'str' || v.k === 'bytes')
        ? values.map((v) =>
            v.k === 'bytes' ? Buffer.from(v.v, 'latin1').toString('utf8') : (v as { v: string }).v,
          )
        : [];
      for (const code of codes) this.embed(code, call, q);
    }
  }

  /** The names a dynamic import's first argument can have, if constant. */
  private importedNames(call: Node): string[] | undefined {
    const args = this.evaluator.argumentsOf(call);
    const first = args.positional[0] ?? args.keywords.get('name');
    return first ? constStrings(this.evaluator.evalExpr(first)) : undefined;
  }

  private dynamicImportMessage(q: string, call: Node, via: string): string {
    const names = this.importedNames(call);
    const what = names
      ? `imports ${names.join(' or ')} at run time, out of sight of import checks`
      : 'imports a module whose name is computed at run time';
    return `${display(q)} ${what}${via}`;
  }

  private recordDynamicImport(q: string, call: Node): void {
    if (!IMPORTERS.has(q)) return;
    for (const name of this.importedNames(call) ?? []) {
      // `resolve_name("os:system")`, `locate("os.system")`: the module is a prefix, which restricted-module
      // entries cover as they cover submodules.
      const module = name.replace(':', '.');
      if (!module.startsWith('.'))
        this.output.imports.push({ module, start: call.startIndex, end: call.endIndex, dynamic: true });
    }
  }

  private checkNamespaceKey(namespace: string, names: string[] | undefined, site: Node): void {
    if (namespace === 'sys.modules') {
      const keyNode =
        site.type === 'subscript'
          ? site.childForFieldName('subscript')
          : this.evaluator.argumentsOf(site).positional[0];
      const keyText = keyNode ? nodeText(this.source, keyNode) : '';
      if (keyText === '__name__') return;
      const keys = keyNode ? constStrings(this.evaluator.evalExpr(keyNode)) : undefined;
      for (const key of keys ?? [])
        this.output.imports.push({ module: key, start: site.startIndex, end: site.endIndex, dynamic: true });
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
    const args = this.evaluator.argumentsOf(call);
    if (q === 'itertools.repeat' && (args.positional.length > 1 || args.keywords.has('times'))) return;
    if (q === 'builtins.iter' && args.positional.length < 2) return;
    if (q === 'builtins.iter' && !this.neverSentinel(args.positional[0], args.positional[1])) return;
    let node = call;
    let parent = this.source.tree.parent(node);
    while (parent?.type === 'parenthesized_expression') {
      node = parent;
      parent = this.source.tree.parent(parent);
    }
    if (parent?.type !== 'for_statement' || !same(parent.childForFieldName('right'), node)) return;
    if (loopHasExit(this.model, parent)) return;
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
    const expected = this.evaluator.evalExpr(sentinel);
    if (expected.length !== 1 || !isConstant(expected[0])) return false;
    const results: Value[] = [];
    for (const callee of this.evaluator.evalExpr(callable)) {
      const constructed = callee.k === 'q' ? CONSTRUCTOR_RESULTS[callee.q] : undefined;
      if (callee.k === 'fn') results.push(...this.evaluator.returnValues(callee.node));
      else if (constructed) results.push(constructed);
      else return false;
    }
    return results.length > 0 && results.every((r) => isConstant(r) && !sameConstant(r, expected[0]));
  }
}

/** How a message names a value that can reach a sink. */
export function describeValue(value: Value): string {
  if (value.k === 'q') return display(value.q) === value.q ? value.q : 'builtins';
  if (value.k === 'ns') return value.q === GLOBALS ? 'globals()' : `the namespace of ${value.q}`;
  if (value.k === 'dynmod') return 'a module imported at run time';
  return 'a module';
}

function isConstant(value: Value): boolean {
  return value.k === 'str' || value.k === 'bytes' || (value.k === 'num' && !value.huge) || value.k === 'none';
}

function sameConstant(a: Value, b: Value): boolean {
  if (a.k === 'none' || b.k === 'none') return a.k === b.k;
  if ((a.k === 'str' || a.k === 'bytes') && a.k === b.k) return a.v === b.v;
  if (a.k === 'num' && b.k === 'num') return a.v === b.v;
  return false;
}

/** The target of an assignment (`x.attr = ...`, `x[k] = ...`), as opposed to a read. */
function isStoreTarget(parent: Node, node: Node): boolean {
  return (
    (parent.type === 'assignment' || parent.type === 'augmented_assignment') &&
    same(parent.childForFieldName('left'), node)
  );
}
