// Pyodide execution: start-up (cold, from the snapshot, from the warm spare), the overhead of a run,
// how fast an interrupt lands, and pure-Python throughput, each against native python3 measured in the
// same run (its start-up, its SIGINT latency, the same script).
//   node out/test/bench/execution.js [iterations] [cli]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createPyodideRunner, type IsolationMode } from '../../src/sandbox/pyodide';
import { DEFAULT_LIMITS, type RunLimits, type RunResult } from '../../src/sandbox/run-types';

const LIMITS: RunLimits = { ...DEFAULT_LIMITS, timeoutMs: 120_000 };

/** CPU-bound pure Python: arithmetic, function calls, dicts, strings, list sorting. Prints its own time. */
const WORKLOAD = `import time
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
def work():
    total = fib(24)
    counts = {}
    for i in range(200_000):
        key = "k" + str(i % 1000)
        counts[key] = counts.get(key, 0) + i
    words = sorted(str(i * 7919 % 100_003) for i in range(100_000))
    return total + len(counts) + len(words[0])
start = time.perf_counter()
work()
print(f"{(time.perf_counter() - start) * 1000:.1f}")
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;
const ratio = (value: number, anchor: number): string => {
  const r = value / anchor;
  return `${r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toFixed(2)}× python3`;
};

function python3Available(): boolean {
  return spawnSync('python3', ['-c', 'pass']).status === 0;
}

function python3Startup(iterations: number): number {
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    spawnSync('python3', ['-c', 'pass']);
    times.push(performance.now() - started);
  }
  return median(times);
}

function python3Workload(iterations: number): number {
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const result = spawnSync('python3', ['-c', WORKLOAD], { encoding: 'utf8' });
    times.push(Number(result.stdout.trim()));
  }
  return median(times);
}

/** From SIGINT to exit for a python3 busy loop (its KeyboardInterrupt path). */
async function python3InterruptLatency(iterations: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const child = spawn('python3', ['-c', 'import sys\nprint("ready", flush=True)\nwhile True:\n    pass'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const started = performance.now();
    child.kill('SIGINT');
    await new Promise<void>((resolve) => child.once('exit', () => resolve()));
    times.push(performance.now() - started);
  }
  return median(times);
}

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const SMALL_SCRIPT = 'import sys\nprint("hello", sum(range(10)), sys.version_info[0])\n';

function timedSpawn(command: string, args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(command, args, { env, encoding: 'utf8' });
  const elapsed = performance.now() - started;
  if (result.status !== 0 || !result.stdout.startsWith('hello 45 3')) {
    throw new Error(
      `bench: ${command} ${args.join(' ')} failed: ${result.status} ${result.stderr.slice(0, 500)}`,
    );
  }
  return elapsed;
}

/**
 * CPU milliseconds used so far by this process's children that have been waited for (Linux, from
 * /proc/self/stat; undefined elsewhere). A child's own waited-for children count too, so a CLI run
 * counts with its sandbox process, except inside bubblewrap (killed there, it is never waited for).
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10; // cutime + cstime, in 1/100 s
  } catch {
    return undefined;
  }
}

/** CPU of one spawnSync'd command and its children, or undefined where it cannot be read. */
function cpuOf(run: () => void): number | undefined {
  const before = childrenCpuMs();
  run();
  const after = childrenCpuMs();
  return before === undefined || after === undefined ? undefined : after - before;
}

/**
 * `sandbox-policy run small.py` as a user types it (a new Node process, the policy gate, a sandbox
 * process, the run), with the snapshot cache warm and empty, against `python3 small.py`.
 */
function benchCli(log: (line: string) => void, iterations: number): void {
  if (!fs.existsSync(CLI)) {
    log(`  (no ${CLI}: run npm run build first; CLI runs not measured)`);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-bench-cli-'));
  try {
    const script = path.join(dir, 'small.py');
    fs.writeFileSync(script, SMALL_SCRIPT);
    const env = { ...process.env, XDG_CACHE_HOME: path.join(dir, 'cache') };
    const python: number[] = [];
    const warm: number[] = [];
    const empty: number[] = [];
    // CPU, which a busy machine inflates far less than wall time (the sandbox process counted: no bubblewrap).
    const pythonCpu: number[] = [];
    const warmCpu: number[] = [];
    timedSpawn(process.execPath, [CLI, 'run', script], env); // fills the cache
    for (let i = 0; i < iterations; i++) {
      python.push(timedSpawn('python3', [script], process.env));
      warm.push(timedSpawn(process.execPath, [CLI, 'run', script], env));
      const py = cpuOf(() => timedSpawn('python3', [script], process.env));
      const cli = cpuOf(() => timedSpawn(process.execPath, [CLI, 'run', '--os-sandbox', 'off', script], env));
      if (py !== undefined && cli !== undefined) {
        pythonCpu.push(py);
        warmCpu.push(cli);
      }
    }
    for (let i = 0; i < Math.max(2, Math.ceil(iterations / 3)); i++) {
      fs.rmSync(env.XDG_CACHE_HOME, { recursive: true, force: true });
      empty.push(timedSpawn(process.execPath, [CLI, 'run', script], env));
    }
    const anchor = median(python);
    log(`  python3 small.py: ${ms(anchor)}`);
    log(
      `  sandbox-policy run small.py, snapshot cache warm: ${ms(median(warm))} (${ratio(median(warm), anchor)})`,
    );
    if (warmCpu.length > 0) {
      log(
        `  CPU of the process tree, snapshot cache warm (--os-sandbox off): ${ms(median(warmCpu))} vs python3 ${ms(median(pythonCpu))} (${ratio(median(warmCpu), median(pythonCpu))})`,
      );
    }
    log(
      `  sandbox-policy run small.py, snapshot cache empty: ${ms(median(empty))} (${ratio(median(empty), anchor)})`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function timed(run: () => Promise<RunResult>): Promise<{ elapsed: number; result: RunResult }> {
  const started = performance.now();
  const result = await run();
  const elapsed = performance.now() - started;
  if (result.status !== 'ok' && result.status !== 'timeout') {
    throw new Error(`bench run failed: ${result.status} ${result.error?.name}: ${result.error?.value}`);
  }
  return { elapsed, result };
}

async function benchMode(
  log: (line: string) => void,
  isolation: IsolationMode,
  iterations: number,
  anchors: { startup: number; interrupt: number; workload: number },
): Promise<void> {
  log(`isolation: ${isolation}`);

  // Cold: a runner with no spare and no snapshot boots Pyodide from scratch for its one run (the CLI).
  const cold: number[] = [];
  for (let i = 0; i < Math.max(2, Math.ceil(iterations / 3)); i++) {
    const runner = createPyodideRunner({ isolation, warmSpare: false });
    cold.push((await timed(() => runner.run({ code: 'pass', filename: 'cold.py', limits: LIMITS }))).elapsed);
    await runner.dispose();
  }
  log(
    `  cold start + trivial run (no spare, no snapshot): ${ms(median(cold))} (${ratio(median(cold), anchors.startup)} start-up)`,
  );

  // The first run of a long-lived runner: the snapshot is made once, then every interpreter restores it.
  const runner = createPyodideRunner({ isolation });
  const first = performance.now();
  await runner.whenSpareReady();
  log(`  first spare ready (snapshot made, then restored): ${ms(performance.now() - first)}`);

  // Restoring the snapshot, measured by a run that has to wait for its interpreter.
  const restore: number[] = [];
  const snapshotRunner = createPyodideRunner({ isolation, warmSpare: false, snapshots: true });
  await snapshotRunner.run({ code: 'pass', filename: 'prime.py', limits: LIMITS }); // makes the snapshot
  for (let i = 0; i < iterations; i++) {
    restore.push(
      (await timed(() => snapshotRunner.run({ code: 'pass', filename: 'restore.py', limits: LIMITS })))
        .elapsed,
    );
  }
  await snapshotRunner.dispose();
  log(
    `  start from the snapshot + trivial run (no spare): ${ms(median(restore))} (${ratio(median(restore), anchors.startup)} start-up)`,
  );

  // Warm spare: the interpreter is already booted when run() is called.
  const warm: number[] = [];
  const program: number[] = [];
  for (let i = 0; i < iterations; i++) {
    await runner.whenSpareReady();
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the spare's background compilation settle
    const { elapsed, result } = await timed(() =>
      runner.run({ code: 'pass', filename: 'warm.py', limits: LIMITS }),
    );
    warm.push(elapsed);
    program.push(result.durationMs);
  }
  log(
    `  warm-spare start + trivial run (end to end): ${ms(median(warm))} (${ratio(median(warm), anchors.startup)} start-up)`,
  );
  log(
    `  run overhead of a trivial script (program time: message in, outcome out): ${ms(median(program))} (${ratio(median(program), anchors.startup)} start-up)`,
  );

  // Interrupt latency: from the time limit to the run's result, for a busy loop that obeys KeyboardInterrupt.
  const latency: number[] = [];
  const limit = 1000;
  for (let i = 0; i < iterations; i++) {
    await runner.whenSpareReady();
    const { result } = await timed(() =>
      runner.run({
        code: 'while True:\n    pass\n',
        filename: 'loop.py',
        limits: { ...LIMITS, timeoutMs: limit },
      }),
    );
    latency.push(result.durationMs - limit);
  }
  log(
    `  interrupt latency (time limit → result, busy loop): ${ms(median(latency))} (${ratio(median(latency), anchors.interrupt)} SIGINT)`,
  );

  // Throughput: the same CPU-bound script, timed inside Python on both sides.
  const inside: number[] = [];
  for (let i = 0; i < iterations; i++) {
    await runner.whenSpareReady();
    const { result } = await timed(() =>
      runner.run({ code: WORKLOAD, filename: 'workload.py', limits: LIMITS }),
    );
    inside.push(Number(result.stdout.trim()));
  }
  log(
    `  pure-Python workload: ${ms(median(inside))} vs python3 ${ms(anchors.workload)} (${ratio(median(inside), anchors.workload)})`,
  );
  await runner.dispose();
}

/**
 * What the OS sandbox adds to starting a sandbox process: runs that each start a process from the
 * snapshot, with the OS sandbox off and on, interleaved; and the one-time check that it works here.
 */
export async function benchOsSandbox(
  log: (line: string) => void,
  iterations: number,
  anchors: { startup: number },
): Promise<void> {
  const probe = createPyodideRunner({ warmSpare: false, snapshots: true, osSandbox: 'auto' });
  const checkStarted = performance.now();
  const walls = await probe.boundaries();
  const checkMs = performance.now() - checkStarted;
  await probe.dispose();
  if (walls.osSandbox === 'none') {
    log(`OS sandbox: not available here (${walls.osSandboxNote}); nothing to measure`);
    return;
  }
  const runners = {
    off: createPyodideRunner({ warmSpare: false, snapshots: true, osSandbox: 'off' }),
    on: createPyodideRunner({ warmSpare: false, snapshots: true, osSandbox: 'required' }),
  };
  const times: Record<'off' | 'on', number[]> = { off: [], on: [] };
  for (const mode of ['off', 'on'] as const) {
    await runners[mode].run({ code: 'pass', filename: 'prime.py', limits: LIMITS }); // makes the snapshot
  }
  for (let i = 0; i < iterations; i++) {
    for (const mode of ['off', 'on'] as const) {
      const { elapsed } = await timed(() =>
        runners[mode].run({ code: 'pass', filename: 'os-sandbox.py', limits: LIMITS }),
      );
      times[mode].push(elapsed);
    }
  }
  await Promise.all([runners.off.dispose(), runners.on.dispose()]);
  const added = median(times.on) - median(times.off);
  log(`OS sandbox (${walls.osSandbox}), process isolation:`);
  log(`  one-time check that it works here: ${ms(checkMs)} (${ratio(checkMs, anchors.startup)} start-up)`);
  log(
    `  start from the snapshot + trivial run: off ${ms(median(times.off))}, on ${ms(median(times.on))}; added ${ms(added)} (${ratio(Math.max(0, added), anchors.startup)} start-up)`,
  );
}

export async function runBench(log: (line: string) => void, iterations = 5, cliOnly = false): Promise<void> {
  if (!python3Available()) {
    log('python3 is not on PATH: the anchor cannot be measured; skipping');
    return;
  }
  const anchors = {
    startup: python3Startup(iterations * 2),
    interrupt: await python3InterruptLatency(iterations),
    workload: python3Workload(iterations),
  };
  log(
    `anchor: python3 start-up ${ms(anchors.startup)}, SIGINT → exit ${ms(anchors.interrupt)}, workload ${ms(anchors.workload)}`,
  );
  log('CLI (a new process per run, as a user runs it):');
  benchCli(log, iterations);
  if (cliOnly) return;
  await benchMode(log, 'process', iterations, anchors);
  await benchMode(log, 'thread', iterations, anchors);
  await benchOsSandbox(log, iterations, anchors);
}

if (require.main === module) {
  // node out/test/bench/execution.js [iterations] [cli]: `cli` measures only the CLI runs.
  const iterations = Number(process.argv[2]) || 5;
  runBench((line) => console.log(line), iterations, process.argv[3] === 'cli').catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
