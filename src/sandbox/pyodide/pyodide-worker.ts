'use strict';
// Entry point bundled to dist/pyodide-worker.js. The same file plays two roles:
// - in a worker thread, it hosts the jail (jail-worker.ts);
// - as the main script of a child process started with SUPERVISOR_ARG, it is the sandbox process
//   that hosts that worker thread (supervisor.ts).
import { setFlagsFromString } from 'node:v8';
import { isMainThread } from 'node:worker_threads';
import { runJailWorker } from './jail-worker';
import { SANDBOX_V8_FLAGS } from './hardening';
import { SUPERVISOR_ARG, runSupervisor } from './supervisor';

if (!isMainThread) {
  void runJailWorker();
} else if (process.argv.includes(SUPERVISOR_ARG)) {
  setFlagsFromString(SANDBOX_V8_FLAGS);
  runSupervisor();
} else {
  process.stderr.write('pyodide-worker.js is started by Sandbox Policy, not by hand\n');
  process.exitCode = 2;
}
