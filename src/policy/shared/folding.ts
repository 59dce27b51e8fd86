// Constant folding both analyzers share: integer arithmetic with a size estimate (so `10**10**9` is
// "huge", never computed), concatenation and repetition capped in length, and `%s` formatting.
// Which operator reaches which of these is each language's own business (python/constants.ts,
// javascript/constants.ts).
import { OPAQUE, type Value } from './value';

export const MAX_STRING = 100_000;
const MAX_EXACT_BITS = 100_000;
/** Results above this many bits are "huge": a resource-exhaustion finding, never computed. */
export const HUGE_BITS = 1_000_000;

/** A string constant, or an unknown value when it would exceed MAX_STRING. */
export function str(v: string): Value {
  return v.length > MAX_STRING ? OPAQUE : { k: 'str', v };
}

export function bytes(v: string): Value {
  return v.length > MAX_STRING ? OPAQUE : { k: 'bytes', v };
}

export function num(v: bigint): Value {
  return { k: 'num', v };
}

const HUGE: Value = { k: 'num', v: 0n, huge: true };

function bitLength(value: bigint): number {
  const v = value < 0n ? -value : value;
  return v === 0n ? 0 : v.toString(16).length * 4;
}

/** `a op b` for two integers, with BigInt's (truncating) division; huge results are only estimated. */
export function foldIntegers(op: string, a: Value & { k: 'num' }, b: Value & { k: 'num' }): Value {
  if (a.huge || b.huge) return op === '**' || op === '*' || op === '+' || op === '<<' ? HUGE : OPAQUE;
  switch (op) {
    case '+':
      return num(a.v + b.v);
    case '-':
      return num(a.v - b.v);
    case '*':
      return bitLength(a.v) + bitLength(b.v) > HUGE_BITS ? HUGE : num(a.v * b.v);
    case '//':
      return b.v === 0n ? OPAQUE : num(a.v / b.v);
    case '%':
      return b.v === 0n ? OPAQUE : num(a.v % b.v);
    case '|':
      return num(a.v | b.v);
    case '&':
      return num(a.v & b.v);
    case '^':
      return num(a.v ^ b.v);
    case '<<':
      if (b.v < 0n) return OPAQUE;
      return BigInt(bitLength(a.v)) + b.v > BigInt(HUGE_BITS) ? HUGE : num(a.v << b.v);
    case '**': {
      if (b.v < 0n) return OPAQUE;
      const base = a.v < 0n ? -a.v : a.v;
      if (base <= 1n) return num(b.v === 0n ? 1n : a.v);
      const estimate = BigInt(bitLength(a.v)) * b.v;
      if (estimate > BigInt(HUGE_BITS)) return HUGE;
      if (estimate > BigInt(MAX_EXACT_BITS)) return OPAQUE;
      return num(a.v ** b.v);
    }
    default:
      return OPAQUE;
  }
}

/** `a + b` for two strings, two byte strings or two sequences; undefined for other operands. */
export function concatenate(a: Value, b: Value): Value | undefined {
  if (a.k === 'str' && b.k === 'str') return str(a.v + b.v);
  if (a.k === 'bytes' && b.k === 'bytes') return bytes(a.v + b.v);
  if (a.k === 'seq' && b.k === 'seq')
    return a.items.length + b.items.length > 1000 ? OPAQUE : { k: 'seq', items: [...a.items, ...b.items] };
  return undefined;
}

/** `text * count` (either order) for a string or byte string, capped in length. */
export function repeat(a: Value, b: Value): Value {
  const [seq, count] = a.k === 'num' ? [b, a] : [a, b];
  if (count.k !== 'num') return OPAQUE;
  if (count.huge) return OPAQUE;
  const n = Number(count.v);
  if (seq.k === 'str' && seq.v.length * n <= MAX_STRING) return str(seq.v.repeat(Math.max(0, n)));
  if (seq.k === 'bytes' && seq.v.length * n <= MAX_STRING) return bytes(seq.v.repeat(Math.max(0, n)));
  return OPAQUE;
}

/** `template % args`: a tuple gives several arguments, anything else one. */
export function formatPercent(template: string, args: Value): Value {
  const formatted = percentFormat(template, args.k === 'seq' ? args.items : [[args]]);
  return formatted === undefined ? OPAQUE : str(formatted);
}

/** Every combination of the operands' options, folded by `one` (unknown past 16 combinations). */
export function foldEach(
  left: readonly Value[],
  right: readonly Value[],
  one: (a: Value, b: Value) => Value,
): Value[] {
  if (left.length * right.length > 16) return [OPAQUE];
  const out: Value[] = [];
  for (const a of left) for (const b of right) out.push(one(a, b));
  return out;
}

export function single(values: readonly Value[] | undefined): Value | undefined {
  return values && values.length === 1 ? values[0] : undefined;
}

/** zlib/gzip decompression of a constant payload, capped in size; undefined when it is not valid. */
export /** The text of a constant, as `%s` and `{}` show it (strings and integers only). */
function shown(values: readonly Value[] | undefined): string | undefined {
  const value = single(values);
  if (value?.k === 'str') return value.v;
  if (value?.k === 'num' && !value.huge) return value.v.toString();
  return undefined;
}

/** `"..." % args` with only `%s`/`%d`/`%r`-free conversions and `%%`; undefined when not constant. */
function percentFormat(template: string, args: readonly Value[][]): string | undefined {
  let i = 0;
  let failed = false;
  const out = template.replace(/%([%sd])/g, (_match, conversion: string) => {
    if (conversion === '%') return '%';
    const text = shown(args[i++]);
    if (text === undefined) failed = true;
    return text ?? '';
  });
  return failed || i !== args.length || out.length > MAX_STRING ? undefined : out;
}
