// The red-team harness: loads the cases in test/fixtures/redteam/, substitutes their tokens as the
// cases' README says (marker file, canary secret, a TCP listener on 127.0.0.1, a JavaScript payload),
// and checks the passing conditions after a run.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DRIVER_FILENAME } from '../../../src/sandbox/pyodide/driver-source';
import { DEFAULT_LIMITS, type RunLimits, type RunResult } from '../../../src/sandbox/run-types';

export const CASES_DIR = path.resolve(__dirname, '../../../../test/fixtures/redteam');

export type Expectation = 'escape-blocked' | 'timeout' | 'memory' | 'output' | 'error';
export type Undefended = 'escapes' | 'crashes' | 'escapes-or-crashes' | 'n/a';

export interface RedteamCase {
  /** File name without .py, e.g. "05-os-system". */
  id: string;
  source: string;
  expect: Expectation;
  /** For `expect: error`: the exception the run must end with (its `# error:` header). */
  errorName?: string;
  /** What the case does to a plain loadPyodide() (proof that the harness is live). */
  undefended: Undefended;
  /** The case is expected to take down a host that runs the jail in a worker thread. */
  threadModeKillsHost: boolean;
}

/** The original cases (kept verbatim) say this in their README rather than in a header line. */
const ORIGINAL_UNDEFENDED: Record<string, Undefended> = {
  '01': 'escapes',
  '02': 'escapes',
  '03': 'escapes',
  '04': 'escapes',
  '05': 'escapes',
  '06': 'escapes',
  '07': 'escapes',
  '08': 'escapes',
  '09': 'escapes',
  '10': 'escapes',
  '11': 'escapes',
  '13': 'escapes',
  '14': 'crashes',
};
const ORIGINAL_THREAD_KILLERS = new Set(['26']);

const EXPECTATIONS: readonly string[] = ['escape-blocked', 'timeout', 'memory', 'output', 'error'];
const UNDEFENDED: readonly string[] = ['escapes', 'crashes', 'escapes-or-crashes', 'n/a'];

function header(source: string, key: string): string | undefined {
  const match = new RegExp(`^# ${key}: *(\\S+)`, 'm').exec(source.split('\n').slice(0, 6).join('\n'));
  return match?.[1];
}

export function loadCases(dir = CASES_DIR): RedteamCase[] {
  if (!fs.existsSync(dir)) throw new Error(`red-team cases not found in ${dir}`);
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.py'))
    .sort()
    .map((name) => {
      const source = fs.readFileSync(path.join(dir, name), 'utf8');
      const id = name.slice(0, -3);
      const number = id.slice(0, 2);
      const expect = header(source, 'expect');
      if (!expect || !EXPECTATIONS.includes(expect))
        throw new Error(`${name}: first line must be "# expect: …"`);
      const undefended = header(source, 'undefended') ?? ORIGINAL_UNDEFENDED[number] ?? 'n/a';
      if (!UNDEFENDED.includes(undefended)) throw new Error(`${name}: unknown "# undefended: ${undefended}"`);
      const errorName = header(source, 'error');
      if ((expect === 'error') !== (errorName !== undefined))
        throw new Error(`${name}: "# error: NAME" goes with "# expect: error", and only with it`);
      return {
        id,
        source,
        expect: expect as Expectation,
        errorName,
        undefended: undefended as Undefended,
        threadModeKillsHost:
          ORIGINAL_THREAD_KILLERS.has(number) || header(source, 'thread-mode') === 'may-kill-host',
      };
    });
}

/**
 * The cases a suite runs: all, or those `REDTEAM_CASES=01,20` names by prefix (the suites that run cases on
 * lanes start every case in `before`, whatever mocha's --grep says).
 */
export function selectedCases(): RedteamCase[] {
  const only = process.env.REDTEAM_CASES?.split(',').filter(Boolean);
  return loadCases().filter((testCase) => !only || only.some((prefix) => testCase.id.startsWith(prefix)));
}

/** A Python string literal (JSON's escapes are valid Python). */
export function pythonString(value: string): string {
  return JSON.stringify(value);
}

