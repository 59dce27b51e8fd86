// JavaScript propagators: calls that pass a dangerous value on (a module by name, a member by name, an
// argument unchanged). Each is one row; the evaluator (../evaluator.ts, callResults) has one case per
// `kind`. test/unit/policy/propagators.test.ts runs every row's example.
import type { RuleId } from '../../rules';

/** What a propagator's call gives. */
export type JsPropagatorKind =
  /** `require(name)`: the module `name` (a computed name: a module chosen at run time). */
  | 'module-by-name'
  /** `createRequire(url)`: a require function. */
  | 'require-function'
  /** `os.homedir()`: the home directory, `~`. */
  | 'home-directory'
  /** `Object.assign(target, ...sources)`: the target gains the sources' members. */
  | 'merged-members'
  /** `Promise.race(list)`: any element of the list. */
  | 'any-element'
  /** `Reflect.get(obj, name)`: the member. */
  | 'member-by-name'
  /** `Object.getPrototypeOf(x)`: Function.prototype for a function. */
  | 'prototype-of'
  /** `Promise.resolve(x)`, `Object.freeze(x)`: x. */
  | 'same-as-argument'
  /** `Object.values(x)`: an array of x's members (any member of a module). */
  | 'values-of'
  /** `Object.entries(x)`: an array of [name, member] pairs. */
  | 'entries-of'
  /** `Object.fromEntries(pairs)`: an object with those members (a module's, when they came from one). */
  | 'from-entries'
  /** `Object.getOwnPropertyDescriptor(x, name)`: a descriptor whose `value` is the member. */
  | 'descriptor-of'
  /** `Object.getOwnPropertyDescriptors(x)`: descriptors by name, each `value` a member. */
  | 'descriptors-of'
  /** `Proxy.revocable(x, handler)`: `{ proxy, revoke }`, the proxy passing x's members on. */
  | 'revocable-proxy'
  /** `new WeakRef(x)`: a holder of x, a list of one element (`deref()` gives it). */
  | 'held-element'
  /** `new Promise(executor)`: what the executor hands its resolve or reject (promises.ts). */
  | 'settled-value'
  /** `new Proxy(target, handler)`: the target's members, and what the handler's `get` trap returns. */
  | 'proxy'
  /** `new FinalizationRegistry(cb)`: a registry keeping cb, called by `register(o, v)` with v. */
  | 'cleanup-callback'
  /** `Promise.withResolvers()`: `{ promise, resolve, reject }`, the promise settled by the calls of either. */
  | 'with-resolvers'
  /** `Object.create(proto, descriptors)`: proto's members and the members the descriptors define. */
  | 'created-object'
  /** `Array.of(a, b)`: a list of the arguments. */
  | 'list-of-arguments'
  /** `Object.groupBy(items, fn)`: an object whose every member is a list of the items. */
  | 'grouped-object'
  /** `Map.groupBy(items, fn)`: a Map whose every value is a list of the items. */
  | 'grouped-map';

export interface JsPropagator {
  /** The canonical qualified name of the callable. */
  name: string;
  kind: JsPropagatorKind;
  /** A snippet in which the propagator passes a value on to a sink, and the rule it must report. */
  example: string;
  reports: RuleId;
}

