// A worker thread of `sandbox-policy check --threads N`: loads the grammars once (at start, while the main
// thread may still be walking the tree), then checks the batches of files the pool sends it in order,
// answering each file with its verdict (see check-pool.ts for the protocol).
import { parentPort, workerData } from 'node:worker_threads';
import { FileChecker, type FileCheckerOptions } from './check-one';
import type { FromWorker, ToWorker } from './check-pool';

const port = parentPort;
if (!port) throw new Error('check-worker.js runs only as a worker thread');

// Test-only (docs/testing.md): "throw:NAME" makes the checker throw on NAME, "exit:NAME" ends the thread.
const fault = /^(throw|exit):(.+)$/.exec(process.env.SANDBOX_POLICY_TEST_FAULT ?? '');
const options = workerData as FileCheckerOptions;
const checker = new FileChecker({ ...options, throwOn: fault?.[1] === 'throw' ? fault[2] : undefined });

let queue: Promise<void> = checker.warmUp().then(
  () => undefined,
  // Reported with the first file, which cannot be checked either (below).
  () => undefined,
);
port.on('message', (message: ToWorker) => {
  if (message.type === 'stop') {
    queue = queue.then(async () => {
      await checker.dispose();
      port.close();
    });
    return;
  }
  for (const { index, target } of message.batch) {
    queue = queue.then(async () => {
      if (fault?.[1] === 'exit' && target.file.endsWith(fault[2])) process.exit(3);
      let reply: FromWorker;
      try {
        reply = { type: 'verdict', index, checked: await checker.check(target) };
      } catch (error) {
        // Only the engine's start-up throws out of check(): nothing else can be checked either.
        reply = {
          type: 'fatal',
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        };
      }
      port.postMessage(reply);
    });
  }
});
