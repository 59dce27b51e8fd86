// One on-disk snapshot cache for every runner the tests create (in the system's temporary folder, one
// per user): the fresh interpreter's snapshot is made once per build of the jail, not once per runner.
// Runners restoring it from disk is itself what the red-team suites test: the jail must hold in an
// interpreter booted from a cached snapshot exactly as in one booted from scratch.
import os from 'node:os';
import path from 'node:path';

export const TEST_SNAPSHOT_CACHE_DIR = path.join(
  os.tmpdir(),
  `sandbox-policy-test-snapshots-${typeof process.getuid === 'function' ? process.getuid() : 'user'}`,
);
