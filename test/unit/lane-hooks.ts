// Mocha root hooks for a lane of the unit suite (test/lanes.mjs loads them with --require): each test
// holds a slot while it runs, shared by default, exclusive in a suite that asks for it (lane-slot.ts).
// Hooks run inside the slot too: a `beforeEach` that boots a sandbox is part of the test's CPU.
import type { Context } from 'mocha';
import { acquireSlot, laneModeOf } from './lane-slot';

let release: (() => void) | undefined;

export const mochaHooks = {
  async beforeEach(this: Context): Promise<void> {
    release?.();
    release = undefined;
    const mode = laneModeOf(this.currentTest);
    if (mode === 'own') return;
    release = await acquireSlot(mode);
  },
  afterEach(): void {
    release?.();
    release = undefined;
  },
};
