// Run Sandboxed, end to end: Workspace Trust, the editor's unsaved text, input checks, the policy gate
// (refuse / ask / warn), the E2B key, the runner (run-stream.ts streams it into the panel), Stop, and
// the audit record. One run at a time; the run panel's buttons and links come back here.
import * as vscode from 'vscode';
import type { PolicyEngine } from '../policy';
import { runtimeRestrictions } from '../policy';
import type { AuditGate } from '../sandbox/audit';
import { blockedResult, checkRunInput, gateRun, refusedInput, type GateDecision } from '../sandbox/gate';
import { stoppingCell } from '../sandbox/notebook-cells';
import { codeCells, gateNotebook } from '../sandbox/notebook-gate';
import { joinCells } from '../sandbox/notebook-run';
import {
  describeBoundaries,
  type Backend,
  type RunFinding,
  type RunResult,
  type Runner,
} from '../sandbox/run-types';
import type { RunAudit } from './audit';
import { displayName, runFileName } from './documents';
import { effectiveGateMode } from './gate-mode';
import { errorMessage } from './logger';
import type { PanelFinding, WebviewToHost } from './panel/messages';
import { handlePanelMessage } from './panel/panel-actions';
import { RunPanel } from './panel/run-panel';
import { findNotebook, type NotebookSource } from './notebook-source';
import type { PythonEditorTracker } from './python-editor';
import { askToRunAnyway, e2bKeyOrOffer, refusalText, tellOutcome } from './run-notices';
import { BACKEND_NAMES, RunStream, type RunStreamOptions } from './run-stream';
import type { RunnerPool } from './runners';
import type { E2BKeyStore } from './secrets';
import type { SettingsService } from './settings';
import type { PolicyStatus } from './status';
import { ensureTrusted } from './trust';

export type RunTarget = Backend | 'default';

export const RUNNING_CONTEXT_KEY = 'sandboxPolicy.running';
/** Runs whose panel links (lines, Re-run) still work. */
const MAX_REMEMBERED_RUNS = 50;

interface ActiveRun {
  id: number;
  stream: RunStream;
  stopRequestedAt?: number;
}

interface FinishedRun {
  id: number;
  result: RunResult;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
}

export interface RunControllerDeps {
  extensionUri: vscode.Uri;
  /** The engine for the run gate, loaded on the first run (diagnostics come from the language server). */
  engine: () => Promise<PolicyEngine>;
  settings: SettingsService;
  keys: E2BKeyStore;
  runners: RunnerPool;
  audit: RunAudit;
  status: PolicyStatus;
  pythonEditors: PythonEditorTracker;
  log: vscode.LogOutputChannel;
}

function visibleFindings(findings: ReadonlyArray<RunFinding & { cell?: number }>): PanelFinding[] {
  return findings
    .filter((f) => !f.suppressed)
    .map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      violation: f.violation,
      message: f.message,
      line: f.range.start.line,
      column: f.range.start.column,
      ...(f.cell ? { cell: f.cell } : {}),
    }));
}

/** What a run runs: a Python document, or a notebook's code cells (up to `upToCell` for Run Cell). */
interface RunSubject {
  uri: vscode.Uri;
  /** The base name for tracebacks and the panel. */
  file: string;
  /** The path for the audit log. */
  display: string;
  code: string;
  notebook?: { upToCell?: number };
}

/** Where a remembered run came from, for Re-run and the panel's links. */
export interface RememberedRun {
  uri: vscode.Uri;
  backend: Backend;
  notebook?: { upToCell?: number };
}

export class RunController implements vscode.Disposable {
  private active: ActiveRun | undefined;
  private readonly runs = new Map<number, RememberedRun>();
  private last: FinishedRun | undefined;
  private nextId = 1;
  /** Between a run command and its runner starting (gate, questions, key): a second command waits its turn. */
  private starting = false;

  constructor(private readonly deps: RunControllerDeps) {}

  get isRunning(): boolean {
    return this.active !== undefined;
  }

  /** The result of the last run that finished (or was refused). */
  get lastResult(): RunResult | undefined {
    return this.last?.result;
  }

  /** Runs a Python document (the active editor's when `uri` is undefined). Resolves when the run has ended. */
  async run(uri: vscode.Uri | undefined, target: RunTarget): Promise<RunResult | undefined> {
    return this.guarded(() => this.startRun(uri, target));
  }

  /**
   * Runs a notebook's code cells in order in one fresh interpreter (the active notebook's when `uri` is
   * undefined); with `upToCell`, only the cells up to that one (Run Cell Sandboxed: nothing is kept
   * from an earlier run, so the cells before it run again).
   */
  async runNotebook(
    uri: vscode.Uri | undefined,
    target: RunTarget,
    upToCell?: number,
  ): Promise<RunResult | undefined> {
    return this.guarded(() => this.startNotebookRun(uri, target, upToCell));
  }

