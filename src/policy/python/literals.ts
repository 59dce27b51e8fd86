// Decodes Python literals from source text: strings (prefixes, quotes, escapes) and numbers.
import { lookupTable } from '../shared/lookup';

export interface StringLiteral {
  prefix: string;
  body: string;
  bytes: boolean;
  raw: boolean;
  formatted: boolean;
}

/** Splits a string literal's source (`rb'...'`, `"""..."""`) into prefix and raw body. */
export function splitStringLiteral(source: string): StringLiteral | undefined {
  const match = /^([A-Za-z]*)('''|"""|'|")/.exec(source);
  if (!match) return undefined;
  const prefix = match[1].toLowerCase();
  const quote = match[2];
  if (!source.endsWith(quote) || source.length < prefix.length + quote.length * 2) return undefined;
  return {
    prefix,
    body: source.slice(prefix.length + quote.length, source.length - quote.length),
    bytes: prefix.includes('b'),
    raw: prefix.includes('r'),
    formatted: prefix.includes('f'),
  };
}

const SIMPLE_ESCAPES = lookupTable<string>({
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
});

/** Applies Python's backslash escapes to a non-raw literal body; undefined for `\N{...}`. */
export function unescape(body: string, bytes: boolean): string | undefined {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[++i];
    if (next in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[next];
    else if (next === '\n') continue;
    else if (next === 'x') {
      const hex = body.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2;
    } else if (!bytes && (next === 'u' || next === 'U')) {
      const width = next === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) return undefined;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) return undefined;
      out += String.fromCodePoint(code);
      i += width;
    } else if (next >= '0' && next <= '7') {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i))![0];
      out += String.fromCharCode(parseInt(oct, 8));
      i += oct.length - 1;
    } else if (next === 'N' && !bytes) {
      return undefined;
    } else {
      out += `\\${next}`;
    }
  }
  return out;
}

/** Integer value of a Python integer literal, or undefined (floats, complex). */
export function parseInteger(source: string): bigint | undefined {
  const text = source.replace(/_/g, '').toLowerCase();
  try {
    if (/^0[xob][0-9a-f]+$/.test(text)) return BigInt(text);
    if (/^[0-9]+$/.test(text)) return BigInt(text);
    if (/^[0-9]*\.?[0-9]*(e[+-]?[0-9]+)?$/.test(text)) {
      const value = Number(text);
      if (Number.isFinite(value) && Number.isInteger(value) && Math.abs(value) < 2 ** 1023)
        return BigInt(value);
    }
  } catch {
    return undefined;
  }
  return undefined;
}
