// The text codecs constant folding applies, under the names Python's codec registry accepts for them:
// UTF-8, Latin-1, ASCII and UTF-16 (with or without a byte order). Any other codec (`cp1026`, `utf-7`,
// a name computed at run time) is not folded: the value stays unknown, so that a name decoded with it is
// judged as computed rather than as whatever a wrong decoding would give.
import { lookupTable } from '../shared/lookup';

type TextCodec = 'utf-8' | 'latin-1' | 'ascii' | 'utf-16' | 'utf-16-le' | 'utf-16-be';

const ALIASES = lookupTable<TextCodec>({
  utf_8: 'utf-8',
  utf8: 'utf-8',
  u8: 'utf-8',
  utf: 'utf-8',
  cp65001: 'utf-8',
  latin_1: 'latin-1',
  latin1: 'latin-1',
  latin: 'latin-1',
  l1: 'latin-1',
  iso8859_1: 'latin-1',
  iso_8859_1: 'latin-1',
  '8859': 'latin-1',
  cp819: 'latin-1',
  ascii: 'ascii',
  us_ascii: 'ascii',
  '646': 'ascii',
  utf_16: 'utf-16',
  utf16: 'utf-16',
  u16: 'utf-16',
  utf_16_le: 'utf-16-le',
  utf_16le: 'utf-16-le',
  utf_16_be: 'utf-16-be',
  utf_16be: 'utf-16-be',
});

/** Python's normalisation of a codec name: case and the spelling of separators do not matter. */
export function normalizeCodec(name: string): string {
  return name.trim().toLowerCase().replace(/[-\s]/g, '_');
}

/** A text codec the folding knows, by any of its Python names. */
export function textCodec(name: string): TextCodec | undefined {
  return ALIASES[normalizeCodec(name)];
}

/** Every UTF-16 unit of the text is at most `max` (ASCII: 0x7f, Latin-1: 0xff). */
function fitsIn(text: string, max: number): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > max) return false;
  return true;
}

function swapPairs(latin1: string): string {
  let out = '';
  for (let i = 0; i + 1 < latin1.length; i += 2) out += latin1[i + 1] + latin1[i];
  return out;
}

/** `bytes.decode(codec)`: the text of bytes held as a Latin-1 string, or undefined (unknown codec, invalid bytes). */
export function decodeText(latin1: string, name: string): string | undefined {
  const codec = textCodec(name);
  switch (codec) {
    case 'utf-8':
      return Buffer.from(latin1, 'latin1').toString('utf8');
    case 'latin-1':
      return latin1;
    case 'ascii':
      return fitsIn(latin1, 0x7f) ? latin1 : undefined;
    case 'utf-16':
    case 'utf-16-le':
    case 'utf-16-be': {
      let body = latin1;
      let bigEndian = codec === 'utf-16-be';
      if (codec === 'utf-16' && (body.startsWith('\xff\xfe') || body.startsWith('\xfe\xff'))) {
        bigEndian = body.startsWith('\xfe\xff');
        body = body.slice(2);
      }
      if (body.length % 2 !== 0) return undefined;
      return Buffer.from(bigEndian ? swapPairs(body) : body, 'latin1').toString('utf16le');
    }
    default:
      return undefined;
  }
}

/** `str.encode(codec)`: the bytes (as a Latin-1 string), or undefined (unknown codec, unencodable text). */
export function encodeText(text: string, name: string): string | undefined {
  const codec = textCodec(name);
  switch (codec) {
    case 'utf-8':
      return Buffer.from(text, 'utf8').toString('latin1');
    case 'latin-1':
      return fitsIn(text, 0xff) ? text : undefined;
    case 'ascii':
      return fitsIn(text, 0x7f) ? text : undefined;
    case 'utf-16':
    case 'utf-16-le':
    case 'utf-16-be': {
      const little = Buffer.from(text, 'utf16le').toString('latin1');
      if (codec === 'utf-16-be') return swapPairs(little);
      return codec === 'utf-16' ? `\xff\xfe${little}` : little;
    }
    default:
      return undefined;
  }
}
