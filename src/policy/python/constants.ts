// Constant folding for the obfuscations that hide a module or function name: concatenation, f-strings,
// joins, slicing, chr(), bytes and their decodings (base64, hex, rot13). Sizes are capped, so folding
// `"a" * 10**9` costs nothing and a huge power is only estimated.
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { Node } from 'web-tree-sitter';
import { splitStringLiteral, unescape } from './literals';
import {
  MAX_STRING,
  bytes,
  concatenate,
  foldEach,
  foldIntegers,
  formatPercent,
  num,
  repeat,
  shown,
  single,
  str,
} from '../shared/folding';
import { OPAQUE, type Value } from '../shared/value';
import { lookupTable } from '../shared/lookup';
import { decodeText, encodeText, normalizeCodec } from './codecs';

type Eval = (node: Node) => Value[];

/** The value of a `string` node; f-strings fold when every interpolation is a plain constant. */
export function stringLiteralValue(node: Node, text: string, evaluate: Eval): Value[] {
  const source = text.slice(node.startIndex, node.endIndex);
  const literal = splitStringLiteral(source);
  if (!literal) return [OPAQUE];
  if (!literal.formatted) {
    const body = literal.raw ? literal.body : unescape(literal.body, literal.bytes);
    if (body === undefined) return [OPAQUE];
    return [literal.bytes ? bytes(body) : str(body)];
  }
  let out = '';
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'string_content') {
      const raw = text.slice(child.startIndex, child.endIndex).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
      const part = literal.raw ? raw : unescape(raw, false);
      if (part === undefined) return [OPAQUE];
      out += part;
    } else if (child.type === 'interpolation') {
      const parts = child.namedChildren.filter((c): c is Node => !!c);
      if (parts.length !== 1) return [OPAQUE];
      if (text.slice(child.startIndex, child.endIndex).replace(/\s+/g, '').endsWith('=}')) return [OPAQUE];
      const values = evaluate(parts[0]);
      if (values.length !== 1) return [OPAQUE];
      const value = values[0];
      if (value.k === 'str') out += value.v;
      else if (value.k === 'num' && !value.huge) out += value.v.toString();
      else return [OPAQUE];
    }
  }
  return [str(out)];
}

function binaryOne(op: string, a: Value, b: Value): Value {
  if (a.k === 'num' && b.k === 'num') return foldIntegers(op, a, b);
  if (op === '+') {
    const joined = concatenate(a, b);
    if (joined) return joined;
  }
  if (op === '%' && a.k === 'str') return formatPercent(a.v, b);
  // `[os] * 2`: the items repeated.
  if (op === '*' && (a.k === 'seq' || b.k === 'seq')) return repeatItems(a, b);
  if (op === '*') return repeat(a, b);
  // `{"a": os} | d`: the items of both.
  if (op === '|' && a.k === 'dict' && b.k === 'dict')
    return { k: 'dict', keys: [...a.keys, ...b.keys], items: [...a.items, ...b.items] };
  return OPAQUE;
}

/** `"...".format(args)` with `{}` and `{0}` fields (no format specs); undefined when not constant. */
function braceFormat(template: string, args: readonly Value[][]): string | undefined {
  let next = 0;
  let failed = false;
  const out = template.replace(/\{\{|\}\}|\{([0-9]*)\}/g, (match, index: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const text = shown(args[index ? Number(index) : next++]);
    if (text === undefined) failed = true;
    return text ?? '';
  });
  if (failed || /[{}]/.test(template.replace(/\{\{|\}\}|\{[0-9]*\}/g, '')) || out.length > MAX_STRING)
    return undefined;
  return out;
}

function repeatItems(a: Value, b: Value): Value {
  const [seq, count] = a.k === 'seq' ? [a, b] : [b, a];
  if (seq.k !== 'seq' || count.k !== 'num' || count.huge || seq.items.length * Number(count.v) > 1000)
    return OPAQUE;
  return { k: 'seq', items: Array.from({ length: Math.max(0, Number(count.v)) }, () => seq.items).flat() };
}

