// Tier 2: the packaged .vsix installed into a fresh code-server, and the e2e mocha files
// (out/test/e2e/**/*.e2e.js) acting as a user in headless Chromium through test/e2e/workbench.ts.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { launchBrowser } from './browser.mjs';
import { createRun } from './isolation.mjs';
import { extensionHostErrors } from './logs.mjs';
import { startCodeServer } from './server.mjs';
import { ROOT } from './setup.mjs';

const require = createRequire(import.meta.url);
const E2E_DIR = path.join(ROOT, 'out', 'test', 'e2e');
const HARNESS = path.join(E2E_DIR, 'workbench.js');

/** execFile as a promise that always resolves, with the error (if any) beside the output. */
function execFileResult(command, args, options) {
  return new Promise((resolve) =>
    execFile(command, args, { ...options, encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ error, stdout, stderr }),
    ),
  );
}

function e2eFiles(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...e2eFiles(file));
    else if (entry.name.endsWith('.e2e.js')) found.push(file);
  }
  return found.sort();
}

/** Installs a .vsix into the run's fresh extensions dir with code-server's own CLI. */
export async function installVsix(host, run, vsix) {
  const result = await execFileResult(
    host.node,
    [
      host.codeServerEntry,
      '--user-data-dir',
      run.userDataDir,
      '--extensions-dir',
      run.extensionsDir,
      '--install-extension',
      vsix,
      '--force',
    ],
    { env: run.env, timeout: 120000 },
  );
  const output = `${result.stdout}${result.stderr}`;
  fs.writeFileSync(path.join(run.logsDir, 'install-extension.log'), output);
  if (result.error || !/successfully installed/.test(output)) {
    throw new Error(
      `code-server --install-extension ${vsix} failed (${result.error?.message ?? 'no success message'}):\n${output}`,
    );
  }
}

/**
 * Runs the e2e files against `vsix`. Options: name (run folder), tests (file filter), grep, env
 * (for code-server), log, quiet (no mocha report), timeoutScale (for the tests' deadline()).
 * Returns { ok, failures: string[], passes, run }.
 */
export async function runE2ETier(host, options) {
  const {
    vsix,
    name = 'e2e',
    tests,
    grep,
    env = {},
    log = console.log,
    quiet = false,
    timeoutScale,
  } = options;
  if (!fs.existsSync(HARNESS)) {
    throw new Error(`${path.relative(ROOT, HARNESS)} is missing: run \`npm run compile-tests\` first`);
  }
  const wanted = (tests ?? '').split(',').filter(Boolean);
  const files = e2eFiles(E2E_DIR).filter(
    (file) => wanted.length === 0 || wanted.some((part) => file.includes(part)),
  );
  if (files.length === 0) throw new Error(`no e2e test files (*.e2e.js) selected under ${E2E_DIR}`);
  const run = createRun(name);
  const failures = [];
  let passes = 0;
  let server;
  let browser;
  const harness = require(HARNESS);
  // The same module instance as the test files' `import { expectError } from '../host/expected-errors'`.
  const expectedErrorsModule = require(path.join(ROOT, 'out', 'test', 'host', 'expected-errors.js'));
  try {
    // Chromium starts while the extension installs and code-server starts.
    const [serverStart, browserStart] = await Promise.allSettled([
      installVsix(host, run, vsix).then(() => startCodeServer(host, run, { env })),
      launchBrowser(host, run),
    ]);
    server = serverStart.status === 'fulfilled' ? serverStart.value : undefined;
    browser = browserStart.status === 'fulfilled' ? browserStart.value : undefined;
    if (serverStart.status === 'rejected') throw serverStart.reason;
    if (browserStart.status === 'rejected') throw browserStart.reason;
    const url = `${server.url}/?folder=${encodeURIComponent(run.workspace)}`;
    // Only until the navigation commits: readiness is polled below, with its own deadline.
    await browser.page.goto(url, { waitUntil: 'commit', timeout: 60000 });
    const wb = new harness.Workbench(browser.page, {
      screenshotsDir: run.screenshotsDir,
      workspace: run.workspace,
      url,
    });
    harness.setWorkbench(wb);
    await wb.ready();

    // mocha 12 is an ES module: require() gives its namespace.
    const mochaModule = require('mocha');
    const Mocha = mochaModule.default ?? mochaModule;
    const mocha = new Mocha({
      ui: 'bdd',
      // Quiet runs (the meta-test) report through the returned failures only.
      reporter: quiet ? class Silent extends Mocha.reporters.Base {} : 'spec',
      timeout: 180000,
      rootHooks: {
        async afterEach() {
          if (this.currentTest?.state !== 'failed') return;
          await wb.screenshot(`FAILED ${this.currentTest.title}`).catch(() => {});
          // An error dialog left open would block the next test's keyboard.
          await browser.page.keyboard.press('Escape').catch(() => {});
        },
      },
    });
    if (grep) mocha.grep(new RegExp(grep));
    for (const file of files) mocha.addFile(file);
    await mocha.loadFilesAsync();
    // The e2e files run in this process: their deadline() reads the scale from here.
    const scaleBefore = process.env.SANDBOX_POLICY_HOST_TIMEOUT_SCALE;
    if (timeoutScale !== undefined) process.env.SANDBOX_POLICY_HOST_TIMEOUT_SCALE = String(timeoutScale);
    try {
      await new Promise((resolve) => {
        const runner = mocha.run(resolve);
        runner.on('pass', () => passes++);
        runner.on('fail', (test, error) => failures.push(`${test.fullTitle()}: ${error?.message ?? error}`));
      });
    } finally {
      if (scaleBefore === undefined) delete process.env.SANDBOX_POLICY_HOST_TIMEOUT_SCALE;
      else process.env.SANDBOX_POLICY_HOST_TIMEOUT_SCALE = scaleBefore;
    }
    // A later run in this process (the meta-test) must load the files afresh.
    mocha.unloadFiles();
    mocha.dispose();
    if (passes === 0 && failures.length === 0) failures.push('no e2e test ran');
    const expected = expectedErrorsModule.expectedErrors();
    for (const problem of browser.problems) {
      if (!expectedErrorsModule.isExpected(problem, expected)) failures.push(`browser ${problem}`);
    }
    await browser.close();
    browser = undefined;
    await server.stop();
    server = undefined;
    for (const error of extensionHostErrors(run)) {
      if (!expectedErrorsModule.isExpected(error, expected)) failures.push(`extension host ${error}`);
    }
    log(`  screenshots: ${path.relative(ROOT, run.screenshotsDir)}/`);
    return { ok: failures.length === 0, failures, passes, run };
  } finally {
    harness.setWorkbench(undefined);
    await browser?.close();
    await server?.stop();
  }
}
