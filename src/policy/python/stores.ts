// Where the forward flow (flow.ts) stores a followed value for later reads: into a container a name holds
// (`xs.append(os)`, `d["k"] = os`: the name is bound to the container holding it), into an attribute by
// name (`obj.m = os`, read as `x.m` or `getattr(x, "m")` anywhere), or into the module's namespace or the
// builtins (`globals()["h"] = os`: the bare name `h`).
import type { Node } from 'web-tree-sitter';
import { constString, dedupe, type Value } from '../shared/value';
import { isAttributeTable } from './attribute-tables';
import { attributeReads } from './attribute-reads';
import type { Binder } from './binder';
import { storedByMethod } from './container-methods';
import type { Evaluator } from './evaluator';
import type { ModuleStores } from './module-stores';
import { identName, type Budget, type Flows, type Source, type Worklist } from './state';
import { holdsGlobals } from './values';

/** What the flow does around a store. */
export interface StoreHooks {
  /** Whether a value can lead to a finding. */
  tracked(value: Value): boolean;
  /** A name gained a value: its uses are followed (again). */
  follow(name: string): void;
  /** Cached evaluations may be stale. */
  invalidate(): void;
  /** A name's uses were followed again too many times already. */
  followedOften(name: string): boolean;
}

export class Stores {
  private readonly done = new Set<string>();

  constructor(
    private readonly source: Source,
    private readonly budget: Budget,
    private readonly worklist: Worklist,
    private readonly flows: Flows,
    private readonly binder: Binder,
    private readonly evaluator: Evaluator,
    private readonly moduleStores: ModuleStores,
    private readonly hooks: StoreHooks,
  ) {}

  /** `xs.append(v)`, `xs.add(v)`, `xs.insert(i, v)`, `d[k] = v`: the container holds the value from then on. */
  container(
    target: Node,
    argument: Node | undefined,
    keyword: string | undefined,
    site: Node,
    values: Value[],
  ): void {
    let holder: Node | null;
    let stored: Value[];
    const kept = values.filter(this.hooks.tracked);
    if (kept.length === 0) return;
    if (target.type === 'attribute') {
      holder = target.childForFieldName('object');
      const method = target.childForFieldName('attribute');
      const call = this.source.tree.parent(site);
      if (!method || !argument || call?.type !== 'call') return;
      const put = storedByMethod(
        this.evaluator,
        identName(this.source, method),
        call,
        argument,
        keyword,
        kept,
      );
      if (!put) return;
      stored = [put];
    } else {
      holder = target.childForFieldName('value');
      const keyNode = target.childForFieldName('subscript');
      const key = keyNode ? constString(this.evaluator.evalExpr(keyNode)) : undefined;
      // `d[1] = os`: a list or a dict that any key other than a constant string reads.
      stored = key !== undefined ? [dict([key], kept)] : [{ k: 'seq', items: [kept] }, dict(['\0'], kept)];
      if (key !== undefined && holder && holdsGlobals(this.evaluator.evalExpr(holder)))
        return this.injectName(key, site, kept);
      if (key !== undefined && this.moduleStores.isModuleTable(holder))
        return this.moduleStores.store(key, kept);
      if (key !== undefined && holder && isAttributeTable(this.source, this.evaluator, holder))
        return this.attribute(key, kept);
    }
    if (holder?.type !== 'identifier') return;
    const name = identName(this.source, holder);
    if (!this.once(`store:${site.id}:${name}`) || this.hooks.followedOften(name)) return;
    this.binder.bind(name, site, { kind: 'value', value: stored, pos: site.endIndex, conditional: true });
    this.flows.crossUnit = true;
    this.hooks.invalidate();
    this.hooks.follow(name);
  }

  /** `globals()["h"] = os`, `builtins.h = os`, `setattr(builtins, "h", os)`: the bare name `h` holds the value (in its scope when not global). */
  injectName(name: string, site: Node, values: Value[], global = true): void {
    const kept = values.filter(this.hooks.tracked);
    if (kept.length === 0 || !this.once(`inject:${site.id}:${name}`)) return;
    this.binder.bind(name, site, {
      kind: 'value',
      value: kept,
      pos: site.endIndex,
      conditional: true,
      global,
    });
    this.flows.crossUnit = true;
    this.hooks.invalidate();
    this.hooks.follow(name);
  }

  /** `obj.attr = <tracked>`: reads of `.attr` (or `getattr(x, "attr")`) elsewhere in the file may give it. */
  attribute(attribute: string, values: Value[]): void {
    const known = this.flows.attributes.get(attribute) ?? [];
    const merged = dedupe([...known, ...values.filter(this.hooks.tracked)]);
    if (merged.length === known.length) return;
    this.flows.attributes.set(attribute, merged);
    this.flows.crossUnit = true;
    for (const read of attributeReads(this.source, this.budget, this.evaluator, attribute))
      this.worklist.expressions.push([read, merged]);
  }

  /** True the first time a store key is seen. */
  private once(key: string): boolean {
    if (this.done.has(key)) return false;
    this.done.add(key);
    return true;
  }
}

function dict(keys: string[], kept: Value[]): Value {
  return { k: 'dict', keys, items: [kept] };
}
