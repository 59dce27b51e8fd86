// Names the memory limit when it is what ended a program but the driver could not tell: at the cap,
// some CPython C code fails an allocation without setting MemoryError (collections.deque growing block
// by block ends in "SystemError: <class 'collections.deque'> returned NULL without setting an
// exception"). The jail records whether the interpreter's memory was refused a growth during the run
// (the cap is a wasm memory maximum, so every allocation the cap refuses is one).
import type { ProgramOutcome } from './protocol';

/** CPython's message when a C function failed without setting an exception. */
const NULL_WITHOUT_EXCEPTION = /returned NULL without setting an exception$/;

/**
 * The outcome as the user should see it. Only an internal error after a refused growth is renamed; the
 * same error raised by the program itself stays its own. A `memory` the driver reported is kept as it
 * is: a request past what a wasm32 memory can ever hold fails without asking the memory to grow.
 */
export function outcomeWithMemoryCap(outcome: ProgramOutcome, growthRefused: boolean): ProgramOutcome {
  const internalError =
    outcome.status === 'error' &&
    outcome.name === 'SystemError' &&
    NULL_WITHOUT_EXCEPTION.test(outcome.value);
  return internalError && growthRefused ? { ...outcome, status: 'memory' } : outcome;
}
