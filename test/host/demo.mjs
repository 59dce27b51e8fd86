// `npm run demo`: the packaged extension (sandbox-policy.vsix, built by `npm run package`) in the local
// code-server on a sample workspace, for people without VS Code. Prints the URL and runs until Ctrl-C.
//   node test/host/demo.mjs [--port N] [--vsix FILE] [--workspace DIR]
// It listens on 127.0.0.1 only, with no password: from another machine, forward the port over SSH
// (ssh -L N:127.0.0.1:N this-machine) rather than exposing it.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startE2BStandin } from './e2b-standin.mjs';
import { installVsix } from './e2e-tier.mjs';
import { createRun, FIXTURE_WORKSPACE } from './isolation.mjs';
import { startCodeServer } from './server.mjs';
import { CODE_SERVER_VERSION, ensureHost, ROOT } from './setup.mjs';

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      vsix: { type: 'string', default: path.join(ROOT, 'sandbox-policy.vsix') },
      workspace: { type: 'string', default: FIXTURE_WORKSPACE },
    },
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new Error(`--port must be a port number (1-65535), not "${values.port}"`);
  }
  const vsix = path.resolve(values.vsix);
  if (!fs.existsSync(vsix)) {
    throw new Error(
      `${vsix} does not exist: build it with \`npm run package\` (\`npm run demo\` does that first)`,
    );
  }
  const host = ensureHost();
  const run = createRun('demo', { workspace: path.resolve(values.workspace) });
  await installVsix(host, run, vsix);
  const standin = await startE2BStandin();
  const server = await startCodeServer(host, run, { env: standin.env, port });
  const url = `${server.url}/?folder=${encodeURIComponent(run.workspace)}`;
  console.log(`
Sandbox Policy demo in code-server ${CODE_SERVER_VERSION}
  open      ${url}
  workspace ${run.workspace} (a fresh copy of ${path.relative(ROOT, path.resolve(values.workspace)) || '.'})
  try       risky.py (findings in the Problems panel), hello.py + "Sandbox Policy: Run in Pyodide" (F1)
${standin.url ? `  E2B       a loopback stand-in at ${standin.url}; "Sandbox Policy: Set E2B API Key" accepts any key starting with e2b_\n` : ''}  logs      ${path.relative(ROOT, run.logsDir)}/
Press Ctrl-C to stop.`);
  const { code, signal } = await server.exited;
  await standin.stop();
  throw new Error(
    `code-server stopped (${code ?? signal}); its log: ${path.join(run.logsDir, 'code-server.log')}`,
  );
}

main().catch((error) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
