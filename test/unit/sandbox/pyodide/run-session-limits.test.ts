// Which limit a run reports, and what it keeps, when the time limit and another ending cross: a
// scripted sandbox plays the events in the order a starved machine delivers them, so each test is
// exact whatever the machine's load.
import assert from 'node:assert/strict';
import { RunSession } from '../../../../src/sandbox/pyodide/run-session';
import type { ProgramOutcome, SandboxExit } from '../../../../src/sandbox/pyodide/protocol';
import type { BootInfo, Sandbox, SandboxEvent } from '../../../../src/sandbox/pyodide/sandbox';
import { DEFAULT_LIMITS, type RunResult } from '../../../../src/sandbox/run-types';

const TIMEOUT_MS = 50;
const GRACE_MS = 50;

/** A sandbox whose reactions to interrupt() and kill() the test chooses. */
class ScriptedSandbox implements Sandbox {
  readonly ready: Promise<BootInfo> = Promise.resolve({ bootMs: 0 });
  readonly exited: Promise<SandboxExit>;
  interrupts = 0;
  kills = 0;
  private listener: (event: SandboxEvent) => void = () => {};
  private resolveExited: (exit: SandboxExit) => void = () => {};

  constructor(
    private readonly script: {
      onStart?: (sandbox: ScriptedSandbox) => void;
      onInterrupt?: (sandbox: ScriptedSandbox) => void;
      onKill?: (sandbox: ScriptedSandbox) => void;
    },
  ) {
    this.exited = new Promise((resolve) => {
      this.resolveExited = resolve;
    });
  }

  start(_program: unknown, listener: (event: SandboxEvent) => void): void {
    this.listener = listener;
    this.script.onStart?.(this);
  }

  interrupt(): void {
    this.interrupts++;
    this.script.onInterrupt?.(this);
  }

  kill(): void {
    this.kills++;
    this.script.onKill?.(this);
  }

  /** Delivers an event later, as a message from another thread or process arrives. */
  later(event: SandboxEvent, ms = 5): void {
    setTimeout(() => {
      this.listener(event);
      if (event.type === 'exit') this.resolveExited(event.exit);
    }, ms);
  }
}

const printed = (text: string): SandboxEvent => ({ type: 'output', stream: 'stdout', text });
const exited = (kind: SandboxExit['kind'], detail = 'gone'): SandboxEvent => ({
  type: 'exit',
  exit: { kind, detail },
});
const outcome = (status: ProgramOutcome['status'], name: string): SandboxEvent => ({
  type: 'finished',
  outcome: { status, name, value: '', traceback: `Traceback (most recent call last):\n${name}\n` },
});

function run(sandbox: Sandbox): Promise<RunResult> {
  const session = new RunSession(
    { code: 'pass', filename: 'p.py', limits: { ...DEFAULT_LIMITS, timeoutMs: TIMEOUT_MS, memoryMb: 128 } },
    GRACE_MS,
  );
  return session.execute(sandbox);
}

describe('Pyodide run session: which limit a run reports when the time limit crosses another ending', () => {
  it('reports the time limit for a program the interrupt stopped', async () => {
    const sandbox = new ScriptedSandbox({
      onStart: (s) => s.later(printed('before\n')),
      onInterrupt: (s) => s.later(outcome('error', 'KeyboardInterrupt')),
    });
    const result = await run(sandbox);
    assert.deepEqual([result.status, result.limit?.kind, result.stdout], ['timeout', 'timeout', 'before\n']);
    assert.match(result.error?.traceback ?? '', /KeyboardInterrupt/);
  });

  it('reports memory when the MemoryError reaches the host after the time limit fired', async () => {
    // The allocation was refused before the interrupt landed; its report arrives after the time limit.
    const sandbox = new ScriptedSandbox({ onInterrupt: (s) => s.later(outcome('memory', 'MemoryError')) });
    const result = await run(sandbox);
    assert.deepEqual([result.status, result.limit?.kind], ['memory', 'memory']);
    assert.equal(result.error?.name, 'MemoryError');
    assert.match(result.limit?.message ?? '', /128 MB/);
  });

  it('reports memory when the memory watchdog ends a program that ignored the interrupt', async () => {
    // One uninterruptible call filling memory: the watchdog ends it during the grace period.
    const sandbox = new ScriptedSandbox({
      onInterrupt: (s) => s.later(exited('out-of-memory', 'the sandbox process used more than 1024 MB'), 20),
    });
    const result = await run(sandbox);
    assert.deepEqual([result.status, result.limit?.kind], ['memory', 'memory']);
    assert.match(result.limit?.message ?? '', /1024 MB/);
    assert.equal(sandbox.kills, 0, 'ended by the watchdog before the grace period ran out');
  });

  it('keeps what a killed program printed that arrives as the sandbox goes', async () => {
    // Output still in the ring or the pipe when the grace period ends and the sandbox is killed.
    const sandbox = new ScriptedSandbox({
      onStart: (s) => s.later(printed('line 1\n')),
      onKill: (s) => {
        s.later(printed('line 2\n'), 1);
        s.later(exited('killed'), 2);
      },
    });
    const result = await run(sandbox);
    assert.deepEqual([result.status, result.limit?.kind], ['timeout', 'timeout']);
    assert.equal(result.stdout, 'line 1\nline 2\n');
    assert.equal(sandbox.kills, 1);
  });

  it('reports the time limit when its traceback finds the output budget spent', async () => {
    // The jail cut the interrupt's traceback at the budget and raised the cap before reporting it.
    const sandbox = new ScriptedSandbox({
      onStart: (s) => s.later(printed('nearly the whole budget\n')),
      onInterrupt: (s) => {
        s.later({ type: 'output-capped' }, 1);
        s.later(outcome('error', 'KeyboardInterrupt'), 2);
      },
    });
    const result = await run(sandbox);
    assert.deepEqual([result.status, result.limit?.kind], ['timeout', 'timeout']);
    assert.match(result.error?.traceback ?? '', /KeyboardInterrupt/);
    assert.match(result.stdout, /^nearly the whole budget\n\n\[output truncated: [^\n]*\]\n$/);
    assert.equal(sandbox.kills, 0, 'it stopped at the interrupt');
  });

  it('reports the time limit for a program that floods output while it ignores the interrupt', async () => {
    const sandbox = new ScriptedSandbox({
      onInterrupt: (s) => s.later({ type: 'output-capped' }),
      onKill: (s) => s.later(exited('killed')),
    });
    const result = await run(sandbox);
    assert.deepEqual([result.status, result.limit?.kind], ['timeout', 'timeout']);
    assert.equal(result.stdout.match(/\[output truncated: /g)?.length, 1, 'one marker');
    assert.equal(sandbox.kills, 1);
  });

  it('still reports the output limit when the budget runs out before the time limit', async () => {
    const sandbox = new ScriptedSandbox({ onStart: (s) => s.later({ type: 'output-capped' }) });
    const result = await run(sandbox);
    assert.deepEqual([result.status, result.limit?.kind, sandbox.interrupts], ['output', 'output', 0]);
  });

  it('still ends a run whose killed sandbox never reports its end', async function () {
    this.timeout(20_000);
    const sandbox = new ScriptedSandbox({});
    const started = Date.now();
    const result = await run(sandbox);
    assert.equal(result.status, 'timeout');
    assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
  });
});
