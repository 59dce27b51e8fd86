// Computes the text edit behind "Suppress <rule> on this line", in the manner of vscode-eslint's
// createDisableLineTextEdit: reuse an existing `sandbox-policy: ignore[...]` comment on the line or the
// line above rather than adding a second one, and keep the line's indentation. No vscode import, so the
// logic is unit tested directly; src/server/code-actions.ts turns the result into an LSP WorkspaceEdit.

export type CommentLanguage = 'python' | 'javascript' | 'typescript';

/** Replace `[start, end)` of line `line` (0-based, UTF-16 columns) with `text`; an insert has start === end. */
export interface LineEdit {
  line: number;
  start: number;
  end: number;
  text: string;
}

/** As the engine reads it (src/policy/suppression.ts): the kind, then an optional rule list. */
const DIRECTIVE = /sandbox-policy:\s*(ignore-file|ignore)(\[([^\]]*)\])?/;

type DirectiveKind = 'ignore' | 'ignore-file';

export function commentPrefix(language: CommentLanguage): string {
  return language === 'python' ? '#' : '//';
}

/**
 * Where the comment starts in a line, skipping quoted strings on that line; undefined without one.
 * Multi-line strings are not tracked: a suppression comment is only ever looked for on the line of a
 * finding (which is code, not string) and on a line that is a comment from its first character.
 */
export function findLineComment(lineText: string, language: CommentLanguage): number | undefined {
  let quote: string | undefined;
  for (let i = 0; i < lineText.length; i++) {
    const ch = lineText[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || (ch === '`' && language !== 'python')) quote = ch;
    else if (language === 'python' && ch === '#') return i;
    else if (language !== 'python' && ch === '/' && lineText[i + 1] === '/') return i;
  }
  return undefined;
}

function isCommentOnlyLine(lineText: string, language: CommentLanguage): boolean {
  return lineText.trimStart().startsWith(commentPrefix(language));
}

/**
 * The edit that adds `ruleId` to the directive inside the comment starting at `commentStart`, or
 * `null` when the comment already suppresses it, or undefined when the comment has no directive.
 */
function mergeIntoDirective(
  lineText: string,
  line: number,
  commentStart: number,
  ruleId: string,
  kind: DirectiveKind,
): LineEdit | null | undefined {
  const comment = lineText.slice(commentStart);
  const match = DIRECTIVE.exec(comment);
  if (!match || match[1] !== kind) return undefined;
  if (match[2] === undefined) return null; // a bare directive already covers every rule
  const ids = match[3]
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  if (ids.includes(ruleId)) return null;
  const directiveEnd = commentStart + match.index + match[0].length;
  const listStart = directiveEnd - match[2].length + 1; // just after '['
  const listEnd = directiveEnd - 1; // the ']'
  return { line, start: listStart, end: listEnd, text: [...ids, ruleId].join(', ') };
}

/**
 * The edit that suppresses `ruleId` on line `line` of `lines`, or null when nothing needs to change.
 * Order: merge into a directive in the line's own trailing comment; merge into a directive on a
 * comment-only line just above; otherwise insert `<indent># sandbox-policy: ignore[rule]` above the
 * line, or append it as a trailing comment when the line above ends in a backslash continuation (a
 * comment line there would break the statement).
 */
export function suppressLineEdit(
  lines: LineSource,
  line: number,
  ruleId: string,
  language: CommentLanguage,
): LineEdit | null {
  if (line < 0 || line >= lines.lineCount) throw new RangeError(`line ${line} is outside the document`);
  const text = lines.lineText(line);
  const own = findLineComment(text, language);
  if (own !== undefined) {
    const merged = mergeIntoDirective(text, line, own, ruleId, 'ignore');
    if (merged !== undefined) return merged;
  }
  const above = line > 0 ? lines.lineText(line - 1) : undefined;
  if (above !== undefined && isCommentOnlyLine(above, language)) {
    const merged = mergeIntoDirective(
      above,
      line - 1,
      above.indexOf(commentPrefix(language)),
      ruleId,
      'ignore',
    );
    if (merged !== undefined) return merged;
  }
  const directive = `${commentPrefix(language)} sandbox-policy: ignore[${ruleId}]`;
  const continuation = above !== undefined && /\\\s*$/.test(above) && language === 'python';
  if (continuation) {
    const end = text.trimEnd().length;
    return { line, start: end, end: text.length, text: `  ${directive}` };
  }
  const indent = /^\s*/.exec(text)?.[0] ?? '';
  return { line, start: 0, end: 0, text: `${indent}${directive}\n` };
}

/** Lines at the top of a file that must stay first: a shebang, and Python's encoding declaration. */
function headerLines(lines: LineSource, language: CommentLanguage): number {
  let count = 0;
  if (lines.lineCount > 0 && lines.lineText(0).startsWith('#!')) count = 1;
  if (language === 'python') {
    // PEP 263: the coding declaration is on line 1 or 2.
    while (count < Math.min(2, lines.lineCount) && /^[ \t\f]*#.*?coding[:=]/.test(lines.lineText(count)))
      count++;
  }
  return count;
}

/**
 * The edit that suppresses `ruleId` in the whole file (`sandbox-policy: ignore-file[...]`), or null when
 * it already is: merged into an existing `ignore-file` comment line, otherwise a new comment at the top
 * of the file, after a shebang or encoding line.
 */
export function suppressFileEdit(
  lines: LineSource,
  ruleId: string,
  language: CommentLanguage,
): LineEdit | null {
  for (let line = 0; line < lines.lineCount; line++) {
    const text = lines.lineText(line);
    if (!isCommentOnlyLine(text, language)) continue;
    const merged = mergeIntoDirective(
      text,
      line,
      text.indexOf(commentPrefix(language)),
      ruleId,
      'ignore-file',
    );
    if (merged !== undefined) return merged;
  }
  const directive = `${commentPrefix(language)} sandbox-policy: ignore-file[${ruleId}]`;
  const at = headerLines(lines, language);
  if (at < lines.lineCount) return { line: at, start: 0, end: 0, text: `${directive}\n` };
  const last = lines.lineText(lines.lineCount - 1); // a file of nothing but its header lines
  return { line: lines.lineCount - 1, start: last.length, end: last.length, text: `\n${directive}` };
}

/** Lines of a document (a TextDocument adapter in the extension, an array in tests). */
export interface LineSource {
  lineCount: number;
  lineText(line: number): string;
}

/** A LineSource over text, splitting lines the way VS Code numbers them (\n, \r\n and \r all end a line). */
export function linesOf(text: string): LineSource {
  const lines = text.split(/\r\n|\r|\n/);
  return { lineCount: lines.length, lineText: (line) => lines[line] };
}
