// Finds the places in a Python traceback that point into the file that ran, so the run panel can link
// them back to the editor. Both runners' forms are recognised: `File "name.py", line 3, in f` (CPython,
// Pyodide) and `Cell In[1], line 3` (E2B's Jupyter kernel runs the file as a cell). Frames in other
// files (the standard library, the runner) are left as text.

export interface TracebackLink {
  /** Offsets into the traceback text, [start, end). */
  start: number;
  end: number;
  /** 0-based line in the file that ran (in `cell`, for a notebook). */
  line: number;
  /** A notebook run: the cell (1-based among all cells) the line is in. */
  cell?: number;
}

const FRAME = /File "([^"\n]+)", line (\d+)|Cell In\[\d+\], line (\d+)/g;

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1];
}

/** The local runner names a notebook's cells `<cell N>`; E2B's kernel says `Cell In[k]`, for the cell that failed. */
const NOTEBOOK_FRAME = /File "<cell (\d+)>", line (\d+)|Cell In\[\d+\], line (\d+)/g;

/** The places in a notebook run's traceback that point into its cells; `failedCell` is the cell that raised. */
export function notebookTracebackLinks(traceback: string, failedCell: number): TracebackLink[] {
  const links: TracebackLink[] = [];
  for (const match of traceback.matchAll(NOTEBOOK_FRAME)) {
    const cell = match[1] !== undefined ? Number(match[1]) : failedCell;
    const line = Number(match[2] ?? match[3]) - 1;
    if (!Number.isSafeInteger(line) || line < 0 || !Number.isSafeInteger(cell) || cell < 1) continue;
    links.push({ start: match.index, end: match.index + match[0].length, line, cell });
  }
  return links;
}

export function tracebackLinks(traceback: string, runFile: string): TracebackLink[] {
  const wanted = baseName(runFile);
  const links: TracebackLink[] = [];
  for (const match of traceback.matchAll(FRAME)) {
    const file = match[1];
    const lineText = match[2] ?? match[3];
    if (file !== undefined && baseName(file) !== wanted) continue;
    const line = Number(lineText) - 1;
    if (!Number.isSafeInteger(line) || line < 0) continue;
    links.push({ start: match.index, end: match.index + match[0].length, line });
  }
  return links;
}
