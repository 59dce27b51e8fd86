// A host for the thread-mode red-team suite: a separate process (started by the test with an IPC
// channel) that runs programs with `isolation: 'thread'`, as the extension host would. A case that
// aborts this process (the JavaScript-heap bomb) then costs only this process, not the test runner.
import { createPyodideRunner } from '../../../src/sandbox/pyodide';
import type { RunRequest } from '../../../src/sandbox/run-types';

interface HostRequest {
  id: number;
  request: Pick<RunRequest, 'code' | 'filename' | 'limits'>;
}

const runner = createPyodideRunner({
  isolation: 'thread',
  interruptGraceMs: Number(process.env.SANDBOX_GRACE_MS) || 1000,
  snapshotCacheDir: process.env.SANDBOX_SNAPSHOT_CACHE_DIR || undefined,
});

process.on('message', (message: HostRequest) => {
  void runner.run(message.request).then((result) => process.send?.({ id: message.id, result }));
});
process.on('disconnect', () => {
  void runner.dispose().finally(() => process.exit(0));
});
process.send?.({ ready: true });
