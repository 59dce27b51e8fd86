// npm test's host set-up runs beside the unit lanes (test/all.mjs) as runLanes' `background`: it holds a
// shared slot until it is done, so that lanes without a limit test use the time, and no limit test
// (an exclusive slot) runs while its downloads and native builds take the CPU.
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type SlotKind = 'shared' | 'exclusive';
interface Slots {
  acquire(key: string, kind: SlotKind, grant: () => void): void;
  release(key: string): void;
}
interface ExtraLane {
  name: string;
  ready: Promise<unknown>;
  run(slots: Slots): Promise<{ passed: boolean; status: string; output: string }>;
}
type RunLanes = (options: {
  jobs?: number;
  only?: string[];
  extra?: ExtraLane[];
  background?: { name: string; done: Promise<unknown> };
  write?: (text: string) => void;
}) => Promise<boolean>;

async function runLanes(): Promise<RunLanes> {
  // The lane runner is plain ESM beside the tests' sources; from out/test/unit, three levels up.
  const url = pathToFileURL(path.resolve(__dirname, '../../../test/lanes.mjs')).href;
  return ((await import(url)) as { runLanes: RunLanes }).runLanes;
}

describe('the lanes beside a background job', () => {
  it('grants shared slots at once and an exclusive one only after the background job is done', async () => {
    const events: string[] = [];
    let finishBackground: () => void = () => {};
    const background = new Promise<void>((resolve) => {
      finishBackground = () => {
        events.push('background done');
        resolve();
      };
    });
    const take = (slots: Slots, key: string, kind: SlotKind): Promise<void> =>
      new Promise((resolve) => slots.acquire(key, kind, resolve));
    const lane: ExtraLane = {
      name: 'probe',
      ready: Promise.resolve(),
      run: async (slots) => {
        await take(slots, 'probe:1', 'shared');
        events.push('shared granted');
        slots.release('probe:1');
        const exclusive = take(slots, 'probe:2', 'exclusive').then(() => events.push('exclusive granted'));
        setTimeout(finishBackground, 200);
        await exclusive;
        slots.release('probe:2');
        return { passed: true, status: 'passed', output: '' };
      },
    };
    const passed = await (
      await runLanes()
    )({
      jobs: 1,
      only: [], // no unit lane: the probe alone
      extra: [lane],
      background: { name: 'set-up', done: background },
      write: () => {}, // not into the suite's own output
    });
    assert.equal(passed, true);
    assert.deepEqual(events, ['shared granted', 'background done', 'exclusive granted']);
  });
});