export function evalBinary(op: string, left: readonly Value[], right: readonly Value[]): Value[] {
  return foldEach(left, right, (a, b) => binaryOne(op, a, b));
}

function asText(value: Value): string | undefined {
  return value.k === 'str' || value.k === 'bytes' ? value.v : undefined;
}

function decompress(q: string, latin1: string): string | undefined {
  const input = Buffer.from(latin1, 'latin1');
  const options = { maxOutputLength: MAX_STRING };
  try {
    if (q === 'gzip.decompress') return gunzipSync(input, options).toString('latin1');
    // zlib.decompress: a zlib stream, or raw deflate/gzip with a negative or large wbits.
    const first = input[0] ?? 0;
    if ((first & 0x0f) === 8) return inflateSync(input, options).toString('latin1');
    if (first === 0x1f) return gunzipSync(input, options).toString('latin1');
    return inflateRawSync(input, options).toString('latin1');
  } catch {
    return undefined;
  }
}

/** The codec a folded call names: UTF-8 when none is given, undefined when it is not a constant string. */
function codecArgument(arg: readonly Value[] | undefined): string | undefined {
  if (arg === undefined) return 'utf-8';
  const value = single(arg);
  return value?.k === 'str' ? value.v : undefined;
}

/** Where the calls folded here take an `encoding=` keyword (`b.decode(encoding=...)`, `str(b, encoding=...)`). */
const ENCODING_POSITION = lookupTable<number>({
  '.decode': 0,
  '.encode': 0,
  'builtins.str': 1,
  'builtins.bytes': 1,
  'builtins.bytearray': 1,
  'codecs.decode': 1,
  'codecs.encode': 1,
});

/**
 * The positional argument values a folded call sees, its `encoding=` keyword put in place; undefined
 * when `*args`/`**kwargs` hide what is passed.
 */
export function foldedArguments(
  q: string,
  args: { positional: Node[]; keywords: ReadonlyMap<string, Node>; splat: boolean },
  evaluate: Eval,
): Value[][] | undefined {
  // Only the calls folded below have their arguments evaluated: any other call is opaque whatever it is given.
  if (args.splat || !FOLDED_CALLS.has(q)) return undefined;
  const out = args.positional.map(evaluate);
  const position = ENCODING_POSITION[q];
  const encoding = args.keywords.get('encoding');
  if (position !== undefined && encoding && out.length === position) out.push(evaluate(encoding));
  return out;
}

function items(value: Value | undefined): Value[] | undefined {
  if (!value) return undefined;
  if (value.k === 'seq') {
    const out: Value[] = [];
    for (const item of value.items) {
      if (item.length !== 1) return undefined;
      out.push(item[0]);
    }
    return out;
  }
  if (value.k === 'str') return [...value.v].map((ch) => ({ k: 'str', v: ch }) as Value);
  if (value.k === 'bytes') return [...value.v].map((ch) => num(BigInt(ch.charCodeAt(0))));
  return undefined;
}

