// The slots the lane runner holds for the unit suite's lanes (test/lanes.mjs): shared slots run together,
// an exclusive one runs alone, and one that waits holds back shared requests made after it.
import assert from 'node:assert/strict';
import { LaneSlots } from './lane-slots';

describe('lane slots (the unit suite run as concurrent lanes)', () => {
  function recorder() {
    const slots = new LaneSlots();
    const granted: string[] = [];
    const acquire = (key: string, kind: 'shared' | 'exclusive') =>
      slots.acquire(key, kind, () => granted.push(key));
    return { slots, granted, acquire };
  }

  it('grants shared slots of several lanes at once', () => {
    const { granted, acquire } = recorder();
    acquire('a:1', 'shared');
    acquire('b:1', 'shared');
    acquire('a:2', 'shared');
    assert.deepEqual(granted, ['a:1', 'b:1', 'a:2']);
  });

  it('starts an exclusive slot only when every shared one is given back, and nothing else while it runs', () => {
    const { slots, granted, acquire } = recorder();
    acquire('a:1', 'shared');
    acquire('b:1', 'shared');
    acquire('c:1', 'exclusive');
    acquire('a:2', 'shared'); // after the exclusive request: waits for it
    assert.deepEqual(granted, ['a:1', 'b:1']);
    slots.release('a:1');
    assert.deepEqual(granted, ['a:1', 'b:1']);
    slots.release('b:1');
    assert.deepEqual(granted, ['a:1', 'b:1', 'c:1']);
    assert.deepEqual(slots.held(), [['c:1', 'exclusive']]);
    slots.release('c:1');
    assert.deepEqual(granted, ['a:1', 'b:1', 'c:1', 'a:2']);
  });

  it('runs two exclusive slots one after the other', () => {
    const { slots, granted, acquire } = recorder();
    acquire('a:1', 'exclusive');
    acquire('b:1', 'exclusive');
    assert.deepEqual(granted, ['a:1']);
    slots.release('a:1');
    assert.deepEqual(granted, ['a:1', 'b:1']);
  });

  it('frees what a lane that ended held or waited for', () => {
    const { slots, granted, acquire } = recorder();
    acquire('a:1', 'exclusive');
    acquire('a:2', 'shared');
    acquire('b:1', 'shared');
    slots.releaseLane('a');
    assert.deepEqual(granted, ['a:1', 'b:1']);
    assert.deepEqual(slots.held(), [['b:1', 'shared']]);
  });
});
