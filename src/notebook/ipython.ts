// IPython's own syntax in a code cell (magics, shell escapes, help, autocall) turned into Python the parser
// reads, keeping every other character where it was: a masked line becomes `0` followed by spaces (a valid
// statement anywhere a statement may stand), so offsets, lines and columns of the rest are exact. What the
// masked syntax does is returned as uses: shell commands, code runs and package installs become findings.
// The rules follow IPython 8's input transformers (IPython/core/inputtransformer2.py): escapes count only
// at the start of a logical line (not inside strings or brackets), a cell magic only on the cell's first line,
// and automagic (a magic without `%`) only in a one-line cell.

export type MagicEffect = 'command' | 'code' | 'install' | 'file-write' | 'autocall';

export interface MagicUse {
  effect: MagicEffect;
  /** UTF-16 offsets in the cell's source: the masked syntax. */
  start: number;
  end: number;
  /** How the user wrote it: `!`, `!!`, `%system`, `%%bash`, `%pip install`, `/` … */
  syntax: string;
  /** What it acts on: the command line, the file, the packages, the callee and its arguments. */
  argument: string;
}

export interface MaskedCell {
  /** The cell as Python: same length and line breaks as the source. */
  python: string;
  uses: MagicUse[];
}

/** Cell magics whose body is Python that IPython runs in the kernel (the body is analysed). */
const PYTHON_BODY_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug']);
/** Cell magics that hand the body to another program. */
const SHELL_CELL_MAGICS = new Set([
  'bash',
  'sh',
  'zsh',
  'script',
  'system',
  'sx',
  '!',
  'perl',
  'ruby',
  'python',
  'python2',
  'python3',
  'pypy',
]);
const WRITE_CELL_MAGICS = new Set(['writefile', 'file']);
const COMMAND_LINE_MAGICS = new Set(['system', 'sx', 'sc']);
const CODE_LINE_MAGICS = new Set(['run']);
const INSTALLERS = new Set(['pip', 'conda', 'mamba', 'micromamba', 'uv']);
/** Line magics that automagic (a one-line cell without `%`) turns into effects worth reporting. */
const AUTOMAGIC = new Set([...COMMAND_LINE_MAGICS, ...CODE_LINE_MAGICS, ...INSTALLERS, 'load_ext']);
/** What may follow a name for the line to be Python rather than automagic (IPython's AutoMagicChecker). */
const PYTHON_AFTER_NAME = /^\s*(?:$|[=!<>()[\].,:;+\-*/%&|^~@]|(?:is|not|in|and|or|if|else|for)\b)/;

function blank(text: string): string {
  return text.replace(/[^\n\r]/g, ' ');
}

/**
 * Where a `#` comment starts in a magic or shell line (a `#` after white space, outside quotes: the shell
 * reads it so too), or the line's length. The comment is kept in the masked text so that suppression
 * comments work on these lines as on any other.
 */
function commentStart(line: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\') i++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === from || /\s/.test(line[i - 1]))) return i;
  }
  return line.length;
}

/** `0` and spaces: a statement of the same length (a masked escape's stand-in). */
function statementOfLength(length: number): string {
  return length === 0 ? '' : `0${' '.repeat(length - 1)}`;
}

interface Line {
  start: number;
  /** The line without its `\n` (and without a trailing `\r`). */
  text: string;
}

function splitLines(source: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const newline = source.indexOf('\n', start);
    const end = newline === -1 ? source.length : newline;
    const text = source.slice(start, end);
    lines.push({ start, text: text.endsWith('\r') ? text.slice(0, -1) : text });
    if (newline === -1) return lines;
    start = newline + 1;
  }
}

/**
 * Python's lexical state carried from line to line: open brackets, an open triple-quoted string, a
 * backslash continuation. Enough to know whether a line starts a logical line, which is where IPython
 * recognises its escapes.
 */
class LogicalLines {
  private depth = 0;
  private openString: string | undefined;
  private continued = false;

  get atLogicalStart(): boolean {
    return this.depth === 0 && this.openString === undefined && !this.continued;
  }

