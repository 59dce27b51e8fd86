// JavaScript and TypeScript analysis by name resolution, in the same style as the Python analyzer: start
// from occurrences of the names that matter, ask the tree what each one is, follow values through
// `require`/`import` (with `node:` prefixes, destructuring and aliases), member and computed-member
// access, calls and constant strings, and report what they reach.
import type { Node } from 'web-tree-sitter';
import type { EmbeddedCode, ImportEvent, RawAnalysis } from '../findings';
import type { RuleId } from '../rules';
import { WordScanner, wordOccurrences } from '../text';
import { ParentIndex } from '../tree';
import { HUGE_SIZE, isDestructiveCommand, isOutsideWorkdir, isRootPath, quote } from '../shared/judgments';
import { Memo } from '../shared/memo';
import { Reporter, reachedAs } from '../shared/reporter';
import { explainAt, traceUse, tracerFromEnv } from '../shared/trace';
import { OPAQUE, constString, constStrings, dedupe, display, truthy, type Value } from '../shared/value';
import {
  GLOBAL_MODULES,
  GLOBAL_NAMES,
  GLOBAL_OBJECTS,
  RESOLVED_GLOBALS,
  canonicalJs,
  jsSinkFor,
  knownJsModules,
  type JsSink,
} from './catalog';
import { evalJsConstant } from './constants';

interface Scope {
  key: number;
  kind: 'program' | 'function' | 'block';
}

interface Binding {
  name: string;
  chain: Scope[];
  /** A declaration (var/let/const/function/class/param/import) or a plain assignment. */
  declaration: boolean;
  value?: Value[];
  valueNode?: Node | null;
  /** For `const { a: { b: name } } = value`: the members taken from the value (`['a', 'b']`). */
  path?: string[];
  /** The parameter's name node, for values passed in by calls the analyzer follows. */
  site?: number;
  evaluating?: boolean;
}

/** Where a name in a destructuring pattern sits: the members it takes and the node holding the pattern. */
interface PatternPlace {
  /** The members read from the destructured value, outermost first; undefined when one is computed. */
  path: string[] | undefined;
  /** The pattern's outermost node and its parent (a declarator, a parameter list, an assignment...). */
  top: Node;
  holder: Node;
}

const FUNCTIONS = new Set([
  'function_declaration',
  'function_expression',
  'function',
  'arrow_function',
  'method_definition',
  'generator_function',
  'generator_function_declaration',
]);
const BLOCKS = new Set([
  'statement_block',
  'for_statement',
  'for_in_statement',
  'catch_clause',
  'class_body',
  'switch_body',
]);
const PATTERNS = new Set([
  'object_pattern',
  'array_pattern',
  'pair_pattern',
  'assignment_pattern',
  'object_assignment_pattern',
  'rest_pattern',
]);
/** Methods that call their callback with the receiver's value (`then`) or its elements (`forEach`). */
const PROMISE_CALLBACKS = new Set(['then']);
const ELEMENT_CALLBACKS = new Set([
  'forEach',
  'map',
  'filter',
  'find',
  'findLast',
  'some',
  'every',
  'flatMap',
]);
/** Calls that give back their first argument. */
const IDENTITY_CALLS = new Set([
  'builtins.Promise.resolve',
  'builtins.Object.freeze',
  'builtins.Object.seal',
  'builtins.Promise.all',
  'builtins.Promise.allSettled',
]);
const CONTAINERS = new Set(['pair', 'spread_element', 'object', 'array']);
const PARAMETER_PARENTS = new Set(['formal_parameters', 'required_parameter', 'optional_parameter']);
const TRANSPARENT = new Set([
  'parenthesized_expression',
  'await_expression',
  'as_expression',
  'non_null_expression',
  'type_assertion',
  'satisfies_expression',
]);

const KNOWN = knownJsModules();
const KEYWORD_SEEDS = [
  'typeof',
  'import',
  'export',
  'while',
  'for',
  'do',
  'constructor',
  'repeat',
  'padStart',
  'padEnd',
];
const SEED_NAMES = [...KEYWORD_SEEDS, ...GLOBAL_NAMES, ...GLOBAL_OBJECTS];
const SEEDS = new WordScanner(SEED_NAMES);
const MAX_CLIMB = 400;
const MAX_OCCURRENCES = 150_000;
const MAX_DEPTH = 40;
const WORD_SEARCHES = 16;
const MAX_RESCANS = 8;

function same(a: Node | null | undefined, b: Node): boolean {
  return !!a && a.id === b.id;
}

function isTracked(value: Value): boolean {
  if (value.k === 'ns' || value.k === 'dynmod') return true;
  if (value.k !== 'q') return false;
  const top = value.q.split('.')[0];
  return top === 'builtins' || KNOWN.has(top) || GLOBAL_MODULES.has(top);
}

/**
 * Worth following: a tracked value, a local function seen returning one (`returning`: its calls give
 * it), or a container of either.
 */
function isLive(value: Value, returning: ReadonlySet<number>, depth = 0): boolean {
  if (isTracked(value)) return true;
  if (value.k === 'fn') return returning.has(value.node.id);
  if ((value.k === 'seq' || value.k === 'dict') && depth < 4)
    return value.items.some((item) => item.some((v) => isLive(v, returning, depth + 1)));
  return false;
}

function memberOf(value: Value, name: string): Value[] {
  switch (value.k) {
    case 'ns':
      return [{ k: 'q', q: canonicalJs(`builtins.${name}`) }];
    case 'q':
      if (value.q === 'builtins.require' && name === 'main') return [{ k: 'q', q: 'module' }];
      return [{ k: 'q', q: canonicalJs(`${value.q}.${name}`) }];
    case 'fn':
      // Every function's (and class's) constructor is the Function constructor, or its async and
      // generator variants, which build code from strings just the same.
      if (name === 'constructor') return [{ k: 'q', q: 'builtins.Function' }];
      if (name === '__proto__') return [{ k: 'q', q: 'builtins.Function.prototype' }];
      return [OPAQUE];
    case 'seq': {
      const index = /^\d+$/.test(name) ? Number(name) : -1;
      return index >= 0 && index < value.items.length ? value.items[index] : [OPAQUE];
    }
    case 'dict': {
      const index = value.keys.lastIndexOf(name);
      return index >= 0 ? value.items[index] : [OPAQUE];
    }
    default:
      return [OPAQUE];
  }
}

function membersOf(values: readonly Value[], keys: readonly string[]): Value[] {
  return dedupe(values.flatMap((v) => keys.flatMap((key) => memberOf(v, key))));
}

/** `Object.getPrototypeOf(x)`: Function.prototype for functions, unknown otherwise. */
function prototypeOf(value: Value): Value {
  if (value.k === 'fn' || (value.k === 'q' && value.q === 'builtins.Function'))
    return { k: 'q', q: 'builtins.Function.prototype' };
  return OPAQUE;
}

export function analyzeScript(text: string, root: Node, tree?: ParentIndex): RawAnalysis {
  return new ScriptAnalyzer(text, root, tree).run();
}

