// A notebook analysed as the one program its kernel runs: the code cells in order, IPython syntax masked
// (ipython.ts), so a name bound in an earlier cell resolves in a later one and flow-sensitive rules see the
// cells in execution order. Findings carry the cell they are in and a position within it.
//
// A cell the parser cannot read alone never runs at all (Python compiles a cell before running any of it),
// and read together with the others it could swallow the next cells (an unclosed `"""`). So the program is
// analysed without such cells, and each one is analysed on its own, after the cells before it.
import type { Finding, PolicyEngine, Position, ResolvedPolicy } from '../policy';
import { textProblem, unreadableFinding } from '../policy/source';
import type { RawFinding } from '../policy/findings';
import { isDestructiveCommand, quote } from '../policy/shared/judgments';
import { maskIPython, type MagicUse, type MaskedCell } from './ipython';
import { shellUses } from './ipython-shell';
import type { Notebook } from './model';

/** A position in a notebook: the cell's 1-based `index` among all cells, then the engine's 0-based line and column within the cell. */
export interface CellPosition extends Position {
  cell: number;
}

export interface NotebookFinding extends Finding {
  /** The cell's `index` (1-based among all cells). */
  cell: number;
  range: { start: CellPosition; end: CellPosition };
}

export interface NotebookAnalysis {
  /** Sorted by cell, line and column. */
  findings: NotebookFinding[];
  /** No unsuppressed violation (and the analysis was complete). */
  safe: boolean;
  /** Some cell has syntax errors: its findings cover what the parser could read. */
  syntaxErrors: boolean;
  /** The `index` of each code cell with syntax errors. */
  cellsWithSyntaxErrors: number[];
  /** Present (true) when a pathological input exhausted the analysis budget or its depth limit: never safe. */
  truncated?: boolean;
}

/** Between two cells: the first ends its last line, and a blank line keeps a comment-only line from covering the next cell's first line. */
const SEPARATOR = '\n\n';

interface ProgramCell {
  index: number;
  masked: MaskedCell;
  /** Where the cell starts in the program text. */
  offset: number;
  line: number;
  lineCount: number;
  /** Why the cell cannot be read (NUL bytes). */
  unreadable?: string;
  syntaxErrors: boolean;
}

