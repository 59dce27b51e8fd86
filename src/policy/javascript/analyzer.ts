// JavaScript and TypeScript analysis by name resolution, in the same style as the Python analyzer: start
// from occurrences of the names that matter, ask the tree what each one is, follow values through
// `require`/`import` (with `node:` prefixes, destructuring and aliases), member and computed-member
// access, calls and constant strings, and report what they reach.
import type { Node } from 'web-tree-sitter';
import type { EmbeddedCode, ImportEvent, RawAnalysis, RawFinding } from '../findings';
import type { RuleId } from '../rules';
import { WordScanner, wordOccurrences } from '../text';
import { ParentIndex } from '../tree';
import { isDestructiveCommand, isOutsideWorkdir, quote } from '../paths';
import { OPAQUE, constString, constStrings, dedupe, truthy, type Value } from '../python/values';
import {
  GLOBAL_MODULES,
  GLOBAL_NAMES,
  GLOBAL_OBJECTS,
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
  /** For `const { key: name } = value`: the member taken from the value. */
  key?: string;
  evaluating?: boolean;
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
  'rest_pattern',
]);
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
const SEED_NAMES = ['import', 'while', 'for', 'do', 'constructor', ...GLOBAL_NAMES, ...GLOBAL_OBJECTS];
const SEEDS = new WordScanner(SEED_NAMES);
const MAX_CLIMB = 400;
const MAX_OCCURRENCES = 150_000;
const MAX_DEPTH = 40;

function same(a: Node | null | undefined, b: Node): boolean {
  return !!a && a.id === b.id;
}

function isTracked(value: Value): boolean {
  if (value.k === 'ns' || value.k === 'dynmod') return true;
  if (value.k !== 'q') return false;
  const top = value.q.split('.')[0];
  return top === 'builtins' || KNOWN.has(top) || GLOBAL_MODULES.has(top);
}

function display(q: string): string {
  return q.startsWith('builtins.') ? q.slice(9) : q;
}

function memberOf(value: Value, name: string): Value {
  if (value.k === 'ns') return { k: 'q', q: canonicalJs(`builtins.${name}`) };
  if (value.k === 'q') {
    if (value.q === 'builtins.require' && name === 'main') return { k: 'q', q: 'module' };
    return { k: 'q', q: canonicalJs(`${value.q}.${name}`) };
  }
  return OPAQUE;
}

export function analyzeScript(text: string, root: Node, tree?: ParentIndex): RawAnalysis {
  return new ScriptAnalyzer(text, root, tree).run();
}

export class ScriptAnalyzer {
  private readonly findings = new Map<string, RawFinding>();
  private readonly imports: ImportEvent[] = [];
  private readonly embedded: EmbeddedCode[] = [];
  private readonly scanned = new Set<string>();
  private readonly bindings = new Map<string, Binding[]>();
  private readonly uses: Array<[Node, string]> = [];
  private readonly valueCache = new Map<number, Value[]>();
  private readonly evaluating = new Set<number>();
  private readonly contextCache = new Map<number, Scope[]>();
  private seeds = new Map<string, number[]>();
  private depth = 0;
  private work = 0;
  private truncated = false;

  constructor(
    readonly text: string,
    readonly root: Node,
    readonly tree: ParentIndex = new ParentIndex(root),
  ) {}

