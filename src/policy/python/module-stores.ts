// A module stored into `sys.modules` under a new name: `sys.modules["h"] = os`, `sys.modules.update(h=os)`,
// `sys.modules.setdefault("h", os)`, `sys.modules.__setitem__("h", os)`. From then on `import h`,
// `from h import system`, `importlib.import_module("h")`, `__import__("h")` and `sys.modules["h"]` give the
// module; under a dotted name (`sys.modules["a.b"] = os`), `import a.b` (then `a.b`), `from a import b` and
// `__import__("a.b").b` too. flow.ts sees the store; this records it (Flows.modules, which the evaluator's
// imports by name read), binds the file's imports of that name again and has the imports by name followed.
import type { Node } from 'web-tree-sitter';
import { constString, constStrings, dedupe, type Value } from '../shared/value';
import type { Binder } from './binder';
import type { Evaluator } from './evaluator';
import { occurrencesOf } from './seeds';
import {
  identName,
  inFocus,
  nodeText,
  same,
  type Budget,
  type Flows,
  type Source,
  type Worklist,
} from './state';
import { isTracked, packageOf } from './values';

/** What flow.ts lends: following a name that gained a value, and dropping cached evaluations. */
export interface StoreHooks {
  follow(name: string): void;
  invalidate(): void;
}

/** Methods of a dict that store under a key (`sys.modules`, an attribute table): the key's and the value's places. */
export const STORING_METHODS: Readonly<Record<string, readonly [number, number]>> = {
  setdefault: [0, 1],
  __setitem__: [0, 1],
};

/** Statements whose target a subscript at their start is. */
const STORES = new Set(['assignment', 'augmented_assignment', 'delete_statement']);

export class ModuleStores {
  constructor(
    private readonly source: Source,
    private readonly budget: Budget,
    private readonly worklist: Worklist,
    private readonly flows: Flows,
    private readonly binder: Binder,
    private readonly evaluator: Evaluator,
    private readonly hooks: StoreHooks,
  ) {}

  /** Whether an expression is `sys.modules` (however it is spelled or imported). */
  isModuleTable(node: Node | null | undefined): boolean {
    return !!node && this.evaluator.evalExpr(node).some((v) => v.k === 'q' && v.q === 'sys.modules');
  }

  /**
   * A followed value given to a method call on `sys.modules`: `update(h=os)`, `update({"h": os})`,
   * `setdefault("h", os)`, `__setitem__("h", os)`. True when the call stores into `sys.modules`.
   */
  methodStore(
    holder: Node,
    method: string,
    call: Node,
    argument: Node,
    keyword: string | undefined,
  ): boolean {
    if (!this.isModuleTable(holder)) return false;
    const args = this.evaluator.argumentsOf(call);
    if (method === 'update') {
      if (keyword !== undefined) this.store(keyword, this.evaluator.evalExpr(argument));
      else
        for (const mapping of this.evaluator.evalExpr(argument))
          if (mapping.k === 'dict') mapping.keys.forEach((key, i) => this.store(key, mapping.items[i]));
      return true;
    }
    const places = STORING_METHODS[method];
    if (!places || keyword !== undefined || !same(args.positional[places[1]], argument)) return false;
    const key = args.positional[places[0]];
    for (const name of (key && constStrings(this.evaluator.evalExpr(key))) ?? [])
      this.store(name, this.evaluator.evalExpr(argument));
    return true;
  }

  /** `sys.modules[name] = values`: what imports of `name` give from now on. */
  store(name: string, values: readonly Value[]): void {
    const kept = values.filter(isTracked);
    const known = this.flows.modules.get(name) ?? [];
    const merged = dedupe([...known, ...kept]);
    if (merged.length === known.length) return;
    this.flows.modules.set(name, merged);
    this.flows.crossUnit = true;
    this.hooks.invalidate();
    const last = name.slice(name.lastIndexOf('.') + 1);
    for (const [offset, length] of occurrencesOf(this.source, last)) {
      if (!this.budget.spend()) return;
      const node = this.source.tree.descendantAt(offset, offset + length);
      if (node) this.rebind(node, name, merged);
    }
  }

