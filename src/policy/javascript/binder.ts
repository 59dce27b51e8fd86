// Bindings: every occurrence of a followed name is classified through the tree (a declaration, a
// parameter, a destructured name, an assignment or a use). Each binding is a row saying where it takes
// effect and how (hoisted, let/const, var, assignment: scopes.ts), and a use resolves to the values of the
// rows that reach it by JavaScript's rules (reaching.ts), else the global.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, constString, dedupe, type Value } from '../shared/value';
import { GLOBAL_MODULES, GLOBAL_NAMES, GLOBAL_OBJECTS, RESOLVED_GLOBALS } from './catalog/names';
import type { Binding, PatternPlace, Scope } from './scopes';
import { Reaching } from './reaching';
import { AnalysisState } from './state';
import { FUNCTIONS, PARAMETER_PARENTS, PATTERNS, isForOf, same } from './syntax';
import { membersOf } from './values';
import { wrapperArguments } from './wrapper-arguments';
import { exportingNamespace, namespaceNamed, namespacePath } from './namespaces';

const CLASSES = new Set(['class_declaration', 'class']);

export abstract class Binder extends AnalysisState {
  private readonly reaching = new Reaching({
    tree: this.tree,
    text: this.text,
    contextOf: (node) => this.contextOf(node),
    occurrences: (name) => this.words.occurrences(name),
  });

  scanName(name: string): void {
    if (this.scanned.has(name)) return;
    this.scanned.add(name);
    for (const offset of this.seeds.get(name) ?? this.words.occurrences(name)) {
      if (!this.budget()) return;
      const node = this.tree.descendantAt(offset, offset + name.length);
      if (!node || node.startIndex !== offset || node.endIndex !== offset + name.length) continue;
      if (
        node.type === 'identifier' ||
        node.type === 'shorthand_property_identifier' ||
        // TypeScript spells a class's name as a type: the class binds it as a value too.
        (node.type === 'type_identifier' && CLASSES.has(this.tree.parent(node)?.type ?? ''))
      )
        this.classify(node, name);
      else if (node.type === 'shorthand_property_identifier_pattern') this.classifyPattern(node, name);
    }
  }

  protected pushUse(node: Node, name: string): void {
    this.uses.push([node, name]);
    let list = this.usesOf.get(name);
    if (!list) this.usesOf.set(name, (list = []));
    list.push(node);
  }

