// The extension's features as a user meets them, in the installed .vsix in code-server through headless
// Chromium: a Pyodide run streaming into the panel (with the screenshot people look at), program output
// that tries HTML and terminal tricks shown as text, Stop on an endless loop, an E2B run against the
// loopback stand-in with the key entered through the command, and an invalid setting's message and
// recovery. Screenshots: test-results/screenshots/<run>/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { waitFor as poll } from '../host/wait';
import * as probes from './dom-probes';
import { expectError, oneLine, STEP_TIMEOUT_MS, workbench, type Workbench } from './workbench';

const PANEL = 'Sandbox Run';
const RUN_TIMEOUT_MS = 90_000;
/** A key the stand-in accepts (any key starting with e2b_); it must never be shown anywhere. */
const STANDIN_KEY = 'e2b_e2e_standin_key_5f3c9a';

/** Every notification VS Code holds (the Notification Center lists them even when no toast shows). */
async function allNotifications(wb: Workbench): Promise<string[]> {
  await wb.runCommand('Notifications: Show Notifications');
  const messages = await wb.page.evaluate<string[]>(
    `[...document.querySelectorAll('.notifications-center .notification-list-item-message')]
      .map((item) => (item.textContent ?? '').replace(/\\s+/g, ' ').trim())`,
  );
  await wb.page.keyboard.press('Escape');
  return messages;
}

/** Runs a palette command that asks for input (so the quick input stays open), and waits for its box. */
async function runCommandWithInput(wb: Workbench, title: string): Promise<void> {
  await wb.page.keyboard.press('F1');
  await poll(
    () => wb.page.evaluate<boolean>(probes.QUICK_INPUT_VISIBLE),
    STEP_TIMEOUT_MS,
    'the command palette',
  );
  await wb.page.keyboard.press('Control+A');
  await wb.page.keyboard.type(`>${title}`);
  await poll(
    async () =>
      (await wb.page.evaluate<{ label: string; focused: boolean }[]>(probes.QUICK_INPUT_ROWS)).find(
        (r) => r.focused,
      )?.label === title,
    STEP_TIMEOUT_MS,
    `the palette to offer "${title}" first`,
  );
  await wb.page.keyboard.press('Enter');
}

async function panelFrame(wb: Workbench): Promise<Frame> {
  return wb.waitFor(
    async () => (await wb.webviewFrames(PANEL))[0],
    STEP_TIMEOUT_MS,
    `the "${PANEL}" webview`,
    { seen: async () => `webviews: ${JSON.stringify(await wb.webviewTitles())}` },
  );
}

/** Waits until the panel's text matches `pattern`; returns the text. */
async function waitForPanel(
  wb: Workbench,
  pattern: RegExp,
  what: string,
  timeoutMs = RUN_TIMEOUT_MS,
): Promise<string> {
  return wb.waitFor(
    async () => {
      const text = await wb.readWebview(PANEL);
      return text !== undefined && pattern.test(text) ? text : undefined;
    },
    timeoutMs,
    what,
    {
      seen: async () => {
        const text = await wb.readWebview(PANEL);
        return text === undefined
          ? `no "${PANEL}" webview; webviews: ${JSON.stringify(await wb.webviewTitles())}`
          : `the panel shows ${JSON.stringify(oneLine(text).slice(0, 400))}`;
      },
    },
  );
}

/** The host tests the real extension once src/extension.ts exists, and a stand-in fixture before that. */
const REAL_EXTENSION = fs.existsSync(path.join(__dirname, '..', '..', '..', 'src', 'extension.ts'));

