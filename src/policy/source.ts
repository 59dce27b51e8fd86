// Source bytes → text, the way the language's own runtime reads them, and the finding for input that cannot
// be read that way. Python: a UTF-8 BOM or a PEP 263 coding declaration on line 1 or 2, else strict UTF-8
// (as CPython's tokenizer does). JavaScript and TypeScript: UTF-8, BOM optional. Anything that cannot be
// decoded, or that holds NUL bytes, is never analysed as if it were something else: it is reported.
import { UNREADABLE_SOURCE } from './rules';
import type { AnalysisResult, Finding, Language } from './types';

export type DecodeResult = { text: string } | { problem: string };

// PEP 263: the declaration must be a comment on a line of its own (CPython matches this on line 1, and on
// line 2 only when line 1 is blank or a comment).
const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
const BLANK_OR_COMMENT = /^[ \t\f]*(?:#.*)?$/;

/** CPython's own normalisation before it looks the codec up (tokenizer.c get_normal_name, codecs' aliases). */
function normalizeCodec(name: string): string {
  const lower = name.toLowerCase().replace(/_/g, '-');
  if (lower === 'utf-8' || lower.startsWith('utf-8-') || lower === 'utf8') return 'utf-8';
  if (/^(latin-?1|iso-?8859-1|iso-latin-1|l1|8859|cp819|latin)(-.*)?$/.test(lower)) return 'latin-1';
  if (/^(us-)?ascii$|^646$/.test(lower)) return 'ascii';
  if (/^(cp|windows-?)1252$/.test(lower)) return 'cp1252';
  const iso = /^iso-?8859-?(\d+)$/.exec(lower);
  if (iso) return `iso-8859-${iso[1]}`;
  return lower;
}

function lineAt(bytes: Uint8Array, start: number): { text: string; next: number } {
  let end = start;
  while (end < bytes.length && bytes[end] !== 0x0a && bytes[end] !== 0x0d) end++;
  let next = end;
  if (bytes[next] === 0x0d) next++;
  if (bytes[next] === 0x0a) next++;
  // Latin-1 keeps every byte as one character, so an ASCII declaration is found whatever the rest holds.
  return { text: Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1'), next };
}

/** The codec a PEP 263 declaration names, with its 1-based line, or undefined. */
export function pythonCodingDeclaration(bytes: Uint8Array): { codec: string; line: number } | undefined {
  const first = lineAt(bytes, 0);
  const one = CODING.exec(first.text);
  if (one) return { codec: one[1], line: 1 };
  if (!BLANK_OR_COMMENT.test(first.text) || first.next >= bytes.length) return undefined;
  const two = CODING.exec(lineAt(bytes, first.next).text);
  return two ? { codec: two[1], line: 2 } : undefined;
}

// Windows-1252's 0x80-0x9F (Node's TextDecoder decodes windows-1252 as Latin-1, so the table is ours);
// '' marks the five bytes Python's cp1252 codec refuses.
// prettier-ignore
const CP1252_HIGH = [
  '€', '', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '', 'Ž', '',
  '', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '', 'ž', 'Ÿ',
];

function decodeCp1252(bytes: Uint8Array): string | undefined {
  let out = '';
  for (const byte of bytes) {
    if (byte < 0x80 || byte > 0x9f) out += String.fromCharCode(byte);
    else if (CP1252_HIGH[byte - 0x80]) out += CP1252_HIGH[byte - 0x80];
    else return undefined;
  }
  return out;
}

function decodeStrict(bytes: Uint8Array, codec: string): string | undefined {
  if (codec === 'cp1252') return decodeCp1252(bytes);
  if (codec === 'latin-1')
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  if (codec === 'ascii') {
    for (const byte of bytes) if (byte > 0x7f) return undefined;
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  }
  try {
    return new TextDecoder(codec, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function isKnownCodec(codec: string): boolean {
  if (codec === 'latin-1' || codec === 'ascii' || codec === 'cp1252') return true;
  try {
    new TextDecoder(codec);
    return true;
  } catch {
    return false;
  }
}

function nulProblem(text: string): string | undefined {
  const nul = text.indexOf('\0');
  if (nul === -1) return undefined;
  const line = text.slice(0, nul).split('\n').length;
  return `the file holds a NUL byte (line ${line}): a binary file or corrupted source, which Python and Node refuse to run`;
}

const BOM = [0xef, 0xbb, 0xbf];

/** Decodes a source file as its language's runtime would, or says why it cannot be read as source. */
export function decodeSource(bytes: Uint8Array, language: Language): DecodeResult {
  const hasBom = bytes.length >= 3 && BOM.every((byte, i) => bytes[i] === byte);
  const body = hasBom ? bytes.subarray(3) : bytes;
  let text: string | undefined;
  if (language === 'python') {
    const declared = pythonCodingDeclaration(body);
    const codec = declared ? normalizeCodec(declared.codec) : 'utf-8';
    if (declared && !isKnownCodec(codec))
      return {
        // Not "Python refuses it": Python runs UTF-7, UTF-32 and EBCDIC code pages, which TextDecoder lacks.
        problem: `unknown encoding "${declared.codec}" declared on line ${declared.line}: the checker cannot decode it (Python refuses an encoding it does not know, but runs some the checker cannot decode, such as UTF-7, UTF-32 and the EBCDIC code pages)`,
      };
    if (hasBom && codec !== 'utf-8')
      return {
        problem: `the file starts with a UTF-8 byte order mark but declares "${declared!.codec}" on line ${declared!.line}: Python refuses this`,
      };
    text = decodeStrict(body, codec);
    if (text === undefined)
      return {
        problem: declared
          ? `not valid ${declared.codec} text, the encoding declared on line ${declared.line}`
          : 'not valid UTF-8 and no coding declaration (PEP 263) on line 1 or 2 says otherwise',
      };
  } else {
    text = decodeStrict(body, 'utf-8');
    if (text === undefined) return { problem: 'not valid UTF-8 text' };
  }
  const nul = nulProblem(text);
  return nul ? { problem: nul } : { text };
}

/** The message for text (from an editor or a caller) that cannot be source, or undefined. */
export function textProblem(text: string): string | undefined {
  return nulProblem(text);
}

/** The fail-closed finding: HIGH, a violation whatever the threshold, not suppressible. */
export function unreadableFinding(reason: string): Finding {
  return {
    ruleId: UNREADABLE_SOURCE,
    severity: 'HIGH',
    violation: true,
    suppressed: false,
    message: `cannot be checked: ${reason}; treated as unsafe`,
    range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } },
  };
}

/** The analysis of a text the engine could not read: its one unreadable-source finding, never safe. */
export function unreadableAnalysis(reason: string, syntaxErrors: boolean): AnalysisResult {
  return { findings: [unreadableFinding(reason)], safe: false, syntaxErrors };
}
