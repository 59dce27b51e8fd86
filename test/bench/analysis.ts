// Analysis benchmark: the policy engine against Ruff's WASM build (`select: ["S"]`, flake8-bandit) on the
// CPython standard library found through python3, in the same run; then the whole `sandbox-policy check`
// process on a copy of it (one thread, every core, a cold and a warm cache); then an edit benchmark on the
// largest file: our incremental re-check after single-character edits against Ruff re-checking the whole file.
//
// Each engine runs in its own child process so that its peak RSS is its own. Run alone with
//   npm run compile-tests && node out/test/bench/analysis.js
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Engine = 'ruff' | 'ours';

export interface EditStats {
  file: string;
  lines: number;
  edits: number;
  p50: number;
  p95: number;
  max: number;
}

interface WorkerResult {
  engine: Engine;
  version: string;
  startupMs: number;
  coldMs: number;
  warmMs: number;
  /** Ours only: the warm pass's time spent in tree-sitter parsing alone. */
  parseMs?: number;
  findings: number;
  violations?: number;
  files: number;
  peakRssMb: number;
  edits: EditStats[];
}

const EDITS = 300;

export function stdlibDir(): string {
  return execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], {
    encoding: 'utf8',
  }).trim();
}

/** Every .py file of the standard library (site-packages excluded: third-party code), sorted. */
function stdlibFiles(root: string): string[] {
  const out: string[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'site-packages' && entry.name !== '__pycache__') stack.push(full);
      } else if (entry.isFile() && entry.name.endsWith('.py')) out.push(full);
    }
  }
  return out.sort();
}

function readTexts(files: string[]): Array<{ file: string; text: string }> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const out: Array<{ file: string; text: string }> = [];
  for (const file of files) {
    try {
      out.push({ file, text: decoder.decode(fs.readFileSync(file)) });
    } catch {
      // not UTF-8 (a few test files on purpose): both engines skip it
    }
  }
  return out;
}

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** A deterministic generator, so both engines see the same edits. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Edits alternate: insert one character at a random place, then delete it (the file stays mostly valid). */
export function editSequence(text: string, count: number): Array<{ offset: number; insert: string | null }> {
  const next = random(2024);
  const chars = 'abcxyz_0( )."\n:';
  const out: Array<{ offset: number; insert: string | null }> = [];
  for (let i = 0; i < count; i += 2) {
    const offset = Math.floor(next() * text.length);
    out.push({ offset, insert: chars[Math.floor(next() * chars.length)] }, { offset, insert: null });
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function stats(file: string, text: string, times: number[]): EditStats {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    file,
    lines: lineCount(text),
    edits: times.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1],
  };
}