  private async guarded(start: () => Promise<RunResult | undefined>): Promise<RunResult | undefined> {
    if (!ensureTrusted(this.deps.log)) return undefined;
    if (this.starting) {
      void vscode.window.showInformationMessage(
        'Sandbox Policy: a run is already starting; wait for it or stop it.',
      );
      return undefined;
    }
    this.starting = true;
    try {
      return await start();
    } finally {
      this.starting = false;
    }
  }

  private async startNotebookRun(
    uri: vscode.Uri | undefined,
    target: RunTarget,
    upToCell: number | undefined,
  ): Promise<RunResult | undefined> {
    const found = await findNotebook(uri);
    if ('problem' in found) {
      void vscode.window.showErrorMessage(`Sandbox Policy: ${found.problem}`);
      return undefined;
    }
    const source: NotebookSource = found;
    const notebook =
      upToCell === undefined
        ? source.notebook
        : { ...source.notebook, cells: source.notebook.cells.filter((cell) => cell.index <= upToCell) };
    const cells = codeCells(notebook);
    const subject: RunSubject = {
      uri: source.uri,
      file: runFileName(source),
      display: displayName(source),
      code: joinCells(cells),
      notebook: upToCell === undefined ? {} : { upToCell },
    };
    return this.gateAndLaunch(
      subject,
      target,
      (engine, limits) => {
        const { policy } = this.deps.settings.settings;
        return gateNotebook(engine, notebook, policy, limits);
      },
      { cells },
    );
  }

  private async startRun(uri: vscode.Uri | undefined, target: RunTarget): Promise<RunResult | undefined> {
    const document = await this.documentFor(uri);
    if (!document) return undefined;
    const subject: RunSubject = {
      uri: document.uri,
      file: runFileName(document),
      display: displayName(document),
      code: document.getText(),
    };
    const { policy } = this.deps.settings.settings;
    return this.gateAndLaunch(
      subject,
      target,
      (engine, limits) => gateRun(engine, subject.code, subject.file, policy, limits),
      // E2B uploads the sibling files listed in sandboxPolicy.e2b.uploadFiles from the script's folder.
      document.uri.scheme === 'file' ? { sourcePath: document.uri.fsPath } : {},
    );
  }

