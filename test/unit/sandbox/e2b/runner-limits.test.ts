// The persistent limits as the runner applies them: refused before any sandbox is created, with the
// numbers and when to retry, and still in force for a new runner on the same store (a restart).
import assert from 'node:assert/strict';
import { costPerSecondUsd } from '../../../../src/sandbox/limits';
import { laneMode } from '../../lane-slot';
import { LIMITS, Fixture, messageOf } from './fixture';

const NOON = new Date(2026, 2, 10, 12, 0, 0).getTime();

describe('E2B runner limits (real SDK, loopback stand-in)', function () {
  this.timeout(20_000);
  // Limit tests: no other mocha lane runs meanwhile (test/lanes.mjs).
  laneMode(this, 'exclusive');
  const fixture = new Fixture();
  before(() => fixture.start());
  after(() => fixture.stop());
  afterEach(() => fixture.finish());

  it('burst limit: refuses the next creation with when it is allowed; a restart does not reset it', async () => {
    fixture.clockNow = NOON;
    const settings = { burstCreations: 2 };
    const runner = fixture.runner(settings);
    assert.equal((await fixture.run(runner, 'print(1)')).result.status, 'ok');
    fixture.clockNow = NOON + 1000;
    assert.equal((await fixture.run(runner, 'print(2)')).result.status, 'ok');
    fixture.clockNow = NOON + 2000;
    const restarted = fixture.runner(settings);
    const { result } = await fixture.run(restarted, 'print(3)');
    assert.equal(result.status, 'rate-limited');
    assert.equal(result.limit?.kind, 'rate');
    assert.equal(
      messageOf(result),
      'E2B sandbox creation limit reached: 2 in the last 10 s (burst limit 2). The next run is allowed at 12:00:10 (in 8 s).',
    );
    assert.equal(fixture.standin.stats().created, 2, 'no sandbox was created for the refused run');
    fixture.clockNow = NOON + 10_001;
    assert.equal((await fixture.run(restarted, 'print(4)')).result.status, 'ok');
  });

  it('daily creation limit rolls over 24 hours after the oldest creation', async () => {
    fixture.clockNow = NOON;
    const runner = fixture.runner({ dailyCreations: 1 });
    assert.equal((await fixture.run(runner, 'print(1)')).result.status, 'ok');
    fixture.clockNow = NOON + 5 * 3_600_000;
    const refused = await fixture.run(runner, 'print(2)');
    assert.equal(refused.result.status, 'rate-limited');
    assert.match(
      messageOf(refused.result),
      /1 in the last 24 hours \(daily limit 1\)\. The next run is allowed at 12:00:00 on 2026-03-11 \(in 19 h\)\./,
    );
    fixture.clockNow = NOON + 86_400_001;
    assert.equal((await fixture.run(runner, 'print(3)')).result.status, 'ok');
  });

  it('concurrency: a second run is refused while one sandbox is running, and allowed after', async () => {
    const runner = fixture.runner({ maxConcurrentSandboxes: 1 });
    const controller = new AbortController();
    let second: Awaited<ReturnType<Fixture['run']>> | undefined;
    const first = fixture.run(runner, "import time\nprint('busy', flush=True)\ntime.sleep(60)", {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'stdout' && !second) {
          void fixture.run(runner, 'print(2)').then((outcome) => {
            second = outcome;
            controller.abort();
          });
        }
      },
    });
    assert.equal((await first).result.status, 'cancelled');
    assert.ok(second);
    assert.equal(second.result.status, 'rate-limited');
    assert.equal(second.result.limit?.kind, 'concurrency');
    assert.match(
      messageOf(second.result),
      /^1 E2B sandbox is already running \(at most 1 at once\)\. Wait for a run to finish or stop it/,
    );
    await runner.dispose();
    assert.equal(
      (await fixture.run(fixture.runner({ maxConcurrentSandboxes: 1 }), 'print(3)')).result.status,
      'ok',
    );
  });

  it("daily budget: refuses with today's spend once the next run could exceed it, on every path, across a restart; resets the next day", async () => {
    fixture.clockNow = NOON;
    // A run reserves its 40 s lifetime; the budget fits one reservation plus half a second of real use.
    const perSecond = costPerSecondUsd(2, 0.5);
    const perRun = (LIMITS.timeoutMs / 1000 + 30) * perSecond;
    const settings = { dailyBudgetUsd: perRun + perSecond / 2 };
    const runner = fixture.runner(settings);
    const first = await fixture.run(runner, 'print(1)');
    assert.equal(first.result.status, 'ok');
    const spent = runner.usage().spentUsd;
    assert.ok(spent > 0 && spent < perRun, 'billed for seconds used, not the reservation');
    const restarted = fixture.runner(settings);
    const refused = await fixture.run(restarted, 'print(2)');
    assert.equal(refused.result.status, 'budget');
    assert.equal(refused.result.limit?.kind, 'budget');
    assert.match(
      messageOf(refused.result),
      /^Daily E2B budget reached: today's estimated spend is \$0\.0000\d\d of \$0\.001225, and this run could cost up to \$0\.001210 \(a 40 s sandbox lifetime\)\. The budget resets at midnight/,
    );
    assert.equal(fixture.standin.stats().created, 1, 'refused before any sandbox was created');
    fixture.clockNow = new Date(2026, 2, 11, 0, 0, 1).getTime();
    assert.equal((await fixture.run(restarted, 'print(3)')).result.status, 'ok');
    assert.equal(restarted.usage().day, '2026-03-11');
  });

  it('failed runs are billed too (a run that times out pays for its seconds)', async () => {
    const runner = fixture.runner();
    const { result } = await fixture.run(runner, 'while True: pass', {
      limits: { ...LIMITS, timeoutMs: 1500 },
    });
    assert.equal(result.status, 'timeout');
    const usage = runner.usage();
    assert.ok(usage.sandboxSeconds >= 2, `billed ${usage.sandboxSeconds} s`);
    assert.equal(usage.reservedUsd, 0);
  });
});