export class ScriptAnalyzer {
  private readonly tracer = tracerFromEnv();
  private readonly reporter: Reporter;
  private readonly imports: ImportEvent[] = [];
  private readonly embedded: EmbeddedCode[] = [];
  private readonly scanned = new Set<string>();
  private readonly bindings = new Map<string, Binding[]>();
  private readonly uses: Array<[Node, string]> = [];
  private readonly memo = new Memo(MAX_DEPTH, (node) => this.evalNode(node));
  private readonly contextCache = new Map<number, Scope[]>();
  /** Values passed to parameters by calls the analyzer follows, by the parameter's name node. */
  private readonly injected = new Map<number, Value[]>();
  /** Uses that resolved to a parameter given a value by a call. */
  private readonly injectedUses = new Set<number>();
  /** Every use of a name pushed so far, so that a parameter given a value later can be followed again. */
  private readonly usesOf = new Map<string, Node[]>();
  private readonly returnCache = new Map<number, Array<Node | null> | undefined>();
  /** Functions seen returning a followed value: calling them gives it. */
  private readonly returning = new Set<number>();
  private typeQueries: Array<[number, number]> | undefined;
  private readonly rescans = new Map<string, number>();
  private readonly stores = new Set<number>();
  private readonly live = (value: Value): boolean => isLive(value, this.returning);
  private seeds = new Map<string, number[]>();
  /** Every identifier-like word's offsets, built once enough names have been searched for. */
  private words: Map<string, number[]> | undefined;
  private wordSearches = 0;
  private work = 0;
  private truncated = false;

  constructor(
    readonly text: string,
    readonly root: Node,
    readonly tree: ParentIndex = new ParentIndex(root),
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
    this.seeds = SEEDS.scan(this.text);
    for (const offset of this.seeds.get('import') ?? []) this.importAt(offset);
    for (const offset of this.seeds.get('export') ?? []) this.exportAt(offset);
    for (const name of this.seeds.keys()) {
      if (!KEYWORD_SEEDS.includes(name)) this.scanName(name);
    }
    for (const offset of this.seeds.get('constructor') ?? []) this.constructorChain(offset);
    for (const name of ['repeat', 'padStart', 'padEnd'])
      for (const offset of this.seeds.get(name) ?? []) this.hugeString(offset, name);
    while (this.uses.length > 0 && !this.truncated) {
      const [node, name] = this.uses.pop()!;
      const values = this.resolveUse(node, name);
      if (this.tracer) traceUse(this.tracer, this.text, node, name, values, values.some(isTracked));
      this.forward(node, values);
    }
    for (const keyword of ['while', 'for', 'do']) {
      for (const offset of this.seeds.get(keyword) ?? []) this.loopAt(offset, keyword);
    }
    return {
      findings: this.reporter.findings(),
      imports: this.imports,
      embedded: this.embedded,
      truncated: this.truncated,
    };
  }

  nodeText(node: Node): string {
    return this.text.slice(node.startIndex, node.endIndex);
  }

  private budget(): boolean {
    if (++this.work > MAX_OCCURRENCES) this.truncated = true;
    return !this.truncated;
  }

  // ---------------------------------------------------------------------------------------------
  // Occurrences

  private scanName(name: string): void {
    if (this.scanned.has(name)) return;
    this.scanned.add(name);
    for (const offset of this.seeds.get(name) ?? this.occurrences(name)) {
      if (!this.budget()) return;
      const node = this.tree.descendantAt(offset, offset + name.length);
      if (!node || node.startIndex !== offset || node.endIndex !== offset + name.length) continue;
      if (node.type === 'identifier' || node.type === 'shorthand_property_identifier')
        this.classify(node, name);
      else if (node.type === 'shorthand_property_identifier_pattern') this.classifyPattern(node, name);
    }
  }

  private pushUse(node: Node, name: string): void {
    this.uses.push([node, name]);
    let list = this.usesOf.get(name);
    if (!list) this.usesOf.set(name, (list = []));
    list.push(node);
  }

  /** In a TypeScript type (`typeof eval`, `typeof process.env`, `typeof import("x")`): not a value. */
  private inType(node: Node): boolean {
    if (!this.typeQueries) {
      // Every type query starts with `typeof`: find them once.
      this.typeQueries = [];
      for (const offset of this.seeds.get('typeof') ?? []) {
        const keyword = this.tree.descendantAt(offset, offset + 6);
        const query = keyword ? this.tree.parent(keyword) : null;
        if (query?.type === 'type_query') this.typeQueries.push([query.startIndex, query.endIndex]);
      }
    }
    for (const [start, end] of this.typeQueries) {
      if (start <= node.startIndex && node.endIndex <= end) return true;
    }
    return false;
  }

  /**
   * Offsets of a name. A few names are searched for directly; after that one pass indexes every word, so
   * that following many names through a large file does not rescan it for each.
   */
  private occurrences(name: string): readonly number[] {
    if (!this.words && (++this.wordSearches <= WORD_SEARCHES || this.text.length < 20_000))
      return wordOccurrences(this.text, name);
    if (!this.words) {
      this.words = new Map();
      const pattern = /[\w$\u0080-\uffff]+/g;
      for (let match = pattern.exec(this.text); match; match = pattern.exec(this.text)) {
        const word = match[0];
        if (/^\d/.test(word)) continue;
        const list = this.words.get(word);
        if (list) list.push(match.index);
        else this.words.set(word, [match.index]);
      }
    }
    return this.words.get(name) ?? [];
  }

  private classify(node: Node, name: string): void {
    const parent = this.tree.parent(node);
    if (!parent) return;
    if (node.type === 'shorthand_property_identifier') {
      this.pushUse(node, name);
      return;
    }
    if (this.inType(node)) return;
    switch (parent.type) {
      case 'variable_declarator':
        if (same(parent.childForFieldName('name'), node)) {
          this.declare(name, node, parent, { valueNode: parent.childForFieldName('value') ?? null });
          return;
        }
        break;
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'class_declaration':
      case 'function_expression':
      case 'function':
      case 'generator_function':
      case 'class':
        if (same(parent.childForFieldName('name'), node)) {
          if (parent.type === 'class_declaration' || parent.type === 'class')
            this.addBinding(name, parent, true, undefined, parent);
          else this.addBinding(name, parent, true, [{ k: 'fn', node: parent }]);
          return;
        }
        break;
      case 'arrow_function':
        if (same(parent.childForFieldName('parameter'), node)) {
          this.addBinding(name, node, true, this.injected.get(node.id) ?? [OPAQUE], undefined, node.id);
          return;
        }
        break;
      case 'catch_clause':
        if (same(parent.childForFieldName('parameter'), node)) {
          this.addBinding(name, node, true, [OPAQUE]);
          return;
        }
        break;
      case 'for_in_statement':
        if (same(parent.childForFieldName('left'), node)) {
          this.addBinding(name, node, true, [OPAQUE]);
          return;
        }
        break;
      case 'assignment_expression':
        if (same(parent.childForFieldName('left'), node)) {
          this.addBinding(name, parent, false, undefined, parent.childForFieldName('right'));
          return;
        }
        break;
      case 'augmented_assignment_expression':
        if (same(parent.childForFieldName('left'), node)) {
          this.addBinding(name, parent, false, [OPAQUE]);
          return;
        }
        break;
      case 'import_clause':
      case 'namespace_import':
      case 'import_specifier':
      case 'import_require_clause':
      case 'export_specifier':
        return;
      default:
        if (PARAMETER_PARENTS.has(parent.type) || PATTERNS.has(parent.type)) {
          this.classifyPattern(node, name);
          return;
        }
    }
    this.pushUse(node, name);
  }

