// Run Sandboxed, end to end: Workspace Trust, the editor's unsaved text, input checks, the policy gate
// (refuse / ask / warn), the E2B key, the runner, a cancellable progress notification while the runtime
// or sandbox starts, streaming into the run panel, Stop, and the audit record. One run at a time.
import * as vscode from 'vscode';
import type { PolicyEngine } from '../policy';
import { runtimeRestrictions } from '../policy';
import type { AuditGate } from '../sandbox/audit';
import type { E2BRunRequest } from '../sandbox/e2b';
import { blockedResult, checkRunInput, gateRun, type GateDecision } from '../sandbox/gate';
import type { Backend, RunEvent, RunFinding, RunResult } from '../sandbox/run-types';
import type { RunAudit } from './audit';
import { displayName, runFileName } from './documents';
import { effectiveGateMode } from './gate-mode';
import { errorMessage } from './logger';
import { stripAnsi } from './panel/ansi';
import type { PanelFinding, WebviewToHost } from './panel/messages';
import { OutputBatcher } from './panel/output-batcher';
import { RunPanel } from './panel/run-panel';
import type { PythonEditorTracker } from './python-editor';
import { showRuleDocs } from './rule-docs';
import type { RunnerPool } from './runners';
import type { E2BKeyStore } from './secrets';
import type { SettingsService } from './settings';
import type { PolicyStatus } from './status';
import { ensureTrusted } from './trust';

export type RunTarget = Backend | 'default';

export const RUNNING_CONTEXT_KEY = 'sandboxPolicy.running';
/** Output sent to the panel per run; beyond it the panel shows a marker (Copy Output has everything). */
const PANEL_OUTPUT_CHARS = 400_000;
const BATCH_INTERVAL_MS = 50;
const MAX_IMAGE_BASE64 = 15_000_000;
const BACKEND_NAMES: Record<Backend, string> = { pyodide: 'Pyodide', e2b: 'E2B' };
const SET_KEY = 'Set E2B API Key';
/** Runs whose panel links (lines, Re-run) still work. */
const MAX_REMEMBERED_RUNS = 50;

interface ActiveRun {
  id: number;
  abort: AbortController;
  /** Output so far (the runner caps it), for Copy Output during the run. */
  output: string[];
  stopRequestedAt?: number;
  done: Promise<RunResult>;
}

interface FinishedRun {
  id: number;
  uri: vscode.Uri;
  backend: Backend;
  result: RunResult;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
}

export interface RunControllerDeps {
  extensionUri: vscode.Uri;
  engine: PolicyEngine;
  settings: SettingsService;
  keys: E2BKeyStore;
  runners: RunnerPool;
  audit: RunAudit;
  status: PolicyStatus;
  pythonEditors: PythonEditorTracker;
  log: vscode.LogOutputChannel;
}

function panelFinding(finding: RunFinding): PanelFinding {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    violation: finding.violation,
    message: finding.message,
    line: finding.range.start.line,
    column: finding.range.start.column,
  };
}

