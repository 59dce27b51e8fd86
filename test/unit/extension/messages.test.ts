import assert from 'node:assert/strict';
import { parseHostMessage, parseWebviewMessage } from '../../../src/vscode/panel/messages';

describe('run panel messages', () => {
  it('accepts each webview message shape', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'openLocation', runId: 1, line: 4, column: 2 }), {
      type: 'openLocation',
      runId: 1,
      line: 4,
      column: 2,
    });
    assert.deepEqual(parseWebviewMessage({ type: 'stop', runId: 3 }), { type: 'stop', runId: 3 });
    assert.deepEqual(parseWebviewMessage({ type: 'openRuleDocs', ruleId: 'os-command' }), {
      type: 'openRuleDocs',
      ruleId: 'os-command',
    });
  });

  it('drops extra fields instead of passing them on', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'copyOutput', runId: 2, command: 'rm -rf /' }), {
      type: 'copyOutput',
      runId: 2,
    });
  });

  it('rejects anything else from the webview', () => {
    for (const raw of [
      null,
      'ready',
      [],
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'openLocation', runId: 1, line: -1, column: 0 },
      { type: 'openLocation', runId: 1, line: 1.5, column: 0 },
      { type: 'openLocation', runId: 1, line: '3', column: 0 },
      { type: 'openRuleDocs', ruleId: '../../etc/passwd' },
      { type: 'openRuleDocs', ruleId: 'Os Command' },
      { type: 'rerun' },
    ]) {
      assert.equal(parseWebviewMessage(raw), undefined, JSON.stringify(raw));
    }
  });

  it('validates host messages in the webview', () => {
    const finding = {
      ruleId: 'eval',
      severity: 'HIGH',
      violation: true,
      message: 'eval',
      line: 0,
      column: 0,
    };
    assert.ok(
      parseHostMessage({
        type: 'runStarted',
        runId: 1,
        file: 'a.py',
        backend: 'pyodide',
        preset: 'production',
        gate: 'allowed',
        findings: [finding],
      }),
    );
    assert.equal(
      parseHostMessage({ type: 'runStarted', runId: 1, file: 'a.py', backend: 'docker' }),
      undefined,
    );
    const started = {
      type: 'runStarted',
      runId: 1,
      file: 'a.py',
      backend: 'pyodide',
      preset: 'production',
      gate: 'allowed',
      findings: [],
    };
    assert.deepEqual(parseHostMessage({ ...started, walls: 'jail + process + bubblewrap' }), {
      ...started,
      walls: 'jail + process + bubblewrap',
    });
    assert.equal(parseHostMessage({ ...started, walls: 7 }), undefined);
    assert.ok(
      parseHostMessage({
        type: 'output',
        runId: 1,
        chunks: [{ stream: 'stdout', text: 'hi' }],
        droppedChars: 0,
      }),
    );
    assert.equal(
      parseHostMessage({
        type: 'output',
        runId: 1,
        chunks: [{ stream: 'html', text: 'hi' }],
        droppedChars: 0,
      }),
      undefined,
    );
    assert.equal(parseHostMessage({ type: 'image', runId: 1, png: 'x" onerror="alert(1)' }), undefined);
    assert.ok(parseHostMessage({ type: 'image', runId: 1, png: 'iVBORw0KGgo=' }));
    const finished = parseHostMessage({
      type: 'finished',
      runId: 1,
      status: 'timeout',
      durationMs: 30_000,
      limit: { kind: 'timeout', message: 'ran for more than 30 s' },
      findings: [],
    });
    assert.deepEqual(finished, {
      type: 'finished',
      runId: 1,
      status: 'timeout',
      durationMs: 30_000,
      limit: { kind: 'timeout', message: 'ran for more than 30 s' },
      findings: [],
    });
    assert.equal(
      parseHostMessage({ type: 'finished', runId: 1, status: 'exploded', durationMs: 1, findings: [] }),
      undefined,
    );
    assert.equal(
      parseHostMessage({
        type: 'finished',
        runId: 1,
        status: 'ok',
        durationMs: 1,
        findings: [{ ...finding, line: -2 }],
      }),
      undefined,
    );
  });
});
