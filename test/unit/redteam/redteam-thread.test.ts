// Every red-team case against the runner in thread isolation. The host under test is a child process
// of this test (thread-host.ts), because one case (26, JavaScript-heap exhaustion) is expected to
// abort a process that hosts the jail in a worker thread: that is exactly why process isolation is the
// default. Every other case must leave that host alive and working; no case may escape.
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { RunRequest, RunResult } from '../../../src/sandbox/run-types';
import os from 'node:os';
import { inSlot, laneMode, type SlotKind } from '../lane-slot';
import { laneCount, runCasesOnLanes } from './lanes';
import { TEST_SNAPSHOT_CACHE_DIR } from '../snapshot-cache-dir';
import type { HostQuestion, HostReply } from './thread-host';
import {
  FRESHNESS_PROBE,
  REDTEAM_GRACE_MS,
  REDTEAM_LIMITS,
  REDTEAM_TEST_TIMEOUT_MS,
  limitsFor,
  RedteamEnvironment,
  judge,
  judgeFreshness,
  selectedCases,
  type RedteamCase,
} from './harness';

type Outcome = { result: RunResult } | { died: string };
/** What a host's reply settles: a run's outcome, or the spare-ready answer (`spareReady`, or the host died). */
type Settled = Outcome | { spareReady: true };

class ThreadHost {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, (settled: Settled) => void>();
  private nextId = 1;
  readonly ready: Promise<void>;
  dead: string | undefined;
  private stderrTail = '';

  constructor() {
    this.child = fork(path.join(__dirname, 'thread-host.js'), [], {
      env: {
        ...process.env,
        SANDBOX_GRACE_MS: String(REDTEAM_GRACE_MS),
        // Interpreters restored from the snapshot cached on disk, and no new snapshot per replaced host.
        SANDBOX_SNAPSHOT_CACHE_DIR: TEST_SNAPSHOT_CACHE_DIR,
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    // Kept (the end of it) to explain a death: Node prints why it aborted.
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-6000);
    });
    this.ready = new Promise((resolve, reject) => {
      this.child.once('message', () => resolve());
      this.child.once('exit', () => reject(new Error('the thread host exited before it was ready')));
    });
    this.child.on('message', (message: HostReply) => {
      if (message.id === undefined || 'ready' in message) return;
      this.pending.get(message.id)?.('result' in message ? { result: message.result } : message);
      this.pending.delete(message.id);
    });
    this.child.on('exit', (code, signal) => {
      this.dead = `${signal ? `signal ${signal}` : `exit code ${code}`}; stderr: ${this.stderrTail.trim().slice(0, 1500)}`;
      for (const settle of this.pending.values()) settle({ died: this.dead });
      this.pending.clear();
    });
  }

  async run(request: Pick<RunRequest, 'code' | 'filename' | 'limits'>): Promise<Outcome> {
    return (await this.ask({ request })) as Outcome;
  }

  /** Resolves when the host's warm spare has booted (or the host died). */
  async whenSpareReady(): Promise<void> {
    await this.ask({ spareReady: true });
  }

  private ask(message: HostQuestion): Promise<Settled> {
    if (this.dead) return Promise.resolve({ died: this.dead });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ id, ...message });
    });
  }

  stop(): void {
    if (!this.dead) this.child.disconnect();
  }
}

describe('red team: thread isolation (the host is a child process of this test)', function () {
  this.timeout(REDTEAM_TEST_TIMEOUT_MS);
  // Its tests only wait for cases started in `before`: each case takes its own slot (lane-slot.ts).
  laneMode(this, 'own');
  const cases = selectedCases();
  /** A lane's host is replaced when a case kills it (or may have doomed it). */
  let lanes: Array<{ env: RedteamEnvironment; host: ThreadHost }> = [];
  let outcomes: Array<Promise<string[]>> = [];

  before(async () => {
    lanes = await Promise.all(
      Array.from({ length: laneCount(os.cpus().length) }, async () => {
        const lane = { env: await RedteamEnvironment.create(), host: new ThreadHost() };
        await lane.host.ready;
        return lane;
      }),
    );
    outcomes = runCasesOnLanes(
      lanes,
      cases,
      runCase,
      // A limit case starts when no other lane's spare is still booting.
      async () => {
        await Promise.all(lanes.map(({ host }) => host.whenSpareReady()));
      },
    );
  });

  after(async () => {
    await Promise.allSettled(outcomes);
    for (const { env, host } of lanes) {
      host.stop();
      await env.dispose();
    }
  });

  cases.forEach((testCase, index) => {
    it(`${testCase.id} (${testCase.expect}${testCase.threadModeKillsHost ? ', may kill a thread-mode host' : ''})`, async () => {
      assert.deepEqual(await outcomes[index], []);
    });
  });

  async function runCase(
    lane: { env: RedteamEnvironment; host: ThreadHost },
    testCase: RedteamCase,
    slot: SlotKind,
    endExclusive: () => void,
  ): Promise<string[]> {
    lane.env.reset();
    // Only the case's own run holds the machine when it tests a limit; what follows (a replaced host,
    // the fresh run) shares it.
    const outcome = await inSlot(slot, () =>
      lane.host.run({
        code: lane.env.substitute(testCase.source),
        filename: `${testCase.id}.py`,
        limits: limitsFor(testCase),
      }),
    );
    endExclusive();
    return inSlot('shared', () => afterTheCase(lane, testCase, outcome));
  }

  async function afterTheCase(
    lane: { env: RedteamEnvironment; host: ThreadHost },
    testCase: RedteamCase,
    outcome: Outcome,
  ): Promise<string[]> {
    const { env } = lane;
    const failures: string[] = [];
    if ('died' in outcome) {
      failures.push(...env.escapes(''));
      if (!testCase.threadModeKillsHost) failures.push(`the host process died (${outcome.died})`);
      else console.log(`      (as documented for thread mode, the host process died: ${outcome.died})`);
      lane.host = new ThreadHost();
      await lane.host.ready;
    } else {
      failures.push(...judge(env, testCase, outcome.result, limitsFor(testCase)));
      if (testCase.threadModeKillsHost) {
        // A terminated worker stuck in a long built-in (a giant Array.prototype.join) keeps allocating
        // and can abort the process seconds later, during another case: start the next cases afresh.
        console.log(
          `      (the thread-mode host survived the run: status ${outcome.result.status}; replacing it)`,
        );
        lane.host.stop();
        lane.host = new ThreadHost();
        await lane.host.ready;
      }
    }
    // The same memory limit as the cases, so that the host's warm spare fits the probe.
    const next = await lane.host.run({
      code: FRESHNESS_PROBE,
      filename: 'probe.py',
      limits: { ...REDTEAM_LIMITS, timeoutMs: 20_000 },
    });
    if ('died' in next) failures.push(`the host died on the next run (${next.died})`);
    else failures.push(...judgeFreshness(next.result));
    failures.push(...env.escapes(''));
    return [...new Set(failures)];
  }
});
