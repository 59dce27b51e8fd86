// Calls folded on constants with JavaScript's semantics: String.prototype methods (run by this engine on
// primitive arguments), array join/reverse/concat/slice, String.fromCharCode, String(), atob,
// decodeURIComponent, and Buffer decodings. A call that would throw in JavaScript folds to nothing.
import { MAX_STRING, bytes, str } from '../shared/folding';
import { OPAQUE, type Value } from '../shared/value';
import { NOT_CONSTANT, elements, fromPrim, single, spreadValue, toPrim, toText, type Prim } from './coercion';

/** String methods folded by calling them; repeat and the pads are checked for size first. */
const STRING_METHODS = new Set([
  'at',
  'charAt',
  'charCodeAt',
  'codePointAt',
  'concat',
  'endsWith',
  'includes',
  'indexOf',
  'lastIndexOf',
  'normalize',
  'padEnd',
  'padStart',
  'repeat',
  'replace',
  'replaceAll',
  'slice',
  'split',
  'startsWith',
  'substr',
  'substring',
  'toLowerCase',
  'toUpperCase',
  'toString',
  'trim',
  'trimEnd',
  'trimStart',
  'valueOf',
]);
const ARRAY_METHODS = new Set(['join', 'reverse', 'concat', 'slice', 'at', 'toString']);
const BUFFER_ENCODINGS = new Set([
  'utf8',
  'utf-8',
  'hex',
  'base64',
  'base64url',
  'latin1',
  'binary',
  'ascii',
  'utf16le',
  'ucs2',
]);
/** Every method name folded here: only their arguments are evaluated. */
export const FOLDED_METHODS = new Set([
  ...STRING_METHODS,
  ...ARRAY_METHODS,
  'fromCharCode',
  'fromCodePoint',
  'from',
]);
/** Global functions folded when the name is not rebound. */
export const FOLDED_GLOBALS = new Set(['String', 'atob', 'decodeURIComponent', 'decodeURI', 'unescape']);

type Callable = (...args: Prim[]) => unknown;

/** The arguments as primitives, or undefined when one has no constant one. */
function primitives(argv: readonly Value[][]): Prim[] | undefined {
  const out: Prim[] = [];
  for (const arg of argv) {
    const prim = toPrim(single(arg));
    if (prim === NOT_CONSTANT) return undefined;
    out.push(prim);
  }
  return out;
}

/** Runs a folding that may throw as JavaScript would (a RangeError, an invalid character): unknown then. */
function attempt(fold: () => Value): Value {
  try {
    return fold();
  } catch {
    return OPAQUE;
  }
}

function stringMethod(s: string, method: string, args: Prim[]): Value {
  if (!STRING_METHODS.has(method)) return OPAQUE;
  if (method === 'repeat' && s.length * Math.max(0, Number(args[0]) || 0) > MAX_STRING) return OPAQUE;
  if ((method === 'padStart' || method === 'padEnd') && Number(args[0]) > MAX_STRING) return OPAQUE;
  const fn = (String.prototype as unknown as Record<string, Callable>)[method];
  return attempt(() => fromPrim(fn.apply(s, args)));
}

function numberMethod(n: number, method: string, args: Prim[]): Value {
  // `(1234567).toString(36)`: digits in another base.
  if (method !== 'toString' && method !== 'valueOf') return OPAQUE;
  return attempt(() => fromPrim(method === 'toString' ? n.toString(args[0] as number | undefined) : n));
}

