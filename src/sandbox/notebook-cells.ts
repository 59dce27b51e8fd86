// A notebook run's events, sorted into its cells: each runner announces a cell with a `cell` event, and
// what follows until the next one (output, images, the error) is that cell's. Runner-neutral, so the
// CLI, the panel and the tests read a local and a remote notebook run alike.
import type { CellResult, NotebookRunCell, RunEvent, RunResult } from './run-types';

export class CellCollector {
  private readonly cells: CellResult[];
  private readonly byIndex = new Map<number, CellResult>();
  private current: CellResult | undefined;

  constructor(cells: readonly NotebookRunCell[]) {
    this.cells = cells.map((cell) => ({
      index: cell.index,
      status: 'not-run' as const,
      stdout: '',
      stderr: '',
      error: null,
      results: [],
    }));
    for (const cell of this.cells) this.byIndex.set(cell.index, cell);
  }

  observe(event: RunEvent): void {
    switch (event.type) {
      case 'cell': {
        const cell = this.byIndex.get(event.index);
        if (!cell) return;
        cell.status = 'ok';
        this.current = cell;
        return;
      }
      case 'stdout':
      case 'stderr':
        if (this.current) this.current[event.type] += event.text;
        return;
      case 'result':
        this.current?.results.push(event.output);
        return;
      default:
        return;
    }
  }

  /**
   * Every code cell's outcome: `ok` for the cells that ran, the run's status and error on the cell that
   * was running when it stopped, `not-run` for the rest (all of them when the gate refused the run).
   */
  finish(result: RunResult): CellResult[] {
    if (result.status !== 'ok' && this.current) {
      this.current.status = result.status;
      this.current.error = result.error;
    }
    return this.cells;
  }
}

/** The cell that stopped the run (failed, or was running when a limit or a cancel stopped it). */
export function stoppingCell(cells: readonly CellResult[]): CellResult | undefined {
  return cells.find((cell) => cell.status !== 'ok' && cell.status !== 'not-run');
}