  /** Advances over one line's text. */
  feed(line: string): void {
    this.continued = false;
    let i = 0;
    while (i < line.length) {
      if (this.openString) {
        const close = this.openString;
        if (line[i] === '\\') i += 2;
        else if (line.startsWith(close, i)) {
          this.openString = undefined;
          i += close.length;
        } else i++;
        continue;
      }
      const c = line[i];
      if (c === '#') break;
      if (c === '"' || c === "'") {
        const triple = line.startsWith(c.repeat(3), i);
        const quote = triple ? c.repeat(3) : c;
        i += quote.length;
        if (triple) {
          this.openString = quote;
          continue;
        }
        while (i < line.length && line[i] !== c) i += line[i] === '\\' ? 2 : 1;
        i++;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') this.depth++;
      else if (c === ')' || c === ']' || c === '}') this.depth = Math.max(0, this.depth - 1);
      else if (c === '\\' && i === line.length - 1) this.continued = true;
      i++;
    }
  }
}

function lineMagicEffect(name: string, args: string): MagicEffect | undefined {
  if (COMMAND_LINE_MAGICS.has(name)) return 'command';
  if (CODE_LINE_MAGICS.has(name)) return 'code';
  if (name === 'load_ext') return 'install';
  if (INSTALLERS.has(name) && /^\s*(?:pip\s+)?install\b/.test(args)) return 'install';
  return undefined;
}

/** Masks IPython syntax in one code cell's source. */
export function maskIPython(source: string): MaskedCell {
  const lines = splitLines(source);
  const uses: MagicUse[] = [];
  const out = source.split('');
  const replace = (start: number, text: string): void => {
    for (let i = 0; i < text.length; i++) out[start + i] = text[i];
  };
  let first = lines.findIndex((line) => line.text.trim() !== '');
  if (first === -1) return { python: source, uses };

  // A cell magic: `%%name args` on the first line; what the body is depends on the magic.
  const cellMagic = /^(\s*)%%(\S+)(.*)$/.exec(lines[first].text);
  if (cellMagic) {
    const head = lines[first];
    const [, indent, name] = cellMagic;
    const comment = commentStart(head.text, indent.length);
    const args = cellMagic[3].slice(0, Math.max(0, comment - indent.length - 2 - name.length));
    const start = head.start + indent.length;
    const bodyStart = first + 1 < lines.length ? lines[first + 1].start : source.length;
    const body = source.slice(bodyStart);
    if (PYTHON_BODY_CELL_MAGICS.has(name)) {
      replace(head.start, blank(head.text.slice(0, comment)));
      first++;
    } else {
      replace(0, blank(source));
      replace(head.start, statementOfLength(comment));
      replace(head.start + comment, head.text.slice(comment));
      const syntax = `%%${name}`;
      const end = head.start + comment;
      if (SHELL_CELL_MAGICS.has(name))
        uses.push({ effect: 'command', start, end, syntax, argument: `${args.trim()}\n${body}`.trim() });
      else if (WRITE_CELL_MAGICS.has(name))
        uses.push({ effect: 'file-write', start, end, syntax, argument: args.trim() });
      return { python: out.join(''), uses };
    }
  }

  const oneLine = lines.slice(first).filter((line) => line.text.trim() !== '').length === 1;
  const state = new LogicalLines();
  for (let n = first; n < lines.length; n++) {
    const line = lines[n];
    if (state.atLogicalStart) {
      const masked = maskLine(line, oneLine, uses);
      if (masked !== undefined) {
        replace(line.start, masked);
        continue; // a masked line is one statement: it opens nothing
      }
    }
    state.feed(line.text);
  }
  return { python: out.join(''), uses };
}

/** The masked text of one logical line, or undefined when it is plain Python; records what it does. */
function maskLine(line: Line, oneLine: boolean, uses: MagicUse[]): string | undefined {
  const text = line.text;
  const indent = /^\s*/.exec(text)![0].length;
  const body = text.slice(indent);
  if (body === '' || body.startsWith('#')) return undefined;
  const masked = (from: number): string => {
    const comment = commentStart(text, from);
    return text.slice(0, from) + statementOfLength(comment - from) + text.slice(comment);
  };
  const use = (effect: MagicEffect, from: number, syntax: string, argumentFrom: number): void => {
    const end = commentStart(text, from);
    const argument = text.slice(argumentFrom, end).trim();
    uses.push({ effect, start: line.start + from, end: line.start + end, syntax, argument });
  };

  // `x = !cmd`, `x = %magic args` (IPython's SystemAssign / MagicAssign).
  const assign = /^([\w.[\], ()*]+?\s*=\s*)(!|%)/.exec(body);
  const from = indent + (assign ? assign[1].length : 0);
  const rest = text.slice(from);
  if (rest.startsWith('!')) {
    const double = rest.startsWith('!!');
    use('command', from, double ? '!!' : '!', from + (double ? 2 : 1));
    return masked(from);
  }
  if (rest.startsWith('%')) {
    const magic = /^%{1,2}([^\s?]*)(.*)$/.exec(rest)!;
    const [, name, args] = magic;
    const effect = lineMagicEffect(name, args);
    if (effect) use(effect, from, `%${name}`, from + magic[0].length - args.length);
    return masked(from);
  }
  if (assign) return undefined;
  // Help: `?obj`, `??obj`, `obj?`, `obj??` (not a `?` inside a comment).
  if (body.startsWith('?') || /^[^#'"]*\?\s*$/.test(body)) return masked(indent);
  // Autocall escapes: `/f a b` → f(a, b), `,f a b` → f("a", "b"), `;f a b` → f("a b"). The call is code
  // the engine does not see as Python, so it is reported rather than passed as safe.
  if (/^[/,;][A-Za-z_]/.test(body)) {
    use('autocall', indent, body[0], indent + 1);
    return masked(indent);
  }
  // Automagic: in a one-line cell, `pip install x` is `%pip install x` unless the rest reads as Python.
  const automagic = /^([A-Za-z_]\w*)(.*)$/.exec(body);
  if (oneLine && automagic && AUTOMAGIC.has(automagic[1]) && !PYTHON_AFTER_NAME.test(automagic[2])) {
    const effect = lineMagicEffect(automagic[1], automagic[2]);
    if (effect) use(effect, indent, automagic[1], indent + automagic[1].length);
    return masked(indent);
  }
  return undefined;
}
