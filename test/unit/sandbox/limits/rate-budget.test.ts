import assert from 'node:assert/strict';
import {
  costPerSecondUsd,
  emptyBudget,
  formatUsd,
  localDay,
  rollBudget,
  settleBudget,
  type BudgetState,
} from '../../../../src/sandbox/limits/budget';
import {
  addLease,
  liveLeases,
  nextLeaseExpiry,
  removeLease,
} from '../../../../src/sandbox/limits/concurrency';
import {
  checkRate,
  recordCreation,
  FREE_TIER_RATE_LIMITS,
} from '../../../../src/sandbox/limits/rate-limiter';
import { formatDuration, formatWhen } from '../../../../src/sandbox/limits';

const T0 = new Date(2026, 2, 10, 12, 0, 0).getTime(); // local noon

describe('rate limiter (sliding windows)', () => {
  it('allows up to the burst limit in 10 s and says when the next creation is allowed', () => {
    let state = { creations: [] as number[] };
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(checkRate(state, FREE_TIER_RATE_LIMITS, T0 + i * 1000), { allowed: true });
      state = recordCreation(state, T0 + i * 1000);
    }
    const refused = checkRate(state, FREE_TIER_RATE_LIMITS, T0 + 5000);
    assert.equal(refused.allowed, false);
    if (refused.allowed) return;
    assert.equal(refused.window, 'burst');
    assert.equal(refused.limit, 5);
    // The oldest of the five leaves the window 10 s after it was made.
    assert.equal(refused.retryAt, T0 + 10_000);
    assert.deepEqual(checkRate(state, FREE_TIER_RATE_LIMITS, T0 + 10_001), { allowed: true });
  });

  it('enforces the hourly limit across bursts and reports the hour rollover', () => {
    const limits = { burst: 100, hourly: 3, daily: 100 };
    let state = { creations: [] as number[] };
    for (const minute of [0, 10, 20]) state = recordCreation(state, T0 + minute * 60_000);
    const refused = checkRate(state, limits, T0 + 30 * 60_000);
    assert.equal(refused.allowed, false);
    if (refused.allowed) return;
    assert.equal(refused.window, 'hourly');
    assert.equal(refused.retryAt, T0 + 3_600_000);
    assert.deepEqual(checkRate(state, limits, T0 + 3_600_001), { allowed: true });
  });

  it('enforces the daily limit and names the longest wait when several windows are full', () => {
    const limits = { burst: 2, hourly: 10, daily: 2 };
    let state = { creations: [] as number[] };
    state = recordCreation(state, T0);
    state = recordCreation(state, T0 + 1000);
    const refused = checkRate(state, limits, T0 + 2000);
    assert.equal(refused.allowed, false);
    if (refused.allowed) return;
    assert.equal(refused.window, 'daily');
    assert.equal(refused.retryAt, T0 + 86_400_000);
  });

  it('forgets creations older than a day', () => {
    let state = recordCreation({ creations: [] }, T0);
    state = recordCreation(state, T0 + 86_400_001);
    assert.deepEqual(state.creations, [T0 + 86_400_001]);
  });
});

describe('concurrency leases', () => {
  it('count live leases, expire with the sandbox lifetime and free on removal', () => {
    let state = addLease({ leases: {} }, 'a', T0 + 60_000, T0);
    state = addLease(state, 'b', T0 + 30_000, T0);
    assert.equal(Object.keys(liveLeases(state, T0 + 1).leases).length, 2);
    assert.equal(nextLeaseExpiry(state), T0 + 30_000);
    assert.deepEqual(Object.keys(liveLeases(state, T0 + 30_000).leases), ['a']);
    assert.deepEqual(removeLease(state, 'a', T0).leases, { b: T0 + 30_000 });
  });
});

describe('budget', () => {
  it('prices sandbox-seconds at E2B rates (2 vCPU + 0.5 GiB ≈ $0.109 per hour)', () => {
    const perSecond = costPerSecondUsd(2, 0.5);
    assert.ok(Math.abs(perSecond - 0.00003025) < 1e-12);
    assert.ok(Math.abs(perSecond * 3600 - 0.1089) < 1e-9);
  });

  it('formats small sums with enough decimals to be non-zero', () => {
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatUsd(1.5), '$1.50');
    assert.equal(formatUsd(0.0123), '$0.0123');
    assert.equal(formatUsd(0.00003025), '$0.000030');
  });

  it('starts a new local day from zero but carries outstanding reservations over', () => {
    const state: BudgetState = {
      ...emptyBudget(T0),
      spentUsd: 0.5,
      sandboxSeconds: 100,
      runs: 3,
      reservations: { r1: { usd: 0.01, seconds: 60, expiresAt: T0 + 86_400_000 * 2 } },
    };
    const nextDay = new Date(2026, 2, 11, 0, 0, 1).getTime();
    const rolled = rollBudget(state, nextDay);
    assert.equal(rolled.day, localDay(nextDay));
    assert.equal(rolled.spentUsd, 0);
    assert.deepEqual(Object.keys(rolled.reservations), ['r1']);
    // Same day: unchanged.
    assert.equal(rollBudget(state, T0 + 1000).spentUsd, 0.5);
  });

  it('charges an expired reservation in full (its run never reported back)', () => {
    const state: BudgetState = {
      ...emptyBudget(T0),
      reservations: { lost: { usd: 0.002, seconds: 60, expiresAt: T0 + 60_000 } },
    };
    const rolled = rollBudget(state, T0 + 60_000);
    assert.deepEqual(rolled.reservations, {});
    assert.equal(rolled.spentUsd, 0.002);
    assert.equal(rolled.sandboxSeconds, 60);
  });

  it('settles a run: drops its reservation and adds what it used', () => {
    const state: BudgetState = {
      ...emptyBudget(T0),
      spentUsd: 0.1,
      reservations: { r: { usd: 0.01, seconds: 300, expiresAt: T0 + 300_000 } },
    };
    const settled = settleBudget(state, 'r', 4, 0.0001, T0 + 4000);
    assert.deepEqual(settled.reservations, {});
    assert.ok(Math.abs(settled.spentUsd - 0.1001) < 1e-12);
    assert.equal(settled.sandboxSeconds, 4);
    assert.equal(settled.runs, 1);
  });
});

describe('retry wording', () => {
  it('rounds waits up and says the clock time, with the date when it is another day', () => {
    assert.equal(formatDuration(1), '1 s');
    assert.equal(formatDuration(8_200), '9 s');
    assert.equal(formatDuration(61_000), '2 min');
    assert.equal(formatDuration(3 * 3_600_000 + 5 * 60_000), '3 h 5 min');
    assert.match(formatWhen(T0 + 8000, T0), /^at 12:00:08 \(in 8 s\)$/);
    assert.match(formatWhen(T0 + 86_400_000, T0), /^at 12:00:00 on 2026-03-11 \(in 24 h\)$/);
  });
});
