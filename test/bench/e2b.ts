// E2B runner overhead: what our layers (input check, limits with a persistent store, upload of the
// script, the bootstrap cell, event streaming, kill and settlement) add over a bare SDK cycle
// (Sandbox.create → runCode → kill) against the loopback stand-in, measured in the same run.
// Both sides pay the same stand-in costs (python3 start-up, HTTP on loopback), so the difference is ours.
//   node out/test/bench/e2b.js [iterations]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Sandbox } from '@e2b/code-interpreter';
import { createE2BRunner } from '../../src/sandbox/e2b';
import { JsonFileStore, MemoryStore, type KeyValueStore } from '../../src/sandbox/limits';
import type { RunLimits } from '../../src/sandbox/run-types';
import { startStandin } from '../e2b-standin/server';

const KEY = 'e2b_bench-key-not-a-secret';
const CODE = "print('hello')";
const LIMITS: RunLimits = {
  timeoutMs: 30_000,
  memoryMb: 512,
  maxOutputBytes: 1_000_000,
  maxCodeBytes: 1_000_000,
};
const GENEROUS = {
  burstCreations: 1000,
  hourlyCreations: 100_000,
  dailyCreations: 1_000_000,
  maxConcurrentSandboxes: 100,
  dailyBudgetUsd: 100_000,
};

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function summary(values: number[]): string {
  return `median ${quantile(values, 0.5).toFixed(1)} ms, p90 ${quantile(values, 0.9).toFixed(1)} ms`;
}

export async function runBench(log: (line: string) => void, iterations = 20): Promise<void> {
  // With python3 running each cell (what a user sees), then with the stand-in's instant kernel, which
  // takes python3's start-up out of both sides so that only the client-side difference remains.
  log('stand-in kernel: python3 (realistic; python3 start-up dominates)');
  await benchOnce(log, iterations, 'python');
  log('stand-in kernel: instant (canned reply; isolates the client-side cost)');
  await benchOnce(log, iterations * 3, 'instant');
}

async function benchOnce(
  log: (line: string) => void,
  iterations: number,
  kernel: 'python' | 'instant',
): Promise<void> {
  const standin = await startStandin({ apiKey: KEY, kernel });
  const connection = { apiKey: KEY, ...standin.connection(), debug: false, retries: 0 };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2b-bench-'));
  const stores: Array<[string, KeyValueStore]> = [
    ['memory store', new MemoryStore()],
    ['JSON-file store (CLI)', new JsonFileStore(path.join(dir, 'limits.json'))],
  ];
  const runners = stores.map(([label, store]) => ({
    label,
    runner: createE2BRunner({ apiKey: KEY, store, settings: GENEROUS, ...standin.connection(), env: {} }),
  }));

  const bare = async (): Promise<number> => {
    const started = performance.now();
    const sandbox = await Sandbox.create({ ...connection, timeoutMs: 60_000 });
    const execution = await sandbox.runCode(CODE);
    await sandbox.kill();
    if (execution.logs.stdout.join('') !== 'hello\n') throw new Error('bare SDK run printed the wrong thing');
    return performance.now() - started;
  };
  const bareRunCodeOnly = async (): Promise<number> => {
    const sandbox = await Sandbox.create({ ...connection, timeoutMs: 60_000 });
    const started = performance.now();
    await sandbox.runCode(CODE);
    const elapsed = performance.now() - started;
    await sandbox.kill();
    return elapsed;
  };
  const ours = async (runner: (typeof runners)[number]['runner']): Promise<number> => {
    const started = performance.now();
    const result = await runner.run({
      code: CODE,
      filename: 'bench.py',
      limits: LIMITS,
      onEvent: () => undefined,
    });
    if (result.status !== 'ok' || result.stdout !== 'hello\n') throw new Error(`runner: ${result.status}`);
    return performance.now() - started;
  };

  try {
    // Warm-up: SDK module load, undici pools, python3 page cache.
    await bare();
    for (const { runner } of runners) await ours(runner);

    const bareTimes: number[] = [];
    const runCodeTimes: number[] = [];
    const ourTimes = runners.map(() => [] as number[]);
    for (let i = 0; i < iterations; i++) {
      // Interleaved, so that machine noise falls on both sides alike.
      bareTimes.push(await bare());
      runCodeTimes.push(await bareRunCodeOnly());
      for (const [index, { runner }] of runners.entries()) ourTimes[index].push(await ours(runner));
    }
    const anchor = quantile(bareTimes, 0.5);
    log(`  iterations: ${iterations}, program: ${CODE}`);
    log(`  anchor — bare SDK create + runCode + kill: ${summary(bareTimes)}`);
    log(`          (of which runCode alone: ${summary(runCodeTimes)})`);
    for (const [index, { label }] of runners.entries()) {
      const median = quantile(ourTimes[index], 0.5);
      log(
        `  E2B runner, ${label}: ${summary(ourTimes[index])} — ` +
          `${median >= anchor ? '+' : ''}${(median - anchor).toFixed(1)} ms over the bare SDK, ratio ${(median / anchor).toFixed(2)}×`,
      );
    }
    if (standin.liveSandboxes !== 0) throw new Error(`${standin.liveSandboxes} sandboxes left alive`);
  } finally {
    for (const { runner } of runners) await runner.dispose();
    await standin.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const iterations = Number(process.argv[2] ?? 20);
  runBench(
    (line) => console.log(line),
    Number.isInteger(iterations) && iterations > 0 ? iterations : 20,
  ).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
