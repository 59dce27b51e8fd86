// Installs bubblewrap for the OS-sandbox tests, idempotently: nothing to do when `bwrap` is on PATH;
// as root on Debian/Ubuntu it runs apt-get; otherwise it says what to run and exits 0 (the tests that
// need bubblewrap then skip with the same message).
//   node test/setup-os-sandbox.mjs
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const log = (line) => console.log(`[os-sandbox setup] ${line}`);

function hasBwrap() {
  return spawnSync('bwrap', ['--version'], { stdio: 'ignore' }).status === 0;
}

if (process.platform !== 'linux' || hasBwrap()) process.exit(0);
if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/apt-get')) {
  log('bubblewrap is missing and this is not root on Debian/Ubuntu: install it (apt-get install bubblewrap)');
  log('the OS-sandbox tests will be skipped');
  process.exit(0);
}
log('installing bubblewrap (apt-get install -y bubblewrap)');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
let result = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'bubblewrap'], {
  stdio: 'inherit',
  env,
});
if (result.status !== 0) {
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  result = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'bubblewrap'], {
    stdio: 'inherit',
    env,
  });
}
if (result.status !== 0 || !hasBwrap()) {
  console.error('[os-sandbox setup] apt-get could not install bubblewrap');
  process.exit(1);
}
