// Smoke test as a user: the installed .vsix in code-server, driven through headless Chromium.
// A screenshot of every step lands in test-results/screenshots/e2e/.
import * as assert from 'node:assert/strict';
import { deadline } from '../host/wait';
import { oneLine, STEP_TIMEOUT_MS, workbench } from './workbench';

/** The preset pinned in test/fixtures/workspace/.vscode/settings.json. */
const PINNED_PRESET = 'production';
const ANALYSIS_TIMEOUT_MS = 30000;
const RUN_TIMEOUT_MS = 60000;

describe('smoke: the extension in the browser, as a user', () => {
  it('shows a sandbox-policy finding for os.system in the Problems panel', async () => {
    const wb = workbench();
    await wb.openFile('risky.py');
    let rows: string[] = [];
    const row = await wb.waitFor(
      async () => {
        rows = await wb.readProblems();
        return rows.find((text) => text.includes('sandbox-policy') && /Ln 2\b/.test(text));
      },
      deadline(ANALYSIS_TIMEOUT_MS),
      'a Problems row from sandbox-policy on line 2 of risky.py (os.system)',
      {
        seen: () => (rows.length > 0 ? `Problems rows: ${JSON.stringify(rows)}` : 'an empty Problems panel'),
      },
    );
    assert.match(row, /os\.system|system/i, `the finding does not name the call: ${row}`);
  });

  it('runs "Sandbox Policy: Show Effective Policy" from the palette', async () => {
    const wb = workbench();
    await wb.runCommand('Sandbox Policy: Show Effective Policy');
    await wb.waitFor(
      async () => (await wb.editorText()).includes(PINNED_PRESET),
      deadline(STEP_TIMEOUT_MS),
      `the effective policy, naming the pinned preset "${PINNED_PRESET}", in an editor`,
      { seen: async () => `editor text: ${JSON.stringify(oneLine(await wb.editorText()).slice(0, 300))}` },
    );
  });

  it('shows a run in the "Sandbox Run" panel', async () => {
    const wb = workbench();
    await wb.openFile('hello.py');
    await wb.runCommand('Sandbox Policy: Run in Pyodide');
    await wb.waitFor(
      async () => (await wb.readWebview('Sandbox Run'))?.includes('hello from the sandbox'),
      deadline(RUN_TIMEOUT_MS),
      'the "Sandbox Run" webview to show the output "hello from the sandbox"',
      {
        seen: async () => {
          const text = await wb.readWebview('Sandbox Run');
          if (text !== undefined)
            return `the Sandbox Run webview shows ${JSON.stringify(oneLine(text).slice(0, 300))}`;
          return `no visible "Sandbox Run" webview; webviews in the page: ${JSON.stringify(await wb.webviewTitles())}`;
        },
      },
    );
  });
});
