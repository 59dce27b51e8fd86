// Shared set-up for the E2B runner tests: one stand-in per suite, a runner wired to it, every output
// the run produces collected (events, result, log lines, thrown errors, the stand-in's own request log),
// and the checks every test ends with: no live sandbox, and the key in none of those outputs.
import assert from 'node:assert/strict';
import {
  createE2BRunner,
  type E2BRunner,
  type E2BRunRequest,
  type E2BSettingsInput,
} from '../../../../src/sandbox/e2b';
import { MemoryStore, type KeyValueStore } from '../../../../src/sandbox/limits';
import type { RunEvent, RunLimits, RunResult } from '../../../../src/sandbox/run-types';
import { startStandin, type E2BStandin } from '../../../e2b-standin/server';

/** Not hex, so only the exact-match redaction can hide it (the key-shape pattern would not). */
export const KEY = 'e2b_Test-Key-Zq9xW7vR2mPk4LsN';

export const LIMITS: RunLimits = {
  timeoutMs: 10_000,
  memoryMb: 512,
  maxOutputBytes: 100_000,
  maxCodeBytes: 100_000,
};

/** Fast, permissive defaults so that tests hit only the limit they are about. */
export const TEST_SETTINGS: Partial<E2BSettingsInput> = {
  burstCreations: 1000,
  hourlyCreations: 1000,
  dailyCreations: 1000,
  maxConcurrentSandboxes: 10,
  dailyBudgetUsd: 100,
  createTimeoutSeconds: 10,
};

export interface Outcome {
  result: RunResult;
  events: RunEvent[];
  /** Milliseconds from the start of run() to its result. */
  elapsedMs: number;
}

export class Fixture {
  standin!: E2BStandin;
  readonly logs: string[] = [];
  readonly standinLogs: string[] = [];
  /** Everything user-visible or logged, to be searched for the key. */
  readonly outputs: string[] = [];
  private runners: E2BRunner[] = [];
  store: KeyValueStore = new MemoryStore();
  clockNow: number | undefined;

  readonly unhandled: unknown[] = [];
  private readonly onUnhandled = (reason: unknown): void => {
    this.unhandled.push(reason);
  };

  async start(): Promise<void> {
    process.on('unhandledRejection', this.onUnhandled);
    this.standin = await startStandin({
      apiKey: KEY,
      log: (line) => this.standinLogs.push(line),
      lifetimeScale: 0.05,
    });
  }

  async stop(): Promise<void> {
    process.off('unhandledRejection', this.onUnhandled);
    await this.standin.close();
  }

  runner(
    settings: Partial<E2BSettingsInput> = {},
    extra: { apiUrl?: string; apiKey?: string } = {},
  ): E2BRunner {
    const runner = createE2BRunner({
      apiKey: extra.apiKey ?? KEY,
      store: this.store,
      settings: { ...TEST_SETTINGS, ...settings },
      ...this.standin.connection(),
      ...(extra.apiUrl ? { apiUrl: extra.apiUrl } : {}),
      log: (line) => this.logs.push(line),
      clock: () => this.clockNow ?? Date.now(),
      env: {},
    });
    this.runners.push(runner);
    return runner;
  }

  async run(runner: E2BRunner, code: string, request: Partial<E2BRunRequest> = {}): Promise<Outcome> {
    const events: RunEvent[] = [];
    const onEvent = request.onEvent;
    const started = performance.now();
    const result = await runner.run({
      code,
      filename: 'analysis.py',
      limits: LIMITS,
      ...request,
      onEvent: (event) => {
        events.push(event);
        onEvent?.(event);
      },
    });
    const elapsedMs = performance.now() - started;
    this.outputs.push(JSON.stringify(events), JSON.stringify(result));
    assert.equal(events.at(-1)?.type, 'done', 'the last event is done');
    assert.equal(events.filter((e) => e.type === 'done').length, 1, 'done is sent once');
    assert.deepEqual(events.at(-1), { type: 'done', status: result.status, durationMs: result.durationMs });
    return { result, events, elapsedMs };
  }

  /** Waits (briefly) for background kills, then checks nothing is left and the key leaked nowhere. */
  async finish(): Promise<void> {
    for (const runner of this.runners) await runner.dispose();
    this.runners = [];
    const deadline = Date.now() + 3000;
    while (this.standin.liveSandboxes > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal(this.standin.liveSandboxes, 0, 'no live sandbox is left');
    const everything = [
      ...this.outputs,
      ...this.logs,
      ...this.standinLogs,
      JSON.stringify(this.standin.requests),
      JSON.stringify(this.standin.stats()),
    ].join('\n');
    assert.equal(everything.includes(KEY), false, 'the API key appears in no output, log or request log');
    // The stand-in did check the key: every control-plane request carried one.
    for (const request of this.standin.requests) {
      assert.notEqual(request.auth, 'missing', `${request.method} ${request.path} carried a key`);
    }
    assert.deepEqual(this.unhandled, [], 'no unhandled rejection');
    this.outputs.length = 0;
    this.logs.length = 0;
    this.standinLogs.length = 0;
    this.store = new MemoryStore();
    this.clockNow = undefined;
    this.standin.reset();
  }
}

/** The user-visible message of a result: its error's value or its limit's message. */
export function messageOf(result: RunResult): string {
  return result.error?.value ?? result.limit?.message ?? '';
}
