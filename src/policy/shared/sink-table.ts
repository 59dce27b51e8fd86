// A sink catalog as rows, the shape both languages use: a qualified name leads to the rule it breaks,
// what it does (for the message), the argument check that refines a call (each language's own list)
// and whether a mere reference is a finding.
import type { RuleId } from '../rules';

export interface SinkRow<Check extends string> {
  rule: RuleId;
  /** Short description used in messages, e.g. "runs a shell command". */
  what: string;
  check?: Check;
  /** Whether a mere reference (not a call) is a finding; defaults to true. */
  onReference?: boolean;
}

export class SinkTable<Check extends string> {
  private readonly rows = new Map<string, SinkRow<Check>>();

  /** One row per whitespace-separated canonical name. */
  add(rule: RuleId, what: string, names: string, extra: Partial<SinkRow<Check>> = {}): void {
    for (const name of names.trim().split(/\s+/)) this.rows.set(name, { rule, what, ...extra });
  }

  get(q: string): SinkRow<Check> | undefined {
    return this.rows.get(q);
  }

  names(): IterableIterator<string> {
    return this.rows.keys();
  }
}