  /** A property's name: written out, quoted, or computed from constants (`[`ex${"ec"}`]`); else unknown. */
  private propertyKey(key: Node | null | undefined): string | undefined {
    if (!key) return undefined;
    if (key.type !== 'computed_property_name') return this.nodeText(key).replace(/^['"]|['"]$/g, '');
    const expression = key.namedChildren.find((c): c is Node => !!c && c.type !== 'comment');
    return expression ? constString(this.evalExpr(expression)) : undefined;
  }

  /** Where a name sits in a destructuring pattern; 'key' for a property name, 'use' in a default value. */
  private patternPlace(node: Node, name: string): PatternPlace | 'key' | 'use' {
    const keys: Array<string | undefined> =
      node.type === 'shorthand_property_identifier_pattern' ? [name] : [];
    let child = node;
    let parent = this.tree.parent(node);
    for (let steps = 0; parent && steps < 40; steps++) {
      switch (parent.type) {
        case 'pair_pattern': {
          const keyNode = parent.childForFieldName('key');
          if (same(keyNode, child)) return 'key';
          keys.push(this.propertyKey(keyNode));
          break;
        }
        case 'assignment_pattern':
        case 'object_assignment_pattern':
          if (!same(parent.childForFieldName('left'), child)) return 'use';
          break;
        case 'array_pattern': {
          // The element's position counts holes: `const [, second] = list`.
          let index = 0;
          for (const c of parent.children) {
            if (!c || c.id === child.id) break;
            if (c.type === ',') index++;
          }
          keys.push(String(index));
          break;
        }
        case 'rest_pattern':
          keys.push(undefined);
          break;
        case 'object_pattern':
          break;
        default: {
          const path = keys.reverse();
          return {
            path: path.every((k) => k !== undefined) ? (path as string[]) : undefined,
            top: child,
            holder: parent,
          };
        }
      }
      child = parent;
      parent = this.tree.parent(parent);
    }
    return { path: undefined, top: child, holder: parent ?? child };
  }

  /** A name inside a destructuring pattern or parameter list. */
  private classifyPattern(node: Node, name: string): void {
    const place = this.patternPlace(node, name);
    if (place === 'key') return;
    if (place === 'use') {
      this.pushUse(node, name); // a default value
      return;
    }
    const { path, top, holder } = place;
    if (holder.type === 'variable_declarator' && same(holder.childForFieldName('name'), top)) {
      this.declare(name, node, holder, {
        valueNode: path ? holder.childForFieldName('value') : null,
        path,
      });
      return;
    }
    if (holder.type === 'assignment_expression' && same(holder.childForFieldName('left'), top)) {
      this.pushBinding({
        name,
        chain: this.contextOf(holder),
        declaration: false,
        valueNode: path ? holder.childForFieldName('right') : null,
        value: path ? undefined : [OPAQUE],
        path,
      });
      return;
    }
    this.addBinding(name, node, true, this.injected.get(node.id) ?? [OPAQUE], undefined, node.id);
  }

  private declare(
    name: string,
    node: Node,
    declarator: Node,
    options: { valueNode: Node | null; path?: string[] },
  ): void {
    const declaration = this.tree.parent(declarator);
    const isVar = declaration?.type === 'variable_declaration';
    const chain = this.contextOf(node);
    const scoped = isVar ? chain.slice(chain.findIndex((s) => s.kind !== 'block')) : chain;
    const binding: Binding = {
      name,
      chain: scoped,
      declaration: true,
      valueNode: options.valueNode,
      path: options.path,
      value: options.valueNode ? undefined : [OPAQUE],
    };
    this.pushBinding(binding);
  }

  private addBinding(
    name: string,
    site: Node,
    declaration: boolean,
    value?: Value[],
    valueNode?: Node | null,
    parameter?: number,
  ): void {
    this.pushBinding({ name, chain: this.contextOf(site), declaration, value, valueNode, site: parameter });
  }

  private pushBinding(binding: Binding): void {
    let list = this.bindings.get(binding.name);
    if (!list) this.bindings.set(binding.name, (list = []));
    list.push(binding);
  }

  contextOf(node: Node): Scope[] {
    const cached = this.contextCache.get(node.id);
    if (cached) return cached;
    const scopes: Scope[] = [];
    let current = this.tree.parent(node);
    for (let steps = 0; current && steps < MAX_CLIMB; steps++, current = this.tree.parent(current)) {
      if (FUNCTIONS.has(current.type)) scopes.push({ key: current.id, kind: 'function' });
      else if (BLOCKS.has(current.type)) scopes.push({ key: current.id, kind: 'block' });
    }
    scopes.push({ key: 0, kind: 'program' });
    this.contextCache.set(node.id, scopes);
    return scopes;
  }

  // ---------------------------------------------------------------------------------------------
  // Resolution and evaluation

  resolveUse(node: Node, name: string): Value[] {
    this.scanName(name);
    const all = this.bindings.get(name) ?? [];
    const chain = this.contextOf(node);
    for (const scope of chain) {
      const declared = all.filter((b) => b.declaration && b.chain[0].key === scope.key);
      if (declared.length === 0) continue;
      const assigned = all.filter((b) => !b.declaration && b.chain.some((s) => s.key === scope.key));
      if (declared.some((b) => b.site !== undefined && this.injected.has(b.site)))
        this.injectedUses.add(node.id);
      return dedupe([...declared, ...assigned].flatMap((b) => this.bindingValue(b)));
    }
    const assigned = all.filter((b) => !b.declaration);
    return dedupe([...assigned.flatMap((b) => this.bindingValue(b)), ...this.globalValue(name)]);
  }

  private globalValue(name: string): Value[] {
    if (GLOBAL_OBJECTS.has(name)) return [{ k: 'ns', q: 'builtins' }];
    if (GLOBAL_MODULES.has(name)) return [{ k: 'q', q: name }];
    if (GLOBAL_NAMES.has(name) || RESOLVED_GLOBALS.has(name)) return [{ k: 'q', q: `builtins.${name}` }];
    return [];
  }

  private bindingValue(binding: Binding): Value[] {
    if (binding.value) return binding.value;
    if (!binding.valueNode || binding.evaluating) return [OPAQUE];
    binding.evaluating = true;
    try {
      let values = this.evalExpr(binding.valueNode);
      for (const key of binding.path ?? []) values = membersOf(values, [key]);
      binding.value = dedupe(values);
    } finally {
      binding.evaluating = false;
    }
    return binding.value;
  }

  evalExpr(node: Node | null | undefined): Value[] {
    if (!node) return [OPAQUE];
    return this.memo.evaluate(node);
  }

  private evalNode(node: Node): Value[] {
    const type = node.type;
    if (TRANSPARENT.has(type))
      return this.evalExpr(type === 'type_assertion' ? node.lastNamedChild : node.firstNamedChild);
    switch (type) {
      case 'identifier':
      case 'shorthand_property_identifier':
        return this.resolveUse(node, this.nodeText(node));
      case 'member_expression': {
        const property = node.childForFieldName('property');
        if (!property) return [OPAQUE];
        return membersOf(this.evalExpr(node.childForFieldName('object')), [this.nodeText(property)]);
      }
      case 'subscript_expression': {
        const object = this.evalExpr(node.childForFieldName('object'));
        if (object.some((v) => this.live(v) || v.k === 'dict')) {
          const keys = this.keysOf(node.childForFieldName('index'));
          if (!keys) return [OPAQUE];
          return membersOf(object, keys);
        }
        return evalJsConstant(node, this.text, (n) => this.evalExpr(n));
      }
      case 'object': {
        // Spread members (`{ ...cp }`) are reached through the object too.
        const spread = node.namedChildren
          .filter((c): c is Node => c?.type === 'spread_element')
          .slice(0, 8)
          .flatMap((c) => this.evalExpr(c.firstNamedChild).filter(isTracked));
        return [this.objectValue(node), ...spread];
      }
      case 'class':
      case 'class_declaration': {
        // A subclass of a sink (`class X extends Function {}`) constructs like it.
        // Only without a constructor of its own: then `new X(...)` passes its arguments to the base.
        const heritage = node.namedChildren.find((c) => c?.type === 'class_heritage');
        const base = heritage?.firstNamedChild;
        const inherited = base && !this.hasOwnConstructor(node) ? this.evalExpr(base).filter(isTracked) : [];
        return [{ k: 'fn', node }, ...inherited];
      }
      case 'function_expression':
      case 'function':
      case 'arrow_function':
      case 'generator_function':
        return [{ k: 'fn', node }];
      case 'sequence_expression':
        return this.evalExpr(node.lastNamedChild);
      case 'call_expression':
      case 'new_expression': {
        const callee = node.childForFieldName(type === 'new_expression' ? 'constructor' : 'function');
        if (callee?.type === 'import') return this.moduleValues(node);
        const callees = callee ? this.evalExpr(callee) : [];
        const results = this.callResults(node, callees, type === 'new_expression');
        return results.length > 0 ? results : evalJsConstant(node, this.text, (n) => this.evalExpr(n));
      }
      case 'binary_expression': {
        const operator = node.childForFieldName('operator');
        const op = operator ? this.nodeText(operator) : '';
        // `a || b`, `a ?? b`: either; `a && b`: b (a is the guard, `typeof require == "function" && require`).
        if (op === '&&') return this.evalExpr(node.childForFieldName('right'));
        if (op === '||' || op === '??')
          return [
            ...this.evalExpr(node.childForFieldName('left')),
            ...this.evalExpr(node.childForFieldName('right')),
          ];
        return evalJsConstant(node, this.text, (n) => this.evalExpr(n));
      }
      case 'ternary_expression':
        return [
          ...this.evalExpr(node.childForFieldName('consequence')),
          ...this.evalExpr(node.childForFieldName('alternative')),
        ];
      case 'assignment_expression':
        return this.evalExpr(node.childForFieldName('right'));
      default:
        return evalJsConstant(node, this.text, (n) => this.evalExpr(n));
    }
  }

  /** What a call gives back, for the callees the analyzer models; empty when none is. */
  private callResults(call: Node, callees: readonly Value[], isNew: boolean): Value[] {
    const out: Value[] = [];
    for (const callee of callees) {
      if (callee.k === 'fn') {
        if (!isNew && this.returning.has(callee.node.id)) out.push(...this.returnsOf(callee.node));
        continue;
      }
      if (callee.k !== 'q') continue;
      const args = this.argumentsOf(call);
      switch (callee.q) {
        case 'builtins.require':
        case 'module.require':
        case 'process.getBuiltinModule':
          out.push(...this.moduleValues(call));
          break;
        case 'module.createRequire':
          out.push({ k: 'q', q: 'builtins.require' });
          break;
        case 'os.homedir':
          out.push({ k: 'str', v: '~' });
          break;
        case 'builtins.Object.assign':
          // The target gains the sources' members: a module merged in is reached through it.
          for (const arg of args.slice(0, 8)) out.push(...this.evalExpr(arg).filter(isTracked));
          if (out.length === 0) out.push(OPAQUE);
          break;
        case 'builtins.Promise.race':
        case 'builtins.Promise.any': {
          const list = args[0] ? this.evalExpr(args[0]) : [];
          out.push(...list.flatMap((v) => (v.k === 'seq' ? v.items.flat() : [OPAQUE])));
          break;
        }
        case 'builtins.Reflect.get': {
          const keys = args[1] ? this.keysOf(args[1]) : undefined;
          out.push(...(args[0] && keys ? membersOf(this.evalExpr(args[0]), keys) : [OPAQUE]));
          break;
        }
        case 'builtins.Object.getPrototypeOf':
        case 'builtins.Reflect.getPrototypeOf':
          out.push(...(args[0] ? this.evalExpr(args[0]).map(prototypeOf) : [OPAQUE]));
          break;
        default:
          if (IDENTITY_CALLS.has(callee.q)) out.push(...(args[0] ? this.evalExpr(args[0]) : [OPAQUE]));
          // `eval.bind(null)`: the same function.
          else if (callee.q.endsWith('.bind') && !isNew) out.push({ k: 'q', q: callee.q.slice(0, -5) });
      }
    }
    return out;
  }

  /** What a function defined in the file returns: its expression body or its return statements. */
  private returnsOf(fn: Node): Value[] {
    const returned = this.returnedExpressions(fn);
    if (!returned) return [OPAQUE];
    const out = returned.flatMap((node) => (node ? this.evalExpr(node) : [{ k: 'none' } as Value]));
    return out.length > 0 ? dedupe(out) : [OPAQUE];
  }

  /** The expressions a function returns (null for a bare `return`); undefined when not known. */
  private returnedExpressions(fn: Node): Array<Node | null> | undefined {
    if (this.returnCache.has(fn.id)) return this.returnCache.get(fn.id);
    const body = fn.childForFieldName('body');
    let out: Array<Node | null> | undefined;
    if (!body || fn.type === 'class' || fn.type === 'class_declaration') out = undefined;
    else if (body.type !== 'statement_block') out = [body];
    else if (body.endIndex - body.startIndex > 200_000) out = undefined;
    else {
      out = [];
      for (const statement of body.descendantsOfType('return_statement').slice(0, 50)) {
        if (!statement || this.enclosingFunction(statement)?.id !== fn.id) continue;
        out.push(statement.firstNamedChild);
      }
    }
    this.returnCache.set(fn.id, out);
    return out;
  }

  /** Whether a function's return values can depend on its parameter at `index` (by name). */
  private returnsParameter(fn: Node, index: number): boolean {
    const returned = this.returnedExpressions(fn);
    if (!returned || returned.length === 0) return false;
    const parameter =
      fn.type === 'arrow_function' && fn.childForFieldName('parameter')
        ? index === 0
          ? fn.childForFieldName('parameter')
          : null
        : fn
            .childForFieldName('parameters')
            ?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment')[index];
    if (!parameter) return false;
    const names =
      parameter.type === 'identifier'
        ? [this.nodeText(parameter)]
        : parameter
            .descendantsOfType(['identifier', 'shorthand_property_identifier_pattern'])
            .map((n) => (n ? this.nodeText(n) : ''));
    return returned.some((node) => {
      const text = node ? this.nodeText(node) : '';
      return names.some((name) => name && wordOccurrences(text, name).length > 0);
    });
  }

  private enclosingFunction(node: Node): Node | undefined {
    let current = this.tree.parent(node);
    for (let steps = 0; current && steps < MAX_CLIMB; steps++, current = this.tree.parent(current)) {
      if (FUNCTIONS.has(current.type)) return current;
    }
    return undefined;
  }

  /** An object literal with constant keys: `{ f: require("fs"), g, m() {} }`. */
  private objectValue(node: Node): Value {
    const keys: string[] = [];
    const items: Value[][] = [];
    for (const part of node.namedChildren.slice(0, 1000)) {
      if (!part) continue;
      if (part.type === 'shorthand_property_identifier') {
        keys.push(this.nodeText(part));
        items.push(this.resolveUse(part, this.nodeText(part)));
        continue;
      }
      const key =
        part.type === 'pair' || part.type === 'method_definition'
          ? part.childForFieldName(part.type === 'pair' ? 'key' : 'name')
          : null;
      const name = this.propertyKey(key);
      if (name === undefined) continue;
      keys.push(name);
      items.push(
        part.type === 'pair' ? this.evalExpr(part.childForFieldName('value')) : [{ k: 'fn', node: part }],
      );
    }
    return { k: 'dict', keys, items };
  }

  /** Constant property names of an index: strings, or numbers for arrays. */
  private keysOf(index: Node | null | undefined): string[] | undefined {
    const values = this.evalExpr(index);
    if (values.length === 0) return undefined;
    const out: string[] = [];
    for (const value of values) {
      if (value.k === 'str') out.push(value.v);
      else if (value.k === 'num' && !value.huge) out.push(value.v.toString());
      else return undefined;
    }
    return out;
  }

  private firstArgument(call: Node): Node | undefined {
    const args = call.childForFieldName('arguments');
    return args?.namedChildren.find((c): c is Node => !!c && c.type !== 'comment');
  }

  private moduleValues(call: Node): Value[] {
    const arg = this.firstArgument(call);
    const names = arg ? constStrings(this.evalExpr(arg)) : undefined;
    if (!names) return [{ k: 'dynmod' }];
    return names.map((name) => ({ k: 'q', q: canonicalJs(name) }));
  }

  // ---------------------------------------------------------------------------------------------
  // Following values forward

  private forward(start: Node, initial: Value[]): void {
    let values = initial;
    if (!values.some(this.live)) return;
    let node = start;
    for (let step = 0; step < 32; step++) {
      const parent = this.tree.parent(node);
      if (!parent) return;
      const relation = this.relation(node, parent);
      if (relation === 'paren') {
        node = parent;
        continue;
      }
      // A container holding the value was checked when the value entered it.
      if (relation !== 'alias' && !(relation === 'contained' && CONTAINERS.has(node.type)))
        this.checkSinks(values, node, parent, relation);
      switch (relation) {
        case 'call': {
          // A function just seen returning a value: its calls are evaluated afresh (not from the cache).
          const functions = values.filter((v) => v.k === 'fn');
          values =
            functions.length === 0
              ? this.evalExpr(parent)
              : [
                  ...(parent.type === 'new_expression'
                    ? []
                    : functions.flatMap((f) => this.returnsOf(f.node))),
                  ...(functions.length < values.length ? this.evalExpr(parent) : []),
                ];
          break;
        }
        case 'member': {
          const property = parent.childForFieldName('property');
          if (!property) return;
          const name = this.nodeText(property);
          const call = this.tree.parent(parent);
          if (
            call?.type === 'call_expression' &&
            same(call.childForFieldName('function'), parent) &&
            (PROMISE_CALLBACKS.has(name) || ELEMENT_CALLBACKS.has(name))
          ) {
            // `import("x").then((m) => ...)`, `[require("fs")].forEach((fs) => ...)`: the callback's
            // parameter receives the value (or the elements); `then` gives back what the callback returns.
            const passed = PROMISE_CALLBACKS.has(name)
              ? values
              : values.flatMap((v) => (v.k === 'seq' ? v.items.flat() : []));
            const callback = this.argumentsOf(call)[0];
            const functions = callback ? this.evalExpr(callback).filter((v) => v.k === 'fn') : [];
            for (const fn of functions) this.injectParameter(fn.node, 0, passed);
            if (!PROMISE_CALLBACKS.has(name)) return;
            values = functions.flatMap((fn) => this.returnsOf(fn.node));
            node = call;
            values = dedupe(values);
            if (!values.some(this.live)) return;
            continue;
          }
          values = membersOf(values, [name]);
          break;
        }
        case 'subscript': {
          const keys = this.keysOf(parent.childForFieldName('index'));
          if (!keys) {
            // A generic helper indexing whatever it is given (`__importStar(require("fs"))`) is not a lookup.
            if (this.injectedUses.has(node.id)) return;
            const sensitive = values.find((v) => v.k === 'ns' || (v.k === 'q' && !v.q.includes('.')));
            if (sensitive) {
              this.report(
                'dynamic-attribute',
                parent,
                `${sensitive.k === 'ns' ? 'the global object' : display((sensitive as { q: string }).q)} indexed with a computed name: any of its functions could be reached`,
              );
            }
            return;
          }
          values = membersOf(values, keys);
          break;
        }
        case 'argument': {
          const call = this.tree.parent(parent)!;
          const index = this.argumentsOf(call).findIndex((a) => a.id === node.id);
          const callee = call.childForFieldName(call.type === 'new_expression' ? 'constructor' : 'function');
          if (!callee || index < 0) return;
          // The call's result is worth computing for modelled callees and for local functions whose
          // returns can involve the parameter (evaluating every helper's returns would be costly).
          let modelled = false;
          const results: Value[] = [];
          for (const target of this.evalExpr(callee)) {
            if (target.k === 'fn') {
              this.injectParameter(target.node, index, values);
              if (
                target.node.type !== 'class' &&
                target.node.type !== 'class_declaration' &&
                call.type === 'call_expression' &&
                this.returnsParameter(target.node, index)
              )
                results.push(...this.returnsOf(target.node));
            } else if (target.k === 'q') modelled = true;
            if (
              index === 0 &&
              target.k === 'q' &&
              (target.q === 'builtins.Reflect.apply' || target.q === 'builtins.Reflect.construct')
            )
              this.checkSinks(values, node, call, 'call');
          }
          if (modelled) results.push(...this.evalExpr(call));
          values = dedupe(results);
          node = call;
          if (!values.some(this.live)) return;
          continue;
        }
        case 'contained':
          // An array element, an object property: follow the container.
          values =
            parent.type === 'pair' || parent.type === 'spread_element' ? values : this.evalExpr(parent);
          break;
        case 'return': {
          // A function returning the value: follow the function (its calls give the value).
          const fn = parent.type === 'arrow_function' ? parent : this.enclosingFunction(parent);
          if (!fn || this.returning.has(fn.id)) return;
          this.returning.add(fn.id);
          if (fn.type === 'function_declaration' || fn.type === 'generator_function_declaration') {
            const name = fn.childForFieldName('name');
            if (!name) return;
            this.rescan(this.nodeText(name));
            return;
          }
          values = [{ k: 'fn', node: fn }];
          node = fn;
          continue;
        }
        case 'alias':
          this.followAlias(parent, values);
          return;
        case 'store':
          this.storeMember(parent, values);
          return;
        case 'heritage': {
          // `class X extends Function {}`: X constructs like its base.
          const cls = this.tree.parent(parent);
          if (!cls || this.hasOwnConstructor(cls)) return;
          const name = cls.childForFieldName('name');
          if (cls.type === 'class_declaration' && name) this.rescan(this.nodeText(name));
          else if (cls.type === 'class') this.forward(cls, values);
          return;
        }
        default:
          return;
      }
      values = dedupe(values);
      node = parent;
      if (!values.some(this.live)) return;
    }
  }

  private hasOwnConstructor(cls: Node): boolean {
    return !!cls
      .childForFieldName('body')
      ?.namedChildren.some(
        (m) =>
          m?.type === 'method_definition' &&
          this.nodeText(m.childForFieldName('name') ?? m) === 'constructor',
      );
  }

  /** Follows a name's uses (again, if they were followed before it could have this value). */
  private rescan(name: string): void {
    if (!this.scanned.has(name)) {
      this.scanName(name);
      return;
    }
    // Bounded: a name given new values over and over is followed again a few times at most.
    const count = (this.rescans.get(name) ?? 0) + 1;
    this.rescans.set(name, count);
    if (count > MAX_RESCANS || !this.budget()) return;
    for (const use of this.usesOf.get(name) ?? []) this.uses.push([use, name]);
  }

  /**
   * `o.cp = require("child_process")`, `o["cp"] = ...`: the object named o holds the value under that key
   * from then on, recorded as an assignment of `{ cp: value }` to o.
   */
  private storeMember(assignment: Node, values: Value[]): void {
    const left = assignment.childForFieldName('left');
    const object = left?.childForFieldName('object');
    if (!left || object?.type !== 'identifier' || this.stores.has(assignment.id)) return;
    this.stores.add(assignment.id);
    const keys =
      left.type === 'member_expression'
        ? [this.nodeText(left.childForFieldName('property') ?? left)]
        : this.keysOf(left.childForFieldName('index'));
    if (!keys) return;
    const name = this.nodeText(object);
    this.pushBinding({
      name,
      chain: this.contextOf(assignment),
      declaration: false,
      value: [{ k: 'dict', keys, items: keys.map(() => values) }],
    });
    this.rescan(name);
  }

  /** A local function called with a value: its parameter (or the names destructured from it) gets it. */
  private injectParameter(fn: Node, index: number, given: Value[]): void {
    // Functions passed to a helper are not followed into it: a parameter called with many callbacks
    // would otherwise make every `param.constructor` look like the Function constructor.
    const values = given.filter((v) => v.k !== 'fn');
    if (!values.some(this.live)) return;
    let parameter: Node | null | undefined;
    if (fn.type === 'arrow_function' && fn.childForFieldName('parameter'))
      parameter = index === 0 ? fn.childForFieldName('parameter') : undefined;
    else
      parameter = fn
        .childForFieldName('parameters')
        ?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment')[index];
    if (!parameter) return;
    const names =
      parameter.type === 'identifier'
        ? [parameter]
        : parameter.descendantsOfType(['identifier', 'shorthand_property_identifier_pattern']);
    for (const nameNode of names.slice(0, 50)) {
      if (!nameNode) continue;
      const name = this.nodeText(nameNode);
      const place = nameNode.id === parameter.id ? undefined : this.patternPlace(nameNode, name);
      if (place === 'key' || place === 'use') continue;
      if (place && !place.path) continue;
      let value: Value[] = values;
      for (const member of place?.path ?? []) value = membersOf(value, [member]);
      // Several calls: the parameter may hold any of their values.
      const before = this.injected.get(nameNode.id) ?? [];
      value = dedupe([...before, ...value]);
      if (value.length === before.length) continue;
      this.injected.set(nameNode.id, value);
      const wasScanned = this.scanned.has(name);
      this.scanName(name);
      const binding = this.bindings.get(name)?.find((b) => b.site === nameNode.id);
      if (binding) binding.value = value;
      if (!wasScanned) continue;
      // The name's uses were followed before it had this value: follow those in the function again.
      for (const use of this.usesOf.get(name) ?? []) {
        if (use.startIndex >= fn.startIndex && use.endIndex <= fn.endIndex) this.uses.push([use, name]);
      }
    }
  }

  private relation(
    node: Node,
    parent: Node,
  ):
    | 'call'
    | 'member'
    | 'subscript'
    | 'paren'
    | 'alias'
    | 'argument'
    | 'contained'
    | 'return'
    | 'store'
    | 'heritage'
    | 'other' {
    const type = parent.type;
    if (TRANSPARENT.has(type)) return 'paren';
    switch (type) {
      case 'call_expression':
        return same(parent.childForFieldName('function'), node) ? 'call' : 'other';
      case 'new_expression':
        return same(parent.childForFieldName('constructor'), node) ? 'call' : 'other';
      case 'member_expression':
        return same(parent.childForFieldName('object'), node) ? 'member' : 'other';
      case 'subscript_expression':
        return same(parent.childForFieldName('object'), node) ? 'subscript' : 'other';
      case 'sequence_expression':
        return same(parent.lastNamedChild, node) ? 'paren' : 'other';
      case 'ternary_expression':
        return same(parent.childForFieldName('condition'), node) ? 'other' : 'paren';
      case 'binary_expression': {
        const operator = parent.childForFieldName('operator');
        const op = operator ? this.nodeText(operator) : '';
        return op === '||' || op === '??' || (op === '&&' && same(parent.childForFieldName('right'), node))
          ? 'paren'
          : 'other';
      }
      case 'variable_declarator':
        return same(parent.childForFieldName('value'), node) ? 'alias' : 'other';
      case 'assignment_expression': {
        if (!same(parent.childForFieldName('right'), node)) return 'other';
        const left = parent.childForFieldName('left')?.type ?? '';
        if (['identifier', 'object_pattern', 'array_pattern'].includes(left)) return 'alias';
        return left === 'member_expression' || left === 'subscript_expression' ? 'store' : 'other';
      }
      case 'arguments': {
        const call = this.tree.parent(parent);
        return call?.type === 'call_expression' || call?.type === 'new_expression' ? 'argument' : 'other';
      }
      case 'array':
      case 'object':
        return 'contained';
      case 'spread_element':
        return 'contained';
      case 'class_heritage':
        return 'heritage';
      case 'pair':
        return same(parent.childForFieldName('value'), node) ? 'contained' : 'other';
      case 'return_statement':
        return 'return';
      case 'arrow_function':
        return same(parent.childForFieldName('body'), node) ? 'return' : 'other';
      default:
        return 'other';
    }
  }

  private followAlias(parent: Node, values: Value[]): void {
    const target = parent.childForFieldName(parent.type === 'variable_declarator' ? 'name' : 'left');
    if (!target) return;
    if (target.type === 'identifier') {
      this.scanName(this.nodeText(target));
      return;
    }
    // Destructuring: every name in the pattern. Reading members of a sensitive value (`const { HOME } =
    // process.env`) uses it, whether or not the names are used later.
    for (const name of target.descendantsOfType(['identifier', 'shorthand_property_identifier_pattern'])) {
      if (!name) continue;
      const text = this.nodeText(name);
      this.scanName(text);
      const place = this.patternPlace(name, text);
      if (typeof place === 'string' || !place.path) continue;
      let read = values;
      for (const member of place.path) {
        this.reportReference(read, name);
        read = membersOf(read, [member]);
      }
    }
  }

  /** Sinks reported on any reference (`process.env`), reached by reading one of their members. */
  private reportReference(values: readonly Value[], node: Node): void {
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

  private checkSinks(values: readonly Value[], node: Node, parent: Node, relation: string): void {
    for (const value of values) {
      if (value.k !== 'q') continue;
      const sink = jsSinkFor(value.q);
      if (!sink) continue;
      if (relation === 'call') this.reportCall(value.q, sink, parent, node);
      else if (relation === 'member' && this.invokedBy(parent, ['call', 'apply'])) {
        // `eval.call(null, code)`, `cp.exec.apply(cp, args)`: the sink
        // itself runs (its arguments shifted, so only sinks that need no argument check are judged here).
        if ([undefined, 'shell', 'spawn', 'module', 'delete-path'].includes(sink.check))
          this.report(
            sink.rule,
            parent,
            `${display(value.q)}.${this.nodeText(parent.childForFieldName('property')!)} ${sink.what}${this.via(node, value.q)}`,
            value.q.split('.')[0],
          );
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
      } else if (sink.onReference !== false)
        this.report(
          sink.rule,
          node,
          `${display(value.q)} ${sink.what}${this.via(node, value.q)}`,
          value.q.split('.')[0],
        );
    }
  }

  /** `x.call(...)`, `x.apply(...)`, `x.bind(...)`: the member is called right away. */
  private invokedBy(member: Node, methods: readonly string[]): boolean {
    const property = member.childForFieldName('property');
    const call = this.tree.parent(member);
    return (
      !!property &&
      methods.includes(this.nodeText(property)) &&
      call?.type === 'call_expression' &&
      same(call.childForFieldName('function'), member)
    );
  }

  private via(node: Node, q: string): string {
    return reachedAs(this.nodeText(node), q);
  }

  private argumentsOf(call: Node): Node[] {
    const args = call.childForFieldName('arguments');
    return args ? args.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
  }

  /** Code given as a constant string to a sink that runs it: the engine analyses it as part of the file. */
  private embedConstantCode(source: Node | undefined, call: Node, via: string): void {
    const code = source ? constString(this.evalExpr(source)) : undefined;
    if (code?.trim())
      this.embedded.push({ language: 'javascript', code, start: call.startIndex, end: call.endIndex, via });
  }

  private reportCall(q: string, sink: JsSink, call: Node, callee: Node): void {
    const name = display(q);
    const module = q.split('.')[0];
    const base = `${name} ${sink.what}${this.via(callee, q)}`;
    const args = this.argumentsOf(call);
    if (q === 'builtins.eval' || q === 'builtins.Function' || q.startsWith('vm.')) {
      // Constant code (the body is the last argument of Function): analysed by the engine too.
      this.embedConstantCode(q === 'builtins.Function' ? args[args.length - 1] : args[0], call, name);
    }
    switch (sink.check) {
      case undefined:
        this.report(sink.rule, callee, base, module);
        return;
      case 'shell':
        this.report(sink.rule, callee, base, module);
        this.destructive(args[0]);
        return;
      case 'spawn': {
        this.report(sink.rule, callee, base, module);
        for (const arg of args) {
          if (arg.type !== 'object') continue;
          for (const pair of arg.namedChildren) {
            if (pair?.type !== 'pair') continue;
            const key = pair.childForFieldName('key');
            if (!key || this.nodeText(key).replace(/['"]/g, '') !== 'shell') continue;
            const flag = this.evalExpr(pair.childForFieldName('value')).map(truthy);
            if (flag.every((t) => t === false)) continue;
            this.report(
              'shell-true',
              pair,
              `${name} with shell: true runs the command line through /bin/sh (injection-prone)`,
              module,
            );
          }
        }
        if (args[0]) {
          const command = constString(this.evalExpr(args[0]));
          const rest = args[1] ? this.evalExpr(args[1]) : [];
          const list =
            rest.length === 1 && rest[0].k === 'seq'
              ? rest[0].items.map((item) => constString(item) ?? '')
              : [];
          if (command !== undefined) this.destructiveText(`${command} ${list.join(' ')}`, args[0]);
        }
        return;
      }
      case 'timer':
        if (args[0] && this.evalExpr(args[0]).some((v) => v.k === 'str'))
          this.report('dynamic-code', callee, `${name} with a string argument evaluates it as code`);
        return;
      case 'module': {
        const names = args[0] ? constStrings(this.evalExpr(args[0])) : undefined;
        if (names) {
          for (const module of names)
            this.imports.push({
              module: canonicalJs(module),
              start: call.startIndex,
              end: call.endIndex,
              dynamic: q !== 'builtins.require',
            });
          if (q !== 'builtins.require' && q !== 'builtins.import') this.report(sink.rule, callee, base);
        } else {
          this.report(
            sink.rule,
            call,
            `${name === 'import' ? 'import()' : `${name}()`} with a computed module name loads code chosen at run time`,
          );
        }
        return;
      }
      case 'fs-open': {
        const flags = args[1] ? constString(this.evalExpr(args[1])) : 'r';
        if (flags === undefined || /[wa+]/.test(flags))
          this.report('file-write', callee, `${name} opens a file for writing${this.via(callee, q)}`, module);
        else this.readOutside(name, args[0], callee);
        return;
      }
      case 'read-path':
        this.readOutside(name, args[0], callee);
        return;
      case 'delete-path': {
        this.report(sink.rule, callee, base, module);
        const path = args[0] ? constString(this.evalExpr(args[0])) : undefined;
        if (path !== undefined && isRootPath(path))
          this.report('destructive-command', call, `${name} deletes ${quote(path)}`);
        return;
      }
      case 'worker': {
        const options = args[1] ? this.evalExpr(args[1]) : [];
        const evaluated = options.some(
          (o) =>
            o.k === 'dict' &&
            o.keys.includes('eval') &&
            membersOf([o], ['eval']).some((v) => truthy(v) !== false),
        );
        if (!evaluated) return;
        this.report(sink.rule, callee, `${name} with eval: true runs its first argument as code`, module);
        this.embedConstantCode(args[0], call, name);
        return;
      }
      case 'alloc': {
        // `Array(a, b)` is a two-element array; the others take a size and options.
        const size = args.length === 1 || (q !== 'builtins.Array' && args[0]) ? this.evalExpr(args[0]) : [];
        if (size.length === 1 && size[0].k === 'num' && (size[0].huge || size[0].v > HUGE_SIZE)) {
          this.report('resource-exhaustion', call, `${name} of more than 100 million elements`);
        }
        return;
      }
      default:
        // Every JsCheck has a case above: a new one does not compile until it has.
        sink.check satisfies never;
    }
  }

  private readOutside(name: string, arg: Node | undefined, callee: Node): void {
    const path = arg ? constString(this.evalExpr(arg)) : undefined;
    if (path !== undefined && isOutsideWorkdir(path)) {
      this.report(
        'read-outside-workdir',
        callee,
        `${name} reads ${JSON.stringify(path)}, outside the working directory`,
        'fs',
      );
    }
  }

  private destructive(arg: Node | undefined): void {
    if (!arg) return;
    const command = constString(this.evalExpr(arg));
    if (command !== undefined) this.destructiveText(command, arg);
  }

  private destructiveText(command: string, node: Node): void {
    if (isDestructiveCommand(command)) {
      this.report('destructive-command', node, `destructive command ${quote(command)}`);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Imports, constructor chains and loops

  private importAt(offset: number): void {
    let keyword = this.tree.descendantAt(offset, offset + 6);
    if (!keyword || keyword.type !== 'import') return;
    // In `import(x)` the keyword token sits inside a named `import` node.
    const wrapper = this.tree.parent(keyword);
    if (wrapper?.type === 'import') keyword = wrapper;
    const parent = this.tree.parent(keyword);
    if (!parent) return;
    if (parent.type === 'call_expression') {
      if (!this.inType(keyword)) this.forward(keyword, [{ k: 'q', q: 'builtins.import' }]);
      return;
    }
    if (parent.type !== 'import_statement') return;
    // `import type ... from "m"` is erased by the compiler: nothing is loaded.
    if (parent.children.some((c) => c?.type === 'type')) return;
    const source = parent.childForFieldName('source');
    const require = parent.namedChildren.find((c) => c?.type === 'import_require_clause');
    const sourceNode = source ?? require?.childForFieldName('source');
    if (!sourceNode) return;
    const module = canonicalJs(constString(this.evalExpr(sourceNode)) ?? '');
    if (!module) return;
    this.imports.push({ module, start: sourceNode.startIndex, end: sourceNode.endIndex, dynamic: false });
    const bindings: Array<[Node, Value]> = [];
    if (require) {
      const name = require.namedChildren.find((c) => c?.type === 'identifier');
      if (name) bindings.push([name, { k: 'q', q: module }]);
    }
    const clause = parent.namedChildren.find((c) => c?.type === 'import_clause');
    for (const part of clause?.namedChildren ?? []) {
      if (!part) continue;
      if (part.type === 'identifier') bindings.push([part, { k: 'q', q: module }]);
      else if (part.type === 'namespace_import') {
        const name = part.namedChildren.find((c) => c?.type === 'identifier');
        if (name) bindings.push([name, { k: 'q', q: module }]);
      } else if (part.type === 'named_imports') {
        for (const specifier of part.namedChildren) {
          if (specifier?.type !== 'import_specifier') continue;
          const imported = specifier.childForFieldName('name');
          const local = specifier.childForFieldName('alias') ?? imported;
          if (imported && local)
            bindings.push([
              local,
              { k: 'q', q: canonicalJs(`${module}.${this.nodeText(imported).replace(/['"]/g, '')}`) },
            ]);
        }
      }
    }
    for (const [node, value] of bindings) {
      const name = this.nodeText(node);
      this.pushBinding({ name, chain: [{ key: 0, kind: 'program' }], declaration: true, value: [value] });
      if (isTracked(value)) this.scanName(name);
    }
  }

  /** `export { x } from "m"`, `export * from "m"`: the module is loaded like an import. */
  private exportAt(offset: number): void {
    const keyword = this.tree.descendantAt(offset, offset + 6);
    const statement = keyword?.type === 'export' ? this.tree.parent(keyword) : null;
    const source = statement?.type === 'export_statement' ? statement.childForFieldName('source') : null;
    if (!source || statement?.children.some((c) => c?.type === 'type')) return;
    const module = canonicalJs(constString(this.evalExpr(source)) ?? '');
    if (module) this.imports.push({ module, start: source.startIndex, end: source.endIndex, dynamic: false });
  }

  /**
   * `x.constructor`: the Function constructor when x is a function or a class (`(() => {}).constructor`,
   * `Object.getPrototypeOf(async function () {}).constructor`, `Function.prototype.constructor`), and
   * `.constructor.constructor` from any object.
   */
  private constructorChain(offset: number): void {
    const node = this.tree.descendantAt(offset, offset + 11);
    if (!node || node.startIndex !== offset) return;
    if (
      node.type === 'shorthand_property_identifier_pattern' ||
      this.tree.parent(node)?.type === 'pair_pattern'
    ) {
      this.destructuredConstructor(node);
      return;
    }
    if (node.type !== 'property_identifier') return;
    const member = this.tree.parent(node);
    if (member?.type !== 'member_expression' || !same(member.childForFieldName('property'), node)) return;
    const object = member.childForFieldName('object');
    const inner = object?.type === 'member_expression' ? object.childForFieldName('property') : null;
    if (inner && this.nodeText(inner) === 'constructor') {
      this.report(
        'dynamic-code',
        member,
        '.constructor.constructor reaches the Function constructor, which builds code from strings',
      );
      return;
    }
    if (!object || object.type === 'this' || object.type === 'super' || !this.budget()) return;
    const values = this.evalExpr(member).filter((v) => v.k === 'q' && v.q === 'builtins.Function');
    if (values.length === 0) return;
    // Calling it, keeping it or passing it on is a use; reading its name, comparing it or assigning to it is not.
    let use: Node = member;
    for (
      let parent = this.tree.parent(use);
      parent && TRANSPARENT.has(parent.type);
      parent = this.tree.parent(use)
    )
      use = parent;
    const parent = this.tree.parent(use);
    if (!parent) return;
    const relation = this.relation(use, parent);
    const property = relation === 'member' ? parent.childForFieldName('property') : null;
    const used =
      ['call', 'alias', 'argument', 'return', 'contained'].includes(relation) ||
      (!!property && ['call', 'apply', 'bind'].includes(this.nodeText(property)));
    if (!used) return;
    const source = this.nodeText(member).replace(/\s+/g, ' ');
    this.report(
      'dynamic-code',
      member,
      `\`${source.length > 60 ? `${source.slice(0, 57)}...` : source}\` is the Function constructor, which builds code from strings`,
    );
    this.forward(member, values);
  }

  /** `const { constructor: F } = () => {}`: F is the Function constructor. */
  private destructuredConstructor(node: Node): void {
    const pair = node.type === 'shorthand_property_identifier_pattern' ? null : this.tree.parent(node);
    if (pair && !same(pair.childForFieldName('key'), node)) return;
    const target = pair ? pair.childForFieldName('value') : node;
    if (target?.type !== 'identifier' && target?.type !== 'shorthand_property_identifier_pattern') return;
    const text = this.nodeText(target);
    const place = this.patternPlace(target, text);
    if (typeof place === 'string' || !place.path || place.holder.type !== 'variable_declarator') return;
    const values = membersOf(this.evalExpr(place.holder.childForFieldName('value')), place.path);
    if (!values.some((v) => v.k === 'q' && v.q === 'builtins.Function')) return;
    this.report(
      'dynamic-code',
      target,
      `\`${text}\` is the Function constructor, which builds code from strings`,
    );
    this.rescan(text);
  }

  /** `"x".repeat(1e10)`, `s.padStart(1e10)`: a string of more than 100 million characters. */
  private hugeString(offset: number, method: string): void {
    const node = this.tree.descendantAt(offset, offset + method.length);
    if (!node || node.type !== 'property_identifier' || node.startIndex !== offset) return;
    const member = this.tree.parent(node);
    const call = member ? this.tree.parent(member) : null;
    if (member?.type !== 'member_expression' || call?.type !== 'call_expression') return;
    if (!same(call.childForFieldName('function'), member)) return;
    const count = this.argumentsOf(call)[0];
    const values = count ? this.evalExpr(count) : [];
    if (values.length !== 1 || values[0].k !== 'num') return;
    let size = values[0].huge ? HUGE_SIZE + 1n : values[0].v;
    if (method === 'repeat') {
      const receiver = constString(this.evalExpr(member.childForFieldName('object')));
      if (receiver) size *= BigInt(receiver.length);
    }
    if (size > HUGE_SIZE)
      this.report(
        'resource-exhaustion',
        call,
        `.${method}() builds a string of more than 100 million characters`,
      );
  }

  private loopAt(offset: number, keyword: string): void {
    const token = this.tree.descendantAt(offset, offset + keyword.length);
    const loop = token ? this.tree.parent(token) : null;
    if (!token || token.type !== keyword || !loop) return;
    let infinite = false;
    // Literal conditions only: a flag set to true before the loop is usually cleared in it.
    const literal = (node: Node | null): boolean => {
      if (!node) return false;
      const source = this.nodeText(node).replace(/[\s();]/g, '');
      return /^(?:true|!false|!0|!null|!undefined|!!1|[1-9][0-9]*)$/.test(source);
    };
    if (loop.type === 'while_statement' || loop.type === 'do_statement') {
      infinite = literal(loop.childForFieldName('condition'));
    } else if (loop.type === 'for_statement') {
      const condition = loop.childForFieldName('condition');
      infinite = !condition || condition.type === 'empty_statement' || literal(condition);
    }
    if (!infinite || this.loopHasExit(loop)) return;
    const body = loop.childForFieldName('body');
    this.report(
      'resource-exhaustion',
      { startIndex: loop.startIndex, endIndex: body ? body.startIndex : loop.endIndex },
      'loop never ends: no reachable break, return or throw',
    );
  }

  private loopHasExit(loop: Node): boolean {
    const body = loop.childForFieldName('body');
    if (!body) return true;
    const candidates = body.descendantsOfType([
      'break_statement',
      'return_statement',
      'throw_statement',
      'yield_expression',
    ]);
    for (const candidate of candidates.slice(0, 500)) {
      if (!candidate) continue;
      const isBreak = candidate.type === 'break_statement';
      const labelled = isBreak && candidate.namedChildCount > 0;
      let ok = false;
      for (
        let current = this.tree.parent(candidate), steps = 0;
        current && steps < MAX_CLIMB;
        current = this.tree.parent(current), steps++
      ) {
        if (current.id === loop.id) {
          ok = true;
          break;
        }
        if (FUNCTIONS.has(current.type) || current.type === 'class_body') break;
        if (
          isBreak &&
          !labelled &&
          current.type.endsWith('_statement') &&
          /^(for|for_in|while|do|switch)_statement$/.test(current.type)
        )
          break;
      }
      if (ok) return true;
    }
    if (candidates.length > 500) return true;
    return /\b(?:exit|abort|reallyExit)\b/.test(this.nodeText(body));
  }

  // ---------------------------------------------------------------------------------------------

  report(
    rule: RuleId,
    node: { startIndex: number; endIndex: number },
    message: string,
    module?: string,
  ): void {
    this.reporter.report(rule, node, message, module);
  }
}