/** Limits for red-team runs: short enough to keep the suite quick, long enough for the walks. */
export const REDTEAM_LIMITS: RunLimits = {
  ...DEFAULT_LIMITS,
  timeoutMs: 4000,
  memoryMb: 256,
  maxOutputBytes: 1_000_000,
};
export const REDTEAM_GRACE_MS = 1000;

/**
 * A memory case's time limit. The memory limit is what such a case tests, and it fires as soon as the
 * allocations reach it; but allocating (and filling, so that pages are resident) takes CPU, and on a
 * starved machine 4 s of wall-clock time may pass first. The time limit stays wall clock (what a user
 * means by it), so a memory case gets one long enough that only the memory limit can end it. Measured
 * on a 2-core machine at load 19 with two more busy loops: case 59 in thread mode (15 files of 64 MB
 * before the watchdog fires) took over 60 s, and a whole memory case with its boot and the fresh run
 * after it up to 140 s; unloaded, under 30 s.
 */
export const MEMORY_CASE_TIMEOUT_MS = 300_000;
/** Mocha's time for one case and the fresh run after it, with room for a memory case's time limit. */
export const REDTEAM_TEST_TIMEOUT_MS = MEMORY_CASE_TIMEOUT_MS + 120_000;

/**
 * The time limit of an `output` or `error` case: what such a case tests (the output limit, the program's
 * own exception, reported as such) ends it within a second or two of its own work even on a busy machine,
 * and the time limit only has to be far from that. So it needs no quiet machine (`needsQuietMachine`).
 * An error case's report took longer than this before it was bounded (or crashed).
 */
export const UNAMBIGUOUS_TIMEOUT_MS = 20_000;

/** The limits a case runs with: REDTEAM_LIMITS, with an unambiguous time limit unless time is what it tests. */
export function limitsFor(testCase: RedteamCase): RunLimits {
  if (testCase.expect === 'memory') return { ...REDTEAM_LIMITS, timeoutMs: MEMORY_CASE_TIMEOUT_MS };
  if (testCase.expect === 'error' || testCase.expect === 'output')
    return { ...REDTEAM_LIMITS, timeoutMs: UNAMBIGUOUS_TIMEOUT_MS };
  return REDTEAM_LIMITS;
}

/**
 * Whether a case runs alone (an exclusive slot): a time-limit case only. It is judged on how soon the limit
 * ended it (the limit, the grace and LIMIT_SLACK_MS), which another lane's load would stretch. Every other
 * case is judged on which limit or exception ended it, and its limits (limitsFor) leave no race to lose, so
 * it shares the machine, as the escape cases do.
 */
export function needsQuietMachine(testCase: RedteamCase): boolean {
  return testCase.expect === 'timeout';
}
/** "within the time the limit allows plus about a second" (more on a loaded CI machine). */
export const LIMIT_SLACK_MS = 2000;

/** Run after every case: a fresh run must see nothing the case left behind, and must work. */
export const FRESHNESS_PROBE = `import asyncio, builtins, os, sys
await asyncio.sleep(0.3)
leaks = [name for name, present in (
    ("file", os.path.exists("/tmp/sandbox-leak")),
    ("environment", "SANDBOX_LEAK" in os.environ),
    ("builtin", hasattr(builtins, "sandbox_leak") or hasattr(builtins, "haunt")),
    ("module", "sandbox_leak" in sys.modules),
) if present]
print("fresh" if not leaks else "stale: " + ", ".join(leaks))
`;

