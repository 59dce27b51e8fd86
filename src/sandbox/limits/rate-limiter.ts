// Sandbox-creation rate limits over sliding windows (the seeds' burst / hourly / daily tiers). A sliding
// window can say exactly when the next creation is allowed: when the oldest one in the window leaves it.

export interface RateLimits {
  /** Creations allowed in any 10-second window. */
  burst: number;
  /** Creations allowed in any hour. */
  hourly: number;
  /** Creations allowed in any 24 hours. */
  daily: number;
}

/** The seed's `free` tier (shared/seeds/002: hourly 30, daily 200, burst 5 per 10 s). */
export const FREE_TIER_RATE_LIMITS: RateLimits = { burst: 5, hourly: 30, daily: 200 };

export const RATE_WINDOWS: Record<keyof RateLimits, { ms: number; label: string }> = {
  burst: { ms: 10_000, label: 'the last 10 s' },
  hourly: { ms: 3_600_000, label: 'the last hour' },
  daily: { ms: 86_400_000, label: 'the last 24 hours' },
};

export interface RateState {
  /** Creation times (ms since the epoch) within the longest window, oldest first. */
  creations: number[];
}

export type RateDecision =
  | { allowed: true }
  | { allowed: false; window: keyof RateLimits; limit: number; count: number; retryAt: number };

export function checkRate(state: RateState, limits: RateLimits, now: number): RateDecision {
  let refusal: RateDecision | undefined;
  for (const window of ['burst', 'hourly', 'daily'] as const) {
    const since = now - RATE_WINDOWS[window].ms;
    const inWindow = state.creations.filter((time) => time > since);
    const limit = limits[window];
    if (inWindow.length < limit) continue;
    // Allowed again once enough of them have aged out that the count drops below the limit.
    const retryAt = inWindow[inWindow.length - limit] + RATE_WINDOWS[window].ms;
    if (!refusal || (refusal.allowed === false && retryAt > refusal.retryAt)) {
      refusal = { allowed: false, window, limit, count: inWindow.length, retryAt };
    }
  }
  return refusal ?? { allowed: true };
}

export function recordCreation(state: RateState, now: number): RateState {
  const since = now - RATE_WINDOWS.daily.ms;
  return { creations: [...state.creations.filter((time) => time > since), now].sort((a, b) => a - b) };
}
