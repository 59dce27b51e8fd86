// The E2B runner: one fresh cloud sandbox per run, created with the real `@e2b/code-interpreter` SDK
// after the limits allow it, fed the script (and listed sibling files), run, and killed in every outcome.
// Every outcome is a RunResult; the API key reaches only the SDK.
import crypto from 'node:crypto';
import type { Sandbox as CodeSandbox } from '@e2b/code-interpreter';
import { checkRunInput } from '../gate';
import type { NotebookRunCell, RunLimits, RunRequest, RunResult, Runner } from '../run-types';
import {
  SandboxLimits,
  costPerSecondUsd,
  type Admission,
  type KeyValueStore,
  type LimitsUsage,
} from '../limits';
import { bootstrapCell } from './bootstrap';
import { describeFailure, errorName, type Ending, type Phase } from './errors';
import { createRedactor, type Redactor } from './redact';
import { watchRetryAfter } from './retry-after';
import { RunRecorder } from './run-recorder';
import { LIFETIME_GRACE_SECONDS, type E2BSettings } from './settings';
import { planUploads, UploadError, type UploadPlan } from './uploads';
import { errorMessage } from '../../error-message';

/** A run request for E2B: like any other, plus where the script lives on disk (for `uploadFiles`). */
export interface E2BRunRequest extends RunRequest {
  /** Absolute path of the script on disk; sibling files listed in `uploadFiles` are found next to it. */
  sourcePath?: string;
}

export interface E2BConnection {
  apiUrl?: string;
  sandboxUrl?: string;
  domain?: string;
}

/** Upload and the first answer to runCode: the data-plane request timeout. */
const REQUEST_TIMEOUT_MS = 30_000;
const KILL_TIMEOUT_MS = 10_000;
/** A cancelled run returns after at most this long waiting for its kill (the kill goes on in the background). */
const CANCEL_KILL_WAIT_MS = 700;
/** After our create deadline the SDK request lives on this long, so that a late sandbox is still killed. */
const LATE_CREATE_GRACE_MS = 30_000;
/** The SDK's own execution timeout is set past ours, so that our timer (with its clear message) fires first. */
const EXECUTION_SLACK_MS = 15_000;
const DISPOSE_WAIT_MS = 4000;

const importSdk = () => import('@e2b/code-interpreter');
let sdkModule: ReturnType<typeof importSdk> | undefined;
/** Loaded on first use: the SDK is large, and most sessions never run anything in E2B. */
function loadSdk(): ReturnType<typeof importSdk> {
  sdkModule ??= importSdk();
  return sdkModule;
}

interface RunPlan {
  runTimeoutMs: number;
  timeoutSource: string;
  lifetimeMs: number;
  lifetimeSeconds: number;
  outputCapBytes: number;
}

/** The single outcome of a run: the first of completion, failure, timeout, cancel, cap, handler error. */
class Stopper {
  ending: Ending | undefined;
  readonly stopped: Promise<Ending>;
  private resolve!: (ending: Ending) => void;

  constructor() {
    this.stopped = new Promise((resolve) => (this.resolve = resolve));
  }

  stop(ending: Ending): void {
    if (this.ending) return;
    this.ending = ending;
    this.resolve(ending);
  }
}