/** Marker file, canary secret and TCP listener for one suite; `reset()` between cases. */
export class RedteamEnvironment {
  readonly dir: string;
  readonly markerPath: string;
  readonly canaryPath: string;
  readonly secret: string;
  private connections = 0;

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-redteam-'));
    this.markerPath = path.join(this.dir, 'marker');
    this.canaryPath = path.join(this.dir, 'canary.txt');
    this.secret = `canary-${randomBytes(16).toString('hex')}`;
    fs.writeFileSync(this.canaryPath, this.secret);
    server.on('connection', (socket) => {
      this.connections += 1;
      socket.destroy();
    });
  }

  static async create(): Promise<RedteamEnvironment> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('the listener has no port');
    return new RedteamEnvironment(server, address.port);
  }

  get markerCommand(): string {
    return `touch '${this.markerPath}'`;
  }

  get jsPayload(): string {
    return `process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(this.markerPath)}, 'escaped')`;
  }

  substitute(source: string): string {
    return source
      .replaceAll('__MARKER_CMD__', pythonString(this.markerCommand))
      .replaceAll('__JS_PAYLOAD__', pythonString(this.jsPayload))
      .replaceAll('__MARKER_PATH__', pythonString(this.markerPath))
      .replaceAll('__CANARY_PATH__', pythonString(this.canaryPath))
      .replaceAll('__HOST_PORT__', String(this.port));
  }

  /** What escaped, judged from the host's side (marker, connections) and the run's output. */
  escapes(output: string): string[] {
    const found: string[] = [];
    if (fs.existsSync(this.markerPath)) found.push('the marker file was created');
    if (output.includes(this.secret)) found.push('the canary secret was read');
    if (this.connections > 0) found.push(`the host listener saw ${this.connections} connection(s)`);
    return found;
  }

  reset(): void {
    fs.rmSync(this.markerPath, { force: true });
    this.connections = 0;
  }

  async dispose(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Everything a run produced, as one string to search for the canary. */
export function everything(result: RunResult): string {
  return [
    result.stdout,
    result.stderr,
    result.error ? `${result.error.name} ${result.error.value} ${result.error.traceback}` : '',
    ...result.results.map((output) => `${output.text ?? ''} ${output.png ?? ''}`),
  ].join('\n');
}

/** The passing conditions of the README for one run, as a list of failures (empty: the case passed). */
export function judge(
  env: RedteamEnvironment,
  testCase: RedteamCase,
  result: RunResult,
  limits: RunLimits,
): string[] {
  const failures = env.escapes(everything(result));
  // A case that finds something it should not (e.g. a foreign-realm object) says so in its output.
  const reported = /SANDBOX-ESCAPE:[^\n]*/.exec(result.stdout);
  if (reported) failures.push(reported[0]);
  if (testCase.expect === 'error') {
    // The program's own exception, reported as such: not a limit, not a failure of the runtime.
    if (result.status !== 'error' || result.limit || result.error?.name !== testCase.errorName) {
      failures.push(
        `expected the program's ${testCase.errorName}, got status ${result.status} (limit ${result.limit?.kind}, error ${result.error?.name}: ${result.error?.value?.slice(0, 200)})`,
      );
    }
    // With its traceback (SystemExit has none): a report that failed half-way sends the name alone.
    const traceback = result.error?.traceback ?? '';
    if (testCase.errorName !== 'SystemExit' && !traceback.includes(testCase.errorName ?? ''))
      failures.push(`the ${testCase.errorName} came without its traceback`);
    if (traceback.includes(DRIVER_FILENAME)) failures.push("the runner's own frames were reported");
  } else if (testCase.expect !== 'escape-blocked') {
    if (result.status !== testCase.expect || result.limit?.kind !== testCase.expect) {
      failures.push(
        `expected the ${testCase.expect} limit, got status ${result.status} (limit ${result.limit?.kind})`,
      );
    }
    const allowed =
      (testCase.expect === 'timeout' ? limits.timeoutMs + REDTEAM_GRACE_MS : limits.timeoutMs) +
      LIMIT_SLACK_MS;
    if (result.durationMs > allowed) {
      failures.push(`the ${testCase.expect} limit took ${result.durationMs} ms (allowed ${allowed} ms)`);
    }
  }
  return failures;
}

export function judgeFreshness(result: RunResult): string[] {
  if (result.status === 'ok' && result.stdout === 'fresh\n') return [];
  return [
    `the next run was not fresh or did not work: status ${result.status}, stdout ${JSON.stringify(result.stdout.slice(0, 300))}, error ${result.error?.name}: ${result.error?.value?.slice(0, 300)}`,
  ];
}
