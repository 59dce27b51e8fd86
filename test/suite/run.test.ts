// Run in Pyodide from the extension host: output streams into the panel before the run ends, the
// unsaved editor text is what runs, a file with violations is refused with its findings, a traceback
// comes back, Stop ends an endless loop, and every run is in the audit log.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import * as vscode from 'vscode';
import type { RunResult } from '../../src/sandbox/run-types';
import type { HostToWebview } from '../../src/vscode/panel/messages';
import { waitFor } from '../host/wait';
import {
  closeAllEditors,
  extensionApi,
  openFixture,
  RUN_TIMEOUT_MS,
  skipUnlessRealExtension,
  withWorkspaceSettings,
} from './feature-helpers';

function messagesOf(transcript: readonly HostToWebview[], runId: number): HostToWebview[] {
  return transcript.filter((m) => m.runId === runId);
}

function lastRunId(transcript: readonly HostToWebview[]): number {
  const started = [...transcript].reverse().find((m) => m.type === 'runStarted');
  assert.ok(started, 'no run reached the panel');
  return started.runId;
}

describe('feature: Run in Pyodide', function () {
  before(async function () {
    await skipUnlessRealExtension(this);
  });
  this.timeout(RUN_TIMEOUT_MS * 2);
  afterEach(closeAllEditors);

  it('streams output into the panel as it is printed', async () => {
    const api = await extensionApi();
    await openFixture('feature/stream.py');
    const result = await vscode.commands.executeCommand<RunResult>('sandboxPolicy.runInPyodide');
    assert.equal(result?.status, 'ok', `run ended ${result?.status}: ${JSON.stringify(result?.error)}`);
    const transcript = api.panelTranscript();
    const run = messagesOf(transcript, lastRunId(transcript));
    const outputs = run.filter((m) => m.type === 'output');
    const text = outputs.flatMap((m) => (m.type === 'output' ? m.chunks.map((c) => c.text) : [])).join('');
    assert.match(text, /tick 1[\s\S]*tick 8/);
    assert.match(text, /streamed to the end/);
    assert.ok(outputs.length >= 3, `output came in ${outputs.length} message(s): it was not streamed`);
    assert.equal(run[run.length - 1].type, 'finished', 'the final message comes after all output');
  });

  it('runs the unsaved text of the editor', async () => {
    await extensionApi();
    const editor = await openFixture('hello.py');
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'print("unsaved edit")\n'));
    assert.ok(editor.document.isDirty);
    const result = await vscode.commands.executeCommand<RunResult>('sandboxPolicy.runInPyodide');
    assert.match(result?.stdout ?? '', /unsaved edit\n[\s\S]*hello from the sandbox/);
  });

  it('refuses a file that breaks the policy and lists the violations', async () => {
    const api = await extensionApi();
    await openFixture('feature/violations.py');
    const result = await vscode.commands.executeCommand<RunResult>('sandboxPolicy.runInPyodide');
    assert.equal(result?.status, 'blocked');
    const rules = new Set(result.findings.filter((f) => f.violation).map((f) => f.ruleId));
    assert.ok(
      rules.has('command-execution') && rules.has('dynamic-code'),
      `violations: ${[...rules].join(', ')}`,
    );
    const transcript = api.panelTranscript();
    const finished = messagesOf(transcript, lastRunId(transcript)).find((m) => m.type === 'finished');
    assert.ok(finished && finished.type === 'finished' && finished.status === 'blocked');
    assert.ok(finished.findings.some((f) => f.ruleId === 'command-execution' && f.line === 4));
  });

  it('runs a file with violations under gate mode "warn", listing them, when the preset allows it', async () => {
    const api = await extensionApi();
    await openFixture('feature/violations.py');
    const result = await withWorkspaceSettings(
      { 'sandboxPolicy.preset': 'development', 'sandboxPolicy.gateMode': 'warn' },
      async () => {
        await waitFor(
          () => api.activePolicy().preset === 'development',
          10_000,
          'the development preset in force',
        );
        return vscode.commands.executeCommand<RunResult>('sandboxPolicy.runInPyodide');
      },
    );
    assert.notEqual(result?.status, 'blocked', 'the warn gate refused the run');
    const transcript = api.panelTranscript();
    const started = messagesOf(transcript, lastRunId(transcript)).find((m) => m.type === 'runStarted');
    assert.ok(started && started.type === 'runStarted');
    assert.equal(started.gate, 'warned');
    assert.ok(started.findings.some((f) => f.ruleId === 'command-execution' && f.violation));
  });

  it('ignores gate mode "warn" under the production preset and refuses', async () => {
    const api = await extensionApi();
    await openFixture('feature/violations.py');
    const result = await withWorkspaceSettings({ 'sandboxPolicy.gateMode': 'warn' }, async () => {
      await waitFor(() => api.settingsProblem() === undefined, 10_000, 'valid settings');
      return vscode.commands.executeCommand<RunResult>('sandboxPolicy.runInPyodide');
    });
    assert.equal(api.activePolicy().preset, 'production');
    assert.equal(result?.status, 'blocked');
  });

  it('stops a flood at the output cap and sends the panel only its share, with a count of the rest', async () => {
    const api = await extensionApi();
    await openFixture('feature/flood.py');
    const result = await vscode.commands.executeCommand<RunResult>('sandboxPolicy.runInPyodide');
    assert.equal(result?.status, 'output', `run ended ${result?.status}`);
    assert.equal(result.limit?.kind, 'output');
    const transcript = api.panelTranscript();
    const outputs = messagesOf(transcript, lastRunId(transcript)).filter((m) => m.type === 'output');
    const sent = outputs.reduce(
      (sum, m) => sum + (m.type === 'output' ? m.chunks.reduce((n, c) => n + c.text.length, 0) : 0),
      0,
    );
    const dropped = outputs.reduce((sum, m) => sum + (m.type === 'output' ? m.droppedChars : 0), 0);
    assert.ok(sent <= 400_000, `the panel was sent ${sent} characters`);
    assert.ok(dropped > 0, 'the panel was not told that output was held back');
    assert.ok(result.stdout.length > sent, 'Copy Output would have no more than the panel');
  });

  it('brings back an error with its traceback', async () => {
    await extensionApi();
    await openFixture('feature/fails.py');
    const result = await vscode.commands.executeCommand<RunResult>('sandboxPolicy.runInPyodide');
    assert.equal(result?.status, 'error');
    assert.equal(result.error?.name, 'ZeroDivisionError');
    assert.match(result.error?.traceback ?? '', /fails\.py", line 6/);
  });

  // Not timed: under a loaded CI a bound on how soon Stop lands measures the machine. `cancelled` comes
  // only from Stop (a time limit gives `timeout`), and nothing of the run reaches the panel after it ends.
  it('stops an endless loop when asked and says so', async () => {
    const api = await extensionApi();
    await openFixture('feature/forever.py');
    const running = vscode.commands.executeCommand<RunResult>('sandboxPolicy.runInPyodide');
    await waitFor(
      () =>
        api
          .panelTranscript()
          .some((m) => m.type === 'output' && m.chunks.some((c) => c.text.includes('still running'))),
      RUN_TIMEOUT_MS,
      'the endless loop to print "still running"',
    );
    await vscode.commands.executeCommand('sandboxPolicy.stopRun');
    const result = await running;
    assert.equal(result?.status, 'cancelled', `run ended ${result?.status}`);
    assert.equal(api.isRunning(), false);
    const transcript = api.panelTranscript();
    const run = messagesOf(transcript, lastRunId(transcript));
    const finished = run.findIndex((m) => m.type === 'finished');
    assert.ok(finished >= 0, 'the panel was never told the run ended');
    const last = run[finished];
    assert.equal(last.type === 'finished' && last.status, 'cancelled');
    assert.equal(run.length, finished + 1, 'the panel got messages for the run after it ended');
  });

  it('records each run in the audit log without the code', async () => {
    const api = await extensionApi();
    const file = api.auditFile();
    assert.ok(file, 'no audit file (global storage is not a local folder?)');
    await openFixture('hello.py');
    await vscode.commands.executeCommand<RunResult>('sandboxPolicy.runInPyodide');
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    const last = JSON.parse(lines[lines.length - 1]);
    assert.equal(last.runner, 'pyodide');
    assert.equal(last.outcome, 'ok');
    assert.match(last.file, /hello\.py$/);
    assert.match(last.sha256, /^[0-9a-f]{64}$/);
    assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /hello from the sandbox|print\(/);
  });
});
