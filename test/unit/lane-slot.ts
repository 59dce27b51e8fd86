// The unit suite can run as several mocha processes at once (test/lanes.mjs). A case that tests a limit
// (time, memory, output) must not have another lane's CPU turn one limit into another, so it takes the
// machine for itself: an `exclusive` slot starts once every `shared` slot held by any lane has been given
// back, and no shared slot starts while it runs. The lane runner holds the slots; a mocha run outside
// it (npx mocha, one file) has nothing to wait for.
import type { Runnable, Suite } from 'mocha';

export type SlotKind = 'shared' | 'exclusive';

interface SlotReply {
  laneSlot: 'granted';
  id: number;
}

let nextId = 1;
const granted = new Map<number, () => void>();

function coordinated(): boolean {
  if (process.env.SANDBOX_TEST_LANES !== '1') return false;
  // A lane without the channel would run its limit tests next to other lanes' tests: never silently.
  if (typeof process.send !== 'function' || !process.connected) {
    throw new Error('SANDBOX_TEST_LANES=1 but this mocha process has no channel to the lane runner');
  }
  return true;
}

if (coordinated()) {
  process.on('message', (message: SlotReply) => {
    if (message?.laneSlot !== 'granted') return;
    granted.get(message.id)?.();
    granted.delete(message.id);
    // The channel keeps the process alive only while a grant is awaited: mocha ends when its tests do.
    if (granted.size === 0) process.channel?.unref();
  });
  process.channel?.unref();
}

/** Waits for a slot; the returned function gives it back. */
export async function acquireSlot(kind: SlotKind): Promise<() => void> {
  if (!coordinated()) return () => {};
  const id = nextId++;
  await new Promise<void>((resolve) => {
    granted.set(id, resolve);
    process.channel?.ref();
    process.send?.({ laneSlot: 'acquire', kind, id });
  });
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (process.connected) process.send?.({ laneSlot: 'release', id });
  };
}

/** Runs `work` in a slot of that kind. */
export async function inSlot<T>(kind: SlotKind, work: () => Promise<T>): Promise<T> {
  const release = await acquireSlot(kind);
  try {
    return await work();
  } finally {
    release();
  }
}

const modes = new WeakMap<Suite | Runnable, SlotKind | 'own'>();

/**
 * How a test, or every test of a describe(), takes its slot (the root hooks in lane-hooks.ts read it):
 * `exclusive` (a limit test, or one that loads the machine on purpose), or `own` (the suite takes its
 * slots itself, with inSlot, e.g. because its tests wait for cases started in `before`). Default: `shared`.
 */
export function laneMode<T extends Suite | Runnable>(target: T, mode: SlotKind | 'own'): T {
  modes.set(target, mode);
  return target;
}

export function laneModeOf(test: Runnable | undefined): SlotKind | 'own' {
  if (test && modes.has(test)) return modes.get(test) as SlotKind | 'own';
  for (let current = test?.parent; current; current = current.parent) {
    const mode = modes.get(current);
    if (mode) return mode;
  }
  return 'shared';
}
