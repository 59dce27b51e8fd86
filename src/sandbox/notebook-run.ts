// Runs a notebook's code cells on any runner: in order, in one fresh interpreter (Pyodide) or one
// sandbox's kernel (E2B), under one set of limits for the whole run, stopping at the first cell that
// fails. The result carries each cell's output (`cells`).
import { CellCollector } from './notebook-cells';
import type { NotebookRunCell, RunRequest, RunResult, Runner } from './run-types';

/** The cells as one text, for the checks every program passes (size, NUL bytes) and the audit log. */
export function joinCells(cells: readonly NotebookRunCell[]): string {
  return cells.map((cell) => cell.source).join('\n');
}

export type NotebookRunRequest = Omit<RunRequest, 'code' | 'cells'> & { cells: readonly NotebookRunCell[] };

export async function runNotebook<R extends Runner>(
  runner: R,
  request: NotebookRunRequest & Omit<Parameters<R['run']>[0], 'code' | 'cells'>,
): Promise<RunResult> {
  const collector = new CellCollector(request.cells);
  const onEvent = request.onEvent;
  const result = await runner.run({
    ...request,
    code: joinCells(request.cells),
    onEvent: (event) => {
      collector.observe(event);
      onEvent?.(event);
    },
  });
  return { ...result, cells: collector.finish(result) };
}
