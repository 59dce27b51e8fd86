// A host for the thread-mode red-team suite: a separate process (started by the test with an IPC
// channel) that runs programs with `isolation: 'thread'`, as the extension host would. A case that
// aborts this process (the JavaScript-heap bomb) then costs only this process, not the test runner.
import { createPyodideRunner } from '../../../src/sandbox/pyodide';
import type { RunRequest, RunResult } from '../../../src/sandbox/run-types';

/** A program to run, or: is the warm spare booted (so that a limit case starts on a quiet machine)? */
export type HostQuestion =
  { request: Pick<RunRequest, 'code' | 'filename' | 'limits'> } | { spareReady: true };
type HostRequest = HostQuestion & { id: number };
/** Sent once when the host is ready, then one reply per request, with its id. */
export type HostReply =
  { ready: true; id?: undefined } | { id: number; result: RunResult } | { id: number; spareReady: true };

function reply(message: HostReply): void {
  process.send?.(message);
}

const runner = createPyodideRunner({
  isolation: 'thread',
  interruptGraceMs: Number(process.env.SANDBOX_GRACE_MS) || 1000,
  snapshotCacheDir: process.env.SANDBOX_SNAPSHOT_CACHE_DIR || undefined,
});

process.on('message', (message: HostRequest) => {
  if ('spareReady' in message) {
    void runner.whenSpareReady().then(() => reply({ id: message.id, spareReady: true }));
    return;
  }
  void runner.run(message.request).then((result) => reply({ id: message.id, result }));
});
process.on('disconnect', () => {
  void runner.dispose().finally(() => process.exit(0));
});
reply({ ready: true });
