// LSP benchmark: single-character edits sent to the language server (`node dist/cli.js server --stdio`)
// as `didChange` + a diagnostic pull, the latency the client observes per edit, against Ruff's WASM build
// re-checking the whole file after the same edits, in the same run. The same edits through the engine in
// this process (what the extension host did before the server) show where the server's time goes: the
// engine's incremental re-check, or the protocol around it. And how long the client's own thread is busy
// per edit: in VS Code that thread is the extension host's, the thread vscode-languageclient runs on.
// Files: CPython's _pydecimal.py and pydoc_data/topics.py.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PolicyEngine, resolvePolicy, type TextEdit } from '../../src/policy';
import { TestClient } from '../unit/server/lsp-client';
import { editSequence, stats, stdlibDir, type EditStats } from './analysis';

const EDITS = 300;
const FILES = ['_pydecimal.py', path.join('pydoc_data', 'topics.py')];

interface ServerEdits extends EditStats {
  /** The client thread's busy time per edit (event-loop active time while the edit is sent and answered). */
  clientBusyMeanMs: number;
  clientBusyMaxMs: number;
  /** Client process CPU time (user + system, all its threads) per edit: JSON-RPC encoding and decoding. */
  clientCpuPerEditMs: number;
}

type Edit = ReturnType<typeof editSequence>[number];

function applyEdit(text: string, edit: Edit): string {
  return edit.insert === null
    ? text.slice(0, edit.offset) + text.slice(edit.offset + 1)
    : text.slice(0, edit.offset) + edit.insert + text.slice(edit.offset);
}

function ruffEdits(file: string, original: string): EditStats {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ruff = require('@astral-sh/ruff-wasm-nodejs') as typeof import('@astral-sh/ruff-wasm-nodejs');
  const workspace = new ruff.Workspace({ lint: { select: ['S'] } }, ruff.PositionEncoding.Utf16);
  let text = original;
  workspace.check(text);
  const times: number[] = [];
  for (const edit of editSequence(original, EDITS)) {
    text = applyEdit(text, edit);
    const start = performance.now();
    workspace.check(text);
    times.push(performance.now() - start);
  }
  return stats(file, original, times);
}

/** The same edits through the engine in this process, as the server's checker hands them to it. */
async function inProcessEdits(file: string, original: string): Promise<EditStats & { mean: number }> {
  const engine = await PolicyEngine.create();
  try {
    const policy = resolvePolicy({});
    let text = original;
    engine.update(file, text, 'python', policy);
    const times: number[] = [];
    for (const edit of editSequence(original, EDITS)) {
      const change: TextEdit =
        edit.insert === null
          ? { rangeOffset: edit.offset, rangeLength: 1, text: '' }
          : { rangeOffset: edit.offset, rangeLength: 0, text: edit.insert };
      text = applyEdit(text, edit);
      const start = performance.now();
      engine.update(file, text, 'python', policy, [change]);
      times.push(performance.now() - start);
    }
    return { ...stats(file, original, times), mean: times.reduce((a, b) => a + b, 0) / times.length };
  } finally {
    engine.dispose();
  }
}

