// Neovim for the LSP client test: Debian's package (0.7.2 on this machine's Debian), installed once by
// the tests themselves when they run as root, as test/host/setup.mjs installs chromium.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';

export type NeovimStatus = { ok: true; path: string; version: string } | { ok: false; reason: string };

function found(): NeovimStatus | undefined {
  const result = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return { ok: true, path: 'nvim', version: result.stdout.split('\n')[0] };
}

/**
 * apt-get, waiting for another one to finish: under `npm test` the test host's set-up may be installing
 * Chromium meanwhile (test/all.mjs). apt waits for dpkg's lock itself; the package lists' lock (update)
 * it does not, so an attempt that failed on a lock is tried again.
 */
function aptGet(args: string[], env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  for (let attempt = 1; ; attempt++) {
    const result = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], {
      encoding: 'utf8',
      env,
    });
    if (result.status === 0 || attempt === 60 || !/lock/i.test(result.stderr)) return result;
    spawnSync('sleep', ['10']);
  }
}

/** Neovim, installed with apt-get when missing and possible; otherwise why not (the test then skips). */
export function ensureNeovim(): NeovimStatus {
  const present = found();
  if (present) return present;
  const command = 'apt-get update && apt-get install -y neovim';
  if (process.getuid?.() !== 0)
    return {
      ok: false,
      reason: `Neovim is not installed and this user cannot install it; run once as root: sudo sh -c '${command}'`,
    };
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', 'neovim']]) {
    const result = aptGet(args, env);
    if (result.status !== 0)
      throw new Error(
        `apt-get ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr.slice(-2000)}`,
      );
  }
  const installed = found();
  if (!installed) throw new Error('apt-get installed neovim, but `nvim --version` still fails');
  return installed;
}