function decodeBase32(input: string): string | undefined {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const ch of input.replace(/=+$/, '')) {
    const index = alphabet.indexOf(ch.toUpperCase());
    if (index === -1) return undefined;
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out += String.fromCharCode((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

function rot13(input: string): string {
  return input.replace(/[a-zA-Z]/g, (ch) => {
    const base = ch <= 'Z' ? 65 : 97;
    return String.fromCharCode(((ch.charCodeAt(0) - base + 13) % 26) + base);
  });
}

function decodeHex(input: string): string | undefined {
  const clean = input.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) return undefined;
  return Buffer.from(clean, 'hex').toString('latin1');
}

function decodeBase64(input: string, urlsafe: boolean): string | undefined {
  const clean = input.replace(/\s+/g, '');
  if (!(urlsafe ? /^[A-Za-z0-9_-]*=*$/ : /^[A-Za-z0-9+/]*=*$/).test(clean)) return undefined;
  return Buffer.from(clean, urlsafe ? 'base64url' : 'base64').toString('latin1');
}

/**
 * The calls `evalConstCall` folds: the string methods (on a constant receiver) and the functions. A name
 * missing here is never folded (its case below is unreachable), so a new case goes in both places.
 */
export const FOLDED_CALLS: ReadonlySet<string> = new Set([
  '.format',
  '.join',
  '.replace',
  '.lower',
  '.casefold',
  '.upper',
  '.strip',
  '.lstrip',
  '.rstrip',
  '.swapcase',
  '.decode',
  '.encode',
  'builtins.chr',
  'builtins.ord',
  'builtins.str',
  'os.path.expanduser',
  'os.path.normpath',
  'builtins.str.strip',
  'os.path.join',
  'builtins.int',
  'builtins.bytes',
  'builtins.bytearray',
  'builtins.list',
  'builtins.tuple',
  'builtins.reversed',
  'builtins.map',
  'zlib.decompress',
  'gzip.decompress',
  'base64.b64decode',
  'base64.standard_b64decode',
  'base64.decodebytes',
  'base64.urlsafe_b64decode',
  'binascii.a2b_base64',
  'base64.b32decode',
  'base64.b16decode',
  'binascii.unhexlify',
  'binascii.a2b_hex',
  'builtins.bytes.fromhex',
  'builtins.bytearray.fromhex',
  'codecs.decode',
  'codecs.encode',
]);

/**
 * A call whose result is a constant: a string method (`q` starting with "."), a builtin such as chr(),
 * or a decoder. Anything else is opaque.
 */
export function evalConstCall(q: string, receiver: Value | undefined, args: Value[][]): Value[] {
  if (!FOLDED_CALLS.has(q)) return [OPAQUE];
  const a0 = single(args[0]);
  const a1 = single(args[1]);
  if (receiver) {
    const text = asText(receiver);
    const wrap = receiver.k === 'bytes' ? bytes : str;
    switch (q) {
      case '.format': {
        if (receiver.k !== 'str') return [OPAQUE];
        const formatted = braceFormat(receiver.v, args);
        return formatted === undefined ? [OPAQUE] : [str(formatted)];
      }
      case '.join': {
        if (text === undefined) return [OPAQUE];
        const parts = items(a0);
        if (!parts || parts.some((p) => asText(p) === undefined)) return [OPAQUE];
        return [wrap(parts.map((p) => asText(p)!).join(text))];
      }
      case '.replace': {
        const from = a0 && asText(a0);
        const to = a1 && asText(a1);
        if (text === undefined || from === undefined || to === undefined) return [OPAQUE];
        return [wrap(text.split(from).join(to))];
      }
      case '.lower':
      case '.casefold':
        return text === undefined ? [OPAQUE] : [wrap(text.toLowerCase())];
      case '.upper':
        return text === undefined ? [OPAQUE] : [wrap(text.toUpperCase())];
      case '.strip':
        return text === undefined || args.length ? [OPAQUE] : [wrap(text.trim())];
      case '.lstrip':
        return text === undefined || args.length ? [OPAQUE] : [wrap(text.trimStart())];
      case '.rstrip':
        return text === undefined || args.length ? [OPAQUE] : [wrap(text.trimEnd())];
      case '.swapcase':
        return text === undefined
          ? [OPAQUE]
          : [
              wrap(
                [...text].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
              ),
            ];
      case '.decode': {
        const codec = codecArgument(args[0]);
        const out = receiver.k === 'bytes' && codec ? decodeText(receiver.v, codec) : undefined;
        return out === undefined ? [OPAQUE] : [str(out)];
      }
      case '.encode': {
        const codec = codecArgument(args[0]);
        const out = receiver.k === 'str' && codec ? encodeText(receiver.v, codec) : undefined;
        return out === undefined ? [OPAQUE] : [bytes(out)];
      }
      default:
        return [OPAQUE];
    }
  }
  switch (q) {
    case 'builtins.chr':
      return a0?.k === 'num' && !a0.huge && a0.v >= 0n && a0.v <= 0x10ffffn
        ? [str(String.fromCodePoint(Number(a0.v)))]
        : [OPAQUE];
    case 'builtins.ord':
      return a0?.k === 'str' && [...a0.v].length === 1 ? [num(BigInt(a0.v.codePointAt(0)!))] : [OPAQUE];
    case 'builtins.str':
      if (a0?.k === 'str') return [a0];
      if (a0?.k === 'num' && !a0.huge) return [str(a0.v.toString())];
      if (a0?.k === 'bytes' && a1?.k === 'str') {
        const out = decodeText(a0.v, a1.v);
        return out === undefined ? [OPAQUE] : [str(out)];
      }
      return [OPAQUE];
    case 'os.path.expanduser':
    case 'os.path.normpath':
    case 'builtins.str.strip':
      return a0?.k === 'str' ? [a0] : [OPAQUE];
    case 'os.path.join': {
      const parts = args.map(single);
      if (parts.length === 0 || parts.some((p) => p?.k !== 'str')) return [OPAQUE];
      let out = '';
      for (const part of parts as Array<{ v: string }>) {
        out = part.v.startsWith('/') || out === '' ? part.v : `${out.replace(/\/+$/, '')}/${part.v}`;
      }
      return [str(out)];
    }
    case 'builtins.int':
      if (a0?.k === 'num') return [a0];
      if (a0?.k === 'str' && /^\s*[+-]?\d+\s*$/.test(a0.v)) return [num(BigInt(a0.v.trim()))];
      return [OPAQUE];
    case 'builtins.bytes':
    case 'builtins.bytearray': {
      if (a0?.k === 'str' && a1?.k === 'str') {
        const out = encodeText(a0.v, a1.v);
        return out === undefined ? [OPAQUE] : [bytes(out)];
      }
      if (a0?.k === 'bytes') return [a0];
      const parts = items(a0);
      if (!parts || parts.some((p) => p.k !== 'num' || p.huge || p.v < 0n || p.v > 255n)) return [OPAQUE];
      return [bytes(parts.map((p) => String.fromCharCode(Number((p as { v: bigint }).v))).join(''))];
    }
    case 'builtins.list':
    case 'builtins.tuple':
    case 'builtins.reversed': {
      const parts = items(a0);
      if (!parts) return [OPAQUE];
      const ordered = q === 'builtins.reversed' ? [...parts].reverse() : parts;
      return [{ k: 'seq', items: ordered.map((p) => [p]) }];
    }
    case 'builtins.map': {
      const fn = a0?.k === 'q' ? a0.q : undefined;
      const parts = items(a1);
      if (!fn || !parts || (fn !== 'builtins.chr' && fn !== 'builtins.str' && fn !== 'builtins.ord'))
        return [OPAQUE];
      return [{ k: 'seq', items: parts.map((p) => evalConstCall(fn, undefined, [[p]])) }];
    }
    case 'zlib.decompress':
    case 'gzip.decompress': {
      const input = a0 && asText(a0);
      const out = input === undefined ? undefined : decompress(q, input);
      return out === undefined ? [OPAQUE] : [bytes(out)];
    }
    case 'base64.b64decode':
    case 'base64.standard_b64decode':
    case 'base64.decodebytes':
    case 'base64.urlsafe_b64decode':
    case 'binascii.a2b_base64': {
      const input = a0 && asText(a0);
      const out = input === undefined ? undefined : decodeBase64(input, q === 'base64.urlsafe_b64decode');
      return out === undefined ? [OPAQUE] : [bytes(out)];
    }
    case 'base64.b32decode': {
      const input = a0 && asText(a0);
      const out = input === undefined ? undefined : decodeBase32(input);
      return out === undefined ? [OPAQUE] : [bytes(out)];
    }
    case 'base64.b16decode':
    case 'binascii.unhexlify':
    case 'binascii.a2b_hex':
    case 'builtins.bytes.fromhex':
    case 'builtins.bytearray.fromhex': {
      const input = a0 && asText(a0);
      const out = input === undefined ? undefined : decodeHex(input);
      return out === undefined ? [OPAQUE] : [bytes(out)];
    }
    case 'codecs.decode':
    case 'codecs.encode': {
      const input = a0 && asText(a0);
      const name = codecArgument(args[1]);
      if (input === undefined || name === undefined) return [OPAQUE];
      const codec = normalizeCodec(name).replace(/_/g, '');
      if (codec === 'rot13') return a0?.k === 'str' ? [str(rot13(input))] : [OPAQUE];
      if (q === 'codecs.decode' && codec === 'base64') {
        const out = decodeBase64(input, false);
        return out === undefined ? [OPAQUE] : [bytes(out)];
      }
      if (q === 'codecs.decode' && codec === 'hex') {
        const out = decodeHex(input);
        return out === undefined ? [OPAQUE] : [bytes(out)];
      }
      const text =
        q === 'codecs.decode'
          ? a0?.k === 'bytes'
            ? decodeText(input, name)
            : undefined
          : a0?.k === 'str'
            ? encodeText(input, name)
            : undefined;
      if (text === undefined) return [OPAQUE];
      return q === 'codecs.decode' ? [str(text)] : [bytes(text)];
    }
    default:
      return [OPAQUE];
  }
}

/** `s[i]`, `s[a:b]`, `s[::-1]` on a constant string, bytes or sequence. */
export function evalConstSubscript(value: Value, key: Node, text: string, evaluate: Eval): Value[] {
  const sequence = value.k === 'seq' ? value.items : undefined;
  const chars = value.k === 'str' || value.k === 'bytes' ? [...value.v] : undefined;
  const length = sequence ? sequence.length : chars!.length;
  const pick = (indices: number[]): Value[] => {
    if (sequence) {
      if (indices.length === 1 && key.type !== 'slice') return sequence[indices[0]] ?? [OPAQUE];
      return [{ k: 'seq', items: indices.map((i) => sequence[i]) }];
    }
    const joined = indices.map((i) => chars![i]).join('');
    return [value.k === 'bytes' ? bytes(joined) : str(joined)];
  };
  const integer = (node: Node | undefined): number | undefined | null => {
    if (!node) return null;
    const v = single(evaluate(node));
    return v?.k === 'num' && !v.huge && v.v >= -1_000_000n && v.v <= 1_000_000n ? Number(v.v) : undefined;
  };
  if (key.type !== 'slice') {
    const index = integer(key);
    if (typeof index !== 'number') return [OPAQUE];
    const i = index < 0 ? length + index : index;
    if (i < 0 || i >= length) return [OPAQUE];
    if (chars && value.k === 'bytes') return [num(BigInt(chars[i].charCodeAt(0)))];
    return pick([i]);
  }
  // Slice parts are separated by ':' tokens; a part may be missing.
  const parts: Array<Node | undefined> = [undefined, undefined, undefined];
  let slot = 0;
  for (const child of key.children) {
    if (!child) continue;
    if (!child.isNamed && text.slice(child.startIndex, child.endIndex) === ':') slot++;
    else if (child.isNamed && slot < 3) parts[slot] = child;
  }
  const [startRaw, stopRaw, stepRaw] = parts.map(integer);
  if (startRaw === undefined || stopRaw === undefined || stepRaw === undefined) return [OPAQUE];
  const step = stepRaw ?? 1;
  if (step === 0) return [OPAQUE];
  const clamp = (v: number, low: number, high: number): number => Math.min(Math.max(v, low), high);
  const norm = (v: number | null, fallback: number, low: number, high: number): number =>
    v === null ? fallback : clamp(v < 0 ? length + v : v, low, high);
  const indices: number[] = [];
  if (step > 0) {
    const start = norm(startRaw, 0, 0, length);
    const stop = norm(stopRaw, length, 0, length);
    for (let i = start; i < stop; i += step) indices.push(i);
  } else {
    const start = norm(startRaw, length - 1, -1, length - 1);
    const stop = norm(stopRaw, -1, -1, length - 1);
    for (let i = start; i > stop; i += step) indices.push(i);
  }
  return pick(indices);
}
