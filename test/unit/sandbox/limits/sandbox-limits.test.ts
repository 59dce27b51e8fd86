import assert from 'node:assert/strict';
import {
  SandboxLimits,
  LIMIT_KEYS,
  MemoryStore,
  type Admission,
  type LimitSettings,
} from '../../../../src/sandbox/limits';

const NOON = new Date(2026, 2, 10, 12, 0, 0).getTime();

function settings(overrides: Partial<LimitSettings> = {}): LimitSettings {
  return {
    rate: { burst: 5, hourly: 30, daily: 200 },
    maxConcurrent: 2,
    dailyBudgetUsd: 1,
    costPerSecondUsd: 0.0001,
    ...overrides,
  };
}

class Clock {
  constructor(public now: number) {}
  readonly read = (): number => this.now;
}

describe('SandboxLimits', () => {
  it('admits, counts and settles; counters survive a new instance on the same store (restart)', async () => {
    const store = new MemoryStore();
    const clock = new Clock(NOON);
    const limits = new SandboxLimits(store, settings(), clock.read);
    const admitted = await limits.admit('run-1', 60_000);
    assert.equal(admitted.ok, true);
    assert.equal(limits.usage().running, 1);
    assert.ok(Math.abs(limits.usage().reservedUsd - 0.006) < 1e-12);
    await limits.settle(admitted as Admission, 3);
    const restarted = new SandboxLimits(store, settings(), clock.read);
    const usage = restarted.usage();
    assert.equal(usage.running, 0);
    assert.equal(usage.reservedUsd, 0);
    assert.equal(usage.sandboxSeconds, 3);
    assert.ok(Math.abs(usage.spentUsd - 0.0003) < 1e-12);
    assert.deepEqual(usage.creations, { burst: 1, hourly: 1, daily: 1 });
  });

  it('refuses at the burst limit with when to retry, and allows again after the window (injected clock)', async () => {
    const store = new MemoryStore();
    const clock = new Clock(NOON);
    const limits = new SandboxLimits(
      store,
      settings({ rate: { burst: 2, hourly: 30, daily: 200 } }),
      clock.read,
    );
    for (const id of ['a', 'b']) {
      const admitted = await limits.admit(id, 60_000);
      await limits.settle(admitted as Admission, 1);
      clock.now += 1000;
    }
    const refused = await new SandboxLimits(
      store,
      settings({ rate: { burst: 2, hourly: 30, daily: 200 } }),
      clock.read,
    ).admit('c', 60_000);
    assert.equal(refused.ok, false);
    if (refused.ok) return;
    assert.equal(refused.status, 'rate-limited');
    assert.equal(refused.kind, 'rate');
    assert.match(refused.message, /E2B sandbox creation limit reached: 2 in the last 10 s \(burst limit 2\)/);
    assert.match(refused.message, /The next run is allowed at 12:00:10 \(in 8 s\)\./);
    assert.equal(limits.usage().creations.burst, 2, 'a refused run is not counted as a creation');
    clock.now = NOON + 10_001;
    assert.equal((await limits.admit('c', 60_000)).ok, true);
  });

  it('hourly limit rolls over an hour after the oldest creation', async () => {
    const store = new MemoryStore();
    const clock = new Clock(NOON);
    const rate = { burst: 10, hourly: 2, daily: 200 };
    const limits = new SandboxLimits(store, settings({ rate }), clock.read);
    for (const id of ['a', 'b']) await limits.settle((await limits.admit(id, 1000)) as Admission, 1);
    clock.now = NOON + 59 * 60_000;
    const refused = await limits.admit('c', 1000);
    assert.equal(refused.ok, false);
    assert.match(
      (refused as { message: string }).message,
      /2 in the last hour \(hourly limit 2\).*at 13:00:00 \(in 1 min\)/,
    );
    clock.now = NOON + 3_600_001;
    assert.equal((await limits.admit('c', 1000)).ok, true);
  });

  it('refuses past the concurrency cap, frees the slot on settle, and expires leases of dead processes', async () => {
    const store = new MemoryStore();
    const clock = new Clock(NOON);
    const limits = new SandboxLimits(store, settings({ maxConcurrent: 1 }), clock.read);
    const first = await limits.admit('a', 60_000);
    assert.equal(first.ok, true);
    const refused = await limits.admit('b', 60_000);
    assert.equal(refused.ok, false);
    if (refused.ok) return;
    assert.equal(refused.kind, 'concurrency');
    assert.equal(refused.status, 'rate-limited');
    assert.match(refused.message, /1 E2B sandbox is already running \(at most 1 at once\)/);
    assert.match(refused.message, /a slot frees at 12:01:00 \(in 1 min\)/);
    await limits.settle(first as Admission, 2);
    const second = await limits.admit('b', 60_000);
    assert.equal(second.ok, true);
    // A process that died mid-run never settles: its lease ends with its sandbox's lifetime.
    clock.now += 60_001;
    assert.equal((await limits.admit('c', 60_000)).ok, true);
  });

  it("refuses at the daily budget showing today's spend, and resets on the next local day", async () => {
    const store = new MemoryStore();
    const clock = new Clock(NOON);
    // One run may cost up to 60 s × $0.0001 = $0.006; the budget fits exactly one such reservation.
    const limits = new SandboxLimits(store, settings({ dailyBudgetUsd: 0.007 }), clock.read);
    const admitted = await limits.admit('a', 60_000);
    assert.equal(admitted.ok, true);
    const whileRunning = await limits.admit('b', 60_000);
    assert.equal(whileRunning.ok, false);
    assert.match(
      (whileRunning as { message: string }).message,
      /plus up to \$0\.006000 for sandboxes still running/,
    );
    await limits.settle(admitted as Admission, 20); // $0.002 really used
    const refused = await new SandboxLimits(store, settings({ dailyBudgetUsd: 0.007 }), clock.read).admit(
      'c',
      60_000,
    );
    assert.equal(refused.ok, false);
    if (refused.ok) return;
    assert.equal(refused.status, 'budget');
    assert.equal(refused.kind, 'budget');
    assert.match(
      refused.message,
      /^Daily E2B budget reached: today's estimated spend is \$0\.002000 of \$0\.007000, and this run could cost up to \$0\.006000 \(a 60 s sandbox lifetime\)\. The budget resets at midnight/,
    );
    clock.now = new Date(2026, 2, 11, 0, 0, 5).getTime();
    assert.equal((await limits.admit('c', 60_000)).ok, true);
    assert.equal(limits.usage().day, '2026-03-11');
  });

  it('a zero budget refuses every run', async () => {
    const limits = new SandboxLimits(new MemoryStore(), settings({ dailyBudgetUsd: 0 }), () => NOON);
    const refused = await limits.admit('a', 1000);
    assert.equal(refused.ok, false);
    assert.equal((refused as { status: string }).status, 'budget');
  });

  it('serialises concurrent admissions on one store (no double booking)', async () => {
    const store = new MemoryStore();
    const limits = new SandboxLimits(store, settings({ maxConcurrent: 3 }), () => NOON);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => limits.admit(`r${i}`, 60_000)));
    assert.equal(results.filter((r) => r.ok).length, 3);
    assert.equal(limits.usage().running, 3);
  });

  it('starts afresh (and says so) when a stored record is unreadable', async () => {
    const store = new MemoryStore();
    await store.update(LIMIT_KEYS.rate, { creations: 'garbage' });
    const lines: string[] = [];
    const limits = new SandboxLimits(
      store,
      settings(),
      () => NOON,
      (line) => lines.push(line),
    );
    assert.equal((await limits.admit('a', 1000)).ok, true);
    assert.match(lines.join('\n'), /sandboxPolicy\.e2b\.rate record is unreadable/);
  });
});
