// `npm run bench`: every area's benchmark in one run, each reporting its figures as ratios against the
// anchor it measures in the same run (Ruff's WASM build, native python3, a bare E2B SDK call).
// `npm run bench -- analysis` (or `-- lsp`) runs only the benchmarks whose title contains the word.
import os from 'node:os';
import * as analysis from './analysis';
import * as e2b from './e2b';
import * as execution from './execution';
import * as lsp from './lsp';

const BENCHES: Array<{ title: string; runBench: (log: (line: string) => void) => Promise<void> }> = [
  { title: 'Policy analysis (anchor: Ruff WASM, select S)', runBench: analysis.runBench },
  {
    title: 'LSP edit latency through the language server (anchor: Ruff WASM full re-check)',
    runBench: lsp.runBench,
  },
  { title: 'Pyodide execution (anchor: native python3)', runBench: (log) => execution.runBench(log) },
  {
    title: 'E2B runner overhead (anchor: bare SDK runCode against the stand-in)',
    runBench: (log) => e2b.runBench(log),
  },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const cpus = os.cpus();
  console.log(
    `# sandbox-policy bench — ${cpus.length} cores, ${cpus[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
  );
  let failed = false;
  for (const bench of BENCHES) {
    if (only.length > 0 && !only.some((word) => bench.title.toLowerCase().includes(word.toLowerCase())))
      continue;
    console.log(`\n## ${bench.title}`);
    try {
      await bench.runBench((line) => console.log(line));
    } catch (error) {
      failed = true;
      console.error(
        `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }
  process.exitCode = failed ? 1 : 0;
}

void main();
