// `npm run test:desktop`: the same extension-host suite (out/test/suite) under @vscode/test-electron,
// in a desktop VS Code, for contributors whose machines can download VS Code (or have one installed).
// Offline it stops at once with a message; `npm run test:host` is the offline way (code-server).
//
// Environment (optional):
//   SANDBOX_POLICY_VSCODE_VERSION     VS Code to download: a version such as 1.95.0, or "stable"
//                                     (default: the minimum of package.json's engines.vscode)
//   SANDBOX_POLICY_VSCODE_EXECUTABLE  use this installed VS Code instead of downloading one
//   SANDBOX_POLICY_HOST_TESTS / SANDBOX_POLICY_HOST_GREP   select tests, as with test:host
// On Linux without a display, run it under a virtual one: `xvfb-run -a npm run test:desktop`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CACHE = path.join(ROOT, '.vscode-test');
const FIXTURE_EXTENSION = path.join(ROOT, 'test', 'fixtures', 'host-extension');

/** The same user settings as the code-server host (test/host/isolation.mjs), minus web-only ones. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'extensions.autoUpdate': 'off',
  'extensions.autoCheckUpdates': false,
  'git.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
};

function minimumVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    engines?: { vscode?: string };
  };
  return /(\d+\.\d+\.\d+)/.exec(manifest.engines?.vscode ?? '')?.[1] ?? 'stable';
}

async function vscodeExecutable(): Promise<string> {
  const installed = process.env.SANDBOX_POLICY_VSCODE_EXECUTABLE;
  if (installed) return installed;
  const version = process.env.SANDBOX_POLICY_VSCODE_VERSION ?? minimumVersion();
  try {
    return await downloadAndUnzipVSCode({ version, cachePath: CACHE, timeout: 15000 });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `VS Code ${version} is needed, which @vscode/test-electron downloads from Microsoft, and the ` +
        `download failed: ${reason}.\n` +
        '  - Offline (as on CI here)? Run `npm run test:host`: the same suite in code-server, from npm.\n' +
        '  - VS Code installed? SANDBOX_POLICY_VSCODE_EXECUTABLE=/path/to/code npm run test:desktop',
      { cause: error },
    );
  }
}

async function main(): Promise<void> {
  const executable = await vscodeExecutable();
  const run = path.join(CACHE, 'runs', 'desktop');
  fs.rmSync(run, { recursive: true, force: true });
  const workspace = path.join(run, 'workspace');
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const userData = path.join(run, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const results = path.join(ROOT, 'test-results', 'logs', 'desktop', 'results.json');
  fs.mkdirSync(path.dirname(results), { recursive: true });
  const extension = fs.existsSync(path.join(ROOT, 'src', 'extension.ts')) ? ROOT : FIXTURE_EXTENSION;
  if (extension !== ROOT)
    console.log(`NOTE: src/extension.ts does not exist yet; testing ${FIXTURE_EXTENSION}`);

  const env: Record<string, string> = { SANDBOX_POLICY_HOST_RESULTS: results };
  for (const key of ['SANDBOX_POLICY_HOST_TESTS', 'SANDBOX_POLICY_HOST_GREP']) {
    const value = process.env[key];
    if (value) env[key] = value;
  }
  // The E2B stand-in, when this checkout has it, as the code-server host does.
  let stopStandin = async (): Promise<void> => {};
  const standinModule = path.join(ROOT, 'out', 'test', 'e2b-standin', 'server.js');
  if (fs.existsSync(standinModule)) {
    const { startStandin } = (await import(standinModule)) as {
      startStandin: () => Promise<{ url: string; close: () => Promise<void> }>;
    };
    const standin = await startStandin();
    Object.assign(env, {
      E2B_API_URL: standin.url,
      E2B_SANDBOX_URL: standin.url,
      SANDBOX_POLICY_E2B_STANDIN_URL: standin.url,
    });
    stopStandin = () => standin.close();
  }
  try {
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: extension,
      extensionTestsPath: path.join(ROOT, 'out', 'test', 'suite', 'index'),
      extensionTestsEnv: env,
      launchArgs: [
        workspace,
        `--user-data-dir=${userData}`,
        `--extensions-dir=${path.join(run, 'extensions')}`,
        '--disable-workspace-trust',
      ],
    });
  } finally {
    await stopStandin();
  }
}

main().then(
  () => console.log('test:desktop: the extension-host suite passed'),
  (error: unknown) => {
    console.error(`test:desktop: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
