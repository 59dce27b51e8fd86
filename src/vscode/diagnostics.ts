// Policy findings as diagnostics: checked on open and, debounced, on change through the engine's
// per-document trees (the change events' ranges go to `update`, so an edit re-parses incrementally),
// re-checked when the policy changes, and cleared with the engine's tree on close.
import * as vscode from 'vscode';
import type { Finding, PolicyEngine, ResolvedPolicy, TextEdit } from '../policy';
import { engineLanguage } from './documents';
import { errorMessage } from './logger';

export const DIAGNOSTIC_SOURCE = 'sandbox-policy';
const DEBOUNCE_MS = 200;

export interface DiagnosticsOptions {
  engine: PolicyEngine;
  policy: () => ResolvedPolicy;
  /** Where a rule's documentation lives (the diagnostic's code link). */
  ruleDocs: (ruleId: string) => vscode.Uri;
  log: vscode.LogOutputChannel;
}

interface Tracked {
  /** Edits since the engine last saw the document; undefined means "send the whole text". */
  edits: TextEdit[] | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  findings: Finding[];
  /** The document version the engine last analysed. */
  version: number;
}

export function diagnosticSeverity(finding: Finding): vscode.DiagnosticSeverity {
  if (finding.violation) return vscode.DiagnosticSeverity.Error;
  switch (finding.severity) {
    case 'HIGH':
    case 'MEDIUM':
      return vscode.DiagnosticSeverity.Warning;
    case 'LOW':
      return vscode.DiagnosticSeverity.Information;
    default:
      return vscode.DiagnosticSeverity.Hint;
  }
}

export class DiagnosticsController implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly tracked = new Map<string, Tracked>();
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a document's diagnostics were replaced. */
  readonly onDidUpdate = this.changed.event;

  constructor(private readonly options: DiagnosticsOptions) {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document, undefined, 0)),
      vscode.workspace.onDidChangeTextDocument((event) => this.onChange(event)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
    );
    for (const document of vscode.workspace.textDocuments) this.schedule(document, undefined, 0);
  }

  /** The unsuppressed findings last shown for a document. */
  findings(uri: vscode.Uri): readonly Finding[] {
    return this.tracked.get(uri.toString())?.findings ?? [];
  }

  /** Re-checks every open document (the policy changed). */
  recheckAll(): void {
    for (const document of vscode.workspace.textDocuments) this.schedule(document, [], 0);
  }

  private onChange(event: vscode.TextDocumentChangeEvent): void {
    if (event.contentChanges.length === 0) return;
    const edits = event.contentChanges.map(({ rangeOffset, rangeLength, text }) => ({
      rangeOffset,
      rangeLength,
      text,
    }));
    this.schedule(event.document, edits, DEBOUNCE_MS);
  }

  /**
   * Queues a check. `edits` are appended to those not yet sent (undefined: send the whole text; []: the
   * text did not change, only the policy did).
   */
  private schedule(document: vscode.TextDocument, edits: TextEdit[] | undefined, delayMs: number): void {
    if (!engineLanguage(document)) return;
    const key = document.uri.toString();
    let entry = this.tracked.get(key);
    if (!entry) {
      entry = { edits: undefined, timer: undefined, findings: [], version: -1 };
      this.tracked.set(key, entry);
    } else if (entry.edits !== undefined) {
      // Once the whole text is due, later edits change nothing; otherwise they queue up in order.
      entry.edits = edits === undefined ? undefined : [...entry.edits, ...edits];
    }
    if (entry.timer) clearTimeout(entry.timer);
    const current = entry;
    entry.timer = setTimeout(() => {
      current.timer = undefined;
      this.check(document, current);
    }, delayMs);
  }

  private check(document: vscode.TextDocument, entry: Tracked): void {
    const language = engineLanguage(document);
    const key = document.uri.toString();
    if (!language || document.isClosed || this.tracked.get(key) !== entry) return;
    const edits = entry.edits;
    entry.edits = [];
    try {
      const result = this.options.engine.update(
        key,
        document.getText(),
        language,
        this.options.policy(),
        edits,
      );
      entry.version = document.version;
      entry.findings = result.findings.filter((finding) => !finding.suppressed);
      this.collection.set(
        document.uri,
        entry.findings.map((finding) => this.toDiagnostic(finding)),
      );
    } catch (error) {
      // The engine's tree for this document can no longer be trusted: start again from the full text.
      this.options.engine.close(key);
      entry.version = -1;
      entry.edits = undefined;
      this.collection.delete(document.uri);
      this.options.log.error(`Could not check ${document.uri.toString(true)}: ${errorMessage(error)}`);
    }
    this.changed.fire(document.uri);
  }

  private toDiagnostic(finding: Finding): vscode.Diagnostic {
    const { start, end } = finding.range;
    const range = new vscode.Range(start.line, start.column, end.line, end.column);
    const diagnostic = new vscode.Diagnostic(range, finding.message, diagnosticSeverity(finding));
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = { value: finding.ruleId, target: this.options.ruleDocs(finding.ruleId) };
    return diagnostic;
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const entry = this.tracked.get(key);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    this.tracked.delete(key);
    this.options.engine.close(key);
    this.collection.delete(uri);
    this.changed.fire(uri);
  }

  dispose(): void {
    for (const [key, entry] of this.tracked) {
      if (entry.timer) clearTimeout(entry.timer);
      this.options.engine.close(key);
    }
    this.tracked.clear();
    while (this.disposables.length > 0) this.disposables.pop()?.dispose();
  }
}
