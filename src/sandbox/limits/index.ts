// The E2B limits checked before a sandbox is created — spending cap, concurrency, creation rate — and
// settled after it is gone. All state lives in a `KeyValueStore`, so it survives restarts; every
// check-and-reserve is one atomic step on that store.
import { z } from 'zod';
import {
  formatUsd,
  reservedUsd,
  rollBudget,
  settleBudget,
  emptyBudget,
  localDay,
  type BudgetState,
} from './budget';
import { addLease, liveLeases, nextLeaseExpiry, removeLease, type LeaseState } from './concurrency';
import { checkRate, recordCreation, RATE_WINDOWS, type RateLimits, type RateState } from './rate-limiter';
import { withStoreLock, type KeyValueStore } from './store';

export { E2B_PRICES, costPerSecondUsd, formatUsd, localDay } from './budget';
export { FREE_TIER_RATE_LIMITS, RATE_WINDOWS, type RateLimits } from './rate-limiter';
export { MemoryStore, withStoreLock, type KeyValueStore, type LockingKeyValueStore } from './store';
export { JsonFileStore, defaultLimitsStorePath } from './json-file-store';

export interface LimitSettings {
  rate: RateLimits;
  maxConcurrent: number;
  dailyBudgetUsd: number;
  /** Estimated cost of one sandbox-second for the configured template size. */
  costPerSecondUsd: number;
}

export interface Admission {
  ok: true;
  id: string;
  reservedUsd: number;
  lifetimeSeconds: number;
}

export interface Refusal {
  ok: false;
  status: 'rate-limited' | 'budget';
  kind: 'rate' | 'concurrency' | 'budget';
  /** What the user sees: which limit, the numbers, and when the next run is allowed. */
  message: string;
  retryAt?: number;
}

export interface LimitsUsage {
  day: string;
  spentUsd: number;
  reservedUsd: number;
  dailyBudgetUsd: number;
  sandboxSeconds: number;
  running: number;
  creations: { burst: number; hourly: number; daily: number };
}

/** Store keys (globalState / the CLI's limits.json). */
export const LIMIT_KEYS = {
  rate: 'sandboxPolicy.e2b.rate',
  leases: 'sandboxPolicy.e2b.leases',
  budget: 'sandboxPolicy.e2b.budget',
} as const;

const RateStateSchema = z.object({ creations: z.array(z.number()) });
const LeaseStateSchema = z.object({ leases: z.record(z.string(), z.number()) });
const BudgetStateSchema = z.object({
  day: z.string(),
  spentUsd: z.number().nonnegative(),
  sandboxSeconds: z.number().nonnegative(),
  runs: z.number().nonnegative(),
  reservations: z.record(
    z.string(),
    z.object({ usd: z.number().nonnegative(), seconds: z.number().nonnegative(), expiresAt: z.number() }),
  ),
});

