// A worker thread of `sandbox-policy check --threads N`: loads the grammars once, then checks the files the
// pool sends it one at a time, answering each with its verdict (see check-pool.ts for the protocol).
import { parentPort, workerData } from 'node:worker_threads';
import { FileChecker, type FileCheckerOptions } from './check-one';
import type { FromWorker, ToWorker } from './check-pool';

const port = parentPort;
if (!port) throw new Error('check-worker.js runs only as a worker thread');

// Test-only (docs/testing.md): "throw:NAME" makes the checker throw on NAME, "exit:NAME" ends the thread.
const fault = /^(throw|exit):(.+)$/.exec(process.env.SANDBOX_POLICY_TEST_FAULT ?? '');
const options = workerData as FileCheckerOptions;
const checker = new FileChecker({ ...options, throwOn: fault?.[1] === 'throw' ? fault[2] : undefined });

let queue = Promise.resolve();
port.on('message', (message: ToWorker) => {
  if (message.type === 'stop') {
    queue = queue.then(async () => {
      await checker.dispose();
      port.close();
    });
    return;
  }
  queue = queue.then(async () => {
    if (fault?.[1] === 'exit' && message.target.file.endsWith(fault[2])) process.exit(3);
    let reply: FromWorker;
    try {
      reply = { type: 'verdict', index: message.index, verdict: await checker.check(message.target) };
    } catch (error) {
      // Only the engine's start-up throws out of check(): nothing else can be checked either.
      reply = {
        type: 'fatal',
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      };
    }
    port.postMessage(reply);
  });
});
