// Bindings: every occurrence of a followed name is classified through the tree (a declaration, a
// parameter, a destructured name, an assignment or a use), and a use resolves to the values of the
// bindings of the innermost scope that declares the name (else the global).
import type { Node } from 'web-tree-sitter';
import { OPAQUE, constString, dedupe, type Value } from '../shared/value';
import { GLOBAL_MODULES, GLOBAL_NAMES, GLOBAL_OBJECTS, RESOLVED_GLOBALS } from './catalog/names';
import type { Binding, PatternPlace } from './scopes';
import { AnalysisState } from './state';
import { PARAMETER_PARENTS, PATTERNS, isForOf, same } from './syntax';
import { membersOf } from './values';

export abstract class Binder extends AnalysisState {
  scanName(name: string): void {
    if (this.scanned.has(name)) return;
    this.scanned.add(name);
    for (const offset of this.seeds.get(name) ?? this.words.occurrences(name)) {
      if (!this.budget()) return;
      const node = this.tree.descendantAt(offset, offset + name.length);
      if (!node || node.startIndex !== offset || node.endIndex !== offset + name.length) continue;
      if (node.type === 'identifier' || node.type === 'shorthand_property_identifier')
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
          if (isForOf(this.text, parent))
            this.pushBinding({
              name,
              chain: this.contextOf(node),
              declaration: true,
              valueNode: parent.childForFieldName('right'),
              iterate: true,
            });
          else this.addBinding(name, node, true, [OPAQUE]);
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
    if (
      holder.type === 'for_in_statement' &&
      same(holder.childForFieldName('left'), top) &&
      isForOf(this.text, holder)
    ) {
      // `for (const [name, f] of Object.entries(cp))`: the names take members of each element.
      this.pushBinding({
        name,
        chain: this.contextOf(node),
        declaration: true,
        valueNode: path ? holder.childForFieldName('right') : null,
        value: path ? undefined : [OPAQUE],
        path,
        iterate: true,
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

  pushBinding(binding: Binding): void {
    let list = this.bindings.get(binding.name);
    if (!list) this.bindings.set(binding.name, (list = []));
    list.push(binding);
  }

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
    return dedupe([...assigned.flatMap((b) => this.bindingValue(b)), ...globalValue(name)]);
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

/** What an unbound name is: a global object, a module that is a global, or a global function. */
function globalValue(name: string): Value[] {
  if (GLOBAL_OBJECTS.has(name)) return [{ k: 'ns', q: 'builtins' }];
  if (GLOBAL_MODULES.has(name)) return [{ k: 'q', q: name }];
  if (GLOBAL_NAMES.has(name) || RESOLVED_GLOBALS.has(name)) return [{ k: 'q', q: `builtins.${name}` }];
  return [];
}
