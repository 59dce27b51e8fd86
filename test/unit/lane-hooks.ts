// Mocha root hooks for a lane of the unit suite (test/lanes.mjs loads them with --require): each test
// holds a slot while it runs, shared by default, exclusive in a suite that asks for it (lane-slot.ts).
// Hooks run inside the slot too: a `beforeEach` that boots a sandbox is part of the test's CPU.
import type { Context } from 'mocha';
import { acquireSlot, laneModeOf } from './lane-slot';

/** Longer than any lane holds the machine; a wait past it means the lane runner is stuck. */
const LONGEST_SLOT_WAIT_MS = 30 * 60_000;

let release: (() => void) | undefined;
let testsRun = 0;

export const mochaHooks = {
  async beforeEach(this: Context): Promise<void> {
    release?.();
    release = undefined;
    const mode = laneModeOf(this.currentTest);
    if (mode === 'own') return;
    // Waiting for the slot is not the test's time: an exclusive test elsewhere may hold the machine for
    // minutes (memory-under-load holds it for its whole suite). This sets the hook's timeout, not the test's;
    // it stays set, because mocha compares the hook's whole duration with its timeout as it ends.
    this.timeout(LONGEST_SLOT_WAIT_MS);
    release = await acquireSlot(mode);
  },
  afterEach(): void {
    release?.();
    release = undefined;
    testsRun += 1;
  },
  // Tells the lane runner how many tests ran: a lane that ran none has not passed.
  afterAll(): void {
    if (process.env.SANDBOX_TEST_LANES === '1' && process.connected) {
      process.channel?.ref(); // until it is sent, even though mocha is about to end
      process.send?.({ laneSlot: 'ran', tests: testsRun }, () => process.channel?.unref());
    }
  },
};