  private classify(node: Node, name: string): void {
    const parent = this.tree.parent(node);
    if (!parent) return;
    if (node.type === 'shorthand_property_identifier') {
      this.pushUse(node, name);
      return;
    }
    if (this.inType(node)) return;
    const namespace = namespaceNamed(this.tree, node);
    if (namespace) {
      this.declareNamespace(name, namespace);
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
        if (same(parent.childForFieldName('name'), node)) {
          this.declareFunction(name, parent);
          return;
        }
        break;
      case 'class_declaration':
      case 'class':
        if (same(parent.childForFieldName('name'), node)) {
          this.declareClass(name, parent);
          return;
        }
        break;
      case 'function_expression':
      case 'function':
      case 'generator_function':
        // A function expression's own name is bound inside it only, for its whole body.
        if (same(parent.childForFieldName('name'), node)) {
          this.hoist(name, this.contextOf(node), [{ k: 'fn', node: parent }], { immutable: true });
          return;
        }
        break;
      case 'arrow_function':
        if (same(parent.childForFieldName('parameter'), node)) {
          this.hoist(name, this.contextOf(node), this.injected.get(node.id) ?? [OPAQUE], { site: node.id });
          return;
        }
        break;
      case 'catch_clause':
        // What a `throw` in the try hands it (handoffs.ts), else unknown.
        if (same(parent.childForFieldName('parameter'), node)) {
          this.hoist(name, this.contextOf(node), this.injected.get(node.id) ?? [OPAQUE], { site: node.id });
          return;
        }
        break;
      case 'for_in_statement':
        if (same(parent.childForFieldName('left'), node)) {
          const forOf = isForOf(this.text, parent);
          this.loopBinding(name, node, parent, {
            valueNode: forOf ? parent.childForFieldName('right') : null,
            value: forOf ? undefined : [OPAQUE],
            iterate: forOf,
          });
          return;
        }
        break;
      case 'assignment_expression':
        if (same(parent.childForFieldName('left'), node)) {
          this.assign(name, parent, { valueNode: parent.childForFieldName('right') });
          return;
        }
        break;
      case 'augmented_assignment_expression':
        if (same(parent.childForFieldName('left'), node)) {
          // `f ||= g` may keep f; `f += g` replaces it with what the operator gives.
          const operator = parent.childForFieldName('operator');
          const logical = !!operator && ['&&=', '||=', '??='].includes(this.nodeText(operator));
          if (logical) this.assign(name, parent, { valueNode: parent.childForFieldName('right') }, 'may');
          else this.assign(name, parent, { value: [OPAQUE] });
          return;
        }
        break;
      case 'enum_declaration':
        // `enum E { A = v }`: E is bound like a class, to an object of its members.
        if (same(parent.childForFieldName('name'), node)) {
          this.declareClass(name, parent);
          return;
        }
        break;
      case 'export_specifier': {
        // `namespace N { export { m } }`: N exports m.
        const clause = this.tree.parent(parent);
        if (clause) this.scanNamespaceOf(clause);
        return;
      }
      case 'import_clause':
      case 'namespace_import':
      case 'import_specifier':
      case 'import_require_clause':
        return;
      default:
        // TypeScript's `(m = cp)`: the default value is a use, not the parameter.
        if (parent.type.endsWith('_parameter') && same(parent.childForFieldName('value'), node)) break;
        if (PARAMETER_PARENTS.has(parent.type) || PATTERNS.has(parent.type)) {
          this.classifyPattern(node, name);
          return;
        }
    }
    this.pushUse(node, name);
  }

