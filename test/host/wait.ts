// Polling with a deadline, for tests that wait for VS Code: never a fixed sleep. A failed wait says
// what it waited for, for how long, and what it saw last, so the failure explains itself.

export type Awaitable<T> = T | Promise<T>;

/**
 * A test's deadline, scaled by SANDBOX_POLICY_HOST_TIMEOUT_SCALE (default 1). The host's meta-test sets
 * it below 1: against an extension that never answers, waiting the full deadline proves nothing more.
 */
export function deadline(ms: number): number {
  const scale = Number(process.env.SANDBOX_POLICY_HOST_TIMEOUT_SCALE ?? '1');
  return Number.isFinite(scale) && scale > 0 ? Math.round(ms * scale) : ms;
}

/** Thrown when a condition did not come true before its deadline. */
export class WaitTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly seen: string,
  ) {
    super(`Timed out after ${timeoutMs} ms waiting for ${what}.\n  Expected: ${what}\n  Saw: ${seen}`);
    this.name = 'WaitTimeoutError';
  }
}

export interface WaitOptions {
  /** Time between two checks; the first check is immediate. */
  intervalMs?: number;
  /** Describes the current state for the failure message; by default, the last value or error the check gave. */
  seen?: () => Awaitable<string>;
}

/** A short, readable rendering of what a check gave, for failure messages. */
export function describeValue(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing (undefined)';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * Calls `check` until it returns a truthy value (which is returned) or `timeoutMs` has passed (then
 * throws a WaitTimeoutError naming `what` and what was seen). A check that throws counts as "not yet",
 * and its error is what was seen.
 */
export async function waitFor<T>(
  check: () => Awaitable<T | undefined | null | false | '' | 0>,
  timeoutMs: number,
  what: string,
  options: WaitOptions = {},
): Promise<T> {
  const interval = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as T;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(interval, Math.max(0, deadline - Date.now()))),
    );
  }
  let seen = describeValue(last);
  if (options.seen) {
    try {
      seen = await options.seen();
    } catch (error) {
      seen = `(could not describe: ${describeValue(error)}); last check gave ${seen}`;
    }
  }
  throw new WaitTimeoutError(what, timeoutMs, seen);
}
