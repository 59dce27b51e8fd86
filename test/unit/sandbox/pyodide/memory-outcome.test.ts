// Which program outcomes a refused memory growth renames (a real run of one: red-team case 75).
import * as assert from 'node:assert/strict';
import { outcomeWithMemoryCap } from '../../../../src/sandbox/pyodide/memory-outcome';
import type { ProgramOutcome } from '../../../../src/sandbox/pyodide/protocol';

const NULL_ERROR: ProgramOutcome = {
  status: 'error',
  name: 'SystemError',
  value: "<class 'collections.deque'> returned NULL without setting an exception",
  traceback: 'Traceback (most recent call last):\n...',
};

describe('a refused memory growth names an allocation failure CPython did not report as MemoryError', () => {
  it('renames the internal error when the memory was refused a growth', () => {
    assert.deepEqual(outcomeWithMemoryCap(NULL_ERROR, true), { ...NULL_ERROR, status: 'memory' });
  });

  it('keeps it an error when no growth was refused (the program raised it itself)', () => {
    assert.deepEqual(outcomeWithMemoryCap(NULL_ERROR, false), NULL_ERROR);
  });

  it('leaves every other outcome as it was', () => {
    const others: ProgramOutcome[] = [
      { ...NULL_ERROR, value: 'some other internal error' },
      { ...NULL_ERROR, name: 'ValueError' },
      { status: 'ok', name: '', value: '', traceback: '' },
      { status: 'memory', name: 'MemoryError', value: '', traceback: '' },
      { ...NULL_ERROR, status: 'fatal' },
    ];
    for (const outcome of others) assert.deepEqual(outcomeWithMemoryCap(outcome, true), outcome);
  });
});
