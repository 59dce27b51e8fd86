// The IPython shell object reached from Python: `get_ipython()` is valid Python, so it parses, but its
// methods do what the escapes do (`get_ipython().system("ls")` is `!ls`, `run_line_magic("pip", ...)` is
// `%pip`, `run_cell(code)` runs code). Calls on it, directly or through a name it was assigned to (in any
// cell), are reported as the escapes are. Strings and comments never count.
import type { MagicEffect, MagicUse } from './ipython';
import { magicEffect } from './ipython';

const COMMAND_METHODS = new Set(['system', 'system_piped', 'system_raw', 'getoutput']);
const CODE_METHODS = new Set([
  'run_cell',
  'run_cell_async',
  'run_code',
  'ex',
  'ev',
  'safe_execfile',
  'safe_execfile_ipy',
  'safe_run_module',
]);
const MAGIC_METHODS = new Set(['run_line_magic', 'run_cell_magic', 'magic']);

/** The text with string contents and comments blanked (same offsets): where code is. */
export function codeOnly(text: string): string {
  const out = text.split('');
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '#') {
      const end = text.indexOf('\n', i);
      blank(i, end === -1 ? text.length : end);
      i = end === -1 ? text.length : end;
    } else if (c === '"' || c === "'") {
      const quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      let j = i + quote.length;
      while (j < text.length && !text.startsWith(quote, j)) {
        if (text[j] === '\\') j++;
        else if (quote.length === 1 && text[j] === '\n') break;
        j++;
      }
      blank(i + quote.length, j);
      i = Math.min(text.length, j + quote.length);
    } else i++;
  }
  return out.join('');
}

/** The constant string arguments at the start of a call's argument list (`"a", 'b'`), as far as they go. */
function leadingStrings(text: string, from: number): string[] {
  const strings: string[] = [];
  const literal = /\s*[rRbBuU]?(?:"([^"\\\n]*)"|'([^'\\\n]*)')\s*(,|\))/y;
  literal.lastIndex = from;
  for (let m = literal.exec(text); m; m = literal.exec(text)) {
    strings.push(m[1] ?? m[2]);
    if (m[3] === ')') break;
  }
  return strings;
}

interface MethodUse {
  effect: MagicEffect;
  argument: string;
}

function methodEffect(method: string, args: string[]): MethodUse | undefined {
  const computed = '(computed at run time)';
  if (COMMAND_METHODS.has(method)) return { effect: 'command', argument: args[0] ?? computed };
  if (CODE_METHODS.has(method)) return { effect: 'code', argument: args[0] ?? computed };
  if (!MAGIC_METHODS.has(method)) return undefined;
  // magic("name args"); run_line_magic(name, line); run_cell_magic(name, line, cell)
  const [name, rest] =
    method === 'magic' ? (/^%*(\S*)\s*(.*)$/s.exec(args[0] ?? '')?.slice(1) ?? []) : [args[0], args[1]];
  if (name === undefined || name === '') return { effect: 'code', argument: `a magic ${computed}` };
  const effect = magicEffect(name.replace(/^%+/, ''), rest ?? '', method === 'run_cell_magic');
  return effect ? { effect, argument: `${name} ${rest ?? ''}`.trim() } : undefined;
}

/**
 * Calls on the IPython shell in `cells` (masked Python, in order): offsets are within each cell. Names
 * assigned `get_ipython()` in any cell count as the shell in every cell.
 */
export function shellUses(cells: readonly string[]): MagicUse[][] {
  const code = cells.map(codeOnly);
  const aliases = new Set<string>();
  for (const text of code)
    for (const m of text.matchAll(/(?<![\w.])([A-Za-z_]\w*)\s*=\s*get_ipython\s*\(\s*\)/g)) aliases.add(m[1]);
  const shell = ['get_ipython\\s*\\(\\s*\\)', ...[...aliases].map((name) => `${name}(?!\\w)`)].join('|');
  const call = new RegExp(`(?<![\\w.])(?:${shell})\\s*\\.\\s*([A-Za-z_]\\w*)\\s*(\\()?`, 'g');
  return code.map((text, i) => {
    const uses: MagicUse[] = [];
    for (const m of text.matchAll(call)) {
      const method = m[1];
      const args = m[2] ? leadingStrings(cells[i], m.index + m[0].length) : [];
      const use = methodEffect(method, args);
      if (use)
        uses.push({
          effect: use.effect,
          start: m.index,
          end: m.index + m[0].length - (m[2] ? 1 : 0),
          syntax: `get_ipython().${method}`,
          argument: use.argument,
        });
    }
    return uses;
  });
}
