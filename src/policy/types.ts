// The engine's public vocabulary: severities, languages, findings and analysis results.
// `Finding` has exactly the shape of `RunFinding` (src/sandbox/run-types.ts) so run results carry it as is.

export type Severity = 'SAFE' | 'LOW' | 'MEDIUM' | 'HIGH';
export type Language = 'python' | 'javascript' | 'typescript';

/** A position: 0-based line, 0-based UTF-16 column (VS Code's convention). */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** The severity is at or above the policy's threshold. */
  violation: boolean;
  /** A `sandbox-policy: ignore[...]` comment covers it; kept so that a reviewer can see it. */
  suppressed: boolean;
  message: string;
  range: Range;
}

export interface AnalysisResult {
  findings: Finding[];
  /** No unsuppressed violation. */
  safe: boolean;
  /** The parser had to recover from syntax errors; the findings cover what it could read. */
  syntaxErrors: boolean;
  /** Present (true) when a pathological input exhausted the analysis budget or its depth limit: the result is then never safe. */
  truncated?: boolean;
}

/**
 * One change to a document, in the shape of VS Code's `TextDocumentContentChangeEvent`
 * (`rangeOffset` and `rangeLength` in UTF-16 code units), so that editor events can be passed as they are.
 */
export interface TextEdit {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

export const SEVERITIES: readonly Severity[] = ['SAFE', 'LOW', 'MEDIUM', 'HIGH'];

const RANK: Record<Severity, number> = { SAFE: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };

export function severityRank(severity: Severity): number {
  return RANK[severity];
}

/** True when `severity` is at or above `threshold`. */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}
