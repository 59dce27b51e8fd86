// The policy gate for a notebook run: the code cells checked as the one program the kernel runs
// (src/notebook/analyze.ts: a name bound in cell 1 resolves in cell 4, `!cmd` is command execution),
// before any cell runs. Any unsuppressed violation in any cell refuses the whole run.
import { analyzeNotebook, type NotebookFinding } from '../notebook/analyze';
import type { Notebook } from '../notebook/model';
import type { PolicyEngine, ResolvedPolicy } from '../policy';
import { checkRunInput, refusedInput, type GateDecision } from './gate';
import { joinCells } from './notebook-run';
import type { NotebookRunCell, RunLimits } from './run-types';
import { errorMessage } from '../error-message';

export interface NotebookGateDecision extends GateDecision {
  /** The findings with the cell each is in (the refusals from input checks have cell 0). */
  findings: Array<NotebookFinding | GateDecision['findings'][number]>;
}

/** The code cells a run executes, in order, with their notebook positions. */
export function codeCells(notebook: Notebook): NotebookRunCell[] {
  return notebook.cells
    .filter((cell) => cell.kind === 'code' && cell.source.trim() !== '')
    .map((cell) => ({ index: cell.index, source: cell.source }));
}

/** "cell 3, line 2" for a finding (1-based line, as editors show it). */
export function cellPlace(finding: { cell?: number; range: { start: { line: number } } }): string {
  const line = `line ${finding.range.start.line + 1}`;
  return finding.cell ? `cell ${finding.cell}, ${line}` : line;
}

export function gateNotebook(
  engine: PolicyEngine,
  notebook: Notebook,
  policy: ResolvedPolicy,
  limits: RunLimits,
): NotebookGateDecision {
  const cells = codeCells(notebook);
  if (cells.length === 0) {
    return { allowed: false, findings: [], reason: 'the notebook has no code cells: nothing to run' };
  }
  const problem = checkRunInput(joinCells(cells), limits);
  if (problem) return refusedInput(problem);
  let analysis: ReturnType<typeof analyzeNotebook>;
  try {
    analysis = analyzeNotebook(engine, notebook, policy);
  } catch (error) {
    // Fail closed: a notebook the engine could not analyse is never let through as if it were clean.
    return refusedInput(`the engine failed (${errorMessage(error)})`);
  }
  const violations = analysis.findings.filter((finding) => finding.violation && !finding.suppressed);
  if (violations.length > 0) {
    const first = violations[0];
    const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
    return {
      allowed: false,
      findings: analysis.findings,
      reason: `blocked by the ${policy.preset} policy: ${cellPlace(first)}: ${first.ruleId}: ${first.message}${more}`,
    };
  }
  if (analysis.truncated || !analysis.safe) {
    return {
      allowed: false,
      findings: analysis.findings,
      reason: 'blocked: the notebook is too large or too deeply nested to analyse completely',
    };
  }
  return { allowed: true, findings: analysis.findings };
}
