// The error record (exception name, message, traceback) leaves the jail beside the program's output, so
// it draws on the same output budget: a program cannot print up to the cap and then push megabytes more
// out through an exception. Past the budget each field is cut, with a visible marker, to what is left.
import type { ProgramOutcome } from './protocol';

export const TRUNCATION_MARKER = ' …[truncated: the output limit]';

/** The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, never cutting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--; // back to the start of a character
  return bytes.subarray(0, end).toString('utf8');
}

export function outcomeBytes(outcome: ProgramOutcome): number {
  return (
    Buffer.byteLength(outcome.name, 'utf8') +
    Buffer.byteLength(outcome.value, 'utf8') +
    Buffer.byteLength(outcome.traceback, 'utf8')
  );
}

/**
 * The outcome cut to `budget` bytes (marker included), and whether it had to be. Fields are filled in
 * order (name, message, traceback), each cut short with the marker when the rest does not fit.
 */
export function outcomeWithinBudget(
  outcome: ProgramOutcome,
  budget: number,
): { outcome: ProgramOutcome; overBudget: boolean } {
  if (outcomeBytes(outcome) <= budget) return { outcome, overBudget: false };
  const markerBytes = Buffer.byteLength(TRUNCATION_MARKER, 'utf8');
  let left = Math.max(0, budget);
  const fit = (text: string): string => {
    if (Buffer.byteLength(text, 'utf8') <= left) {
      left -= Buffer.byteLength(text, 'utf8');
      return text;
    }
    if (left < markerBytes) {
      left = 0;
      return '';
    }
    const kept = truncateUtf8(text, left - markerBytes) + TRUNCATION_MARKER;
    left = 0;
    return kept;
  };
  const name = fit(outcome.name);
  const value = fit(outcome.value);
  const traceback = fit(outcome.traceback);
  return { outcome: { status: outcome.status, name, value, traceback }, overBudget: true };
}
