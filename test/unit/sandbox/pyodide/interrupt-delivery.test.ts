// Every interrupt the host sends reaches the program. Pyodide polls its interrupt buffer with a plain
// read and then a plain write of 0, so a signal stored between the two was overwritten: about 2% of the
// interrupts sent into a busy loop never raised KeyboardInterrupt, and a time limit that lost its one
// interrupt let the program run on until the grace period killed it, without its traceback. The jail
// now hands Pyodide a buffer that takes the signal atomically (jail-prelude.ts, takingSignals).
import assert from 'node:assert/strict';
import { pyodideDir, pyodideWorkerScript } from '../../../../src/assets';
import type { SandboxEvent } from '../../../../src/sandbox/pyodide/sandbox';
import { ThreadSandbox } from '../../../../src/sandbox/pyodide/thread-sandbox';

/** With 2% lost, 400 in a row all arriving had a chance of 0.98^400 ≈ 0.03%. */
const INTERRUPTS = 400;
/** A lost interrupt never arrives; one that is merely slow (a starved machine) arrives well within this. */
const PATIENCE_MS = 30_000;

/** Spins; prints a line for each KeyboardInterrupt, also one that lands while it handles the last one. */
const COUNT_THE_INTERRUPTS = `import sys
caught = 0
sys.stdout.write("spinning\\n")
sys.stdout.flush()
while True:
    try:
        try:
            while True:
                pass
        except KeyboardInterrupt:
            caught += 1
            sys.stdout.write(f"caught {caught}\\n")
            sys.stdout.flush()
    except KeyboardInterrupt:
        caught += 1
        sys.stdout.write(f"caught {caught}\\n")
        sys.stdout.flush()
`;

describe('Pyodide jail: interrupt delivery', function () {
  this.timeout(120_000);
  let sandbox: ThreadSandbox | undefined;

  after(() => sandbox?.kill());

  it(`raises KeyboardInterrupt for each of ${INTERRUPTS} interrupts sent into a busy loop`, async () => {
    sandbox = new ThreadSandbox({
      workerScript: pyodideWorkerScript(),
      pyodideDir: pyodideDir(),
      memoryMb: 256,
      heapMb: 256,
      warmUp: false,
    });
    await sandbox.ready;
    let stdout = '';
    let ended: SandboxEvent | undefined;
    let wake: () => void = () => {};
    sandbox.start(
      {
        kind: 'script',
        code: COUNT_THE_INTERRUPTS,
        filename: 'count.py',
        restrictions: '',
        maxOutputBytes: 1024 * 1024,
      },
      (event) => {
        if (event.type === 'output' && event.stream === 'stdout') stdout += event.text;
        else if (event.type !== 'output') ended = event;
        wake();
      },
    );
    const caught = (): number => (stdout.match(/^caught \d+$/gm) ?? []).length;
    const until = async (done: () => boolean): Promise<void> => {
      const deadline = Date.now() + PATIENCE_MS;
      while (!done() && ended === undefined && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
    };
    // An interrupt sent before the program's own code runs would stop the driver, not the loop.
    await until(() => stdout.startsWith('spinning\n'));
    assert.equal(stdout, 'spinning\n');
    for (let sent = 1; sent <= INTERRUPTS; sent++) {
      sandbox.interrupt();
      await until(() => caught() >= sent);
      assert.equal(
        ended,
        undefined,
        `the program ended after ${sent - 1} interrupts: ${JSON.stringify(ended)}`,
      );
      assert.equal(caught(), sent, `interrupt ${sent} of ${INTERRUPTS} never raised KeyboardInterrupt`);
    }
  });
});
