// Tier 1: the mocha suite (out/test/suite/index.js) inside code-server's real extension host.
// The page gets `codeAutomationLog`/`codeAutomationExit` before navigation, and the URL's payload
// names the extension under development and the tests as vscode-remote:// URIs; with the smoke-test
// driver on, the workbench runs the tests and calls codeAutomationExit(code) when they end.
import fs from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { createRequire } from 'node:module';
import { launchBrowser } from './browser.mjs';
import { createRun, UNTRUSTED_SETTINGS } from './isolation.mjs';
import { extensionHostErrors } from './logs.mjs';
import { startCodeServer } from './server.mjs';
import { ROOT } from './setup.mjs';

const require = createRequire(import.meta.url);
const { isExpected } = require('../../out/test/host/expected-errors.js');

const SUITE_INDEX = path.join(ROOT, 'out', 'test', 'suite', 'index');
// Must match test/suite/index.ts.
const BEGIN_MARKER = '[extension-host tests: begin]';
const END_MARKER = '[extension-host tests: end]';
const FAILED_PREFIX = 'extension-host tests:';
// Must match test/suite/screenshot.ts: a test logs this and a label, and waits for the picture's file.
const SCREENSHOT_PREFIX = '[extension-host screenshot] ';

/**
 * Runs the extension-host suite against the extension folder `extensionPath`.
 * Options: name (run folder), tests (file filter), grep, env (for code-server), timeoutMs,
 * untrusted (open the workspace in Restricted Mode).
 * Returns { ok, failures: string[], results, output: string[] }.
 */
export async function runExtensionHostTier(host, options) {
  const {
    extensionPath,
    name = 'exthost',
    tests,
    grep,
    env = {},
    timeoutMs = 600000,
    log = console.log,
    untrusted = false,
  } = options;
  if (!fs.existsSync(`${SUITE_INDEX}.js`)) {
    throw new Error(`${path.relative(ROOT, SUITE_INDEX)}.js is missing: run \`npm run compile-tests\` first`);
  }
  const run = createRun(name, untrusted ? { settings: UNTRUSTED_SETTINGS } : {});
  const resultsFile = path.join(run.logsDir, 'results.json');
  const testEnv = {
    ...env,
    SANDBOX_POLICY_HOST_RESULTS: resultsFile,
    SANDBOX_POLICY_HOST_SCREENSHOTS: run.screenshotsDir,
    ...(tests ? { SANDBOX_POLICY_HOST_TESTS: tests } : {}),
    ...(grep ? { SANDBOX_POLICY_HOST_GREP: grep } : {}),
  };
  const failures = [];
  const output = [];
  let server;
  let browser;
  try {
    // Chromium starts while code-server does: both take seconds on two cores.
    const [serverStart, browserStart] = await Promise.allSettled([
      startCodeServer(host, run, { env: testEnv, workspaceTrust: untrusted }),
      launchBrowser(host, run),
    ]);
    server = serverStart.status === 'fulfilled' ? serverStart.value : undefined;
    browser = browserStart.status === 'fulfilled' ? browserStart.value : undefined;
    if (serverStart.status === 'rejected') throw serverStart.reason;
    if (browserStart.status === 'rejected') throw browserStart.reason;
    const { page } = browser;
    let resolveExit;
    const exit = new Promise((resolve) => (resolveExit = resolve));
    const automationLog = fs.createWriteStream(path.join(run.logsDir, 'automation.log'));
    let inSuite = false;
    let screenshots = 0;
    await page.exposeFunction('codeAutomationLog', (level, message) => {
      // Everything the workbench logs goes to the file; the terminal gets the lines between the
      // suite's begin and end markers (mocha's report and whatever happens meanwhile).
      const text = Array.isArray(message) ? format(...message) : String(message);
      automationLog.write(`[${level}] ${text}\n`);
      const shot = text.indexOf(SCREENSHOT_PREFIX);
      if (shot !== -1) {
        // Written under a temporary name and renamed: the test waits for the final name.
        const label = text
          .slice(shot + SCREENSHOT_PREFIX.length)
          .trim()
          .replace(/[^\w.-]+/g, '-');
        const file = path.join(run.screenshotsDir, `${String(++screenshots).padStart(2, '0')}-${label}.png`);
        void page
          .screenshot({ path: `${file}.partial.png` })
          .then(() => fs.renameSync(`${file}.partial.png`, file))
          .catch((error) => automationLog.write(`[screenshot failed] ${label}: ${error}\n`));
        return;
      }
      if (text.includes(BEGIN_MARKER)) inSuite = true;
      else if (text.includes(END_MARKER)) inSuite = false;
      else if (inSuite) {
        for (const line of text.split('\n')) {
          output.push(line);
          log(`  ${line}`);
        }
      }
    });
    await page.exposeFunction('codeAutomationExit', (code, logs) => {
      for (const entry of Array.isArray(logs) ? logs : []) {
        const target = path.join(run.logsDir, 'workbench', entry.relativePath);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, entry.contents);
      }
      resolveExit(code);
    });
    const remote = (file) => `vscode-remote://127.0.0.1:${server.port}${file}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionPath)],
      ['extensionTestsPath', remote(SUITE_INDEX)],
      ['skipWelcome', 'true'],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(run.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    // Only until the navigation commits: the end of the suite is what we wait for.
    await page.goto(url, { waitUntil: 'commit', timeout: 60000 });
    let timer;
    const code = await Promise.race([
      exit,
      new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
      server.exited.then(({ code: c, signal }) => `code-server exited (${c ?? signal})`),
    ]);
    clearTimeout(timer);
    await page.screenshot({ path: path.join(run.screenshotsDir, 'end.png') }).catch(() => {});
    if (code !== 0) {
      failures.push(
        code === 'timeout'
          ? `the extension-host tests did not finish within ${timeoutMs} ms`
          : typeof code === 'string'
            ? code
            : `the extension host exited with code ${code}`,
      );
    }
    let results;
    try {
      results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    } catch {
      failures.push(`the suite wrote no results to ${resultsFile}: did index.js run at all?`);
    }
    if (results) {
      for (const failure of results.failures) failures.push(`${failure.title}: ${failure.message}`);
      if (!results.finished) failures.push('the suite did not finish');
      else if (results.passes + results.pending === 0) failures.push('no extension-host test ran');
    }
    // The suite's own rejection repeats the failures listed above.
    const expected = results?.expectedErrors ?? [];
    for (const problem of browser.problems) {
      if (!problem.includes(FAILED_PREFIX) && !isExpected(problem, expected))
        failures.push(`browser ${problem}`);
    }
    automationLog.end();
    await browser.close();
    browser = undefined;
    await server.stop();
    for (const error of extensionHostErrors(run)) {
      if (!isExpected(error, expected)) failures.push(`extension host ${error}`);
    }
    server = undefined;
    return { ok: failures.length === 0, failures, results, output, run };
  } finally {
    await browser?.close();
    await server?.stop();
  }
}