function arrayMethod(list: Value[], method: string, argv: Value[][]): Value {
  switch (method) {
    case 'join':
    case 'toString': {
      const separator = method === 'join' && argv[0] ? toPrim(single(argv[0])) : undefined;
      if (separator === NOT_CONSTANT) return OPAQUE;
      const parts: string[] = [];
      for (const item of list) {
        const prim = toPrim(item);
        if (prim === NOT_CONSTANT) return OPAQUE;
        parts.push(prim === null || prim === undefined ? '' : String(prim));
      }
      return str(parts.join(separator === undefined ? ',' : String(separator)));
    }
    case 'reverse':
      return { k: 'seq', items: [...list].reverse().map((item) => [item]) };
    case 'concat': {
      const items: Value[][] = list.map((item) => [item]);
      for (const arg of argv) {
        const value = single(arg);
        if (!value) return OPAQUE;
        if (value.k === 'seq') items.push(...value.items);
        else items.push([value]);
      }
      return items.length > 1000 ? OPAQUE : { k: 'seq', items };
    }
    case 'slice':
    case 'at': {
      const args = primitives(argv);
      if (!args) return OPAQUE;
      if (method === 'at') return list.at(Number(args[0]) || 0) ?? { k: 'jsprim', v: undefined };
      const from = args[0] as number | undefined;
      const to = args[1] as number | undefined;
      return { k: 'seq', items: list.slice(from, to).map((item) => [item]) };
    }
    default:
      return OPAQUE;
  }
}

/** `receiver.method(...argv)` for a constant receiver. */
export function methodCall(receiver: Value, method: string, argv: Value[][]): Value {
  const list = elements(receiver);
  if (list) return ARRAY_METHODS.has(method) ? arrayMethod(list, method, argv) : OPAQUE;
  if (receiver.k === 'bytes') {
    if (method !== 'toString') return OPAQUE;
    const encoding = argv[0] ? toText(single(argv[0])) : 'utf8';
    if (encoding === undefined || !BUFFER_ENCODINGS.has(encoding.toLowerCase())) return OPAQUE;
    return str(Buffer.from(receiver.v, 'latin1').toString(encoding.toLowerCase() as BufferEncoding));
  }
  const args = primitives(argv);
  if (!args) return OPAQUE;
  if (receiver.k === 'str') return stringMethod(receiver.v, method, args);
  if (receiver.k === 'num' && !receiver.huge) return numberMethod(Number(receiver.v), method, args);
  if (receiver.k === 'jsprim' && typeof receiver.v === 'number')
    return numberMethod(receiver.v, method, args);
  return OPAQUE;
}

/** `String.fromCharCode(...)`, `Array.from("abc")`, `Buffer.from(text, encoding)`: static calls. */
export function staticCall(owner: string, method: string, argv: Value[][]): Value {
  if (owner === 'String' && (method === 'fromCharCode' || method === 'fromCodePoint')) {
    const args = primitives(argv);
    if (!args) return OPAQUE;
    return attempt(() => str(String[method](...args.map(Number))));
  }
  if (owner === 'Array' && method === 'from' && argv.length === 1) {
    const source = spreadValue(argv[0]);
    if (source?.k === 'str') return fromPrim(Array.from(source.v));
    if (source?.k === 'seq') return source;
    return OPAQUE;
  }
  if (owner === 'Buffer' && method === 'from') {
    const input = single(argv[0]);
    const list = elements(input);
    if (list) {
      // `Buffer.from([99, 104])`: bytes, each number taken modulo 256.
      const codes = list.map((item) => toPrim(item));
      if (codes.some((c) => typeof c !== 'number')) return OPAQUE;
      return bytes(Buffer.from(codes as number[]).toString('latin1'));
    }
    const encoding = argv[1] ? toText(single(argv[1])) : 'utf8';
    if (input?.k !== 'str' || encoding === undefined || !BUFFER_ENCODINGS.has(encoding.toLowerCase()))
      return OPAQUE;
    return bytes(Buffer.from(input.v, encoding.toLowerCase() as BufferEncoding).toString('latin1'));
  }
  return OPAQUE;
}

/** `String(x)`, `atob(text)`, `decodeURIComponent(text)`: global functions. */
export function globalCall(name: string, argv: Value[][]): Value {
  const args = primitives(argv.slice(0, 1));
  if (!args) return OPAQUE;
  switch (name) {
    case 'String':
      return str(argv.length === 0 ? '' : String(args[0]));
    case 'atob':
      // Strict, as in JavaScript: characters outside base64 throw.
      return attempt(() => str(atob(String(args[0]))));
    case 'decodeURIComponent':
      return attempt(() => str(decodeURIComponent(String(args[0]))));
    case 'decodeURI':
      return attempt(() => str(decodeURI(String(args[0]))));
    case 'unescape':
      return str(unescape(String(args[0])));
    default:
      return OPAQUE;
  }
}
