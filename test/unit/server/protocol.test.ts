// The language server at the protocol level: the real server process (`node dist/cli.js server`) driven
// over JSON-RPC, on stdio and on a socket set up as vscode-languageclient does it (and bad transport
// arguments refused). Initialize, open/change/close, pulled diagnostics and result ids, the push fallback,
// cancellation, invalid settings, project config files and trust, a file over the size limit, code
// actions, hover, and a server killed in the middle of a request.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { CLI, CancellationTokenSource, clientsStoppedAfterEachTest, eventually, fileUri } from './lsp-client';

const RISKY = 'import os\n\nos.system("ls")\n';
const ENV = 'import os\nprint(os.environ.get("HOME"))\n';

function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

function rules(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code));
}

/** A Python file of about `chars` characters, with one dangerous call on its last line. */
function largePython(chars: number): string {
  const line = 'value_0123456789 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]\n';
  return `${line.repeat(Math.ceil(chars / line.length))}import os\nos.system("ls")\n`;
}

describe('language server: protocol', function () {
  this.timeout(120_000);
  const start = clientsStoppedAfterEachTest();

  it('initializes with incremental sync, pull diagnostics, code actions and hover, and exits cleanly', async () => {
    const client = await start();
    const { capabilities, serverInfo } = client.initializeResult;
    assert.equal(serverInfo?.name, 'sandbox-policy');
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2 });
    assert.deepEqual(capabilities.diagnosticProvider, {
      identifier: 'sandbox-policy',
      interFileDependencies: false,
      workspaceDiagnostics: false,
    });
    assert.equal(capabilities.hoverProvider, true);
    assert.deepEqual(capabilities.codeActionProvider, { codeActionKinds: ['quickfix'] });
    assert.deepEqual(capabilities.executeCommandProvider?.commands, ['sandbox-policy.openRuleDocumentation']);
    assert.equal(await client.stop(), 0);
  });

  it('speaks over a socket as vscode-languageclient sets one up: the client listens, --socket=PORT connects', async () => {
    const client = await start({ transport: 'socket' });
    assert.equal(client.initializeResult.serverInfo?.name, 'sandbox-policy');
    const uri = 'untitled:socket.py';
    await client.open(uri, 'python', RISKY);
    const finding = (await client.diagnostics(uri)).find((d) => d.code === 'command-execution');
    assert.ok(finding, 'the finding arrives over the socket');
    assert.deepEqual(finding.range.start, { line: 2, character: 0 });
    assert.equal(await client.stop(), 0, 'shutdown + exit end the server cleanly');
    // A client that goes away without the handshake closes the socket: the server ends, no orphan.
    const gone = await start({ transport: 'socket' });
    gone.connection.dispose();
    assert.deepEqual(await gone.exit(), { code: 1, signal: null });
  });

  it('refuses a bad transport argument by name, and says so when no client listens on the socket', async () => {
    const server = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, 'server', ...args], { encoding: 'utf8', input: '', timeout: 60_000 });
    for (const [args, message] of [
      [['--socket=abc'], /--socket needs a port number from 1 to 65535, not "abc"/],
      [['--socket=70000'], /--socket needs a port number from 1 to 65535, not "70000"/],
      [['--socket'], /--socket needs a value/],
      [['--stdio', '--node-ipc'], /choose one of --stdio, --node-ipc, --socket=PORT/],
      [['--verbose'], /unknown option "--verbose"/],
    ] as const) {
      const result = server(...args);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
    // A port nobody listens on (one that was just free): an error, not a silent exit.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const refused = server(`--socket=${port}`);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, new RegExp(`could not connect to the client at 127\\.0\\.0\\.1:${port}`));
  });

  it('reports a finding with its rule, link, severity and data; follows edits; answers unchanged by result id', async () => {
    const client = await start();
    const uri = 'untitled:risky.py';
    await client.open(uri, 'python', RISKY);
    const first = await client.pull(uri);
    assert.equal(first.kind, 'full');
    const finding = first.items.find((d) => d.code === 'command-execution');
    assert.ok(finding, `findings: ${rules(first.items).join(', ')}`);
    assert.equal(finding.source, 'sandbox-policy');
    assert.equal(finding.severity, 1, 'a violation under production is an Error');
    assert.deepEqual(finding.range.start, { line: 2, character: 0 });
    assert.match(finding.codeDescription!.href, /\/docs\/rules\/command-execution\.md$/);
    assert.deepEqual(finding.data, { ruleId: 'command-execution' });
    assert.ok(first.resultId);

    const unchanged = await client.pull(uri, first.resultId);
    assert.deepEqual(unchanged, { kind: 'unchanged', resultId: first.resultId });

    // An incremental edit: `os.system` becomes `print` on line 3.
    await client.change(uri, 2, [
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 9 } }, text: 'print' },
    ]);
    const edited = await client.pull(uri, first.resultId);
    assert.equal(edited.kind, 'full');
    assert.ok(!rules(edited.items).includes('command-execution'), rules(edited.items).join(', '));
    assert.notEqual(edited.resultId, first.resultId);

    // Typed back, one character at a time, in one notification.
    await client.change(uri, 3, [
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } }, text: '' },
      ...[...'os.popen'].map((ch, i) => ({
        range: { start: { line: 2, character: i }, end: { line: 2, character: i } },
        text: ch,
      })),
    ]);
    assert.ok(rules(await client.diagnostics(uri)).includes('command-execution'));

    await client.close(uri);
    assert.deepEqual(await client.diagnostics(uri), [], 'a closed document has no diagnostics');
  });

  it('pushes versioned diagnostics to a client without pull support, and clears them on close', async () => {
    const client = await start({ pull: false });
    assert.equal(client.initializeResult.capabilities.diagnosticProvider, undefined);
    const uri = 'untitled:pushed.py';
    await client.open(uri, 'python', RISKY, 7);
    const pushed = await eventually(
      () => client.published.find((p) => p.uri === uri && p.diagnostics.length > 0),
      'pushed diagnostics',
    );
    assert.equal(pushed.version, 7);
    assert.ok(rules(pushed.diagnostics).includes('command-execution'));
    await client.change(uri, 8, [{ text: 'print("safe")\n' }]);
    await eventually(
      () => client.published.find((p) => p.uri === uri && p.version === 8 && p.diagnostics.length === 0),
      'the pushed diagnostics of version 8 to be empty',
    );
    await client.close(uri);
    await eventually(() => {
      const last = client.published.filter((p) => p.uri === uri).at(-1);
      return last && last.version === undefined && last.diagnostics.length === 0 ? last : undefined;
    }, 'an empty publish on close');
  });

  it('cancels a pull on request while a large file is checked, and keeps answering meanwhile', async () => {
    const client = await start();
    const large = 'untitled:large.py';
    await client.open(large, 'python', largePython(3_000_000));
    const source = new CancellationTokenSource();
    const pending = client.pull(large, undefined, source);
    // The large file is checked off the message loop: a small document is answered in the meantime.
    const small = 'untitled:small.py';
    await client.open(small, 'python', RISKY);
    assert.ok(rules(await client.diagnostics(small)).includes('command-execution'));
    source.cancel();
    await assert.rejects(pending, (error: { code?: number }) => error.code === -32800);
    // A pull that is not cancelled gets the large file's finding.
    const items = await client.diagnostics(large);
    assert.ok(rules(items).includes('command-execution'), rules(items).join(', '));
  });

  it('reports an invalid setting once, keeps the last valid policy, and re-checks when the settings change', async () => {
    let section: unknown = { ruleOverrides: { 'env-access': 'off' } };
    const client = await start({ configuration: () => section });
    const uri = 'untitled:env.py';
    await client.open(uri, 'python', ENV);
    await eventually(() => (client.configurationRequests > 0 ? true : undefined), 'a configuration request');
    assert.deepEqual(rules(await client.diagnostics(uri)), [], 'env-access is off in the settings');

    section = { preset: 'paranoid', ruleOverrides: { 'env-access': 'off' } };
    await client.didChangeConfiguration();
    const message = await eventually(() => client.messages[0], 'a window/showMessage');
    assert.equal(message.type, 2, 'a warning');
    assert.match(message.message, /sandboxPolicy\.preset/);
    assert.match(message.message, /"paranoid"/);
    assert.match(message.message, /strict/, 'it lists the allowed presets');
    assert.match(message.message, /last valid settings stay in force/);
    assert.deepEqual(rules(await client.diagnostics(uri)), [], 'the last valid policy is still in force');

    // The same invalid value again: no second message. Then a valid change takes effect.
    await client.didChangeConfiguration();
    section = { preset: 'production' };
    await client.didChangeConfiguration();
    const deadline = Date.now() + 30_000;
    let now: string[] = [];
    while (Date.now() < deadline && !(now = rules(await client.diagnostics(uri))).includes('env-access'))
      await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(now.includes('env-access'), 'the env-access finding returns under the new settings');
    assert.equal(client.messages.length, 1, client.messages.map((m) => m.message).join('\n'));
  });

  it('takes settings from initializationOptions when the client has no workspace/configuration', async () => {
    const client = await start({
      initializationOptions: { settings: { ruleOverrides: { 'command-execution': 'off' } } },
    });
    const uri = 'untitled:init.py';
    await client.open(uri, 'python', RISKY);
    assert.ok(!rules(await client.diagnostics(uri)).includes('command-execution'));
  });

  it('gives a file over the size limit one informational diagnostic (a 10 MB file)', async () => {
    const client = await start();
    const uri = 'untitled:huge.py';
    await client.open(uri, 'python', largePython(10 * 1024 * 1024));
    const items = await client.diagnostics(uri);
    assert.equal(items.length, 1, rules(items).join(', '));
    assert.equal(items[0].severity, 3, 'Information');
    assert.match(messageOf(items[0]), /over the 5\.0 MB limit/);
    assert.match(messageOf(items[0]), /not known to be safe/);
    // A smaller limit from the settings applies to a small file too.
    const strict = await start({ initializationOptions: { settings: { documentSizeLimitMb: 0.00001 } } });
    await strict.open('untitled:tiny.py', 'python', RISKY);
    const tiny = await strict.diagnostics('untitled:tiny.py');
    assert.equal(tiny.length, 1);
    assert.match(messageOf(tiny[0]), /limit/);
  });

  it('offers the same suppression edits as quick fixes, and the finding goes once applied', async () => {
    const client = await start();
    const uri = 'untitled:fix.py';
    const text = 'import os\ndef f():\n    os.system("a")  # sandbox-policy: ignore[dynamic-code]\n';
    await client.open(uri, 'python', text);
    const diagnostics = (await client.diagnostics(uri)).filter((d) => d.code === 'command-execution');
    assert.equal(diagnostics.length, 1);
    const actions = await client.codeActions(uri, diagnostics);
    assert.deepEqual(
      actions.map((a) => a.title),
      [
        'Suppress command-execution on this line',
        'Suppress command-execution in this file',
        'Show documentation for command-execution',
      ],
    );
    assert.ok(actions.every((a) => a.kind === 'quickfix' && !a.isPreferred));
    const [line, file, docs] = actions;
    assert.deepEqual(line.edit?.changes?.[uri], [
      {
        range: { start: { line: 2, character: 45 }, end: { line: 2, character: 57 } },
        newText: 'dynamic-code, command-execution',
      },
    ]);
    assert.deepEqual(file.edit?.changes?.[uri], [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        newText: '# sandbox-policy: ignore-file[command-execution]\n',
      },
    ]);
    assert.deepEqual(docs.command, {
      title: 'Show documentation for command-execution',
      command: 'sandbox-policy.openRuleDocumentation',
      arguments: ['command-execution'],
    });
    const edit = line.edit!.changes![uri][0];
    await client.change(uri, 2, [{ range: edit.range, text: edit.newText }]);
    assert.ok(!rules(await client.diagnostics(uri)).includes('command-execution'));
  });

  it('with suppression comments off, counts what they waive and offers no comment that would do nothing', async () => {
    const client = await start({ initializationOptions: { settings: { inlineSuppressions: false } } });
    const uri = 'untitled:waived.py';
    await client.open(
      uri,
      'python',
      'import os\nos.system("a")  # sandbox-policy: ignore[command-execution]\n',
    );
    const diagnostics = (await client.diagnostics(uri)).filter((d) => d.code === 'command-execution');
    assert.equal(diagnostics.length, 1);
    const actions = await client.codeActions(uri, diagnostics);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Show documentation for command-execution'],
    );
  });

  it('explains a finding on hover, with the preset, and escapes the code’s text', async () => {
    const client = await start();
    const uri = 'untitled:hover.py';
    await client.open(uri, 'python', 'eval("1 + 1")\n');
    await client.diagnostics(uri);
    const hover = await client.hover(uri, 0, 1);
    const value = (hover?.contents as { kind: string; value: string }).value;
    assert.match(value, /Why it matters/);
    assert.match(value, /`production` preset/);
    assert.match(value, /\/docs\/rules\/dynamic-code\.md\)/);
    assert.equal(await client.hover(uri, 1, 0), null, 'no hover away from a finding');
  });

  describe('project config files', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-policy-lsp-')));
      fs.mkdirSync(path.join(dir, 'pkg', 'sub'), { recursive: true });
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const marker = '[[customPatterns]]\npattern = "zz_marker"\ndescription = "marker"\nseverity = "LOW"\n';

    it('uses the nearest sandbox-policy.toml, which wins over .sandbox-policy.json beside it', async () => {
      fs.writeFileSync(path.join(dir, 'sandbox-policy.toml'), '[rules]\n"env-access" = "off"\n');
      fs.writeFileSync(
        path.join(dir, 'pkg', 'sandbox-policy.toml'),
        `[rules]\n"command-execution" = "off"\n${marker}`,
      );
      fs.writeFileSync(path.join(dir, 'pkg', '.sandbox-policy.json'), JSON.stringify({ preset: 'strict' }));
      const client = await start({ workspaceFolder: dir });
      const text = `${ENV}os.system("x")\nzz_marker = 1\n`;
      const top = fileUri(path.join(dir, 'top.py'));
      const deep = fileUri(path.join(dir, 'pkg', 'sub', 'deep.py'));
      await client.open(top, 'python', text);
      await client.open(deep, 'python', text);
      const atTop = rules(await client.diagnostics(top));
      assert.ok(!atTop.includes('env-access') && atTop.includes('command-execution'), atTop.join());
      const atDeep = rules(await client.diagnostics(deep));
      assert.ok(atDeep.includes('env-access') && !atDeep.includes('command-execution'), atDeep.join());
      assert.ok(atDeep.includes('custom-pattern'), 'the nearest file’s custom pattern applies');
    });

    it('ignores a file’s loosening keys in an untrusted workspace but keeps its custom patterns', async () => {
      fs.writeFileSync(
        path.join(dir, 'sandbox-policy.toml'),
        `preset = "minimal"\n[rules]\n"command-execution" = "off"\n${marker}`,
      );
      const client = await start({
        workspaceFolder: dir,
        initializationOptions: { workspaceTrusted: false },
      });
      const uri = fileUri(path.join(dir, 'a.py'));
      await client.open(uri, 'python', `${RISKY}zz_marker = 1\n`);
      const found = rules(await client.diagnostics(uri));
      assert.ok(found.includes('command-execution'), found.join());
      assert.ok(found.includes('custom-pattern'), found.join());
      // Trust granted: the file counts in full.
      await client.connection.sendNotification('sandboxPolicy/didChangeWorkspaceTrust', { trusted: true });
      assert.ok(!rules(await client.diagnostics(uri)).includes('command-execution'));
    });

    it('reports an invalid config file once by name and checks under the editor settings meanwhile', async () => {
      fs.writeFileSync(path.join(dir, 'sandbox-policy.toml'), 'preset = "paranoid"\n');
      const client = await start({ workspaceFolder: dir });
      const uri = fileUri(path.join(dir, 'a.py'));
      await client.open(uri, 'python', RISKY);
      assert.ok(rules(await client.diagnostics(uri)).includes('command-execution'));
      const message = await eventually(() => client.messages[0], 'a message about the config file');
      assert.match(message.message, /sandbox-policy\.toml/);
      assert.match(message.message, /"paranoid"/);
      await client.diagnostics(uri);
      assert.equal(client.messages.length, 1);
    });
  });

  it('dies with its pending request failing, not hanging, when killed mid-request; a new server starts', async () => {
    const client = await start();
    const uri = 'untitled:big.py';
    await client.open(uri, 'python', largePython(3_000_000));
    const pending = client.pull(uri);
    pending.catch(() => undefined);
    client.kill();
    const { signal } = await client.exit();
    assert.equal(signal, 'SIGKILL');
    // The client sees the stream end (what vscode-languageclient's restart is triggered by), and the
    // request it was waiting for fails rather than waiting forever.
    await eventually(() => (client.connectionClosed ? true : undefined), 'the connection to close');
    client.connection.dispose();
    await assert.rejects(pending);
    const next = await start();
    await next.open(uri, 'python', RISKY);
    assert.ok(rules(await next.diagnostics(uri)).includes('command-execution'));
  });
});