const DISPOSED: Ending = {
  status: 'cancelled',
  error: {
    name: 'E2BRunnerDisposed',
    value: 'The run was stopped because Sandbox Policy shut down; its sandbox was killed.',
    traceback: '',
  },
};

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for `task`, but no longer than `ms`; the timer is cleared so it never holds the process open. */
async function waitAtMost(task: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([task, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex -- ANSI escapes start with ESC
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export class E2BRunner implements Runner {
  readonly backend = 'e2b' as const;
  private readonly limits: SandboxLimits;
  private readonly redact: Redactor;
  private readonly apiUrl: string;
  private readonly apiHost: string;
  private readonly sandboxHost: string;
  private disposed = false;
  private disposing: Promise<void> | undefined;
  private readonly active = new Set<{ promise: Promise<RunResult>; stopper: Stopper }>();
  private readonly background = new Set<Promise<void>>();
  private readonly pendingCreates = new Set<AbortController>();

  constructor(
    private readonly apiKey: string,
    store: KeyValueStore,
    readonly settings: E2BSettings,
    private readonly connection: E2BConnection,
    private readonly logLine: (line: string) => void = () => undefined,
    private readonly clock: () => number = Date.now,
  ) {
    this.redact = createRedactor(apiKey);
    const domain = connection.domain ?? 'e2b.app';
    this.apiUrl = connection.apiUrl ?? `https://api.${domain}`;
    this.apiHost = hostOf(this.apiUrl);
    this.sandboxHost = connection.sandboxUrl ? hostOf(connection.sandboxUrl) : `sandbox.${domain}`;
    this.limits = new SandboxLimits(
      store,
      {
        rate: {
          burst: settings.burstCreations,
          hourly: settings.hourlyCreations,
          daily: settings.dailyCreations,
        },
        maxConcurrent: settings.maxConcurrentSandboxes,
        dailyBudgetUsd: settings.dailyBudgetUsd,
        costPerSecondUsd: costPerSecondUsd(settings.vcpus, settings.memoryGiB),
      },
      clock,
      (line) => this.log(line),
    );
  }

  /** Today's spend, reservations, running sandboxes and recent creations (for a status display). */
  usage(): LimitsUsage {
    return this.limits.usage();
  }

  run(request: E2BRunRequest): Promise<RunResult> {
    const stopper = new Stopper();
    const entry = { promise: this.runGuarded(request, stopper), stopper };
    this.active.add(entry);
    void entry.promise.then(() => this.active.delete(entry));
    return entry.promise;
  }

  dispose(): Promise<void> {
    this.disposing ??= this.shutDown();
    return this.disposing;
  }

  private async shutDown(): Promise<void> {
    this.disposed = true;
    const runs = [...this.active];
    for (const run of runs) run.stopper.stop(DISPOSED);
    await Promise.allSettled(runs.map((run) => run.promise));
    await waitAtMost(Promise.allSettled([...this.background]), DISPOSE_WAIT_MS);
    // Creations still pending now are abandoned: E2B ends any such sandbox at its lifetime cap.
    for (const create of this.pendingCreates) create.abort();
    await waitAtMost(Promise.allSettled([...this.background]), 1000);
  }

  private log(line: string): void {
    try {
      this.logLine(this.redact(`E2B: ${line}`));
    } catch {
      // A failing logger must not fail a run.
    }
  }

  private track(task: Promise<void>): void {
    this.background.add(task);
    void task.then(() => this.background.delete(task));
  }

  private plan(limits: RunLimits): RunPlan {
    // On a tie the first wins: the run's own limit, then the lifetime cap (a setting the user sees in
    // VS Code, which derives runTimeoutSeconds from it), then runTimeoutSeconds.
    const candidates: Array<[number, string]> = [
      [limits.timeoutMs, 'the run time limit'],
      [
        (this.settings.maxLifetimeSeconds - LIFETIME_GRACE_SECONDS) * 1000,
        `the E2B sandbox lifetime cap (maxLifetimeSeconds, less ${LIFETIME_GRACE_SECONDS} s for setup)`,
      ],
      [this.settings.runTimeoutSeconds * 1000, 'the E2B run timeout (runTimeoutSeconds)'],
    ];
    const [runTimeoutMs, timeoutSource] = candidates.reduce((low, next) => (next[0] < low[0] ? next : low));
    const lifetimeMs = Math.min(
      runTimeoutMs + LIFETIME_GRACE_SECONDS * 1000,
      this.settings.maxLifetimeSeconds * 1000,
    );
    return {
      runTimeoutMs,
      timeoutSource,
      lifetimeMs,
      lifetimeSeconds: Math.ceil(lifetimeMs / 1000),
      outputCapBytes: Math.min(limits.maxOutputBytes, this.settings.maxOutputBytes),
    };
  }

  private async runGuarded(request: E2BRunRequest, stopper: Stopper): Promise<RunResult> {
    const started = performance.now();
    // The output cap is needed before the limits are validated; an unusable one falls back to the setting.
    const requested = request.limits?.maxOutputBytes;
    const outputCap =
      typeof requested === 'number' && requested > 0
        ? Math.min(requested, this.settings.maxOutputBytes)
        : this.settings.maxOutputBytes;
    const recorder = new RunRecorder('e2b', this.redact, outputCap, request.onEvent, started);
    try {
      return await this.execute(request, recorder, stopper);
    } catch (error) {
      const detail = this.redact(errorMessage(error));
      this.log(`internal error: ${detail}`);
      return recorder.finish({
        status: 'error',
        error: {
          name: 'E2BRunnerError',
          value: `Internal error in the E2B runner: ${detail}`,
          traceback: '',
        },
      });
    }
  }

  private async execute(request: E2BRunRequest, recorder: RunRecorder, stopper: Stopper): Promise<RunResult> {
    if (this.disposed) return recorder.finish(DISPOSED);
    const badLimits = invalidLimits(request.limits);
    if (badLimits) {
      return recorder.finish({
        status: 'blocked',
        error: { name: 'InputRejected', value: badLimits, traceback: '' },
      });
    }
    const plan = this.plan(request.limits);
    const problem = checkRunInput(request.code, request.limits);
    if (problem) {
      const tooBig =
        typeof request.code === 'string' &&
        Buffer.byteLength(request.code, 'utf8') > request.limits.maxCodeBytes;
      return recorder.finish({
        status: 'blocked',
        error: { name: 'InputRejected', value: problem, traceback: '' },
        ...(tooBig ? { limit: { kind: 'code-size' as const, message: problem } } : {}),
      });
    }
    if (request.signal?.aborted) return recorder.finish({ status: 'cancelled' });

    let uploads: UploadPlan;
    try {
      uploads = await planUploads(
        request.code,
        request.filename,
        request.sourcePath,
        this.settings.uploadFiles,
        this.settings.maxUploadBytes,
      );
    } catch (error) {
      if (!(error instanceof UploadError)) throw error;
      return recorder.finish({
        status: 'blocked',
        error: { name: error.name, value: error.message, traceback: '' },
      });
    }

    // Loaded before anything is reserved, so that a broken install cannot leave a reservation behind.
    const { Sandbox } = await loadSdk();
    const runId = crypto.randomUUID();
    let admission;
    try {
      admission = await this.limits.admit(runId, plan.lifetimeMs);
    } catch (error) {
      // Without working limits nothing runs: the spending cap must hold.
      return recorder.finish({
        status: 'error',
        error: {
          name: 'E2BLimitsError',
          value: `E2B limits unavailable: ${(error as Error).message}`,
          traceback: '',
        },
      });
    }
    if (!admission.ok) {
      this.log(`run refused (${admission.kind}): ${admission.message}`);
      return recorder.finish({
        status: admission.status,
        limit: { kind: admission.kind, message: admission.message },
      });
    }

    const onAbort = (): void => stopper.stop({ status: 'cancelled' });
    request.signal?.addEventListener('abort', onAbort, { once: true });
    if (request.signal?.aborted) onAbort();
    if (this.disposed) stopper.stop(DISPOSED);
    recorder.onHandlerError = (error) =>
      stopper.stop({
        status: 'error',
        error: {
          name: 'EventHandlerError',
          value: `The run was stopped because its event handler threw: ${errorMessage(error)}`,
          traceback: '',
        },
      });
    recorder.onOutputCap = (message) =>
      stopper.stop({ status: 'output', limit: { kind: 'output', message } });
    try {
      return await this.inSandbox(Sandbox, recorder, stopper, admission, plan, uploads, request.cells);
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
    }
  }

  private async inSandbox(
    Sandbox: typeof CodeSandbox,
    recorder: RunRecorder,
    stopper: Stopper,
    admission: Admission,
    plan: RunPlan,
    uploads: UploadPlan,
    cells: readonly NotebookRunCell[] | undefined,
  ): Promise<RunResult> {
    const createTimeoutMs = this.settings.createTimeoutSeconds * 1000;
    recorder.status(`Creating an E2B sandbox (template ${this.settings.template})`);
    const createStarted = performance.now();
    const retryAfter = watchRetryAfter(this.apiUrl, this.clock);
    const createAbort = new AbortController();
    this.pendingCreates.add(createAbort);
    const creation = Sandbox.create({
      apiKey: this.apiKey,
      ...this.connection,
      // E2B_DEBUG in the environment would make the SDK skip creating and killing: never.
      debug: false,
      // With retries the SDK stops enforcing requestTimeoutMs; we retry nothing and keep our own deadline.
      retries: 0,
      requestTimeoutMs: createTimeoutMs + LATE_CREATE_GRACE_MS,
      signal: createAbort.signal,
      template: this.settings.template,
      timeoutMs: plan.lifetimeMs,
      allowInternetAccess: this.settings.allowInternetAccess,
      metadata: { tool: 'sandbox-policy', runId: admission.id },
    });
    void creation.then(
      () => this.pendingCreates.delete(createAbort),
      () => this.pendingCreates.delete(createAbort),
    );

    type First =
      | { kind: 'created'; sandbox: CodeSandbox }
      | { kind: 'failed'; error: unknown }
      | { kind: 'stopped'; ending: Ending }
      | { kind: 'deadline' };
    let deadlineTimer: NodeJS.Timeout | undefined;
    const first = await Promise.race<First>([
      creation.then(
        (sandbox) => ({ kind: 'created', sandbox }),
        (error: unknown) => ({ kind: 'failed', error }),
      ),
      stopper.stopped.then((ending) => ({ kind: 'stopped', ending })),
      new Promise<First>((resolve) => {
        deadlineTimer = setTimeout(() => resolve({ kind: 'deadline' }), createTimeoutMs);
      }),
    ]);
    clearTimeout(deadlineTimer);
    const retryAfterSeconds = retryAfter.seconds();
    retryAfter.dispose();

    if (first.kind === 'failed') {
      await this.settle(admission, this.secondsForFailedCreate(first.error, plan));
      return recorder.finish(this.describe(first.error, 'create', plan, retryAfterSeconds));
    }
    if (first.kind !== 'created') {
      // Whatever the creation still yields is killed when it arrives.
      this.track(this.reapLateSandbox(creation, admission, createStarted, plan));
      if (first.kind === 'stopped') return recorder.finish(first.ending);
      return recorder.finish({
        status: 'error',
        error: {
          name: 'E2BUnreachable',
          value:
            `E2B at ${this.apiHost} did not create a sandbox within ${this.settings.createTimeoutSeconds} s ` +
            '(createTimeoutSeconds); try again later.',
          traceback: '',
        },
      });
    }

    const sandbox = first.sandbox;
    this.log(`sandbox ${sandbox.sandboxId} created in ${Math.round(performance.now() - createStarted)} ms`);
    const ending = await this.useSandbox(sandbox, recorder, stopper, plan, uploads, cells);
    const kill = this.killAndSettle(sandbox, admission, createStarted, plan);
    this.track(kill);
    if (ending.status === 'cancelled') await waitAtMost(kill, CANCEL_KILL_WAIT_MS);
    else await kill;
    return recorder.finish(ending);
  }

  private async useSandbox(
    sandbox: CodeSandbox,
    recorder: RunRecorder,
    stopper: Stopper,
    plan: RunPlan,
    uploads: UploadPlan,
    cells: readonly NotebookRunCell[] | undefined,
  ): Promise<Ending> {
    if (stopper.ending) return stopper.ending;
    // A notebook's cells go to the kernel one by one; only the files listed in uploadFiles are written.
    const files = cells ? uploads.files : [uploads.script, ...uploads.files];
    if (files.length > 0) {
      recorder.status(
        files.length === 1 ? `Uploading ${files[0].displayName}` : `Uploading ${files.length} files`,
      );
    }
    const upload =
      files.length === 0
        ? Promise.resolve()
        : sandbox.files.write(
            files.map((file) => ({ path: file.sandboxPath, data: new Blob([file.data]) })),
            { requestTimeoutMs: REQUEST_TIMEOUT_MS },
          );
    const uploadFailure = await Promise.race([
      upload.then(
        () => undefined,
        (error: unknown) => (stopper.ending ? undefined : this.describe(error, 'upload', plan)),
      ),
      stopper.stopped,
    ]);
    if (uploadFailure) stopper.stop(uploadFailure);
    if (stopper.ending) return stopper.ending;

    recorder.status('Running in the E2B sandbox');
    const live = (): boolean => stopper.ending === undefined;
    const timer = setTimeout(
      () =>
        stopper.stop({
          status: 'timeout',
          limit: {
            kind: 'timeout',
            message: `The program was stopped after ${formatSeconds(plan.runTimeoutMs)}: ${plan.timeoutSource}.`,
          },
        }),
      plan.runTimeoutMs,
    );
    const runCell = (code: string): ReturnType<CodeSandbox['runCode']> =>
      sandbox.runCode(code, {
        onStdout: (message) => {
          if (live()) recorder.output('stdout', message.line);
        },
        onStderr: (message) => {
          if (live()) recorder.output('stderr', message.line);
        },
        onResult: (result) => {
          if (live())
            recorder.result({ text: result.text, png: result.png, isMainResult: result.isMainResult });
        },
        onError: (error) => {
          if (!live() || isCleanExit(error.name, error.value)) return;
          recorder.error({
            name: error.name,
            value: error.value,
            traceback: stripAnsi(error.traceback ?? ''),
          });
        },
        timeoutMs: plan.runTimeoutMs + EXECUTION_SLACK_MS,
        requestTimeoutMs: REQUEST_TIMEOUT_MS,
      });
    const execution = cells
      ? runCellsInOrder(cells, runCell, recorder, live)
      : runCell(bootstrapCell(uploads.script.sandboxPath));
    execution.then(
      () => stopper.stop({ status: recorder.hasProgramError ? 'error' : 'ok' }),
      // Once stopped, the rejection is the consequence of our own kill: nothing to report.
      (error: unknown) => {
        if (live()) stopper.stop(this.describe(error, 'run', plan));
      },
    );
    const ending = await stopper.stopped;
    clearTimeout(timer);
    return ending;
  }

  private describe(error: unknown, phase: Phase, plan: RunPlan, retryAfterSeconds?: number): Ending {
    const ending = describeFailure(error, {
      phase,
      apiHost: this.apiHost,
      sandboxHost: this.sandboxHost,
      redact: this.redact,
      retryAfterSeconds,
      requestTimeoutSeconds:
        phase === 'create'
          ? this.settings.createTimeoutSeconds
          : (phase === 'kill' ? KILL_TIMEOUT_MS : REQUEST_TIMEOUT_MS) / 1000,
      lifetimeSeconds: plan.lifetimeSeconds,
      now: this.clock(),
    });
    this.log(
      `${phase} failed: ${errorName(error)} → ${ending.error?.value ?? ending.limit?.message ?? ending.status}`,
    );
    return ending;
  }

  /**
   * A create that E2B answered with an HTTP error, or that never connected, made no sandbox; one that
   * failed otherwise (cut connection, malformed reply, abort) may have, and that sandbox runs until its
   * lifetime ends: charge all of it.
   */
  private secondsForFailedCreate(error: unknown, plan: RunPlan): number {
    const name = errorName(error);
    const answered =
      name === 'AuthenticationError' ||
      name === 'RateLimitError' ||
      name === 'ServiceBusyError' ||
      typeof (error as { statusCode?: unknown } | null)?.statusCode === 'number';
    return answered || neverConnected(error) ? 0 : plan.lifetimeSeconds;
  }

  private async reapLateSandbox(
    creation: Promise<CodeSandbox>,
    admission: Admission,
    createStarted: number,
    plan: RunPlan,
  ): Promise<void> {
    let sandbox: CodeSandbox;
    try {
      sandbox = await creation;
    } catch (error) {
      this.log(`abandoned create ended: ${errorName(error)}`);
      await this.settle(admission, this.secondsForFailedCreate(error, plan));
      return;
    }
    this.log(`sandbox ${sandbox.sandboxId} arrived after its run had ended; killing it`);
    await this.killAndSettle(sandbox, admission, createStarted, plan);
  }

  private async killAndSettle(
    sandbox: CodeSandbox,
    admission: Admission,
    createStarted: number,
    plan: RunPlan,
  ): Promise<void> {
    let gone = false;
    for (let attempt = 1; attempt <= 2 && !gone; attempt++) {
      try {
        await sandbox.kill({ requestTimeoutMs: KILL_TIMEOUT_MS });
        gone = true;
      } catch (error) {
        const ending = this.describe(error, 'kill', plan);
        this.log(
          `could not kill sandbox ${sandbox.sandboxId} (attempt ${attempt}): ${ending.error?.value ?? ''}`,
        );
        if (attempt === 1) await delay(250);
      }
    }
    const usedSeconds = Math.max(1, Math.ceil((performance.now() - createStarted) / 1000));
    if (gone) this.log(`sandbox ${sandbox.sandboxId} killed after ${usedSeconds} s`);
    else {
      this.log(
        `sandbox ${sandbox.sandboxId} could not be killed; E2B stops it when its ${plan.lifetimeSeconds} s lifetime ends`,
      );
    }
    await this.settle(admission, gone ? usedSeconds : plan.lifetimeSeconds);
  }

  private async settle(admission: Admission, seconds: number): Promise<void> {
    try {
      await this.limits.settle(admission, seconds);
    } catch (error) {
      // The reservation stays and is charged in full when it expires: safe, if pessimistic.
      this.log(`could not record the run's cost: ${(error as Error).message}`);
    }
  }
}

/**
 * A notebook's cells, one `runCode` each in the sandbox's one kernel (state carries over, as in Jupyter),
 * until one raises or the run is stopped.
 */
async function runCellsInOrder(
  cells: readonly NotebookRunCell[],
  runCell: (code: string) => Promise<unknown>,
  recorder: RunRecorder,
  live: () => boolean,
): Promise<void> {
  for (const cell of cells) {
    if (!live() || recorder.hasProgramError) return;
    recorder.cell(cell.index);
    await runCell(cell.source);
  }
}

/** A message if the run's limits are not usable numbers (they come from settings and callers). */
function invalidLimits(limits: RunLimits | undefined): string | undefined {
  if (!limits) return 'the run has no limits';
  for (const key of ['timeoutMs', 'maxOutputBytes', 'maxCodeBytes'] as const) {
    const value = limits[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      const shown = typeof value === 'number' ? String(value) : JSON.stringify(value);
      return `the run's limit ${key} must be a positive number (got ${shown})`;
    }
  }
  return undefined;
}

/** The request never reached E2B (refused, unknown host): it cannot have made a sandbox. */
function neverConnected(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/** "30 s", "1.5 s". */
function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/** `sys.exit()`, `sys.exit(0)` and `sys.exit(None)` end a script successfully. */
function isCleanExit(name: string, value: string): boolean {
  return name === 'SystemExit' && (value === '' || value === '0' || value === 'None');
}
