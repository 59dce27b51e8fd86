// `npm run bench`: every area's benchmark in one run, each reporting its figures as ratios against the
// anchor it measures in the same run (Ruff's WASM build, native python3, a bare E2B SDK call).
import os from 'node:os';

interface BenchModule {
  runBench(log: (line: string) => void): Promise<void>;
}

const BENCHES: Array<{ title: string; load: () => BenchModule }> = [
  { title: 'Policy analysis (anchor: Ruff WASM, select S)', load: () => require('./analysis') },
  { title: 'Pyodide execution (anchor: native python3)', load: () => require('./execution') },
  {
    title: 'E2B runner overhead (anchor: bare SDK runCode against the stand-in)',
    load: () => require('./e2b'),
  },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  console.log(
    `# sandbox-policy bench — ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
  );
  let failed = false;
  for (const bench of BENCHES) {
    if (only.length > 0 && !only.some((word) => bench.title.toLowerCase().includes(word.toLowerCase())))
      continue;
    console.log(`\n## ${bench.title}`);
    try {
      await bench.load().runBench((line) => console.log(line));
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