  private async gateAndLaunch(
    subject: RunSubject,
    target: RunTarget,
    gateOf: (engine: PolicyEngine, limits: RunStreamOptions['request']['limits']) => GateDecision,
    extra: Partial<RunStreamOptions['request']>,
  ): Promise<RunResult | undefined> {
    const { log, settings } = this.deps;
    const { code, file } = subject;
    if (this.active) {
      log.info('A new run was asked for: stopping the current one first.');
      await this.stop();
    }
    const { policy, run: runSettings, e2b } = settings.settings;
    const backend = target === 'default' ? runSettings.defaultRunner : target;
    const limits = runSettings.limits;
    const id = this.nextId++;
    this.runs.set(id, {
      uri: subject.uri,
      backend,
      ...(subject.notebook ? { notebook: subject.notebook } : {}),
    });
    if (this.runs.size > MAX_REMEMBERED_RUNS) this.runs.delete(this.runs.keys().next().value as number);

    const inputProblem = checkRunInput(code, limits);
    if (inputProblem) {
      const result = blockedResult(backend, refusedInput(inputProblem), 0);
      return this.refuse(id, subject, result, inputProblem);
    }
    const decision = gateOf(await this.deps.engine(), limits);
    let gate: AuditGate = 'allowed';
    if (!decision.allowed) {
      const mode = effectiveGateMode(policy.preset, runSettings.gateMode);
      if (mode === 'refuse' || (mode === 'ask' && !(await askToRunAnyway(file, backend, decision)))) {
        return this.refuse(id, subject, blockedResult(backend, decision, 0), decision.reason);
      }
      gate = mode === 'warn' ? 'warned' : 'overridden';
    }

    let runner: Runner;
    let walls: string | undefined;
    try {
      if (backend === 'e2b') {
        const key = await e2bKeyOrOffer(this.deps.keys);
        if (!key) return undefined;
        runner = this.deps.runners.e2bRunner(key, e2b);
      } else {
        const pyodide = this.deps.runners.pyodideRunner(runSettings.isolation, runSettings.osSandbox);
        runner = pyodide;
        walls = describeBoundaries(await pyodide.boundaries());
      }
    } catch (error) {
      log.error(`Could not start the ${BACKEND_NAMES[backend]} runner: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(
        `Sandbox Policy: could not start ${BACKEND_NAMES[backend]}: ${errorMessage(error)}`,
      );
      return undefined;
    }

    const panel = RunPanel.createOrShow(this.deps.extensionUri, this);
    const findings = visibleFindings(decision.findings);
    panel.post({
      type: 'runStarted',
      runId: id,
      file,
      backend,
      preset: policy.preset,
      gate,
      findings,
      ...(walls ? { walls } : {}),
    });
    log.info(
      `Running ${subject.display} in ${BACKEND_NAMES[backend]} (preset ${policy.preset}, gate ${gate}).`,
    );
    this.setRunning(true);
    const stream = new RunStream({
      runId: id,
      runner,
      panel,
      log,
      onCancel: () => void this.stop(),
      request: {
        code,
        filename: file,
        limits,
        restrictions: runtimeRestrictions(policy),
        ...extra,
      },
    });
    this.active = { id, stream };
    this.starting = false; // from here on, a new run command stops this one instead

    const ended = await stream.done;
    const stopRequestedAt = this.active?.stopRequestedAt;
    this.active = undefined;
    this.setRunning(false);
    const result: RunResult = {
      ...ended,
      findings: ended.findings.length > 0 ? ended.findings : decision.findings,
    };
    const stoppedAt = result.cells ? stoppingCell(result.cells)?.index : undefined;
    panel.post({
      type: 'finished',
      runId: id,
      status: result.status,
      durationMs: Math.max(0, Math.round(result.durationMs)),
      ...(result.error ? { error: result.error } : {}),
      ...(result.limit ? { limit: result.limit } : {}),
      findings: visibleFindings(result.findings),
      ...(stoppedAt !== undefined ? { stoppedAtCell: stoppedAt } : {}),
    });
    this.last = { id, result, output: stream.output() };
    await this.record(subject, backend, gate, result);
    tellOutcome(log, file, backend, result, stopRequestedAt);
    return result;
  }

  /** Stops the current run; resolves when it has ended. False when nothing was running. */
  async stop(): Promise<boolean> {
    const active = this.active;
    if (!active) return false;
    if (active.stopRequestedAt === undefined) {
      active.stopRequestedAt = Date.now();
      this.deps.log.info(`Stopping run ${active.id}.`);
      active.stream.abort.abort();
    }
    await active.stream.done;
    return true;
  }

  private setRunning(running: boolean): void {
    this.deps.status.busy = running;
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT_KEY, running);
  }

  private record(subject: RunSubject, backend: Backend, gate: AuditGate, result: RunResult) {
    const preset = this.deps.settings.settings.policy.preset;
    return this.deps.audit.record({
      time: new Date(),
      file: subject.display,
      code: subject.code,
      runner: backend,
      preset,
      gate,
      result,
    });
  }

  /** Shows a refused run in the panel, records it, and says why. */
  private async refuse(
    id: number,
    subject: RunSubject,
    result: RunResult,
    reason: string | undefined,
  ): Promise<RunResult> {
    const { policy } = this.deps.settings.settings;
    const file = subject.file;
    const panel = RunPanel.createOrShow(this.deps.extensionUri, this);
    const findings = visibleFindings(result.findings);
    const backend = result.backend;
    panel.post({
      type: 'runStarted',
      runId: id,
      file,
      backend,
      preset: policy.preset,
      gate: 'refused',
      findings,
    });
    panel.post({
      type: 'finished',
      runId: id,
      status: result.status,
      durationMs: 0,
      findings,
      ...(result.error ? { error: result.error } : {}),
      ...(result.limit ? { limit: result.limit } : {}),
      ...(reason ? { message: reason } : {}),
    });
    this.last = { id, result, output: '' };
    await this.record(subject, backend, 'refused', result);
    const text = refusalText(file, policy.preset, result, reason);
    this.deps.log.warn(text);
    void vscode.window.showWarningMessage(text);
    return result;
  }

  private async documentFor(uri: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
    const document = uri
      ? (vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ??
        (await vscode.workspace.openTextDocument(uri)))
      : (this.deps.pythonEditors.current() ?? vscode.window.activeTextEditor?.document);
    if (!document) {
      void vscode.window.showErrorMessage('Sandbox Policy: open a Python file to run it.');
      return undefined;
    }
    if (document.languageId !== 'python') {
      void vscode.window.showErrorMessage(
        `Sandbox Policy runs Python files; ${runFileName(document)} is ${document.languageId}.`,
      );
      return undefined;
    }
    return document;
  }

  /** Messages from the run panel (already validated by RunPanel). */
  onMessage(message: WebviewToHost): void {
    handlePanelMessage(message, {
      extensionUri: this.deps.extensionUri,
      log: this.deps.log,
      runOf: (runId) => this.runs.get(runId),
      outputOf: (runId) =>
        this.active?.id === runId
          ? this.active.stream.output()
          : this.last?.id === runId
            ? this.last.output
            : undefined,
      isRunning: (runId) => this.active !== undefined && (runId === undefined || this.active.id === runId),
      stop: () => this.stop(),
      run: (run) =>
        run.notebook
          ? this.runNotebook(run.uri, run.backend, run.notebook.upToCell)
          : this.run(run.uri, run.backend),
    });
  }

  /** Stops any run (deactivation). */
  dispose(): void {
    this.active?.stream.abort.abort();
  }
}