  /** An occurrence of a stored name: an import of it is bound again, an import by a constant name followed. */
  private rebind(node: Node, name: string, values: Value[]): void {
    const tree = this.source.tree;
    let dotted: Node | null = node;
    while (dotted && dotted.type !== 'dotted_name' && dotted.type !== 'string') dotted = tree.parent(dotted);
    if (!dotted) return;
    if (dotted.type === 'string') {
      if (constString(this.evaluator.evalExpr(dotted)) !== name) return;
      // `import_module("h")`, `__import__("h")`, `sys.modules["h"]`, `sys.modules.get("h")`.
      let site = tree.parent(dotted);
      if (site?.type === 'argument_list') site = tree.parent(site);
      if ((site?.type !== 'call' && site?.type !== 'subscript') || !inFocus(this.source, site.startIndex))
        return;
      // The store itself (`sys.modules["h"] = os`, `del sys.modules["h"]`) reads nothing.
      const statement = tree.parent(site);
      if (
        site.type === 'subscript' &&
        statement &&
        STORES.has(statement.type) &&
        site.startIndex === statement.startIndex
      )
        return;
      const reached = this.evaluator.evalExpr(site);
      if (reached.some(isTracked)) this.worklist.expressions.push([site, reached]);
      return;
    }
    const parent = tree.parent(dotted);
    const statement = parent?.type === 'aliased_import' ? tree.parent(parent) : parent;
    if (!parent || !statement) return;
    const written = nodeText(this.source, dotted).replace(/\s+/g, '');
    // `from a import b [as h]` after `sys.modules["a.b"] = os`: the imported name is the stored module.
    const module = statement.childForFieldName('module_name');
    const imported = parent.type === 'aliased_import' ? parent.childForFieldName('name') : dotted;
    if (
      written !== name &&
      statement.type === 'import_from_statement' &&
      module &&
      same(imported, dotted) &&
      `${nodeText(this.source, module).replace(/\s+/g, '')}.${written}` === name
    )
      return this.bindImport(
        parent.type === 'aliased_import' ? parent.childForFieldName('alias') : dotted,
        statement,
        values,
      );
    if (written !== name) return;
    const bind = (target: Node | null | undefined, value: Value[]): void =>
      this.bindImport(target, statement, value);
    if (statement.type === 'import_statement') {
      // `import h` binds h; `import h as m` binds m; a dotted `import a.b` binds a, whose `.b` is the module.
      if (parent.type === 'aliased_import') bind(parent.childForFieldName('alias'), values);
      else if (!name.includes('.')) bind(dotted, values);
      else bind(dotted.namedChildren[0], [packageOf(name.split('.').slice(1), values)]);
      return;
    }
    if (
      statement.type !== 'import_from_statement' ||
      !same(statement.childForFieldName('module_name'), dotted)
    )
      return;
    for (const child of statement.namedChildren) {
      if (!child || same(child, dotted)) continue;
      const imported = child.type === 'aliased_import' ? child.childForFieldName('name') : child;
      const alias = child.type === 'aliased_import' ? child.childForFieldName('alias') : child;
      if (imported?.type === 'dotted_name' && imported.namedChildCount === 1)
        bind(alias, this.evaluator.memberValues(values, identName(this.source, imported)));
    }
  }

  /** An import statement binds a name to the stored module, whose uses are followed. */
  private bindImport(target: Node | null | undefined, statement: Node, value: Value[]): void {
    if (!target) return;
    const bound = identName(this.source, target);
    this.binder.bind(bound, statement, { kind: 'value', value, pos: statement.endIndex, conditional: true });
    this.hooks.follow(bound);
  }
}
