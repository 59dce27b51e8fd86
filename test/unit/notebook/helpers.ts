// Notebooks for the tests, written as their cells; one engine per test process, kept out of the golden
// recording (a notebook's program text is not a snippet of its own).
import { PolicyEngine, resolvePolicy, type PolicyConfig } from '../../../src/policy';
import { analyzeNotebook, type NotebookAnalysis } from '../../../src/notebook/analyze';
import type { Notebook, NotebookCellKind } from '../../../src/notebook/model';

let engine: Promise<PolicyEngine> | undefined;

export function notebookEngine(): Promise<PolicyEngine> {
  engine ??= PolicyEngine.create();
  return engine;
}

/** Cells as `[kind, source]` or a bare source string (a code cell). */
export type CellSpec = string | [NotebookCellKind, string];

export function notebook(cells: readonly CellSpec[], language = 'python'): Notebook {
  return {
    language,
    cells: cells.map((spec, i) => {
      const [kind, source] = typeof spec === 'string' ? (['code', spec] as const) : spec;
      return { index: i + 1, kind, source };
    }),
  };
}

/** The nbformat 4 JSON of a notebook with these cells (sources as lists of lines, as Jupyter writes them). */
export function ipynb(cells: readonly CellSpec[], language = 'python'): string {
  return JSON.stringify(
    {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language } },
      cells: cells.map((spec) => {
        const [kind, source] = typeof spec === 'string' ? (['code', spec] as const) : spec;
        return {
          cell_type: kind,
          metadata: {},
          source: source.split(/(?<=\n)/),
          ...(kind === 'code' ? { outputs: [], execution_count: null } : {}),
        };
      }),
    },
    null,
    1,
  );
}

export async function analyze(
  cells: readonly CellSpec[],
  config: PolicyConfig = {},
): Promise<NotebookAnalysis> {
  return analyzeNotebook(await notebookEngine(), notebook(cells), resolvePolicy(config));
}

/** `rule@cell:line:column` (1-based line and column) for each unsuppressed finding. */
export async function placesOf(cells: readonly CellSpec[], config: PolicyConfig = {}): Promise<string[]> {
  return (await analyze(cells, config)).findings
    .filter((finding) => !finding.suppressed)
    .map(
      (finding) =>
        `${finding.ruleId}@${finding.cell}:${finding.range.start.line + 1}:${finding.range.start.column + 1}`,
    );
}
