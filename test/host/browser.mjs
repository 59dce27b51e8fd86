// Debian's Chromium, headless, driven by playwright-core, with its profile and HOME inside the run.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { isNoise } from './noise.mjs';

const require = createRequire(import.meta.url);

/** The flags the host was proven with on this machine; the background-networking ones keep a
 * closed network from being hammered. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** VS Code's console logger styles its lines ("%c  ERR", "color: #f33"); keep the words. */
function withoutConsoleStyling(text) {
  return text
    .replace(/%c/g, '')
    .replace(/\bcolor: #[0-9a-f]{3,8}\b/gi, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Launches Chromium for `run` and returns { context, page, problems, close }.
 * `problems` collects browser console errors and page errors that are not known noise; every console
 * line also goes to test-results/logs/RUN/browser-console.log.
 */
export async function launchBrowser(host, run) {
  const { chromium } = require('playwright-core');
  const context = await chromium.launchPersistentContext(path.join(run.dir, 'chromium-profile'), {
    executablePath: host.chromium,
    headless: true,
    args: CHROMIUM_FLAGS,
    env: run.env,
    viewport: { width: 1400, height: 900 },
    // Web workbench keybindings (F1, Ctrl+P) and clipboard reads behave as on Linux.
    locale: 'en-US',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLog = fs.createWriteStream(path.join(run.logsDir, 'browser-console.log'));
  const problems = [];
  const record = (kind, raw, location = '') => {
    const text = withoutConsoleStyling(raw);
    const line = location ? `${text} (${location})` : text;
    consoleLog.write(`[${new Date().toISOString()}] ${kind}: ${line}\n`);
    if (
      (kind === 'error' || kind === 'pageerror') &&
      !isNoise(line) &&
      !problems.includes(`${kind}: ${line}`)
    ) {
      problems.push(`${kind}: ${line}`);
    }
  };
  page.on('console', (message) => {
    const location = message.location();
    record(message.type(), message.text(), location.url ? `${location.url}:${location.lineNumber}` : '');
  });
  page.on('pageerror', (error) => record('pageerror', error.stack ?? error.message));
  page.on('crash', () => record('pageerror', 'the page crashed'));
  const close = async () => {
    await context.close().catch(() => {});
    await new Promise((resolve) => consoleLog.end(resolve));
  };
  return { context, page, problems, record, close };
}
