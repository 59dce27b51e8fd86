// A bound on the parser's own work. tree-sitter's error recovery can explode on tangled syntax: a 32 KB
// file of random bytes read as TypeScript took 4 minutes to parse (704,225 progress checks), which would
// hold the CLI, a check worker or the language server for as long. The budget counts tree-sitter's
// progress checks (one every hundred or so parser operations), so it is the same on every machine, and
// a file past it is unreadable-source: never reported as safe, never waited for.
import type { Parser, Tree } from 'web-tree-sitter';
import type { GrammarName } from '../assets';
import { unreadableAnalysis } from './source';
import type { AnalysisResult } from './types';

/**
 * Progress checks allowed per parse: a base, and so many per KB of text. Measured: ordinary code needs
 * at most 30 per KB (CPython's standard library, 4,000 files of node_modules: 27 for a 1 KB file, 15 for
 * the densest large one), random bytes about 8: a margin of more than 3× (6× for large files). A file
 * past it costs a few seconds, not minutes.
 */
export const PARSE_CHECKS_BASE = 5_000;
export const PARSE_CHECKS_PER_KB = 100;

/** Thrown by a parse that ran out of its budget; the engine turns it into an unreadable-source result. */
export class ParseBudgetExceeded extends Error {
  override name = 'ParseBudgetExceeded';
  constructor(
    readonly grammar: GrammarName,
    readonly budget: number,
  ) {
    super(
      `the ${grammar} parser gave up: its error recovery passed the work budget for a file of this size ` +
        `(${budget.toLocaleString('en-US')} steps), so the syntax is too tangled to read`,
    );
  }
}

/** The progress checks a text of this length may take. */
export function parseBudget(length: number): number {
  return PARSE_CHECKS_BASE + Math.ceil(length / 1024) * PARSE_CHECKS_PER_KB;
}

/** Parses within the budget, or throws ParseBudgetExceeded (the parser is reset for its next text). */
export function parseWithinBudget(
  parser: Parser,
  grammar: GrammarName,
  text: string,
  previous?: Tree,
  budget = parseBudget(text.length),
): Tree {
  let checks = 0;
  const tree = parser.parse(text, previous ?? null, { progressCallback: () => ++checks > budget });
  if (tree) return tree;
  // A cancelled parse would otherwise be resumed by the next call, whatever text it is given.
  parser.reset();
  if (checks > budget) throw new ParseBudgetExceeded(grammar, budget);
  throw new Error(`the ${grammar} parser returned no tree`);
}

/** What an analysis of a text the parser gave up on reports: unreadable-source, not safe. */
export function parseGaveUp(error: ParseBudgetExceeded): AnalysisResult {
  return unreadableAnalysis(error.message, true);
}