function visibleFindings(findings: readonly RunFinding[]): PanelFinding[] {
  return findings.filter((f) => !f.suppressed).map(panelFinding);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

export class RunController implements vscode.Disposable {
  private active: ActiveRun | undefined;
  private readonly runs = new Map<number, { uri: vscode.Uri; backend: Backend }>();
  private last: FinishedRun | undefined;
  private nextId = 1;
  private disposed = false;
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
    if (!ensureTrusted(this.deps.log)) return undefined;
    if (this.starting) {
      void vscode.window.showInformationMessage(
        'Sandbox Policy: a run is already starting; wait for it or stop it.',
      );
      return undefined;
    }
    this.starting = true;
    try {
      return await this.startRun(uri, target);
    } finally {
      this.starting = false;
    }
  }

  private async startRun(uri: vscode.Uri | undefined, target: RunTarget): Promise<RunResult | undefined> {
    const { log } = this.deps;
    const document = await this.documentFor(uri);
    if (!document) return undefined;
    if (this.active) {
      log.info('A new run was asked for: stopping the current one first.');
      await this.stop();
    }
    const { policy, run: runSettings, e2b } = this.deps.settings.settings;
    const backend = target === 'default' ? runSettings.defaultRunner : target;
    const code = document.getText();
    const file = runFileName(document);
    const id = this.nextId++;
    this.runs.set(id, { uri: document.uri, backend });
    if (this.runs.size > MAX_REMEMBERED_RUNS) this.runs.delete(this.runs.keys().next().value as number);
    const limits = runSettings.limits;

    const inputProblem = checkRunInput(code, limits);
    if (inputProblem) {
      const result = blockedResult(backend, { allowed: false, findings: [], reason: inputProblem }, 0);
      return this.refuse(id, document, backend, code, result, inputProblem, 'refused');
    }

    const decision = gateRun(this.deps.engine, code, file, policy, limits);
    let gate: AuditGate = 'allowed';
    if (!decision.allowed) {
      const mode = effectiveGateMode(policy.preset, runSettings.gateMode);
      if (mode === 'refuse' || (mode === 'ask' && !(await this.askToRunAnyway(file, backend, decision)))) {
        const result = blockedResult(backend, decision, 0);
        return this.refuse(id, document, backend, code, result, decision.reason, 'refused');
      }
      gate = mode === 'warn' ? 'warned' : 'overridden';
    }

    let runner;
    try {
      if (backend === 'e2b') {
        const key = await this.e2bKey();
        if (!key) return undefined;
        runner = this.deps.runners.e2bRunner(key, e2b);
      } else {
        runner = this.deps.runners.pyodideRunner(runSettings.isolation);
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
    panel.post({ type: 'runStarted', runId: id, file, backend, preset: policy.preset, gate, findings });
    const batcher = new OutputBatcher((batch) => panel.post({ type: 'output', runId: id, ...batch }), {
      intervalMs: BATCH_INTERVAL_MS,
      maxChars: PANEL_OUTPUT_CHARS,
    });

    const abort = new AbortController();
    const output: string[] = [];
    let collected = 0;
    let started!: () => void;
    const programStarted = new Promise<void>((resolve) => (started = resolve));
    let progressReport: ((message: string) => void) | undefined;

    const onEvent = (event: RunEvent): void => {
      switch (event.type) {
        case 'status':
          panel.post({ type: 'status', runId: id, message: event.message });
          progressReport?.(event.message);
          return;
        case 'stdout':
        case 'stderr':
          started();
          if (collected < limits.maxOutputBytes * 2) {
            output.push(event.text);
            collected += event.text.length;
          }
          batcher.push(event.type, event.text);
          return;
        case 'result':
          started();
          if (event.output.png && event.output.png.length <= MAX_IMAGE_BASE64) {
            panel.post({ type: 'image', runId: id, png: event.output.png, text: event.output.text });
          } else if (event.output.text) {
            panel.post({ type: 'resultText', runId: id, text: event.output.text });
          }
          return;
        default:
          return; // error, limit and done arrive in the final result
      }
    };

    log.info(
      `Running ${displayName(document)} in ${BACKEND_NAMES[backend]} (preset ${policy.preset}, gate ${gate}).`,
    );
    this.setRunning(true);
    const request: E2BRunRequest = {
      code,
      filename: file,
      limits,
      restrictions: runtimeRestrictions(policy),
      signal: abort.signal,
      onEvent: (event) => {
        try {
          onEvent(event);
        } catch (error) {
          log.error(`Run panel update failed: ${errorMessage(error)}`);
        }
      },
      // E2B uploads the sibling files listed in sandboxPolicy.e2b.uploadFiles from the script's folder.
      ...(document.uri.scheme === 'file' ? { sourcePath: document.uri.fsPath } : {}),
    };
    const done = runner.run(request).catch((error: unknown): RunResult => {
      // Runners promise never to reject; if one does, it is still an outcome to show.
      log.error(`The ${BACKEND_NAMES[backend]} runner failed: ${errorMessage(error)}`);
      return {
        status: 'error',
        backend,
        stdout: '',
        stderr: '',
        error: { name: 'RunnerError', value: errorMessage(error), traceback: '' },
        results: [],
        findings: [],
        durationMs: 0,
      };
    });
    this.active = { id, abort, output, done };
    this.starting = false; // from here on, a new run command stops this one instead

    void vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Sandbox Policy: ${backend === 'e2b' ? 'starting an E2B sandbox' : 'loading Python (Pyodide)'} for ${file}`,
        cancellable: true,
      },
      (progress, token) => {
        progressReport = (message) => progress.report({ message });
        token.onCancellationRequested(() => void this.stop());
        return Promise.race([programStarted, done.then(() => undefined)]);
      },
    );

    const result = await done;
    started();
    batcher.flush();
    batcher.dispose();
    const stoppedAfter = this.active?.stopRequestedAt;
    this.active = undefined;
    this.setRunning(false);
    const withFindings: RunResult = {
      ...result,
      findings: result.findings.length > 0 ? result.findings : decision.findings,
    };
    panel.post({
      type: 'finished',
      runId: id,
      status: result.status,
      durationMs: Math.max(0, Math.round(result.durationMs)),
      ...(result.error ? { error: result.error } : {}),
      ...(result.limit ? { limit: result.limit } : {}),
      findings: visibleFindings(withFindings.findings),
    });
    this.last = { id, uri: document.uri, backend, result: withFindings, output: output.join('') };
    await this.deps.audit.record({
      time: new Date(),
      file: displayName(document),
      code,
      runner: backend,
      preset: policy.preset,
      gate,
      result: withFindings,
    });
    this.tell(file, backend, result, stoppedAfter);
    return withFindings;
  }

  /** Stops the current run; resolves when it has ended. False when nothing was running. */
  async stop(): Promise<boolean> {
    const active = this.active;
    if (!active) return false;
    if (active.stopRequestedAt === undefined) {
      active.stopRequestedAt = Date.now();
      this.deps.log.info(`Stopping run ${active.id}.`);
      active.abort.abort();
    }
    await active.done;
    return true;
  }

  private setRunning(running: boolean): void {
    this.deps.status.busy = running;
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT_KEY, running);
  }

  /** Tells the user how a run ended when the panel alone would not be enough. */
  private tell(file: string, backend: Backend, result: RunResult, stopRequestedAt: number | undefined): void {
    const { log } = this.deps;
    if (result.status === 'cancelled') {
      const took =
        stopRequestedAt === undefined ? '' : ` (it ended ${Date.now() - stopRequestedAt} ms after the stop)`;
      log.info(`Run of ${file} stopped${took}.`);
      void vscode.window.showInformationMessage(`Sandbox Policy: stopped ${file}${took}.`);
      return;
    }
    if (result.limit) {
      log.warn(`Run of ${file} ended by a limit: ${result.limit.message}`);
      void vscode.window.showWarningMessage(`Sandbox Policy: ${file}: ${result.limit.message}`);
      return;
    }
    if (result.error?.name === 'E2BAuthenticationError') {
      void vscode.window.showErrorMessage(`Sandbox Policy: ${result.error.value}`, SET_KEY).then((choice) => {
        if (choice === SET_KEY) void vscode.commands.executeCommand('sandboxPolicy.setE2BApiKey');
      });
      return;
    }
    log.info(
      `Run of ${file} in ${BACKEND_NAMES[backend]} ended: ${result.status} after ${seconds(result.durationMs)}.`,
    );
  }

  private async refuse(
    id: number,
    document: vscode.TextDocument,
    backend: Backend,
    code: string,
    result: RunResult,
    reason: string | undefined,
    gate: AuditGate,
  ): Promise<RunResult> {
    const { policy } = this.deps.settings.settings;
    const file = runFileName(document);
    const panel = RunPanel.createOrShow(this.deps.extensionUri, this);
    const findings = visibleFindings(result.findings);
    panel.post({ type: 'runStarted', runId: id, file, backend, preset: policy.preset, gate, findings });
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
    this.last = { id, uri: document.uri, backend, result, output: '' };
    await this.deps.audit.record({
      time: new Date(),
      file: displayName(document),
      code,
      runner: backend,
      preset: policy.preset,
      gate,
      result,
    });
    const violations = result.findings.filter((f) => f.violation && !f.suppressed).length;
    const text =
      violations > 0
        ? `Sandbox Policy refused to run ${file}: ${violations} policy violation${violations === 1 ? '' : 's'} under the ${policy.preset} preset (listed in the Sandbox Run panel).`
        : `Sandbox Policy refused to run ${file}: ${reason ?? result.error?.value ?? 'the input was not accepted'}`;
    this.deps.log.warn(text);
    void vscode.window.showWarningMessage(text);
    return result;
  }

  private async askToRunAnyway(file: string, backend: Backend, decision: GateDecision): Promise<boolean> {
    const violations = decision.findings.filter((f) => f.violation && !f.suppressed);
    const rules = [...new Set(violations.map((f) => f.ruleId))].join(', ');
    const choice = await vscode.window.showWarningMessage(
      `${file} breaks the policy: ${violations.length} violation${violations.length === 1 ? '' : 's'} (${rules}). Run it in ${BACKEND_NAMES[backend]} anyway?`,
      {
        modal: true,
        detail: violations
          .slice(0, 5)
          .map((f) => `line ${f.range.start.line + 1}: ${f.message}`)
          .join('\n'),
      },
      'Run Anyway',
    );
    return choice === 'Run Anyway';
  }

  private async e2bKey(): Promise<string | undefined> {
    const key = await this.deps.keys.get();
    if (key) return key;
    const choice = await vscode.window.showWarningMessage(
      'Sandbox Policy: Run in E2B needs an E2B API key. It is kept in VS Code secret storage.',
      SET_KEY,
    );
    if (choice !== SET_KEY || !(await this.deps.keys.prompt())) return undefined;
    return this.deps.keys.get();
  }

  private async documentFor(uri: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
    let document: vscode.TextDocument | undefined;
    if (uri) {
      document =
        vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ??
        (await vscode.workspace.openTextDocument(uri));
    } else {
      document = this.deps.pythonEditors.current() ?? vscode.window.activeTextEditor?.document;
    }
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
    switch (message.type) {
      case 'ready':
        return;
      case 'stop':
        if (this.active?.id === message.runId) void this.stop();
        return;
      case 'rerun': {
        const run = this.runs.get(message.runId);
        if (run && !this.active) void this.run(run.uri, run.backend);
        return;
      }
      case 'copyOutput': {
        const text =
          this.active?.id === message.runId
            ? this.active.output.join('')
            : this.last?.id === message.runId
              ? this.last.output
              : undefined;
        if (text !== undefined) {
          void vscode.env.clipboard
            .writeText(stripAnsi(text))
            .then(() => vscode.window.setStatusBarMessage('Sandbox Policy: output copied', 3000));
        }
        return;
      }
      case 'openLocation': {
        const run = this.runs.get(message.runId);
        if (run) void this.reveal(run.uri, message.line, message.column);
        return;
      }
      case 'openRuleDocs':
        showRuleDocs(this.deps.extensionUri, message.ruleId).catch((error: unknown) =>
          this.deps.log.error(
            `Could not show the documentation of ${message.ruleId}: ${errorMessage(error)}`,
          ),
        );
        return;
    }
  }

  private async reveal(uri: vscode.Uri, line: number, column: number): Promise<void> {
    const document = await vscode.workspace.openTextDocument(uri);
    const safeLine = Math.min(line, Math.max(0, document.lineCount - 1));
    const position = document.validatePosition(new vscode.Position(safeLine, column));
    await vscode.window.showTextDocument(document, {
      viewColumn: vscode.ViewColumn.One,
      selection: new vscode.Range(position, position),
    });
  }

  /** Stops any run (deactivation). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.active?.abort.abort();
  }
}
