// Settings: an invalid value gives one problem naming the setting while the last valid policy stays in
// force, fixing it clears the problem, and a change re-checks open documents.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../host/wait';
import {
  closeAllEditors,
  extensionApi,
  ruleOf,
  skipUnlessRealExtension,
  waitForDiagnostics,
  withWorkspaceSettings,
} from './feature-helpers';

describe('feature: settings', () => {
  before(async function () {
    await skipUnlessRealExtension(this);
  });
  afterEach(closeAllEditors);

  it('reports an invalid preset, keeps the last valid policy, and recovers when fixed', async () => {
    const api = await extensionApi();
    assert.equal(api.settingsProblem(), undefined, 'the fixture settings are valid');
    const before = api.activePolicy();
    await withWorkspaceSettings({ 'sandboxPolicy.preset': 'paranoid' }, async () => {
      const problem = await waitFor(
        () => api.settingsProblem(),
        10_000,
        'a settings problem for the invalid preset',
      );
      assert.equal(problem.setting, 'sandboxPolicy.preset');
      assert.match(problem.message, /"paranoid"/);
      assert.match(problem.message, /strict/, 'the message lists the allowed presets');
      assert.deepEqual(api.activePolicy(), before, 'the last valid policy stays in force');
    });
    await waitFor(
      () => api.settingsProblem() === undefined,
      10_000,
      'the problem to clear once the value is fixed',
      {
        seen: () => JSON.stringify(api.settingsProblem()),
      },
    );
  });

  it('reports a bad run limit by its setting name', async () => {
    const api = await extensionApi();
    await withWorkspaceSettings({ 'sandboxPolicy.run.timeoutSeconds': 0 }, async () => {
      const problem = await waitFor(
        () => api.settingsProblem(),
        10_000,
        'a settings problem for timeoutSeconds 0',
      );
      assert.equal(problem.setting, 'sandboxPolicy.run.timeoutSeconds');
      assert.match(problem.message, /1 to 3600/);
    });
    await waitFor(() => api.settingsProblem() === undefined, 10_000, 'the problem to clear');
  });

  it('re-checks open documents when the policy changes', async () => {
    const api = await extensionApi();
    const document = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'import os\nprint(os.environ.get("HOME"))\n',
    });
    await vscode.window.showTextDocument(document);
    const isEnv = (d: vscode.Diagnostic) => ruleOf(d) === 'env-access';
    await waitForDiagnostics(document.uri, (d) => d.some(isEnv), 'an env-access finding under production');
    await withWorkspaceSettings({ 'sandboxPolicy.ruleOverrides': { 'env-access': 'off' } }, async () => {
      await waitForDiagnostics(
        document.uri,
        (d) => !d.some(isEnv),
        'the env-access finding to go when the rule is off',
      );
    });
    await waitForDiagnostics(document.uri, (d) => d.some(isEnv), 'the env-access finding to return');
    assert.equal(api.activePolicy().preset, 'production');
  });
});