function lineCount(text: string): number {
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function blank(text: string): string {
  return text.replace(/[^\n\r]/g, ' ');
}

/** The findings a magic or shell escape makes (offsets within its cell). */
function magicFindings(use: MagicUse): RawFinding[] {
  const at = { start: use.start, end: use.end };
  switch (use.effect) {
    case 'command': {
      const how = use.syntax.startsWith('%%')
        ? `${use.syntax} runs the cell as a script of another program`
        : `${use.syntax} runs a shell command`;
      const findings: RawFinding[] = [
        { ruleId: 'command-execution', ...at, message: `${how}: ${quote(use.argument)}` },
      ];
      if (isDestructiveCommand(use.argument))
        findings.push({
          ruleId: 'destructive-command',
          ...at,
          message: `destructive command ${quote(use.argument)}`,
        });
      return findings;
    }
    case 'code':
      return [
        {
          ruleId: 'dynamic-code',
          ...at,
          message:
            use.syntax === '%run' || use.syntax === 'run'
              ? `${use.syntax} runs the Python file ${quote(use.argument)} in the notebook's namespace`
              : `${use.syntax} runs code: ${quote(use.argument)}`,
        },
      ];
    case 'install':
      return [
        {
          ruleId: 'package-install',
          ...at,
          message:
            use.syntax === '%load_ext'
              ? `%load_ext loads the IPython extension ${quote(use.argument)}, running its code in the kernel`
              : `${use.syntax} installs packages (${quote(use.argument)}): installing runs their setup code`,
        },
      ];
    case 'file-write':
      return [
        { ruleId: 'file-write', ...at, message: `${use.syntax} writes the cell to ${quote(use.argument)}` },
      ];
    case 'autocall':
      return [
        {
          ruleId: 'dynamic-code',
          ...at,
          message: `IPython autocall ${quote(use.syntax + use.argument)} calls code the engine cannot read as Python`,
        },
      ];
  }
}

/** Lays the code cells out as one program text (cells left out are blanked, so positions stay put). */
function layout(notebook: Notebook): ProgramCell[] {
  const cells: ProgramCell[] = [];
  let offset = 0;
  let line = 0;
  for (const cell of notebook.cells) {
    if (cell.kind !== 'code') continue;
    const unreadable = textProblem(cell.source);
    const masked = unreadable
      ? { python: blank(cell.source.replace(/\0/g, ' ')), uses: [] }
      : maskIPython(cell.source);
    const lines = lineCount(masked.python);
    cells.push({
      index: cell.index,
      masked,
      offset,
      line,
      lineCount: lines,
      unreadable,
      syntaxErrors: false,
    });
    offset += masked.python.length + SEPARATOR.length;
    line += lines + 1;
  }
  const shell = shellUses(cells.map((cell) => (cell.unreadable ? '' : cell.masked.python)));
  cells.forEach((cell, i) => cell.masked.uses.push(...shell[i]));
  return cells;
}

function programText(cells: readonly ProgramCell[], include: (cell: ProgramCell) => boolean): string {
  return cells
    .map((cell) => (include(cell) ? cell.masked.python : blank(cell.masked.python)))
    .join(SEPARATOR);
}

function cellAtLine(cells: readonly ProgramCell[], line: number): ProgramCell {
  let found = cells[0];
  for (const cell of cells) {
    if (cell.line > line) break;
    found = cell;
  }
  return found;
}

/** A program-wide finding placed in its cell (a range running past the cell's end is cut at it). */
function inCell(cells: readonly ProgramCell[], finding: Finding): NotebookFinding {
  const cell = cellAtLine(cells, finding.range.start.line);
  const last = cell.lineCount - 1;
  const place = (position: Position): CellPosition => {
    const line = position.line - cell.line;
    const prompt = cell.masked.promptColumns?.get(line) ?? 0;
    return line > last
      ? {
          cell: cell.index,
          line: last,
          column: cell.masked.python.length - cell.masked.python.lastIndexOf('\n') - 1,
        }
      : { cell: cell.index, line, column: position.column + prompt };
  };
  return {
    ...finding,
    cell: cell.index,
    range: { start: place(finding.range.start), end: place(finding.range.end) },
  };
}

function atCellStart(finding: Finding, cell: number): NotebookFinding {
  const start = { cell, line: 0, column: 0 };
  return { ...finding, cell, range: { start, end: start } };
}

/**
 * Analyses a notebook's code cells as one program under `policy`. Markdown and raw cells are ignored; a
 * notebook in another language than Python is reported as unreadable (never safe).
 */
export function analyzeNotebook(
  engine: PolicyEngine,
  notebook: Notebook,
  policy: ResolvedPolicy,
): NotebookAnalysis {
  const cells = layout(notebook);
  if (cells.length === 0) return { findings: [], safe: true, syntaxErrors: false, cellsWithSyntaxErrors: [] };
  if (notebook.language !== 'python') {
    const reason = `the notebook's language is ${JSON.stringify(notebook.language)}, and only Python notebooks are checked`;
    return {
      findings: [atCellStart(unreadableFinding(reason), cells[0].index)],
      safe: false,
      syntaxErrors: false,
      cellsWithSyntaxErrors: [],
    };
  }
  const findings: NotebookFinding[] = [];
  for (const cell of cells) {
    if (cell.unreadable) findings.push(atCellStart(unreadableFinding(cell.unreadable), cell.index));
    else cell.syntaxErrors = engine.hasSyntaxErrors(cell.masked.python, 'python');
  }
  const readable = (cell: ProgramCell): boolean => !cell.unreadable && !cell.syntaxErrors;
  let truncated = false;
  const pass = (include: (cell: ProgramCell) => boolean, keep: (cell: ProgramCell) => boolean): void => {
    const extraFindings = cells.filter(include).flatMap((cell) =>
      cell.masked.uses.flatMap(magicFindings).map((finding) => ({
        ...finding,
        start: finding.start + cell.offset,
        end: finding.end + cell.offset,
      })),
    );
    const result = engine.analyze(programText(cells, include), 'python', policy, {
      extraFindings,
      // Cells are run again, in any order: a later cell's binding can reach an earlier cell's use.
      moduleCodeRepeats: true,
    });
    truncated ||= result.truncated === true;
    for (const finding of result.findings) {
      const placed = inCell(cells, finding);
      if (keep(cellAtLine(cells, finding.range.start.line))) findings.push(placed);
    }
  };
  pass(readable, () => true);
  for (const broken of cells.filter((cell) => cell.syntaxErrors)) {
    // The broken cell in the context of the cells that run before and after it; only its own findings count.
    pass(
      (cell) => cell === broken || readable(cell),
      (cell) => cell === broken,
    );
  }
  findings.sort(
    (a, b) =>
      a.cell - b.cell ||
      a.range.start.line - b.range.start.line ||
      a.range.start.column - b.range.start.column ||
      a.ruleId.localeCompare(b.ruleId),
  );
  const cellsWithSyntaxErrors = cells.filter((cell) => cell.syntaxErrors).map((cell) => cell.index);
  const analysis: NotebookAnalysis = {
    findings,
    safe: !truncated && !findings.some((finding) => finding.violation && !finding.suppressed),
    syntaxErrors: cellsWithSyntaxErrors.length > 0,
    cellsWithSyntaxErrors,
  };
  if (truncated) analysis.truncated = true;
  return analysis;
}
