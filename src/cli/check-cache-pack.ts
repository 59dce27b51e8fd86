// How the result cache's pack stores verdicts: compactly, because a warm `check` parses the whole pack and
// that parse was its largest cost. Strings (rule ids, severities, messages) go into one table per pack and a
// finding of the usual shape becomes a row of numbers; anything else (a notebook finding's cell, a field a
// later engine adds) is stored as the object itself, so that nothing the engine reported is dropped. Every
// stored value is checked when it is decoded: a corrupt entry reads as a miss and is analysed again.
import { SEVERITIES, type Finding, type Position } from '../policy/types';
import type { FileVerdict } from './check-verdict';

/** [ruleId, severity, flags (1 violation, 2 suppressed), message, start line, start column, end line, end column]. */
type FindingRow = [number, number, number, number, number, number, number, number];

/** A stored entry: [day last used (since 1970), flags (1 safe, 2 syntaxErrors, 4 truncated), findings]. */
export type StoredEntry = [number, number, Array<FindingRow | Finding>];

/** An entry as used in memory. */
export interface CacheEntry {
  seen: number;
  verdict: FileVerdict;
}

const SEVERITY_SET = new Set<string>(SEVERITIES);
const isBool = (value: unknown): value is boolean => typeof value === 'boolean';
const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
const isPosition = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  isCount((value as Position).line) &&
  isCount((value as Position).column);

/** A finding stored as an object, checked by hand (a schema library costs more than a warm run's lookups). */
export function isFinding(value: unknown): value is Finding {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Finding & { cell?: unknown };
  return (
    typeof f.ruleId === 'string' &&
    SEVERITY_SET.has(f.severity) &&
    isBool(f.violation) &&
    isBool(f.suppressed) &&
    typeof f.message === 'string' &&
    typeof f.range === 'object' &&
    f.range !== null &&
    isPosition(f.range.start) &&
    isPosition(f.range.end) &&
    // A notebook's findings name their cell (src/notebook/analyze.ts).
    (!('cell' in f) || (Number.isInteger(f.cell) && (f.cell as number) >= 1))
  );
}

const hasKeys = (value: object, count: number): boolean => Object.keys(value).length === count;

/** Builds a pack's string table while entries are encoded. */
export class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  add(text: string): number {
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(text);
      this.index.set(text, i);
    }
    return i;
  }
}

function encodeFinding(f: Finding, table: StringTable): FindingRow | Finding {
  const { start, end } = f.range;
  // Only the exact usual shape becomes a row: a row can hold nothing else.
  if (!hasKeys(f, 6) || !hasKeys(f.range, 2) || !hasKeys(start, 2) || !hasKeys(end, 2)) return f;
  return [
    table.add(f.ruleId),
    table.add(f.severity),
    (f.violation ? 1 : 0) | (f.suppressed ? 2 : 0),
    table.add(f.message),
    start.line,
    start.column,
    end.line,
    end.column,
  ];
}

export function encodeEntry(entry: CacheEntry, table: StringTable): StoredEntry {
  const { verdict } = entry;
  return [
    entry.seen,
    (verdict.safe ? 1 : 0) | (verdict.syntaxErrors ? 2 : 0) | (verdict.truncated ? 4 : 0),
    verdict.findings.map((f) => encodeFinding(f, table)),
  ];
}

function decodeFinding(stored: unknown, strings: readonly unknown[]): Finding | undefined {
  if (!Array.isArray(stored)) return isFinding(stored) ? stored : undefined;
  if (stored.length !== 8 || !stored.every(isCount)) return undefined;
  const [rule, severity, flags, message, sl, sc, el, ec] = stored as FindingRow;
  const ruleId = strings[rule];
  const level = strings[severity];
  const text = strings[message];
  if (typeof ruleId !== 'string' || typeof text !== 'string' || !SEVERITY_SET.has(level as string))
    return undefined;
  if (flags > 3) return undefined;
  return {
    ruleId,
    severity: level as Finding['severity'],
    violation: (flags & 1) !== 0,
    suppressed: (flags & 2) !== 0,
    message: text,
    range: { start: { line: sl, column: sc }, end: { line: el, column: ec } },
  };
}

/** The entry `stored` encodes with `strings`, or undefined when it is not a whole, valid entry. */
export function decodeEntry(stored: unknown, strings: readonly unknown[]): CacheEntry | undefined {
  if (!Array.isArray(stored) || stored.length !== 3) return undefined;
  const [seen, flags, rows] = stored as unknown[];
  if (!Number.isInteger(seen) || !isCount(flags) || flags > 7 || !Array.isArray(rows)) return undefined;
  const findings: Finding[] = [];
  for (const row of rows) {
    const finding = decodeFinding(row, strings);
    if (!finding) return undefined;
    findings.push(finding);
  }
  return {
    seen: seen as number,
    verdict: {
      safe: (flags & 1) !== 0,
      syntaxErrors: (flags & 2) !== 0,
      truncated: (flags & 4) !== 0,
      findings,
    },
  };
}
