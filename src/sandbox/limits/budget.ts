// The daily spending cap. Cost is estimated from sandbox-seconds at E2B's per-second prices. A run
// reserves its worst case (its whole lifetime) before the sandbox is created and settles to what it
// really used afterwards, so concurrent runs, crashes and runaway sandboxes cannot overshoot the cap.

/** E2B's published usage prices (e2b.dev pricing; see shared/DESIGN.md). */
export const E2B_PRICES = { vcpuSecondUsd: 0.000014, gibSecondUsd: 0.0000045 } as const;

export function costPerSecondUsd(vcpus: number, memoryGiB: number): number {
  return vcpus * E2B_PRICES.vcpuSecondUsd + memoryGiB * E2B_PRICES.gibSecondUsd;
}

export interface Reservation {
  usd: number;
  seconds: number;
  /** After this the run is assumed dead (its sandbox's lifetime is over) and the reservation is spent. */
  expiresAt: number;
}

export interface BudgetState {
  /** The local calendar day these totals are for, `YYYY-MM-DD`. */
  day: string;
  spentUsd: number;
  sandboxSeconds: number;
  runs: number;
  /** Outstanding worst-case reservations of runs in progress, by run id. */
  reservations: Record<string, Reservation>;
}

/** The local calendar day of `time`, `YYYY-MM-DD`. */
export function localDay(time: number): string {
  const date = new Date(time);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function emptyBudget(now: number): BudgetState {
  return { day: localDay(now), spentUsd: 0, sandboxSeconds: 0, runs: 0, reservations: {} };
}

/**
 * Brings the state to `now`: a new day starts from zero (outstanding reservations carry over, since those
 * sandboxes may still run), and reservations whose sandbox lifetime is over are charged in full, as the
 * run that made them never reported back.
 */
export function rollBudget(state: BudgetState, now: number): BudgetState {
  let next: BudgetState =
    state.day === localDay(now)
      ? { ...state, reservations: { ...state.reservations } }
      : {
          ...emptyBudget(now),
          reservations: { ...state.reservations },
        };
  for (const [id, reservation] of Object.entries(next.reservations)) {
    if (reservation.expiresAt > now) continue;
    delete next.reservations[id];
    next = {
      ...next,
      spentUsd: next.spentUsd + reservation.usd,
      sandboxSeconds: next.sandboxSeconds + reservation.seconds,
      runs: next.runs + 1,
    };
  }
  return next;
}

export function reservedUsd(state: BudgetState): number {
  return Object.values(state.reservations).reduce((sum, reservation) => sum + reservation.usd, 0);
}

/** Settles a run: drops its reservation and charges what it used to today's total. */
export function settleBudget(
  state: BudgetState,
  id: string,
  seconds: number,
  usd: number,
  now: number,
): BudgetState {
  const rolled = rollBudget(state, now);
  const reservations = { ...rolled.reservations };
  delete reservations[id];
  return {
    ...rolled,
    reservations,
    spentUsd: rolled.spentUsd + usd,
    sandboxSeconds: rolled.sandboxSeconds + seconds,
    runs: rolled.runs + 1,
  };
}

/** `$1.50`, `$0.0123`, `$0.000030`: more decimals for smaller sums, since a short run costs a fraction of a cent. */
export function formatUsd(usd: number): string {
  const decimals = usd === 0 || usd >= 1 ? 2 : usd >= 0.01 ? 4 : 6;
  return `$${usd.toFixed(decimals)}`;
}
