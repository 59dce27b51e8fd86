// In an untrusted workspace (Restricted Mode) diagnostics keep working and every run command refuses in
// code. The test host runs with Workspace Trust disabled (everything trusted); this file only proves
// something in a host that opens the fixture workspace untrusted, and says so when it is skipped.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../host/wait';
import {
  closeAllEditors,
  extensionApi,
  openFixture,
  skipUnlessRealExtension,
  withWorkspaceSettings,
  waitForDiagnostics,
} from './feature-helpers';

describe('feature: untrusted workspace', () => {
  before(async function () {
    await skipUnlessRealExtension(this);
    if (vscode.workspace.isTrusted) {
      console.log(
        '  (skipped: this host trusts the workspace; run it with security.workspace.trust.enabled)',
      );
      this.skip();
    }
  });
  afterEach(closeAllEditors);

  it('keeps diagnostics working', async () => {
    await extensionApi();
    const { document } = await openFixture('risky.py');
    await waitForDiagnostics(document.uri, (d) => d.length > 0, 'a finding in risky.py while untrusted');
  });

  it('refuses every run command in code', async () => {
    const api = await extensionApi();
    await openFixture('hello.py');
    for (const command of [
      'sandboxPolicy.runSandboxed',
      'sandboxPolicy.runInPyodide',
      'sandboxPolicy.runInE2B',
    ]) {
      const result = await vscode.commands.executeCommand(command);
      assert.equal(result, undefined, `${command} ran in an untrusted workspace`);
    }
    assert.equal(api.lastRunResult(), undefined, 'a run happened');
    assert.equal(api.isRunning(), false);
  });

  it('ignores the workspace’s value of a restricted setting', async () => {
    const api = await extensionApi();
    // An unrestricted setting changed in the same write shows when the workspace settings have been re-read.
    const marker = [{ pattern: 'zz_marker_never_in_code', description: 'marker', severity: 'LOW' }];
    await withWorkspaceSettings(
      { 'sandboxPolicy.preset': 'minimal', 'sandboxPolicy.customPatterns': marker },
      async () => {
        await waitFor(
          () =>
            ['workspace', 'workspaceFolder'].includes(api.effectiveSetting('customPatterns')?.source ?? ''),
          10_000,
          'the workspace settings to be re-read (the unrestricted customPatterns from the workspace)',
          { seen: () => JSON.stringify(api.effectiveSetting('customPatterns')) },
        );
        const preset = api.effectiveSetting('preset');
        assert.notEqual(preset?.value, 'minimal', `the preset came from ${preset?.source}`);
        assert.ok(
          preset?.source === 'user' || preset?.source === 'default',
          `the preset came from ${preset?.source}`,
        );
        assert.notEqual(api.activePolicy().preset, 'minimal');
      },
    );
  });
});
