// LSP benchmark: single-character edits sent to the language server (`node dist/cli.js server --stdio`)
// as `didChange` + a diagnostic pull, the latency the client observes per edit, against Ruff's WASM build
// re-checking the whole file after the same edits, in the same run. Also how long the client's own
// thread is busy per edit: in VS Code that thread is the extension host's, which before the server ran
// the engine itself. Files: CPython's _pydecimal.py and pydoc_data/topics.py.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestClient } from '../unit/server/lsp-client';
import { editSequence, stats, stdlibDir, type EditStats } from './analysis';

const EDITS = 300;
const FILES = ['_pydecimal.py', path.join('pydoc_data', 'topics.py')];

interface ServerEdits extends EditStats {
  /** Client CPU time (user + system) per edit, in ms: JSON-RPC encoding and decoding only. */
  clientCpuPerEditMs: number;
  /** Share of wall time the client's event loop was busy during the edits (including its text model). */
  clientLoopUtilization: number;
}

function ruffEdits(file: string, original: string): EditStats {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ruff = require('@astral-sh/ruff-wasm-nodejs') as typeof import('@astral-sh/ruff-wasm-nodejs');
  const workspace = new ruff.Workspace({ lint: { select: ['S'] } }, ruff.PositionEncoding.Utf16);
  let text = original;
  workspace.check(text);
  const times: number[] = [];
  for (const edit of editSequence(original, EDITS)) {
    text =
      edit.insert === null
        ? text.slice(0, edit.offset) + text.slice(edit.offset + 1)
        : text.slice(0, edit.offset) + edit.insert + text.slice(edit.offset);
    const start = performance.now();
    workspace.check(text);
    times.push(performance.now() - start);
  }
  return stats(file, original, times);
}

async function serverEdits(client: TestClient, file: string, original: string): Promise<ServerEdits> {
  const uri = `file://${file}`;
  let document = TextDocument.create(uri, 'python', 1, original);
  await client.open(uri, 'python', original);
  const first = await client.pull(uri);
  let resultId = first.resultId;
  const times: number[] = [];
  let cpuMicros = 0;
  const loopBefore = performance.eventLoopUtilization();
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
    await client.change(uri, version, [change]);
    const report = await client.pull(uri, resultId);
    const cpu = process.cpuUsage(cpu0);
    times.push(performance.now() - t0);
    cpuMicros += cpu.user + cpu.system;
    if (report.kind === 'full') resultId = report.resultId;
  }
  const loop = performance.eventLoopUtilization(loopBefore);
  await client.close(uri);
  return {
    ...stats(file, original, times),
    clientCpuPerEditMs: cpuMicros / 1000 / EDITS,
    clientLoopUtilization: loop.utilization,
  };
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;

export async function runBench(log: (line: string) => void): Promise<void> {
  const root = stdlibDir();
  const files = FILES.map((name) => path.join(root, name)).filter((file) => fs.existsSync(file));
  if (files.length === 0) throw new Error(`neither of ${FILES.join(', ')} is in ${root}`);
  const client = await TestClient.start();
  try {
    log(
      `${EDITS} single-character edits per file (insert, then delete), each sent as didChange + textDocument/diagnostic.`,
    );
    log('');
    log(
      '| file | lines | Ruff p50 | Ruff p95 | server p50 | server p95 | server max | p95 ratio (server / Ruff) | client CPU per edit |',
    );
    log('|---|---|---|---|---|---|---|---|---|');
    for (const file of files) {
      const original = fs.readFileSync(file, 'utf8');
      const ruff = ruffEdits(file, original);
      const ours = await serverEdits(client, file, original);
      log(
        `| ${path.relative(root, file)} | ${ours.lines} | ${ms(ruff.p50)} | ${ms(ruff.p95)} | ${ms(ours.p50)} | ${ms(ours.p95)} | ${ms(ours.max)} | ${(ours.p95 / ruff.p95).toFixed(2)}× | ${ours.clientCpuPerEditMs.toFixed(2)} ms (loop busy ${(ours.clientLoopUtilization * 100).toFixed(0)}%) |`,
      );
    }
    log('');
    log(
      '(Server latency is what the client waits, from sending the change to the pulled diagnostics: IPC, the incremental re-check and serialisation. ' +
        'Ruff re-checks the whole file in process. The client CPU per edit is the thread VS Code’s extension host would spend: message encoding only; the engine runs in the server process.)',
    );
  } finally {
    await client.stop();
  }
}

if (require.main === module) void runBench((line) => console.log(line));
