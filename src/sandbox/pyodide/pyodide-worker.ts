'use strict';
// Entry point bundled to dist/pyodide-worker.js. The same file plays two roles:
// - in a worker thread, it hosts the jail (jail-worker.ts);
// - as the main script of a child process started with SUPERVISOR_ARG, it is the sandbox process
//   that hosts that worker thread (supervisor.ts).
import { setFlagsFromString } from 'node:v8';
import { isMainThread } from 'node:worker_threads';
import { runJailWorker } from './jail-worker';
import { SUPERVISOR_ARG, runSupervisor } from './supervisor';

/**
 * Set in the sandbox process before its jail thread exists (a V8 flag is process-wide). Wasm functions
 * move from the baseline compiler (Liftoff) to the optimising one (TurboFan) once they have run a
 * budget of code; at V8's default, the boot and a small program already send hundreds of lukewarm
 * functions of the interpreter to TurboFan in background threads (about a quarter of a second of CPU
 * that a short run never gets back). Fifty times that budget still optimises what a long program
 * keeps running (its CPU time was unchanged in the measurements; Liftoff alone cost 13%). Set here, not
 * on the command line: a runtime that does not know the flag ignores it instead of refusing to start.
 */
export const SANDBOX_V8_FLAGS = '--wasm-tiering-budget=90000000';

if (!isMainThread) {
  void runJailWorker();
} else if (process.argv.includes(SUPERVISOR_ARG)) {
  setFlagsFromString(SANDBOX_V8_FLAGS);
  runSupervisor();
} else {
  process.stderr.write('pyodide-worker.js is started by Sandbox Policy, not by hand\n');
  process.exitCode = 2;
}
