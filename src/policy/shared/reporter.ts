// The findings of one analysis: one per rule and place (the first message wins), traced when asked.
import type { RawFinding } from '../findings';
import type { RuleId } from '../rules';
import { placeOf, type Tracer } from './trace';
import { display } from './value';

export interface Span {
  startIndex: number;
  endIndex: number;
}

/**
 * How a message says that the source spelled a sink differently: ` (reached as \`run.system\`)`, or
 * nothing when the source names it (`os.system`, `eval`).
 */
export function reachedAs(sourceText: string, q: string): string {
  const source = sourceText.replace(/\s+/g, ' ');
  if (source === display(q) || source === q) return '';
  const shown = source.length > 60 ? `${source.slice(0, 57)}...` : source;
  return ` (reached as \`${shown}\`)`;
}

export class Reporter {
  private readonly byPlace = new Map<string, RawFinding>();

  /**
   * `explain` gives, for a trace, the values that led to a finding at a span (read from what the
   * analysis already computed: explaining never evaluates anything).
   */
  constructor(
    private readonly text: string,
    private readonly tracer?: Tracer,
    private readonly explain?: (span: Span) => string[],
  ) {}

  report(rule: RuleId, span: Span, message: string, module?: string): void {
    const key = `${rule}:${span.startIndex}:${span.endIndex}`;
    const earlier = this.byPlace.get(key);
    if (earlier) {
      this.tracer?.(
        `not reported: ${rule} at ${placeOf(this.text, span.startIndex)} "${message}": the same place already has "${earlier.message}"`,
      );
      return;
    }
    this.byPlace.set(key, { ruleId: rule, start: span.startIndex, end: span.endIndex, message, module });
    if (this.tracer) {
      this.tracer(`reported: ${rule} at ${placeOf(this.text, span.startIndex)} "${message}"`);
      for (const line of this.explain?.(span) ?? []) this.tracer(`  ${line}`);
    }
  }

  findings(): RawFinding[] {
    return [...this.byPlace.values()];
  }
}