export class SandboxLimits {
  constructor(
    private readonly store: KeyValueStore,
    private readonly settings: LimitSettings,
    private readonly clock: () => number = Date.now,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Checks every limit and, if all allow it, reserves a slot, a creation and the run's worst-case cost. */
  admit(id: string, lifetimeMs: number): Promise<Admission | Refusal> {
    return withStoreLock(this.store, async () => {
      const now = this.clock();
      const lifetimeSeconds = Math.ceil(lifetimeMs / 1000);
      const worstUsd = lifetimeSeconds * this.settings.costPerSecondUsd;
      const budget = rollBudget(this.read(LIMIT_KEYS.budget, BudgetStateSchema, emptyBudget(now)), now);
      const leases = liveLeases(this.read(LIMIT_KEYS.leases, LeaseStateSchema, { leases: {} }), now);
      const rate = this.read(LIMIT_KEYS.rate, RateStateSchema, { creations: [] });

      const refusal =
        this.checkBudget(budget, worstUsd, lifetimeSeconds) ??
        this.checkConcurrency(leases, now) ??
        this.checkCreationRate(rate, now);
      if (refusal) {
        // Expired reservations were charged by rollBudget: keep that even when refusing.
        await this.store.update(LIMIT_KEYS.budget, budget);
        return refusal;
      }

      const expiresAt = now + lifetimeMs;
      await this.store.update(LIMIT_KEYS.budget, {
        ...budget,
        reservations: {
          ...budget.reservations,
          [id]: { usd: worstUsd, seconds: lifetimeSeconds, expiresAt },
        },
      } satisfies BudgetState);
      await this.store.update(LIMIT_KEYS.leases, addLease(leases, id, expiresAt, now));
      await this.store.update(LIMIT_KEYS.rate, recordCreation(rate, now));
      return { ok: true, id, reservedUsd: worstUsd, lifetimeSeconds };
    });
  }

  /** Frees the run's slot and charges the sandbox-seconds it really used (whatever the outcome). */
  settle(admission: Admission, sandboxSeconds: number): Promise<void> {
    return withStoreLock(this.store, async () => {
      const now = this.clock();
      const usd = sandboxSeconds * this.settings.costPerSecondUsd;
      const budget = this.read(LIMIT_KEYS.budget, BudgetStateSchema, emptyBudget(now));
      await this.store.update(
        LIMIT_KEYS.budget,
        settleBudget(budget, admission.id, sandboxSeconds, usd, now),
      );
      const leases = this.read(LIMIT_KEYS.leases, LeaseStateSchema, { leases: {} });
      await this.store.update(LIMIT_KEYS.leases, removeLease(leases, admission.id, now));
    });
  }

  usage(): LimitsUsage {
    const now = this.clock();
    const budget = rollBudget(this.read(LIMIT_KEYS.budget, BudgetStateSchema, emptyBudget(now)), now);
    const leases = liveLeases(this.read(LIMIT_KEYS.leases, LeaseStateSchema, { leases: {} }), now);
    const rate = this.read(LIMIT_KEYS.rate, RateStateSchema, { creations: [] });
    const count = (ms: number): number => rate.creations.filter((time) => time > now - ms).length;
    return {
      day: budget.day,
      spentUsd: budget.spentUsd,
      reservedUsd: reservedUsd(budget),
      dailyBudgetUsd: this.settings.dailyBudgetUsd,
      sandboxSeconds: budget.sandboxSeconds,
      running: Object.keys(leases.leases).length,
      creations: {
        burst: count(RATE_WINDOWS.burst.ms),
        hourly: count(RATE_WINDOWS.hourly.ms),
        daily: count(RATE_WINDOWS.daily.ms),
      },
    };
  }

  private checkBudget(budget: BudgetState, worstUsd: number, lifetimeSeconds: number): Refusal | undefined {
    const reserved = reservedUsd(budget);
    if (budget.spentUsd + reserved + worstUsd <= this.settings.dailyBudgetUsd) return undefined;
    const inFlight = reserved > 0 ? ` (plus up to ${formatUsd(reserved)} for sandboxes still running)` : '';
    return {
      ok: false,
      status: 'budget',
      kind: 'budget',
      message:
        `Daily E2B budget reached: today's estimated spend is ${formatUsd(budget.spentUsd)}${inFlight} of ` +
        `${formatUsd(this.settings.dailyBudgetUsd)}, and this run could cost up to ${formatUsd(worstUsd)} ` +
        `(a ${lifetimeSeconds} s sandbox lifetime). The budget resets at midnight; to allow more, raise the ` +
        'daily budget setting (dailyBudgetUsd).',
    };
  }

  private checkConcurrency(leases: LeaseState, now: number): Refusal | undefined {
    const running = Object.keys(leases.leases).length;
    if (running < this.settings.maxConcurrent) return undefined;
    const retryAt = nextLeaseExpiry(leases);
    return {
      ok: false,
      status: 'rate-limited',
      kind: 'concurrency',
      message:
        `${running} E2B sandbox${running === 1 ? ' is' : 'es are'} already running (at most ` +
        `${this.settings.maxConcurrent} at once). Wait for a run to finish or stop it; ` +
        `at the latest a slot frees ${retryAt === undefined ? 'soon' : formatWhen(retryAt, now)}.`,
      retryAt,
    };
  }

  private checkCreationRate(rate: RateState, now: number): Refusal | undefined {
    const decision = checkRate(rate, this.settings.rate, now);
    if (decision.allowed) return undefined;
    const window = RATE_WINDOWS[decision.window];
    return {
      ok: false,
      status: 'rate-limited',
      kind: 'rate',
      message:
        `E2B sandbox creation limit reached: ${decision.count} in ${window.label} ` +
        `(${decision.window} limit ${decision.limit}). The next run is allowed ${formatWhen(decision.retryAt, now)}.`,
      retryAt: decision.retryAt,
    };
  }

  private read<T>(key: string, schema: z.ZodType<T>, fallback: T): T {
    const raw = this.store.get<unknown>(key);
    if (raw === undefined) return fallback;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    this.log(`E2B limits: the stored ${key} record is unreadable and starts afresh`);
    return fallback;
  }
}

/** "at 14:03:27 (in 8 s)", in local time. */
export function formatWhen(time: number, now: number): string {
  const date = new Date(time);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  const day = localDay(time) === localDay(now) ? '' : ` on ${localDay(time)}`;
  return `at ${clock}${day} (in ${formatDuration(time - now)})`;
}

/** "8 s", "12 min", "3 h 5 min" — rounded up, so the user never retries too early. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
