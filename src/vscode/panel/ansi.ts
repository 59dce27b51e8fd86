// Turns program output containing ANSI escape sequences into plain text segments with a style, so the
// run panel can colour SGR output through CSS classes and drop every other control sequence (cursor
// moves, OSC titles and hyperlinks, device queries). Nothing here produces markup: the webview puts each
// segment's text into the DOM with textContent. Sequences split across chunks are carried over.

export interface AnsiStyle {
  /** Foreground colour index 0-15 (8-15 bright), undefined for the default colour. */
  fg?: number;
  bg?: number;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
}

export interface AnsiSegment {
  text: string;
  style: AnsiStyle;
}

const ESC = '\u001b';
/** A sequence longer than this is not a sequence: its bytes are dropped rather than buffered forever. */
const MAX_PENDING = 256;

function applySgr(style: AnsiStyle, params: number[]): AnsiStyle {
  const next: AnsiStyle = { ...style };
  const codes = params.length === 0 ? [0] : params;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code === 0) {
      for (const key of Object.keys(next) as (keyof AnsiStyle)[]) delete next[key];
    } else if (code === 1) next.bold = true;
    else if (code === 2) next.dim = true;
    else if (code === 3) next.italic = true;
    else if (code === 4) next.underline = true;
    else if (code === 22) {
      delete next.bold;
      delete next.dim;
    } else if (code === 23) delete next.italic;
    else if (code === 24) delete next.underline;
    else if (code >= 30 && code <= 37) next.fg = code - 30;
    else if (code >= 90 && code <= 97) next.fg = code - 90 + 8;
    else if (code === 39) delete next.fg;
    else if (code >= 40 && code <= 47) next.bg = code - 40;
    else if (code >= 100 && code <= 107) next.bg = code - 100 + 8;
    else if (code === 49) delete next.bg;
    else if (code === 38 || code === 48) {
      // 256-colour and true-colour forms: consume their arguments; colours outside the theme's 16 are not shown.
      const mode = codes[i + 1];
      if (mode === 5 && codes[i + 2] !== undefined && codes[i + 2] < 16) {
        if (code === 38) next.fg = codes[i + 2];
        else next.bg = codes[i + 2];
      }
      i += mode === 5 ? 2 : mode === 2 ? 4 : 1;
    }
  }
  return next;
}

/** Where the escape sequence starting at `start` (an ESC) ends, exclusive; -1 when incomplete. */
function sequenceEnd(text: string, start: number): number {
  const kind = text[start + 1];
  if (kind === undefined) return -1;
  if (kind === '[') {
    for (let i = start + 2; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x40 && c <= 0x7e) return i + 1;
      if (c < 0x20 || c > 0x3f) return i; // malformed: drop what we have, keep the rest as text
    }
    return -1;
  }
  if (kind === ']' || kind === 'P' || kind === '_' || kind === '^' || kind === 'X') {
    // OSC / DCS / APC / PM / SOS: end at BEL or ST (ESC \).
    for (let i = start + 2; i < text.length; i++) {
      if (text[i] === '\u0007') return i + 1;
      if (text[i] === ESC) return text[i + 1] === undefined ? -1 : text[i + 1] === '\\' ? i + 2 : i;
    }
    return -1;
  }
  return start + 2; // two-character escapes (ESC c, ESC 7, ESC =, ...)
}

/** C0 controls other than tab and newline, DEL, and the C1 range: never shown. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f]/g;

export class AnsiParser {
  private style: AnsiStyle = {};
  private pending = '';

  /** Parses the next chunk of output; a sequence cut at the end of the chunk is completed by the next one. */
  push(chunk: string): AnsiSegment[] {
    const text = this.pending + chunk;
    this.pending = '';
    const segments: AnsiSegment[] = [];
    let plain = '';
    const flush = () => {
      const cleaned = plain.replace(/\r\n/g, '\n').replace(CONTROL, '');
      if (cleaned.length > 0) segments.push({ text: cleaned, style: { ...this.style } });
      plain = '';
    };
    let i = 0;
    while (i < text.length) {
      const esc = text.indexOf(ESC, i);
      if (esc === -1) {
        plain += text.slice(i);
        break;
      }
      plain += text.slice(i, esc);
      const end = sequenceEnd(text, esc);
      if (end === -1) {
        const rest = text.slice(esc);
        if (rest.length <= MAX_PENDING) this.pending = rest;
        break;
      }
      const sequence = text.slice(esc, end);
      const sgr = /^.\[([0-9;]*)m$/s.exec(sequence); // the first character is the ESC
      if (sgr) {
        flush();
        const params = sgr[1] === '' ? [] : sgr[1].split(';').map((p) => (p === '' ? 0 : Number(p)));
        this.style = applySgr(this.style, params);
      }
      i = end;
    }
    flush();
    return segments;
  }

  /** Text held back as a possibly incomplete sequence at the end of the last chunk. */
  get hasPending(): boolean {
    return this.pending.length > 0;
  }
}

/** Output with every escape sequence and control character removed (for copying and for the log). */
export function stripAnsi(text: string): string {
  return new AnsiParser()
    .push(text)
    .map((segment) => segment.text)
    .join('');
}

/** CSS class names for a style (the stylesheet maps them to `--vscode-terminal-ansi*` colours). */
export function ansiClasses(style: AnsiStyle): string[] {
  const classes: string[] = [];
  if (style.fg !== undefined) classes.push(`ansi-fg-${style.fg}`);
  if (style.bg !== undefined) classes.push(`ansi-bg-${style.bg}`);
  if (style.bold) classes.push('ansi-bold');
  if (style.dim) classes.push('ansi-dim');
  if (style.italic) classes.push('ansi-italic');
  if (style.underline) classes.push('ansi-underline');
  return classes;
}
