// Offsets ↔ positions. Offsets and columns are UTF-16 code units: the unit of JavaScript strings, of
// web-tree-sitter 0.25's indices (verified: it parses UTF-16 and reports code-unit offsets) and of VS Code.
import type { Position } from './types';

export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.min(Math.max(line, 0), this.starts.length - 1)];
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - this.starts[lo] };
  }
}

/** The word-character test Python and JavaScript identifiers share for ASCII. */
export function isIdentifierChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 36 || // `$` (JavaScript); harmless for Python, where it is not valid source anyway
    code > 127
  );
}

/** Offsets where `word` occurs as a whole identifier-like token (not part of a longer word). */
export function wordOccurrences(text: string, word: string): number[] {
  const out: number[] = [];
  const length = word.length;
  for (let i = text.indexOf(word); i !== -1; i = text.indexOf(word, i + 1)) {
    if (i > 0 && isIdentifierChar(text.charCodeAt(i - 1))) continue;
    if (i + length < text.length && isIdentifierChar(text.charCodeAt(i + length))) continue;
    out.push(i);
  }
  return out;
}

function escapeRegExp(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Finds every whole-word occurrence of any of `words` in one pass. Returns name → offsets.
 * Word boundaries are ASCII (\b); the caller checks each hit against the syntax tree anyway.
 */
export class WordScanner {
  private readonly pattern: RegExp;

  constructor(words: Iterable<string>) {
    const sorted = [...new Set(words)].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.pattern = new RegExp(`(?<![\\w$])(?:${sorted.join('|')})(?![\\w$])`, 'g');
  }

  scan(text: string): Map<string, number[]> {
    const out = new Map<string, number[]>();
    const pattern = new RegExp(this.pattern.source, 'g');
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      const list = out.get(m[0]);
      if (list) list.push(m.index);
      else out.set(m[0], [m.index]);
    }
    return out;
  }
}

const NON_ASCII = /[^\t\n\r\u0020-\u007e]/u;
const UNICODE_IDENTIFIER = /[\p{ID_Start}_][\p{ID_Continue}]*/uy;
const NON_ASCII_CHAR = /[^\t\n\r\u0020-\u007e]/gu;
const IDENTIFIER_CHAR = /[\p{ID_Continue}]/u;

/**
 * Identifiers written with non-ASCII characters that NFKC-normalise to another name (Python normalises
 * identifiers, so `ｅｖａｌ` is `eval`). Returns name → [offset, length] pairs.
 */
export function normalizedIdentifiers(text: string): Map<string, Array<[number, number]>> {
  const out = new Map<string, Array<[number, number]>>();
  // Only the words around non-ASCII characters can change under NFKC: look at those, not the whole file.
  NON_ASCII_CHAR.lastIndex = 0;
  let scannedTo = 0;
  for (let c = NON_ASCII_CHAR.exec(text); c !== null; c = NON_ASCII_CHAR.exec(text)) {
    if (c.index < scannedTo) continue;
    let start = c.index;
    while (start > 0 && IDENTIFIER_CHAR.test(text[start - 1])) start--;
    UNICODE_IDENTIFIER.lastIndex = start;
    const m = UNICODE_IDENTIFIER.exec(text);
    scannedTo = c.index + 1;
    if (!m || m.index + m[0].length <= c.index) continue;
    scannedTo = m.index + m[0].length;
    const token = m[0];
    if (!NON_ASCII.test(token)) continue;
    const name = token.normalize('NFKC');
    if (name === token) continue;
    const list = out.get(name);
    if (list) list.push([m.index, token.length]);
    else out.set(name, [[m.index, token.length]]);
  }
  return out;
}

export function nfkc(name: string): string {
  return NON_ASCII.test(name) ? name.normalize('NFKC') : name;
}