describe('the extension as a user meets it', () => {
  before(function () {
    if (!REAL_EXTENSION)
      console.log('  (skipped: the extension under test is the host fixture, not Sandbox Policy)');
    if (!REAL_EXTENSION) this.skip();
  });
  beforeEach(() => workbench().reset());

  it('streams a Pyodide run into the Sandbox Run panel', async () => {
    const wb = workbench();
    await wb.openFile('feature/stream.py');
    await wb.runCommand('Sandbox Policy: Run in Pyodide');
    // Output shows while the program is still running...
    const during = await waitForPanel(wb, /tick 1/, 'the first line of output in the panel');
    if (!/Finished/.test(during)) assert.doesNotMatch(during, /tick 8/, 'all output arrived at once');
    // ...and the run ends with the runner, status and duration shown.
    const text = await waitForPanel(wb, /Finished/, 'the run to finish');
    assert.match(text, /tick 8/);
    assert.match(text, /streamed to the end/);
    assert.match(text, /Pyodide/);
    assert.match(text, /\d+\.\d\d s/);
    const shot = await wb.screenshot('sandbox run panel after a run');
    assert.ok(fs.statSync(shot).size > 0);
  });

  it('shows HTML and escape sequences printed by a program as text, never running them', async () => {
    const wb = workbench();
    await wb.openFile('feature/xss.py');
    await wb.runCommand('Sandbox Policy: Run in Pyodide');
    const text = await waitForPanel(wb, /Finished/, 'the xss.py run to finish');
    assert.ok(
      text.includes('<img src=x onerror="document.body.setAttribute'),
      'the <img> tag is shown as text',
    );
    assert.ok(text.includes("<script>document.body.setAttribute('data-pwned', 'script')</script>"));
    assert.ok(text.includes('<b>bold?</b> &amp; done'));
    const frame = await panelFrame(wb);
    assert.equal(
      await frame.locator('#output img, #output script, #output b').count(),
      0,
      'markup became elements',
    );
    assert.equal(await frame.locator('body').getAttribute('data-pwned'), null, 'a handler ran');
    const output = await frame.locator('#output').innerText();
    assert.ok(!output.includes('\u001b'), 'a raw escape character reached the page');
    assert.ok(!output.includes('a new window title'), 'an OSC title sequence was shown');
    assert.match(output, /red text and plain after clear/);
    assert.equal(await frame.locator('#output .ansi-fg-1').innerText(), 'red text');
    await wb.screenshot('program output shown as text');
  });

  it('links traceback lines and refused findings back to the editor', async () => {
    const wb = workbench();
    await wb.openFile('feature/fails.py');
    await wb.runCommand('Sandbox Policy: Run in Pyodide');
    await waitForPanel(wb, /ZeroDivisionError/, 'the error in the panel');
    let frame = await panelFrame(wb);
    await frame.locator('#error a.link', { hasText: 'line 6' }).first().click();
    await wb.waitFor(
      async () => /Ln 6, Col/.test(await wb.page.locator('.part.statusbar').innerText()),
      STEP_TIMEOUT_MS,
      'the cursor on line 6 of fails.py (the status bar says "Ln 6")',
      { seen: async () => oneLine(await wb.page.locator('.part.statusbar').innerText()) },
    );
    await wb.screenshot('traceback link followed');

    await wb.openFile('feature/violations.py');
    await wb.runCommand('Sandbox Policy: Run in Pyodide');
    const text = await waitForPanel(wb, /Refused/, 'the refusal in the panel');
    assert.match(text, /command-execution/);
    assert.match(text, /dynamic-code/);
    frame = await panelFrame(wb);
    await frame.locator('#gate a.link', { hasText: 'line 5' }).first().click();
    await wb.waitFor(
      async () => /Ln 5, Col/.test(await wb.page.locator('.part.statusbar').innerText()),
      STEP_TIMEOUT_MS,
      'the cursor on line 5 of violations.py',
      { seen: async () => oneLine(await wb.page.locator('.part.statusbar').innerText()) },
    );
    await wb.screenshot('refused run, finding link followed');
  });

  it('caps a flood of output in the panel with a visible marker', async () => {
    const wb = workbench();
    await wb.openFile('feature/flood.py');
    await wb.runCommand('Sandbox Policy: Run in Pyodide');
    const text = await waitForPanel(wb, /Stopped: output limit/, 'the run to stop at the output cap');
    assert.match(text, /Output truncated in the panel: [\d,.\s]+ more characters were not shown/);
    assert.match(text, /000000 y/);
    await wb.screenshot('output capped');
  });

  // Not timed (a loaded CI would measure itself): "Stopped by you" comes only from Stop, never from the
  // time limit that would otherwise end this endless loop.
  it('stops an endless loop from the panel', async () => {
    const wb = workbench();
    await wb.openFile('feature/forever.py');
    await wb.runCommand('Sandbox Policy: Run in Pyodide');
    await waitForPanel(wb, /still running/, 'the endless loop to print');
    const frame = await panelFrame(wb);
    await frame.locator('#stop').click();
    await waitForPanel(wb, /Stopped by you/, 'the panel to say the run was stopped');
    await poll(
      async () => (await allNotifications(wb)).find((message) => /stopped forever\.py/.test(message)),
      STEP_TIMEOUT_MS,
      'a notification that the run was stopped',
      { seen: async () => JSON.stringify(await allNotifications(wb)) },
    );
    await wb.screenshot('endless loop stopped');
  });

  it('runs in E2B (the loopback stand-in) with the key set through the command', async () => {
    const wb = workbench();
    await runCommandWithInput(wb, 'Sandbox Policy: Set E2B API Key');
    const box = wb.page.locator('.quick-input-widget .quick-input-box input');
    await poll(
      async () => (await box.getAttribute('type')) === 'password' && (await box.inputValue()) === '',
      STEP_TIMEOUT_MS,
      'an empty password box for the API key',
      { seen: async () => `input type ${await box.getAttribute('type')}` },
    );
    await wb.screenshot('the E2B key password box');
    await wb.page.keyboard.type(STANDIN_KEY);
    await poll(
      async () => (await box.inputValue()) === STANDIN_KEY,
      STEP_TIMEOUT_MS,
      'the key typed into the box',
    );
    await wb.page.keyboard.press('Enter');
    await poll(
      async () => (await allNotifications(wb)).find((message) => /E2B API key saved/.test(message)),
      STEP_TIMEOUT_MS,
      'the confirmation that the key was saved',
      { seen: async () => JSON.stringify(await allNotifications(wb)) },
    );
    await wb.openFile('feature/in_e2b.py');
    await wb.runCommand('Sandbox Policy: Run in E2B');
    const text = await waitForPanel(wb, /Finished|Failed|Refused|Stopped/, 'the E2B run to end');
    assert.match(text, /hello from e2b/, `the E2B run did not print: ${oneLine(text).slice(0, 400)}`);
    assert.match(text, /E2B/);
    assert.ok(!text.includes(STANDIN_KEY), 'the API key is shown in the panel');
    const frame = await panelFrame(wb);
    // The stand-in's kernel has display(): the program's _repr_png_ comes back as an image.
    assert.equal(await frame.locator('#results img').count(), 1, 'the PNG result is not shown');
    assert.match(
      (await frame.locator('#results img').getAttribute('src')) ?? '',
      /^data:image\/png;base64,iVBORw0KGgo/,
    );
    for (const message of await allNotifications(wb))
      assert.ok(!message.includes(STANDIN_KEY), 'the key is in a message');
    await wb.screenshot('e2b run in the panel');
  });

  it('says which setting is invalid, and recovers when it is fixed', async () => {
    const wb = workbench();
    const settingsFile = wb.file('.vscode/settings.json');
    const original = fs.readFileSync(settingsFile, 'utf8');
    try {
      fs.writeFileSync(settingsFile, JSON.stringify({ 'sandboxPolicy.preset': 'paranoid' }, null, 2));
      const message = await poll(
        async () => (await allNotifications(wb)).find((m) => /sandboxPolicy\.preset/.test(m)),
        STEP_TIMEOUT_MS * 2,
        'a warning naming sandboxPolicy.preset',
        { seen: async () => JSON.stringify(await allNotifications(wb)) },
      );
      assert.match(message, /"paranoid"/);
      assert.match(message, /last valid settings/);
      await wb.screenshot('invalid setting message');
    } finally {
      fs.writeFileSync(settingsFile, original);
    }
    await poll(
      async () => /settings are valid again/.test(await wb.page.locator('.part.statusbar').innerText()),
      STEP_TIMEOUT_MS * 2,
      'the status bar to say the settings are valid again',
      { seen: async () => oneLine(await wb.page.locator('.part.statusbar').innerText()) },
    );
    const clear = wb.page.locator('.notifications-toasts .codicon-notifications-clear-all');
    if (await clear.isVisible()) await clear.click();
  });

  it('brings the panel back after a window reload (serializer), ready for the next run', async () => {
    const wb = workbench();
    // Reloading the window makes VS Code and code-server log these; none of them is about this extension.
    expectError(/Long running operations during shutdown are unsupported in the web/, 'VS Code, on reload');
    expectError(/IndexedDB database 'vscode-web-db' is closed/, 'VS Code web storage, on reload');
    expectError(/Error: Channel has been closed/, 'the built-in JSON language client, on reload');
    await wb.openFile('hello.py');
    await wb.runCommand('Sandbox Policy: Run in Pyodide');
    await waitForPanel(wb, /Finished/, 'the run to finish');
    // As a person does it: VS Code saves the window's state (open editors, webview state) before reloading.
    await wb.runCommand('Developer: Reload Window');
    await wb.ready();
    // Nothing has run since the reload: a "Sandbox Run" webview now can only be the restored panel. (Its
    // last run comes back too where the webview's state survives the reload; code-server's web storage
    // does not always flush it, so that part is not asserted here.)
    await waitForPanel(
      wb,
      /Sandbox Policy|hello\.py/,
      'the restored "Sandbox Run" panel',
      STEP_TIMEOUT_MS * 4,
    );
    await wb.screenshot('run panel restored after reload');
    await wb.openFile('feature/stream.py');
    await wb.runCommand('Sandbox Policy: Run in Pyodide');
    const next = await waitForPanel(wb, /stream\.py[\s\S]*Finished/, 'the next run in the restored panel');
    assert.match(next, /tick 8/);
    assert.equal(
      (await wb.webviewTitles()).filter((title) => title.startsWith('Sandbox Run')).length,
      1,
      'a second panel was opened instead of using the restored one',
    );
  });
});
