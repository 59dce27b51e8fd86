// Calls that store a value into an object they are given, which holds it from then on: `Object.assign(o,
// cp)`, `Object.setPrototypeOf(o, cp)`, `Object.defineProperty(o, "k", { value: cp })`, `list.push(cp)`,
// `map.set("k", cp)`. Each is one row; flow.ts (`storeThrough`) applies the row's `kind` to the target
// name. test/unit/policy/javascript-stores.test.ts runs every row's example.

/** What the target holds after the call. */
export type JsStoreKind =
  /** The target gains the value's members (assigned, or reached through its prototype): it is the value. */
  | 'members'
  /** The target's member named by the argument before the value is the value (`Reflect.set(o, k, v)`). */
  | 'member-at-key'
  /**
   * The value is a property descriptor: the member named by the argument before it is its `value`, or
   * what its `get` returns.
   */
  | 'descriptor'
  /** The value is an object of descriptors: each of its members' `value` becomes the target's member. */
  | 'descriptors'
  /** The value is a getter: the member named by the argument before it is what the getter returns. */
  | 'getter'
  /** The target (a list, a set) holds the value as one of its elements. */
  | 'element'
  /** The target (a map) holds the value under the key given before it, read back by `get`. */
  | 'entry';

export interface JsStore {
  /** A function's canonical name (`builtins.Object.assign`), or `.method` for a method of the receiver. */
  name: string;
  kind: JsStoreKind;
  /** Which argument is the target (a function's); the receiver for methods. */
  target: number | 'receiver';
  /** The first argument that is stored (every later one is stored too). */
  from: number;
  /** A snippet in which the stored value reaches a sink through the target. */
  example: string;
}

export const JS_STORES: readonly JsStore[] = [
  {
    name: 'builtins.Object.assign',
    kind: 'members',
    target: 0,
    from: 1,
    example: 'const o = {};\nObject.assign(o, require("child_process"));\no.exec("ls");\n',
  },
  {
    name: 'builtins.Object.setPrototypeOf',
    kind: 'members',
    target: 0,
    from: 1,
    example: 'const o = {};\nObject.setPrototypeOf(o, require("child_process"));\no.exec("ls");\n',
  },
  {
    name: 'builtins.Reflect.setPrototypeOf',
    kind: 'members',
    target: 0,
    from: 1,
    example: 'const o = {};\nReflect.setPrototypeOf(o, require("child_process"));\no.execSync("ls");\n',
  },
  {
    name: 'builtins.Reflect.set',
    kind: 'member-at-key',
    target: 0,
    from: 2,
    example: 'const o = {};\nReflect.set(o, "m", require("child_process"));\no.m.exec("ls");\n',
  },
  {
    name: 'builtins.Object.defineProperty',
    kind: 'descriptor',
    target: 0,
    from: 2,
    example:
      'const o = {};\nObject.defineProperty(o, "m", { value: require("child_process") });\no.m.exec("ls");\n',
  },
  {
    name: 'builtins.Reflect.defineProperty',
    kind: 'descriptor',
    target: 0,
    from: 2,
    example:
      'const o = {};\nReflect.defineProperty(o, "m", { value: require("child_process") });\no.m.spawn("ls");\n',
  },
  {
    name: 'builtins.Object.defineProperties',
    kind: 'descriptors',
    target: 0,
    from: 1,
    example:
      'const o = {};\nObject.defineProperties(o, { m: { value: require("child_process") } });\no.m.exec("ls");\n',
  },
  {
    name: '.__defineGetter__',
    kind: 'getter',
    target: 'receiver',
    from: 1,
    example: 'const o = {};\no.__defineGetter__("m", () => require("child_process"));\no.m.exec("ls");\n',
  },
  {
    name: '.push',
    kind: 'element',
    target: 'receiver',
    from: 0,
    example: 'const list = [];\nlist.push(require("child_process"));\nlist[0].exec("ls");\n',
  },
  {
    name: '.unshift',
    kind: 'element',
    target: 'receiver',
    from: 0,
    example: 'const list = [];\nlist.unshift(require("child_process"));\nlist.pop().exec("ls");\n',
  },
  {
    name: '.splice',
    kind: 'element',
    target: 'receiver',
    from: 2,
    example: 'const list = [];\nlist.splice(0, 0, require("child_process"));\nlist[0].exec("ls");\n',
  },
  {
    name: '.fill',
    kind: 'element',
    target: 'receiver',
    from: 0,
    example: 'const list = new Array(1);\nlist.fill(require("child_process"));\nlist[0].exec("ls");\n',
  },
  {
    name: '.add',
    kind: 'element',
    target: 'receiver',
    from: 0,
    example:
      'const set = new Set();\nset.add(require("child_process"));\nfor (const m of set) m.exec("ls");\n',
  },
  {
    name: '.set',
    kind: 'entry',
    target: 'receiver',
    from: 1,
    example: 'const map = new Map();\nmap.set("k", require("child_process"));\nmap.get("k").exec("ls");\n',
  },
];

const BY_NAME = new Map(JS_STORES.map((row) => [row.name, row]));

/** The store a call to a function makes, by its canonical name (`builtins.Object.assign`). */
export function jsStoreFor(q: string): JsStore | undefined {
  return BY_NAME.get(q);
}

/** The store a method call on an object the analyzer does not know makes (`list.push(v)`). */
export function jsMethodStoreFor(method: string): JsStore | undefined {
  return BY_NAME.get(`.${method}`);
}