async function serverEdits(client: TestClient, file: string, original: string): Promise<ServerEdits> {
  const uri = `file://${file}`;
  let document = TextDocument.create(uri, 'python', 1, original);
  await client.open(uri, 'python', original);
  const first = await client.pull(uri);
  let resultId = first.resultId;
  const times: number[] = [];
  const busy: number[] = [];
  let cpuMicros = 0;
  for (const edit of editSequence(original, EDITS)) {
    const start = document.positionAt(edit.offset);
    const change =
      edit.insert === null
        ? { range: { start, end: document.positionAt(edit.offset + 1) }, text: '' }
        : { range: { start, end: start }, text: edit.insert };
    const version = document.version + 1;
    document = TextDocument.update(document, [change], version);
    // Only the protocol traffic is timed: the client's own copy of the text (the editor's text model in
    // VS Code) is updated before.
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const loop0 = performance.eventLoopUtilization();
    await client.change(uri, version, [change]);
    const report = await client.pull(uri, resultId);
    const loop = performance.eventLoopUtilization(loop0);
    const cpu = process.cpuUsage(cpu0);
    times.push(performance.now() - t0);
    busy.push(loop.active);
    cpuMicros += cpu.user + cpu.system;
    if (report.kind === 'full') resultId = report.resultId;
  }
  await client.close(uri);
  return {
    ...stats(file, original, times),
    clientBusyMeanMs: busy.reduce((a, b) => a + b, 0) / busy.length,
    clientBusyMaxMs: Math.max(...busy),
    clientCpuPerEditMs: cpuMicros / 1000 / EDITS,
  };
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;
const ratio = (ours: number, anchor: number): string => `${(ours / anchor).toFixed(2)}×`;

export async function runBench(log: (line: string) => void): Promise<void> {
  const root = stdlibDir();
  const files = FILES.map((name) => path.join(root, name)).filter((file) => fs.existsSync(file));
  if (files.length === 0) throw new Error(`neither of ${FILES.join(', ')} is in ${root}`);
  const client = await TestClient.start();
  const rows: Array<{
    name: string;
    ruff: EditStats;
    ours: ServerEdits;
    local: EditStats & { mean: number };
  }> = [];
  try {
    for (const file of files) {
      const original = fs.readFileSync(file, 'utf8');
      rows.push({
        name: path.relative(root, file),
        ruff: ruffEdits(file, original),
        ours: await serverEdits(client, file, original),
        local: await inProcessEdits(file, original),
      });
    }
  } finally {
    await client.stop();
  }
  log(
    `${EDITS} single-character edits per file (insert, then delete), each sent as didChange + textDocument/diagnostic; ` +
      'the same edits re-checked by Ruff (whole file) and by the engine in this process (incremental).',
  );
  log('');
  log('| file | lines | | p50 | p95 | max |');
  log('|---|---|---|---|---|---|');
  for (const { name, ruff, ours, local } of rows) {
    log(
      `| ${name} | ${ours.lines} | Ruff full re-check | ${ms(ruff.p50)} | ${ms(ruff.p95)} | ${ms(ruff.max)} |`,
    );
    log(`| | | server (client-observed) | ${ms(ours.p50)} | ${ms(ours.p95)} | ${ms(ours.max)} |`);
    log(
      `| | | server / Ruff | ${ratio(ours.p50, ruff.p50)} | ${ratio(ours.p95, ruff.p95)} | ${ratio(ours.max, ruff.max)} |`,
    );
    log(`| | | engine in process | ${ms(local.p50)} | ${ms(local.p95)} | ${ms(local.max)} |`);
  }
  log('');
  log(
    'Extension host thread per edit (the client’s thread; before the server, the engine in process above ran on it):',
  );
  log('');
  log('| file | busy, mean | busy, max | client CPU | engine in process, mean (before) |');
  log('|---|---|---|---|---|');
  for (const { name, ours, local } of rows) {
    log(
      `| ${name} | ${ms(ours.clientBusyMeanMs)} | ${ms(ours.clientBusyMaxMs)} | ${ms(ours.clientCpuPerEditMs)} | ${ms(local.mean)} |`,
    );
  }
  log('');
  log(
    '(Server latency is what the client waits, from sending the change to the pulled diagnostics: IPC, the incremental ' +
      're-check and serialisation; the engine-in-process row is the re-check alone. Busy is the client’s event-loop ' +
      'active time while an edit is sent and answered, i.e. JSON-RPC encoding and decoding: vscode-languageclient ' +
      'adds its conversion of the diagnostics to vscode.Diagnostic, which this client does not do.)',
  );
}

if (require.main === module) void runBench((line) => console.log(line));