export const JS_PROPAGATORS: readonly JsPropagator[] = [
  {
    name: 'builtins.require',
    kind: 'module-by-name',
    example: 'require("child_process").exec("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'module.require',
    kind: 'module-by-name',
    example: 'module.require("child_process").exec("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'process.getBuiltinModule',
    kind: 'module-by-name',
    example: 'process.getBuiltinModule("child_process").execSync("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'module.createRequire',
    kind: 'require-function',
    example:
      'import { createRequire } from "module";\nconst r = createRequire(import.meta.url);\nr("child_process").exec("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'os.homedir',
    kind: 'home-directory',
    example:
      'const fs = require("fs");\nconst os = require("os");\nfs.readFileSync(os.homedir() + "/.ssh/id_rsa");\n',
    reports: 'read-outside-workdir',
  },
  {
    name: 'builtins.Object.assign',
    kind: 'merged-members',
    example: 'const o = Object.assign({}, require("child_process"));\no.exec("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Promise.race',
    kind: 'any-element',
    example: 'Promise.race([require("child_process")]).exec("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Promise.any',
    kind: 'any-element',
    example: 'Promise.any([require("child_process")]).exec("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Reflect.get',
    kind: 'member-by-name',
    example: 'Reflect.get(globalThis, "eval")("1 + 1");\n',
    reports: 'dynamic-code',
  },
  {
    name: 'builtins.Object.getPrototypeOf',
    kind: 'prototype-of',
    example: 'Object.getPrototypeOf(async function () {}).constructor("return 1")();\n',
    reports: 'dynamic-code',
  },
  {
    name: 'builtins.Reflect.getPrototypeOf',
    kind: 'prototype-of',
    example: 'Reflect.getPrototypeOf(function () {}).constructor("return 1")();\n',
    reports: 'dynamic-code',
  },
  {
    name: 'builtins.Promise.resolve',
    kind: 'same-as-argument',
    example: 'Promise.resolve(require("child_process")).then((cp) => cp.exec("ls"));\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Object.freeze',
    kind: 'same-as-argument',
    example: 'Object.freeze(require("child_process")).exec("ls");\n',
    reports: 'command-execution',
  },
  {
    // An object whose prototype is x has x's members.
    name: 'builtins.Object.create',
    kind: 'created-object',
    example: 'const o = Object.create(require("child_process"));\no.exec("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Object.seal',
    kind: 'same-as-argument',
    example: 'Object.seal(require("child_process")).exec("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Promise.all',
    kind: 'same-as-argument',
    example: 'Promise.all([require("child_process")]).then(([cp]) => cp.exec("ls"));\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Promise.allSettled',
    kind: 'same-as-argument',
    example: 'Promise.allSettled(require("child_process")).exec("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Object.values',
    kind: 'values-of',
    example: 'Object.values(require("child_process")).forEach((f) => f("ls"));\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Object.entries',
    kind: 'entries-of',
    example: 'for (const [, f] of Object.entries(require("child_process"))) f("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Object.fromEntries',
    kind: 'from-entries',
    example: 'Object.fromEntries(Object.entries(require("child_process"))).execSync("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Object.getOwnPropertyDescriptor',
    kind: 'descriptor-of',
    example: 'Object.getOwnPropertyDescriptor(require("child_process"), "spawn").value("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Reflect.getOwnPropertyDescriptor',
    kind: 'descriptor-of',
    example: 'Reflect.getOwnPropertyDescriptor(require("child_process"), "exec").value("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Object.getOwnPropertyDescriptors',
    kind: 'descriptors-of',
    example: 'Object.getOwnPropertyDescriptors(require("child_process")).execSync.value("ls");\n',
    reports: 'command-execution',
  },
  {
    // It gives back its first argument, which now has the second's members through its prototype.
    name: 'builtins.Object.setPrototypeOf',
    kind: 'merged-members',
    example: 'Object.setPrototypeOf({}, require("child_process")).exec("ls");\n',
    reports: 'command-execution',
  },
  {
    // A proxy with any handler may pass every member of its target on (an empty handler does).
    name: 'builtins.Proxy',
    kind: 'proxy',
    example: 'new Proxy(require("child_process"), {}).exec("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.FinalizationRegistry',
    kind: 'cleanup-callback',
    example:
      'const r = new FinalizationRegistry((m) => m.exec("ls"));\nr.register({}, require("child_process"));\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Promise.withResolvers',
    kind: 'with-resolvers',
    example:
      'const { promise, resolve } = Promise.withResolvers();\nresolve(require("child_process"));\npromise.then((m) => m.exec("ls"));\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Proxy.revocable',
    kind: 'revocable-proxy',
    example: 'Proxy.revocable(require("child_process"), {}).proxy.execSync("ls");\n',
    reports: 'command-execution',
  },
  {
    // A map is the list of its [key, value] pairs: `get` reads the value of one.
    name: 'builtins.Map',
    kind: 'same-as-argument',
    example: 'new Map([["k", require("child_process")]]).get("k").exec("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.WeakMap',
    kind: 'same-as-argument',
    example: 'const k = {};\nnew WeakMap([[k, require("child_process")]]).get(k).exec("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.WeakRef',
    kind: 'held-element',
    example: 'new WeakRef(require("child_process")).deref().exec("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Promise',
    kind: 'settled-value',
    example: 'new Promise((resolve) => resolve(require("child_process"))).then((m) => m.exec("ls"));\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Promise.reject',
    kind: 'same-as-argument',
    example: 'Promise.reject(require("child_process")).catch((m) => m.exec("ls"));\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Array.of',
    kind: 'list-of-arguments',
    example: 'Array.of(0, require("child_process"))[1].exec("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Iterator.from',
    kind: 'same-as-argument',
    example: 'const [m] = Iterator.from([require("child_process")]).toArray();\nm.exec("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Object.groupBy',
    kind: 'grouped-object',
    example: 'Object.groupBy([require("child_process")], () => "k").k[0].exec("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Map.groupBy',
    kind: 'grouped-map',
    example: 'Map.groupBy([require("child_process")], () => "k").get("k")[0].exec("ls");\n',
    reports: 'command-execution',
  },
  {
    name: 'builtins.Set',
    kind: 'same-as-argument',
    example: 'for (const m of new Set([require("child_process")])) m.exec("ls");\n',
    reports: 'command-execution',
  },
];

const BY_NAME = new Map(JS_PROPAGATORS.map((row) => [row.name, row]));

export function jsPropagatorFor(q: string): JsPropagator | undefined {
  return BY_NAME.get(q);
}
