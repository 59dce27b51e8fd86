// Starts the E2B stand-in (test/e2b-standin/server.ts, compiled to out/) when it exists, so that
// extension tests can run E2B through the real SDK against loopback. Its URL reaches the extension
// host through the environment variables the SDK honours.
import fs from 'node:fs';
import path from 'node:path';
import { spawnGroup } from './server.mjs';
import { RESULTS, realPythonDir } from './isolation.mjs';
import { ROOT } from './setup.mjs';

const SERVER = path.join(ROOT, 'out', 'test', 'e2b-standin', 'server.js');

/**
 * Returns { env, stop } where env is what code-server should get (E2B_API_URL, E2B_SANDBOX_URL and
 * SANDBOX_POLICY_E2B_STANDIN_URL for tests that inject faults), or an empty env when there is no
 * stand-in in this checkout.
 */
export async function startE2BStandin() {
  if (!fs.existsSync(SERVER)) return { env: {}, stop: async () => {}, url: undefined };
  const logDir = path.join(RESULTS, 'logs', 'e2b-standin');
  fs.mkdirSync(logDir, { recursive: true });
  const pythonDir = realPythonDir();
  const python = pythonDir ? path.join(pythonDir, 'python3') : undefined;
  const standin = await spawnGroup({
    name: 'the E2B stand-in',
    command: process.execPath,
    args: [SERVER, '--port', '0', ...(python ? ['--python', python] : [])],
    env: {
      ...process.env,
      PATH: [pythonDir, process.env.PATH].filter(Boolean).join(path.delimiter),
    },
    cwd: ROOT,
    logFile: path.join(logDir, 'e2b-standin.log'),
    ready: /^(http:\/\/127\.0\.0\.1:\d+)\/?$/,
    timeoutMs: 30000,
  });
  const url = standin.match[1];
  return {
    url,
    env: { E2B_API_URL: url, E2B_SANDBOX_URL: url, SANDBOX_POLICY_E2B_STANDIN_URL: url },
    stop: standin.stop,
  };
}
