// What the calls the catalog models (catalog/propagators.ts) give, one case per kind of row: a module by
// name, a member by name, an argument passed through, the values and entries of an object, a proxy, what a
// promise settles with. The evaluator (evaluator.ts) calls it for every call of a propagator.
import type { Node } from 'web-tree-sitter';
import { OPAQUE, dedupe, type Value } from '../shared/value';
import type { JsPropagatorKind } from './catalog/propagators';
import { Evaluator } from './evaluator';
import { settledWith } from './promises';
import { proxyValue, registryValue, resolversSettledWith, resolversValue } from './late-values';
import {
  COMPUTED_KEY,
  anyMemberOf,
  descriptor,
  fromEntries,
  getterKey,
  isTracked,
  membersOf,
  prototypeOf,
} from './values';

export abstract class Propagators extends Evaluator {
  /** What a propagator's call gives, by the kind of its catalog row. */
  protected propagate(kind: JsPropagatorKind, call: Node, args: Node[]): Value[] {
    switch (kind) {
      case 'module-by-name':
        return this.moduleValuesOf(args[0]);
      case 'require-function':
        return [{ k: 'q', q: 'builtins.require' }];
      case 'home-directory':
        return [{ k: 'str', v: '~' }];
      case 'merged-members': {
        // The target gains the sources' members: a module merged in is reached through it.
        const out = args.slice(0, 8).flatMap((arg) => this.evalExpr(arg).filter(isTracked));
        return out.length > 0 ? out : [OPAQUE];
      }
      case 'any-element': {
        const list = args[0] ? this.evalExpr(args[0]) : [];
        return list.flatMap((v) => (v.k === 'seq' ? v.items.flat() : [OPAQUE]));
      }
      case 'member-by-name': {
        if (!args[0]) return [OPAQUE];
        const keys = args[1] ? this.keysOf(args[1]) : undefined;
        const object = this.evalExpr(args[0]);
        return keys ? membersOf(object, keys) : anyMemberOf(object);
      }
      case 'values-of':
        return args[0]
          ? [{ k: 'seq', items: this.membersByName(args[0]).map(([, member]) => member) }]
          : [OPAQUE];
      case 'entries-of':
        return args[0]
          ? [
              {
                k: 'seq',
                items: this.membersByName(args[0]).map(([key, member]) => [
                  { k: 'seq', items: [[key], member] },
                ]),
              },
            ]
          : [OPAQUE];
      case 'from-entries':
        return args[0] ? fromEntries(this.evalExpr(args[0])) : [OPAQUE];
      case 'descriptor-of': {
        if (!args[0]) return [OPAQUE];
        const keys = args[1] ? this.keysOf(args[1]) : undefined;
        const object = this.evalExpr(args[0]);
        const getter = keys ? membersOf(object, keys.map(getterKey)).filter((v) => v.k === 'fn') : [];
        return [descriptor(keys ? membersOf(object, keys) : anyMemberOf(object), getter)];
      }
      case 'descriptors-of': {
        // Any name gives a descriptor of any member: `descriptors.spawn.value`.
        const members = args[0] ? anyMemberOf(this.evalExpr(args[0])) : [OPAQUE];
        return members.some(isTracked) ? members : [OPAQUE];
      }
      case 'prototype-of':
        return args[0] ? this.evalExpr(args[0]).map(prototypeOf) : [OPAQUE];
      case 'revocable-proxy':
        return [{ k: 'dict', keys: ['proxy'], items: [this.proxied(args)] }];
      case 'created-object': {
        // `Object.create(proto, { m: { value: cp } })`: proto's members, and those the descriptors define.
        const proto = args[0] ? this.evalExpr(args[0]) : [OPAQUE];
        const defined = (args[1] ? this.evalExpr(args[1]) : []).flatMap((v): Value[] =>
          v.k === 'dict'
            ? [{ k: 'dict', keys: v.keys, items: v.items.map((d) => this.describedMember(d)) }]
            : [],
        );
        return [...proto, ...defined];
      }
      case 'proxy':
        return this.proxied(args);
      case 'cleanup-callback':
        return [registryValue(args[0] ? this.evalExpr(args[0]) : [])];
      case 'with-resolvers': {
        const settled = resolversSettledWith(this.text, this.tree, call, (w) => this.words.occurrences(w));
        return [resolversValue(settled.flatMap((n) => this.evalExpr(n)))];
      }
      case 'same-as-argument':
        return args[0] ? this.evalExpr(args[0]) : [OPAQUE];
      case 'list-of-arguments':
        return [{ k: 'seq', items: args.slice(0, 64).map((a) => this.evalExpr(a)) }];
      case 'grouped-object':
      case 'grouped-map': {
        // Every group is a list of (some of) the items, under a key the analysis does not know.
        const items = args[0]
          ? this.evalExpr(args[0]).flatMap((v) => (v.k === 'seq' ? v.items.flat() : []))
          : [];
        const group: Value = { k: 'seq', items: [dedupe(items)] };
        return kind === 'grouped-map'
          ? [{ k: 'seq', items: [[{ k: 'seq', items: [[OPAQUE], [group]] }]] }]
          : [{ k: 'dict', keys: [COMPUTED_KEY], items: [[group]] }];
      }
      case 'held-element':
        return [{ k: 'seq', items: [args[0] ? this.evalExpr(args[0]) : [OPAQUE]] }];
      case 'settled-value': {
        // `new Promise((resolve) => resolve(cp))`: what the executor settles it with (promises.ts).
        const executors = args[0] ? this.evalExpr(args[0]).filter((v) => v.k === 'fn') : [];
        const settled = executors.flatMap((e) => settledWith(this.text, e.node).map((n) => this.evalExpr(n)));
        return settled.length > 0 ? dedupe([OPAQUE, ...settled.flat()]) : [OPAQUE];
      }
      default:
        // Every kind has a case above: a new one does not compile until it has.
        return kind satisfies never;
    }
  }

  /** A property descriptor's member: its `value`, or what its `get` returns. */
  private describedMember(descriptors: Value[]): Value[] {
    const getters = membersOf(descriptors, ['get']).flatMap((g) =>
      g.k === 'fn' ? this.returnsOf(g.node) : [],
    );
    return dedupe([...membersOf(descriptors, ['value']), ...getters]);
  }

  /** `new Proxy(target, handler)`, `Proxy.revocable(...)`: the proxy (late-values.ts). */
  private proxied(args: Node[]): Value[] {
    const target = args[0] ? this.evalExpr(args[0]) : [OPAQUE];
    return args[1] ? proxyValue(target, this.evalExpr(args[1]), (fn) => this.returnsOf(fn)) : target;
  }

  /**
   * An object's members with their names: an object literal's, each by its key; a module's, any member
   * under an unknown name; nothing known otherwise.
   */
  private membersByName(node: Node): Array<[Value, Value[]]> {
    const out: Array<[Value, Value[]]> = [];
    for (const value of this.evalExpr(node)) {
      if (value.k === 'dict')
        value.keys.forEach((key, i) => out.push([{ k: 'str', v: key }, value.items[i]]));
      else out.push([OPAQUE, anyMemberOf([value])]);
    }
    return out.slice(0, 1000);
  }
}
