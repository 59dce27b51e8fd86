// One test-host run per checkout at a time: runs share the folders under .vscode-test/runs and
// test-results/, and two of them on two cores would only slow each other into timeouts.
import fs from 'node:fs';
import path from 'node:path';
import { CACHE } from './setup.mjs';

const LOCK = path.join(CACHE, 'host-run.lock');

function holder() {
  try {
    const pid = Number(fs.readFileSync(LOCK, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Waits (up to `timeoutMs`) until no other live run holds the lock, takes it, and frees it on exit. */
export async function acquireRunLock(timeoutMs = 15 * 60 * 1000) {
  fs.mkdirSync(CACHE, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      fs.writeFileSync(LOCK, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const pid = holder();
    if (pid === undefined) {
      // The holder died without cleaning up: the lock is stale.
      fs.rmSync(LOCK, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `another test-host run (pid ${pid}) held ${LOCK} for ${timeoutMs / 1000} s; stop it or remove the file`,
      );
    }
    if (!told) {
      console.log(
        `[host] another test-host run (pid ${pid}) is using this checkout; waiting for it to finish`,
      );
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  process.on('exit', () => {
    if (holder() === process.pid) fs.rmSync(LOCK, { force: true });
  });
}
