import assert from 'node:assert/strict';
import {
  OutputBatcher,
  type BatcherTimers,
  type OutputBatch,
} from '../../../src/vscode/panel/output-batcher';

/** Timers the test fires by hand. */
function manualTimers(): BatcherTimers & { fire(): void; pending: number } {
  let callbacks: (() => void)[] = [];
  return {
    set(callback) {
      callbacks.push(callback);
      return callback;
    },
    clear(handle) {
      callbacks = callbacks.filter((c) => c !== handle);
    },
    fire() {
      const due = callbacks;
      callbacks = [];
      for (const c of due) c();
    },
    get pending() {
      return callbacks.length;
    },
  };
}

describe('output batching', () => {
  it('sends one batch per interval, merging chunks of the same stream in order', () => {
    const sent: OutputBatch[] = [];
    const timers = manualTimers();
    const batcher = new OutputBatcher((b) => sent.push(b), { intervalMs: 50, maxChars: 1000 }, timers);
    batcher.push('stdout', 'a');
    batcher.push('stdout', 'b');
    batcher.push('stderr', 'E');
    batcher.push('stdout', 'c');
    assert.equal(sent.length, 0);
    assert.equal(timers.pending, 1);
    timers.fire();
    assert.deepEqual(sent, [
      {
        chunks: [
          { stream: 'stdout', text: 'ab' },
          { stream: 'stderr', text: 'E' },
          { stream: 'stdout', text: 'c' },
        ],
        droppedChars: 0,
      },
    ]);
  });

  it('stops sending past the cap and counts what it kept back', () => {
    const sent: OutputBatch[] = [];
    const timers = manualTimers();
    const batcher = new OutputBatcher((b) => sent.push(b), { intervalMs: 50, maxChars: 10 }, timers);
    batcher.push('stdout', '12345678');
    batcher.push('stdout', 'abcdef');
    batcher.push('stderr', 'zzz');
    batcher.flush();
    assert.deepEqual(sent, [{ chunks: [{ stream: 'stdout', text: '12345678ab' }], droppedChars: 7 }]);
    batcher.push('stdout', 'more');
    batcher.flush();
    assert.deepEqual(sent[1], { chunks: [], droppedChars: 4 });
  });

  it('flush sends at once and cancels the timer; dispose drops what is pending', () => {
    const sent: OutputBatch[] = [];
    const timers = manualTimers();
    const batcher = new OutputBatcher((b) => sent.push(b), { intervalMs: 50, maxChars: 100 }, timers);
    batcher.push('stdout', 'x');
    batcher.flush();
    assert.equal(timers.pending, 0);
    assert.equal(sent.length, 1);
    batcher.push('stdout', 'y');
    batcher.dispose();
    timers.fire();
    batcher.flush();
    assert.equal(sent.length, 1);
  });
});