  run(): RawAnalysis {
    this.seeds = SEEDS.scan(this.text);
    for (const offset of this.seeds.get('import') ?? []) this.importAt(offset);
    for (const name of this.seeds.keys()) {
      if (!['import', 'while', 'for', 'do', 'constructor'].includes(name)) this.scanName(name);
    }
    for (const offset of this.seeds.get('constructor') ?? []) this.constructorChain(offset);
    while (this.uses.length > 0 && !this.truncated) {
      const [node, name] = this.uses.pop()!;
      this.forward(node, this.resolveUse(node, name));
    }
    for (const keyword of ['while', 'for', 'do']) {
      for (const offset of this.seeds.get(keyword) ?? []) this.loopAt(offset, keyword);
    }
    return {
      findings: [...this.findings.values()],
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
    for (const offset of this.seeds.get(name) ?? wordOccurrences(this.text, name)) {
      if (!this.budget()) return;
      const node = this.tree.descendantAt(offset, offset + name.length);
      if (!node || node.startIndex !== offset || node.endIndex !== offset + name.length) continue;
      if (node.type === 'identifier' || node.type === 'shorthand_property_identifier')
        this.classify(node, name);
      else if (node.type === 'shorthand_property_identifier_pattern') this.classifyPattern(node, name);
    }
  }

  private classify(node: Node, name: string): void {
    const parent = this.tree.parent(node);
    if (!parent) return;
    if (node.type === 'shorthand_property_identifier') {
      this.uses.push([node, name]);
      return;
    }
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
          this.addBinding(name, parent, true, [OPAQUE]);
          return;
        }
        break;
      case 'arrow_function':
        if (same(parent.childForFieldName('parameter'), node)) {
          this.addBinding(name, node, true, [OPAQUE]);
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
    this.uses.push([node, name]);
  }

  /** A name inside a destructuring pattern or parameter list. */
  private classifyPattern(node: Node, name: string): void {
    let child = node;
    let key: string | undefined = node.type === 'shorthand_property_identifier_pattern' ? name : undefined;
    let parent = this.tree.parent(node);
    for (let steps = 0; parent && steps < 20; steps++) {
      if (parent.type === 'pair_pattern') {
        if (same(parent.childForFieldName('key'), child)) return; // the key is not a binding
        const keyNode = parent.childForFieldName('key');
        key = keyNode ? this.nodeText(keyNode).replace(/^['"]|['"]$/g, '') : undefined;
      } else if (parent.type === 'assignment_pattern' && !same(parent.childForFieldName('left'), child)) {
        this.uses.push([node, name]); // a default value
        return;
      } else if (parent.type === 'variable_declarator') {
        const direct =
          child.type === 'object_pattern' &&
          (this.tree.parent(node)?.id === child.id ||
            this.tree.parent(this.tree.parent(node) ?? node)?.id === child.id);
        this.declare(name, node, parent, {
          valueNode: direct && key ? parent.childForFieldName('value') : null,
          key: direct ? key : undefined,
        });
        return;
      } else if (
        PARAMETER_PARENTS.has(parent.type) ||
        parent.type === 'catch_clause' ||
        parent.type === 'for_in_statement'
      ) {
        this.addBinding(name, node, true, [OPAQUE]);
        return;
      } else if (!PATTERNS.has(parent.type) && parent.type !== 'object_pattern') {
        this.addBinding(name, node, true, [OPAQUE]);
        return;
      }
      child = parent;
      parent = this.tree.parent(parent);
    }
  }

  private declare(
    name: string,
    node: Node,
    declarator: Node,
    options: { valueNode: Node | null; key?: string },
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
      key: options.key,
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
  ): void {
    this.pushBinding({ name, chain: this.contextOf(site), declaration, value, valueNode });
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
      return dedupe([...declared, ...assigned].flatMap((b) => this.bindingValue(b)));
    }
    const assigned = all.filter((b) => !b.declaration);
    return dedupe([...assigned.flatMap((b) => this.bindingValue(b)), ...this.globalValue(name)]);
  }

  private globalValue(name: string): Value[] {
    if (GLOBAL_OBJECTS.has(name)) return [{ k: 'ns', q: 'builtins' }];
    if (GLOBAL_MODULES.has(name)) return [{ k: 'q', q: name }];
    if (GLOBAL_NAMES.has(name)) return [{ k: 'q', q: `builtins.${name}` }];
    return [];
  }

  private bindingValue(binding: Binding): Value[] {
    if (binding.value) return binding.value;
    if (!binding.valueNode || binding.evaluating) return [OPAQUE];
    binding.evaluating = true;
    try {
      let values = this.evalExpr(binding.valueNode);
      if (binding.key !== undefined) values = values.map((v) => memberOf(v, binding.key!));
      binding.value = dedupe(values);
    } finally {
      binding.evaluating = false;
    }
    return binding.value;
  }

  evalExpr(node: Node | null | undefined): Value[] {
    if (!node) return [OPAQUE];
    const cached = this.valueCache.get(node.id);
    if (cached) return cached;
    if (this.depth > MAX_DEPTH || this.evaluating.has(node.id)) return [OPAQUE];
    this.depth++;
    this.evaluating.add(node.id);
    let values: Value[];
    try {
      values = dedupe(this.evalNode(node));
    } finally {
      this.depth--;
      this.evaluating.delete(node.id);
    }
    this.valueCache.set(node.id, values);
    return values;
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
        return this.evalExpr(node.childForFieldName('object')).map((v) =>
          memberOf(v, this.nodeText(property)),
        );
      }
      case 'subscript_expression': {
        const object = this.evalExpr(node.childForFieldName('object'));
        const keys = constStrings(this.evalExpr(node.childForFieldName('index')));
        if (object.some(isTracked)) {
          if (!keys) return [OPAQUE];
          return object.flatMap((v) => keys.map((key) => memberOf(v, key)));
        }
        return evalJsConstant(node, this.text, (n) => this.evalExpr(n));
      }
      case 'sequence_expression':
        return this.evalExpr(node.lastNamedChild);
      case 'call_expression':
      case 'new_expression': {
        const callee = node.childForFieldName(type === 'new_expression' ? 'constructor' : 'function');
        if (callee?.type === 'import') return this.moduleValues(node);
        const callees = callee ? this.evalExpr(callee) : [];
        if (callees.some((v) => v.k === 'q' && (v.q === 'builtins.require' || v.q === 'module.require')))
          return this.moduleValues(node);
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
    if (!values.some(isTracked)) return;
    let node = start;
    for (let step = 0; step < 32; step++) {
      const parent = this.tree.parent(node);
      if (!parent) return;
      const relation = this.relation(node, parent);
      if (relation === 'paren') {
        node = parent;
        continue;
      }
      if (relation !== 'alias') this.checkSinks(values, node, parent, relation);
      switch (relation) {
        case 'call':
          values = this.evalExpr(parent);
          break;
        case 'member': {
          const property = parent.childForFieldName('property');
          if (!property) return;
          values = values.map((v) => memberOf(v, this.nodeText(property)));
          break;
        }
        case 'subscript': {
          const keys = constStrings(this.evalExpr(parent.childForFieldName('index')));
          if (!keys) {
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
          values = values.flatMap((v) => keys.map((key) => memberOf(v, key)));
          break;
        }
        case 'alias':
          this.followAlias(parent);
          return;
        default:
          return;
      }
      values = dedupe(values);
      node = parent;
      if (!values.some(isTracked)) return;
    }
  }

  private relation(node: Node, parent: Node): 'call' | 'member' | 'subscript' | 'paren' | 'alias' | 'other' {
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
      case 'variable_declarator':
        return same(parent.childForFieldName('value'), node) ? 'alias' : 'other';
      case 'assignment_expression':
        return same(parent.childForFieldName('right'), node) &&
          parent.childForFieldName('left')?.type === 'identifier'
          ? 'alias'
          : 'other';
      default:
        return 'other';
    }
  }

  private followAlias(parent: Node): void {
    const target = parent.childForFieldName(parent.type === 'variable_declarator' ? 'name' : 'left');
    if (!target) return;
    if (target.type === 'identifier') {
      this.scanName(this.nodeText(target));
      return;
    }
    // Destructuring: every name in the pattern.
    for (const name of target.descendantsOfType(['identifier', 'shorthand_property_identifier_pattern'])) {
      if (name) this.scanName(this.nodeText(name));
    }
  }

  private checkSinks(values: readonly Value[], node: Node, parent: Node, relation: string): void {
    for (const value of values) {
      if (value.k !== 'q') continue;
      const sink = jsSinkFor(value.q);
      if (!sink) continue;
      if (relation === 'call') this.reportCall(value.q, sink, parent, node);
      else if (relation === 'member' && value.q === 'builtins.Function') {
        // Function.call/apply/bind(...) build code like Function(...); Function.prototype does not.
        const property = parent.childForFieldName('property');
        const grand = this.tree.parent(parent);
        if (
          property &&
          ['call', 'apply', 'bind'].includes(this.nodeText(property)) &&
          grand?.type === 'call_expression'
        ) {
          this.report(sink.rule, parent, `Function.${this.nodeText(property)} ${sink.what}`);
        }
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

  private via(node: Node, q: string): string {
    const source = this.nodeText(node).replace(/\s+/g, ' ');
    if (source === display(q) || source === q) return '';
    return ` (reached as \`${source.length > 60 ? `${source.slice(0, 57)}...` : source}\`)`;
  }

  private argumentsOf(call: Node): Node[] {
    const args = call.childForFieldName('arguments');
    return args ? args.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
  }

  private reportCall(q: string, sink: JsSink, call: Node, callee: Node): void {
    const name = display(q);
    const module = q.split('.')[0];
    const base = `${name} ${sink.what}${this.via(callee, q)}`;
    const args = this.argumentsOf(call);
    if (q === 'builtins.eval' || q === 'builtins.Function' || q.startsWith('vm.')) {
      // Constant code (the body is the last argument of Function): analysed by the engine too.
      const source = q === 'builtins.Function' ? args[args.length - 1] : args[0];
      const code = source ? constString(this.evalExpr(source)) : undefined;
      if (code?.trim()) {
        this.embedded.push({
          language: 'javascript',
          code,
          start: call.startIndex,
          end: call.endIndex,
          via: name,
        });
      }
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
      case 'alloc': {
        const size = args.length === 1 ? this.evalExpr(args[0]) : [];
        if (size.length === 1 && size[0].k === 'num' && (size[0].huge || size[0].v > 100_000_000n)) {
          this.report('resource-exhaustion', call, `${name} of more than 100 million elements`);
        }
        return;
      }
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
      this.forward(keyword, [{ k: 'q', q: 'builtins.import' }]);
      return;
    }
    if (parent.type !== 'import_statement') return;
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

  /** `x.constructor.constructor(...)`: the Function constructor reached from any object. */
  private constructorChain(offset: number): void {
    const node = this.tree.descendantAt(offset, offset + 11);
    if (!node || node.type !== 'property_identifier' || node.startIndex !== offset) return;
    const member = this.tree.parent(node);
    if (member?.type !== 'member_expression') return;
    const object = member.childForFieldName('object');
    const inner = object?.type === 'member_expression' ? object.childForFieldName('property') : null;
    if (inner && this.nodeText(inner) === 'constructor') {
      this.report(
        'dynamic-code',
        member,
        '.constructor.constructor reaches the Function constructor, which builds code from strings',
      );
    }
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
    const key = `${rule}:${node.startIndex}:${node.endIndex}`;
    if (!this.findings.has(key))
      this.findings.set(key, { ruleId: rule, start: node.startIndex, end: node.endIndex, message, module });
  }
}