async function runWorker(engine: Engine, listFile: string, editFiles: string[]): Promise<WorkerResult> {
  const texts = readTexts(JSON.parse(fs.readFileSync(listFile, 'utf8')) as string[]);
  const t0 = performance.now();
  if (engine === 'ruff') {
    // Loaded lazily (require, not import) so that each worker holds only its own engine in memory.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ruff = require('@astral-sh/ruff-wasm-nodejs') as typeof import('@astral-sh/ruff-wasm-nodejs');
    const workspace = new ruff.Workspace({ lint: { select: ['S'] } }, ruff.PositionEncoding.Utf16);
    const startupMs = performance.now() - t0;
    const pass = (): [number, number] => {
      const start = performance.now();
      let findings = 0;
      for (const { text } of texts) findings += (workspace.check(text) as unknown[]).length;
      return [performance.now() - start, findings];
    };
    const [coldMs] = pass();
    const [warmMs, findings] = pass();
    const edits = editFiles.map((file) => {
      const original = fs.readFileSync(file, 'utf8');
      let text = original;
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
    });
    return {
      engine,
      version: `Ruff ${ruff.Workspace.version()} (WASM, select S)`,
      startupMs,
      coldMs,
      warmMs,
      findings,
      files: texts.length,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      edits,
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PolicyEngine, resolvePolicy } = require('../../src/policy') as typeof import('../../src/policy');
  const policyEngine = await PolicyEngine.create();
  const policy = resolvePolicy({});
  const startupMs = performance.now() - t0;
  const pass = (): [number, number, number] => {
    const start = performance.now();
    let findings = 0;
    let violations = 0;
    for (const { text } of texts) {
      for (const finding of policyEngine.analyze(text, 'python', policy).findings) {
        findings++;
        if (finding.violation) violations++;
      }
    }
    return [performance.now() - start, findings, violations];
  };
  const [coldMs] = pass();
  const [warmMs, findings, violations] = pass();
  // Where the time goes: the same files, parsed only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Parser, Language } = require('web-tree-sitter') as typeof import('web-tree-sitter');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { grammarWasm } = require('../../src/assets') as typeof import('../../src/assets');
  const parser = new Parser();
  parser.setLanguage(await Language.load(grammarWasm('python')));
  const parseStart = performance.now();
  for (const { text } of texts) parser.parse(text)?.delete();
  const parseMs = performance.now() - parseStart;
  parser.delete();
  const edits = editFiles.map((file) => {
    const original = fs.readFileSync(file, 'utf8');
    let text = original;
    const docId = `bench://${file}`;
    policyEngine.update(docId, text, 'python', policy);
    const times: number[] = [];
    for (const edit of editSequence(original, EDITS)) {
      const change =
        edit.insert === null
          ? { rangeOffset: edit.offset, rangeLength: 1, text: '' }
          : { rangeOffset: edit.offset, rangeLength: 0, text: edit.insert };
      text =
        text.slice(0, change.rangeOffset) + change.text + text.slice(change.rangeOffset + change.rangeLength);
      const start = performance.now();
      policyEngine.update(docId, text, 'python', policy, [change]);
      times.push(performance.now() - start);
    }
    policyEngine.close(docId);
    return stats(file, original, times);
  });
  return {
    engine,
    version: 'sandbox-policy (production preset)',
    startupMs,
    coldMs,
    warmMs,
    parseMs,
    findings,
    violations,
    files: texts.length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    edits,
  };
}

interface CliRun {
  label: string;
  wallMs: number;
  /** User + system CPU of the whole process, worker threads included: what a busy machine inflates least. */
  cpuMs: number;
  peakRssMb: number;
  files: number;
  /** The JSON report, to check that every configuration reports the same. */
  report: string;
}

/** Copies the stdlib files into a fresh directory, so the cache and the .gitignore of pyenv play no part. */
function copyTree(root: string, files: string[]): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-policy-bench-stdlib-'));
  for (const file of files) {
    const target = path.join(copy, path.relative(root, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
  }
  return copy;
}

/**
 * One whole `node dist/cli.js check` process (start-up, grammars, walk, analysis, output), timed from the
 * outside; its peak RSS (worker threads included: they share the process) comes from a preloaded hook.
 */
function runCli(label: string, dir: string, args: string[]): CliRun {
  const cli = path.resolve(__dirname, '../../../dist/cli.js');
  const hook = path.join(os.tmpdir(), `sandbox-policy-bench-rss-${process.pid}.js`);
  fs.writeFileSync(
    hook,
    "process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('\\npeak-rss-kb=' + u.maxRSS + ' cpu-us=' + (u.userCPUTime + u.systemCPUTime) + '\\n'); });\n",
  );
  const start = performance.now();
  const child = spawnSync(process.execPath, ['-r', hook, cli, 'check', '--format', 'json', ...args, '.'], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallMs = performance.now() - start;
  fs.rmSync(hook, { force: true });
  if (child.status !== 0 && child.status !== 1)
    throw new Error(`sandbox-policy check ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  const rss = /peak-rss-kb=(\d+) cpu-us=(\d+)/.exec(child.stderr);
  const report = child.stdout;
  return {
    label,
    wallMs,
    peakRssMb: rss ? Number(rss[1]) / 1024 : NaN,
    cpuMs: rss ? Number(rss[2]) / 1000 : NaN,
    files: (JSON.parse(report) as { files: unknown[] }).files.length,
    report,
  };
}

function spawnWorker(engine: Engine, listFile: string, editFiles: string[]): WorkerResult {
  const output = execFileSync(process.execPath, [__filename, '--worker', engine, listFile, ...editFiles], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output.trim().split('\n').pop()!) as WorkerResult;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const ratio = (ours: number, ruff: number): string => `${(ours / ruff).toFixed(2)}×`;
const thousands = (n: number): string => Math.round(n).toLocaleString('en-US');

export async function runBench(log: (line: string) => void): Promise<void> {
  const root = stdlibDir();
  const files = stdlibFiles(root);
  const texts = readTexts(files);
  const lines = texts.reduce((sum, t) => sum + lineCount(t.text), 0);
  const chars = texts.reduce((sum, t) => sum + t.text.length, 0);
  const largest = texts.reduce((a, b) => (lineCount(b.text) > lineCount(a.text) ? b : a));
  // The aim names a ~6,000-line file; the stdlib's _pydecimal.py is one (6.4k lines).
  const decimal = texts.find((t) => t.file.endsWith(`${path.sep}_pydecimal.py`));
  const editFiles = [largest.file, ...(decimal && decimal.file !== largest.file ? [decimal.file] : [])];
  const listFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-policy-bench-')), 'files.json');
  fs.writeFileSync(listFile, JSON.stringify(texts.map((t) => t.file)));
  log(
    `CPython stdlib ${root}: ${thousands(texts.length)} files, ${thousands(lines)} lines, ${(chars / 1e6).toFixed(1)} M characters` +
      ` (${files.length - texts.length} non-UTF-8 files skipped by both)`,
  );
  const ruff = spawnWorker('ruff', listFile, editFiles);
  const ours = spawnWorker('ours', listFile, editFiles);
  fs.rmSync(path.dirname(listFile), { recursive: true, force: true });

  const copy = copyTree(root, files);
  const cores = os.availableParallelism();
  const cacheDir = path.join(copy, '.bench-cache');
  let cliRuns: CliRun[];
  try {
    cliRuns = [
      runCli('--threads 1 --no-cache', copy, ['--threads', '1', '--no-cache']),
      runCli(`all cores (${cores}), --no-cache`, copy, ['--no-cache']),
      runCli(`all cores (${cores}), first run filling the cache`, copy, ['--cache-dir', cacheDir]),
      runCli(`all cores (${cores}), warm cache`, copy, ['--cache-dir', cacheDir]),
    ];
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }

  log('');
  log('| engine | startup | first pass | warm pass | lines/s (warm) | findings | peak RSS |');
  log('|---|---|---|---|---|---|---|');
  for (const r of [ruff, ours]) {
    const found =
      r.violations !== undefined
        ? `${thousands(r.findings)} (${thousands(r.violations)} violations)`
        : thousands(r.findings);
    log(
      `| ${r.version} | ${Math.round(r.startupMs)} ms | ${seconds(r.coldMs)} | ${seconds(r.warmMs)} | ${thousands(
        lines / (r.warmMs / 1000),
      )} | ${found} | ${Math.round(r.peakRssMb)} MB |`,
    );
  }
  log(
    `| ratio (ours / Ruff) | ${ratio(ours.startupMs, ruff.startupMs)} | ${ratio(ours.coldMs, ruff.coldMs)} | ${ratio(
      ours.warmMs,
      ruff.warmMs,
    )} | ${ratio(ruff.warmMs, ours.warmMs)} | | ${ratio(ours.peakRssMb, ruff.peakRssMb)} |`,
  );
  if (ours.parseMs !== undefined) {
    log('');
    log(
      `Our warm pass: tree-sitter parsing alone takes ${seconds(ours.parseMs)} (${Math.round(
        (100 * ours.parseMs) / ours.warmMs,
      )}% of it, ${ratio(ours.parseMs, ruff.warmMs)} Ruff's whole warm pass); analysis and policy ${seconds(
        Math.max(0, ours.warmMs - ours.parseMs),
      )}.`,
    );
  }
  log('');
  log(
    `The whole \`sandbox-policy check <stdlib copy>\` process (${thousands(files.length)} .py files: start-up, grammars, walk, analysis, JSON output), against Ruff's warm in-process pass:`,
  );
  log('| run | wall time | vs Ruff warm pass | CPU time (all threads) | files | peak RSS |');
  log('|---|---|---|---|---|---|');
  for (const run of cliRuns) {
    log(
      `| ${run.label} | ${seconds(run.wallMs)} | ${ratio(run.wallMs, ruff.warmMs)} | ${seconds(run.cpuMs)} | ${thousands(run.files)} | ${Math.round(
        run.peakRssMb,
      )} MB |`,
    );
  }
  const differing = cliRuns.filter((run) => run.report !== cliRuns[0].report).map((run) => run.label);
  log(
    differing.length === 0
      ? 'Every configuration printed the same JSON report.'
      : `WARNING: these reports differ from the first one: ${differing.join(', ')}`,
  );
  log(
    `Aims: all cores ≤ 2×, in-process single thread ≤ 3× (above: ${ratio(ours.warmMs, ruff.warmMs)}), warm cache ≤ 0.2×.`,
  );
  log('');
  log(`Edit benchmark: ${EDITS} single-character edits at random places (insert, then delete), per edit:`);
  log('| file | lines | Ruff p50 | Ruff p95 | ours p50 | ours p95 | ours max | p50 ratio | p95 ratio |');
  log('|---|---|---|---|---|---|---|---|---|');
  for (let i = 0; i < ours.edits.length; i++) {
    const a = ruff.edits[i];
    const b = ours.edits[i];
    log(
      `| ${path.relative(root, b.file)} | ${thousands(b.lines)} | ${a.p50.toFixed(1)} ms | ${a.p95.toFixed(1)} ms | ${b.p50.toFixed(
        1,
      )} ms | ${b.p95.toFixed(1)} ms | ${b.max.toFixed(1)} ms | ${ratio(b.p50, a.p50)} | ${ratio(b.p95, a.p95)} |`,
    );
  }
  log(
    '(Ruff re-checks the whole file each time; ours edits the tree, re-parses incrementally and re-checks what the edit can affect.)',
  );
}

if (require.main === module) {
  const [flag, engine, listFile, ...editFiles] = process.argv.slice(2);
  if (flag === '--worker') {
    runWorker(engine as Engine, listFile, editFiles).then(
      (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
      },
    );
  } else {
    runBench((line) => console.log(line)).catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
  }
}