  /** A property's name: written out, quoted, or computed from constants (`[`ex${"ec"}`]`); else unknown. */
  propertyKey(key: Node | null | undefined): string | undefined {
    if (!key) return undefined;
    if (key.type !== 'computed_property_name') return this.nodeText(key).replace(/^['"]|['"]$/g, '');
    const expression = key.namedChildren.find((c): c is Node => !!c && c.type !== 'comment');
    return expression ? constString(this.evalExpr(expression)) : undefined;
  }

  /** Where a name sits in a destructuring pattern; 'key' for a property name, 'use' in a default value. */
  patternPlace(node: Node, name: string): PatternPlace | 'key' | 'use' {
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
          // `const { ...rest } = cp`: rest holds the object's other members (the object, for a lookup);
          // an array's rest is a slice of unknown elements.
          if (this.tree.parent(parent)?.type !== 'object_pattern') keys.push(undefined);
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
    if (holder.type === 'for_in_statement' && same(holder.childForFieldName('left'), top)) {
      // `for (const [name, f] of Object.entries(cp))`: the names take members of each element.
      const forOf = isForOf(this.text, holder);
      this.loopBinding(name, node, holder, {
        valueNode: forOf && path ? holder.childForFieldName('right') : null,
        value: forOf && path ? undefined : [OPAQUE],
        path,
        iterate: true,
      });
      return;
    }
    if (holder.type === 'assignment_expression' && same(holder.childForFieldName('left'), top)) {
      this.assign(name, holder, {
        valueNode: path ? holder.childForFieldName('right') : null,
        value: path ? undefined : [OPAQUE],
        path,
      });
      return;
    }
    // A parameter (or a catch clause's pattern): bound from the start of its function.
    this.hoist(name, this.contextOf(node), this.injected.get(node.id) ?? [OPAQUE], { site: node.id });
  }

  /** `var`/`let`/`const` (a `declare var` in TypeScript binds nothing at run time). */
  private declare(
    name: string,
    node: Node,
    declarator: Node,
    options: { valueNode: Node | null; path?: string[] },
  ): void {
    const declaration = this.tree.parent(declarator);
    if (declaration && this.tree.parent(declaration)?.type === 'ambient_declaration') return;
    if (declaration) this.scanNamespaceOf(declaration);
    const isVar = declaration?.type === 'variable_declaration';
    const chain = this.contextOf(node);
    const kind = declaration?.childForFieldName('kind');
    this.pushBinding({
      name,
      chain: isVar ? functionChain(chain) : chain,
      declaration: true,
      kind: isVar ? 'var' : 'lexical',
      at: declarator,
      pos: declarator.endIndex,
      immutable: !isVar && !!kind && this.nodeText(kind) === 'const',
      declareOnly: isVar && !declarator.childForFieldName('value'),
      valueNode: options.valueNode,
      path: options.path,
      value: options.valueNode ? undefined : [OPAQUE],
    });
  }

  /**
   * A function declaration: hoisted with its value through its block (a function's body: the function).
   * One declared in a nested block is also copied to the enclosing function's var in sloppy mode (Annex
   * B) but not in strict code: outside the block either the function or the outer meaning, a `may` row.
   */
  private declareFunction(name: string, fn: Node): void {
    this.scanNamespaceOf(fn);
    const chain = this.contextOf(fn);
    const value: Value[] = [{ k: 'fn', node: fn }];
    const block = chain[0].kind === 'block' ? chain[0].node : undefined;
    const blockParent = block ? this.tree.parent(block) : null;
    if (!block || (blockParent && FUNCTIONS.has(blockParent.type))) {
      this.hoist(name, block ? functionChain(chain) : chain, value);
      return;
    }
    this.hoist(name, chain, value);
    this.pushBinding({
      name,
      chain: chain.slice(1),
      declaration: false,
      kind: 'may',
      at: fn,
      pos: fn.startIndex,
      value,
    });
  }

  /** `class X {}`: X from the end of the class on (TDZ before), and inside the class body throughout. */
  private declareClass(name: string, cls: Node): void {
    this.scanNamespaceOf(cls);
    const body = cls.childForFieldName('body');
    if (body) {
      const inner: Scope = { key: body.id, kind: 'class', node: body };
      this.hoist(name, [inner, ...this.contextOf(body)], undefined, { immutable: true, valueNode: cls });
    }
    if (cls.type !== 'class_declaration' && cls.type !== 'enum_declaration') return;
    this.pushBinding({
      name,
      chain: this.contextOf(cls),
      declaration: true,
      kind: 'lexical',
      at: cls,
      pos: cls.endIndex,
      valueNode: cls,
    });
  }

  /**
   * `namespace N { ... }` (namespaces.ts): N is declared like a var, and each block of that name adds its
   * exports as a possible value (blocks of one name merge).
   */
  private declareNamespace(name: string, namespace: Node): void {
    this.scanNamespaceOf(namespace);
    const chain = this.contextOf(namespace);
    const at = namespace;
    this.pushBinding({
      name,
      chain: functionChain(chain),
      declaration: true,
      kind: 'var',
      declareOnly: true,
      at,
      pos: at.startIndex,
    });
    this.pushBinding({ name, chain, declaration: false, kind: 'may', at, pos: at.endIndex, valueNode: at });
  }

  /** A declaration exported from a namespace: the namespace's name is followed (`N.m` reads it). */
  private scanNamespaceOf(declaration: Node): void {
    const namespace = exportingNamespace(this.tree, declaration);
    const root = namespace && namespacePath(this.text, namespace)?.root;
    if (root) this.scanName(root);
  }

  /** A binding in effect from its scope's start: a parameter, a catch parameter, a function's own name. */
  private hoist(
    name: string,
    chain: Scope[],
    value: Value[] | undefined,
    options: { site?: number; immutable?: boolean; valueNode?: Node } = {},
  ): void {
    this.pushBinding({
      name,
      chain,
      declaration: true,
      kind: 'hoisted',
      pos: chain[0].node?.startIndex ?? 0,
      value,
      ...options,
    });
  }

  /** `for (const x of xs)` (per pass, in the loop), `for (var x in o)` (the function's var), `for (x of xs)`. */
  private loopBinding(
    name: string,
    node: Node,
    loop: Node,
    options: Pick<Binding, 'valueNode' | 'value' | 'path' | 'iterate'>,
  ): void {
    const kind = loop.childForFieldName('kind');
    const keyword = kind ? this.nodeText(kind) : '';
    const chain = this.contextOf(node);
    const at = loop.childForFieldName('left') ?? node;
    if (!keyword) {
      this.assign(name, at, options);
      return;
    }
    this.pushBinding({
      name,
      chain: keyword === 'var' ? functionChain(chain) : chain,
      declaration: true,
      kind: keyword === 'var' ? 'var' : 'lexical',
      at,
      pos: at.endIndex,
      immutable: keyword === 'const',
      ...options,
    });
  }

  /** An assignment (`x = v`, `[x] = v`, `x += v`): it binds whatever variable x is where it runs. */
  private assign(
    name: string,
    site: Node,
    options: Pick<Binding, 'valueNode' | 'value' | 'path' | 'iterate'>,
    kind: 'assign' | 'may' = 'assign',
  ): void {
    this.pushBinding({
      name,
      chain: this.contextOf(site),
      declaration: false,
      kind,
      at: site,
      pos: site.endIndex,
      ...options,
    });
  }

  pushBinding(binding: Binding): void {
    let list = this.bindings.get(binding.name);
    if (!list) this.bindings.set(binding.name, (list = []));
    list.push(binding);
  }

  /** The values a name may have at a use: the bindings that reach it (reaching.ts), or the global. */
  resolveUse(node: Node, name: string): Value[] {
    this.scanName(name);
    const all = this.bindings.get(name);
    const global = (): Value[] =>
      name === 'arguments' ? wrapperArguments(this.tree, node) : globalValue(name);
    if (!all || all.length === 0) return global();
    const { rows, outer, variable } = this.reaching.reach(node, name, all);
    if (variable?.declarations.some((b) => b.site !== undefined && this.injected.has(b.site)))
      this.injectedUses.add(node.id);
    return dedupe([...rows.flatMap((b) => this.bindingValue(b)), ...(outer ? global() : [])]);
  }

  private bindingValue(binding: Binding): Value[] {
    if (binding.value) return binding.value;
    if (!binding.valueNode || binding.evaluating) return [OPAQUE];
    binding.evaluating = true;
    try {
      let values = this.evalExpr(binding.valueNode);
      if (binding.iterate)
        values = dedupe(values.flatMap((v) => (v.k === 'seq' ? v.items.flat() : [OPAQUE])));
      for (const key of binding.path ?? []) values = membersOf(values, [key]);
      binding.value = dedupe(values);
    } finally {
      binding.evaluating = false;
    }
    return binding.value;
  }
}

/** The chain from the function (class body, program) a `var` belongs to. */
function functionChain(chain: Scope[]): Scope[] {
  return chain.slice(chain.findIndex((s) => s.kind !== 'block'));
}

/** What an unbound name is: a global object, a module that is a global, or a global function. */
function globalValue(name: string): Value[] {
  if (GLOBAL_OBJECTS.has(name)) return [{ k: 'ns', q: 'builtins' }];
  if (GLOBAL_MODULES.has(name)) return [{ k: 'q', q: name }];
  if (GLOBAL_NAMES.has(name) || RESOLVED_GLOBALS.has(name)) return [{ k: 'q', q: `builtins.${name}` }];
  return [];
}
