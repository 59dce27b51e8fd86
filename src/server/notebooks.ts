// Jupyter notebooks in the language server (LSP 3.17 `notebookDocument/*` sync): the code cells of a
// notebook are checked as one program (src/notebook/analyze.ts), and each cell's findings become that
// cell's diagnostics, quick fixes and hover. A check covers the whole notebook, so an edit in one cell
// re-checks the cells after it; the client is then asked to pull again (pull clients) or every cell whose
// diagnostics changed is pushed (push clients).
import {
  CancellationToken,
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  NotebookCellKind,
  NotebookDocuments,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type Hover,
  type HoverParams,
  type NotebookDocument,
  type NotebookDocumentSyncOptions,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeNotebook, type NotebookFinding } from '../notebook/analyze';
import type { Notebook } from '../notebook/model';
import type { PolicyEngine, ResolvedPolicy } from '../policy';
import { cancelled, type DocumentPolicy } from './checker';
import { suppressionActions } from './code-actions';
import { findingContains, hoverMarkdown } from './hover';
import { failureNotice, fileNotice, findingDiagnostic, ruleDocsHref, tooLargeNotice } from './lsp-findings';
import { linesOf } from './suppression-edit';
import { errorMessage } from '../error-message';

/** Python cells of Jupyter notebooks (VS Code's `jupyter-notebook`; `*` for other clients' notebook types). */
export const NOTEBOOK_DOCUMENT_SYNC: NotebookDocumentSyncOptions = {
  notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }] }],
};

/** Push clients: the delay after a change, as for text documents. */
const PUSH_DEBOUNCE_MS = 200;
/** Pull clients: how long after the last change the client is asked to pull the other cells again. */
const REFRESH_DELAY_MS = 150;

interface CellResult {
  resultId: string;
  /** The diagnostics' JSON: a re-check that finds the same keeps the result id (an `unchanged` answer). */
  key: string;
  diagnostics: Diagnostic[];
  findings: NotebookFinding[];
}

interface NotebookCheck {
  /** The notebook's version and its cells' (VS Code keeps the notebook's version when a cell's text changes). */
  version: string;
  policyKey: string;
  policy: ResolvedPolicy;
  cells: Map<string, CellResult>;
}

export interface NotebookSyncDeps {
  connection: Connection;
  engine: Promise<PolicyEngine>;
  policyFor(uri: string): DocumentPolicy;
  /** Whether the client pulls diagnostics (read when needed: known after initialize). */
  pull(): boolean;
  /** Whether the client takes `workspace/diagnostic/refresh`. */
  refreshSupported(): boolean;
  /** Settings may still be loading: checks wait for them. */
  settingsLoaded(): Promise<void>;
  log(message: string): void;
  /** A client may also have opened the cells as text documents: they are the notebook's from now on. */
  adoptCells(uris: readonly string[]): void;
}

let resultCounter = 0;

export class NotebookSync {
  private readonly notebooks = new NotebookDocuments(TextDocument);
  private readonly checks = new Map<string, NotebookCheck>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: NotebookSyncDeps) {
    this.notebooks.onDidOpen((notebook) => {
      deps.adoptCells(notebook.cells.map((cell) => cell.document));
      this.changed(notebook.uri);
    });
    this.notebooks.onDidChange(({ notebookDocument, cells }) => {
      if (cells?.added.length) deps.adoptCells(cells.added.map((cell) => cell.document));
      this.changed(notebookDocument.uri);
    });
    this.notebooks.onDidClose((notebook) => this.closed(notebook));
    this.notebooks.listen(deps.connection);
  }

  /** Whether `uri` is a cell of an open notebook (its diagnostics, actions and hover are answered here). */
  ownsCell(uri: string): boolean {
    return this.notebooks.getNotebookCell(uri) !== undefined;
  }

  /** The pulled report of a cell, or undefined when `uri` is not a notebook cell. */
  async cellReport(
    uri: string,
    previousResultId: string | undefined,
    token: CancellationToken,
  ): Promise<DocumentDiagnosticReport | undefined> {
    const result = await this.cellResult(uri, token);
    if (!result) return undefined;
    if (previousResultId === result.resultId)
      return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: result.resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId: result.resultId, items: result.diagnostics };
  }

  /** Quick fixes in a cell: the suppression edits go to that cell; `ignore-file` covers the whole notebook. */
  cellActions(params: CodeActionParams, docsCommand: string): CodeAction[] | undefined {
    const cell = this.notebooks.getNotebookCell(params.textDocument.uri);
    const document = cell && this.notebooks.getCellTextDocument(cell);
    const notebook = this.notebooks.findNotebookDocumentForCell(params.textDocument.uri);
    if (!document || !notebook) return undefined;
    return suppressionActions({
      uri: document.uri,
      language: 'python',
      lines: linesOf(document.getText()),
      diagnostics: params.context.diagnostics,
      docsCommand,
      suppressionsHonoured: this.deps.policyFor(notebook.uri).policy.inlineSuppressions,
    }).map((action) => ({ ...action, title: action.title.replace(/ in this file$/, ' in this notebook') }));
  }

  async hover(params: HoverParams, token: CancellationToken): Promise<Hover | null | undefined> {
    if (!this.ownsCell(params.textDocument.uri)) return undefined;
    const notebook = this.notebooks.findNotebookDocumentForCell(params.textDocument.uri);
    const result = await this.cellResult(params.textDocument.uri, token);
    const check = notebook && this.checks.get(notebook.uri);
    const here = result?.findings.filter((f) => findingContains(f, params.position)) ?? [];
    if (!check || here.length === 0) return null;
    return {
      contents: {
        kind: 'markdown',
        value: here.map((f) => hoverMarkdown(f, check.policy, ruleDocsHref(f.ruleId))).join('\n\n---\n\n'),
      },
    };
  }

  /** The settings, the trust or a config file changed: check every notebook again. */
  recheckAll(): void {
    for (const uri of this.checks.keys()) this.changed(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    clearTimeout(this.refreshTimer);
  }

  private changed(notebookUri: string): void {
    if (this.deps.pull()) {
      // The client pulls the cells it saw change; the others may change too (a name bound in an earlier
      // cell): one refresh after the edits settle makes it pull them, and unchanged ones answer `unchanged`.
      if (!this.deps.refreshSupported()) return;
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => {
        this.deps.connection.languages.diagnostics
          .refresh()
          .catch((error: unknown) =>
            this.deps.log(`The client did not take a diagnostics refresh: ${String(error)}`),
          );
      }, REFRESH_DELAY_MS);
      return;
    }
    clearTimeout(this.timers.get(notebookUri));
    this.timers.set(
      notebookUri,
      setTimeout(() => {
        this.timers.delete(notebookUri);
        void this.push(notebookUri);
      }, PUSH_DEBOUNCE_MS),
    );
  }

  private closed(notebook: NotebookDocument): void {
    clearTimeout(this.timers.get(notebook.uri));
    this.timers.delete(notebook.uri);
    const check = this.checks.get(notebook.uri);
    this.checks.delete(notebook.uri);
    if (!this.deps.pull() && check)
      for (const uri of check.cells.keys())
        void this.deps.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private async push(notebookUri: string): Promise<void> {
    try {
      const before = this.checks.get(notebookUri)?.cells;
      const check = await this.ensureChecked(notebookUri, CancellationToken.None);
      if (!check) return;
      for (const [uri, result] of check.cells) {
        if (before?.get(uri)?.resultId === result.resultId) continue;
        await this.deps.connection.sendDiagnostics({ uri, diagnostics: result.diagnostics });
      }
      // Cells that went away (or stopped being code) lose their diagnostics.
      for (const uri of before?.keys() ?? [])
        if (!check.cells.has(uri)) await this.deps.connection.sendDiagnostics({ uri, diagnostics: [] });
    } catch (error) {
      this.deps.log(`Could not publish diagnostics for ${notebookUri}: ${String(error)}`);
    }
  }

  private async cellResult(uri: string, token: CancellationToken): Promise<CellResult | undefined> {
    const notebook = this.notebooks.findNotebookDocumentForCell(uri);
    if (!notebook) return undefined;
    const check = await this.ensureChecked(notebook.uri, token);
    return check?.cells.get(uri) ?? { resultId: 'none', key: '[]', diagnostics: [], findings: [] };
  }

  /** The check of the notebook's current version under its current policy (made now if needed). */
  private async ensureChecked(
    notebookUri: string,
    token: CancellationToken,
  ): Promise<NotebookCheck | undefined> {
    await this.deps.settingsLoaded();
    const engine = await this.deps.engine;
    if (token.isCancellationRequested) throw cancelled();
    const notebook = this.notebooks.getNotebookDocument(notebookUri);
    if (!notebook) return undefined;
    const target = this.deps.policyFor(notebookUri);
    const previous = this.checks.get(notebookUri);
    const version = this.versionOf(notebook);
    if (previous && previous.version === version && previous.policyKey === target.key) return previous;
    const check = this.check(engine, notebook, target, previous);
    this.checks.set(notebookUri, check);
    return check;
  }

  private versionOf(notebook: NotebookDocument): string {
    const cells = notebook.cells.map(
      (cell) => `${cell.document}@${this.notebooks.getCellTextDocument(cell)?.version}`,
    );
    return `${notebook.version}:${cells.join(',')}`;
  }

  private check(
    engine: PolicyEngine,
    notebook: NotebookDocument,
    target: DocumentPolicy,
    previous: NotebookCheck | undefined,
  ): NotebookCheck {
    // The synced cells in order (the client sends only the Python code cells the selector names).
    const documents = notebook.cells.map((cell) => this.notebooks.getCellTextDocument(cell));
    const model: Notebook = {
      language: 'python',
      cells: notebook.cells.map((cell, i) => ({
        index: i + 1,
        kind: cell.kind === NotebookCellKind.Code ? 'code' : 'markdown',
        source: documents[i]?.getText() ?? '',
      })),
    };
    const byCell = new Map<string, Diagnostic[]>(notebook.cells.map((cell) => [cell.document, []]));
    const findings = new Map<string, NotebookFinding[]>(notebook.cells.map((cell) => [cell.document, []]));
    const firstCode = notebook.cells.find((cell) => cell.kind === NotebookCellKind.Code)?.document;
    const size = model.cells.reduce((sum, cell) => sum + Buffer.byteLength(cell.source, 'utf8'), 0);
    if (firstCode && size > target.documentSizeLimitBytes) {
      byCell.get(firstCode)!.push(tooLargeNotice(size, target.documentSizeLimitBytes));
    } else if (firstCode) {
      try {
        const result = analyzeNotebook(engine, model, target.policy);
        for (const finding of result.findings) {
          if (finding.suppressed) continue;
          const uri = notebook.cells[finding.cell - 1].document;
          byCell.get(uri)!.push(findingDiagnostic(finding));
          findings.get(uri)!.push(finding);
        }
        if (result.truncated)
          byCell
            .get(firstCode)!
            .push(
              fileNotice(
                'Sandbox Policy stopped analysing this notebook part way (too large, or nested deeper than it follows), so it is not known to be safe.',
                DiagnosticSeverity.Warning,
              ),
            );
      } catch (error) {
        const reason = errorMessage(error);
        this.deps.log(`Could not check ${notebook.uri}: ${reason}`);
        byCell.get(firstCode)!.push(failureNotice(reason));
      }
    }
    const cells = new Map<string, CellResult>();
    for (const [uri, diagnostics] of byCell) {
      const key = JSON.stringify(diagnostics);
      const before = previous?.cells.get(uri);
      const resultId = before?.key === key ? before.resultId : `nb:${++resultCounter}`;
      cells.set(uri, { resultId, key, diagnostics, findings: findings.get(uri)! });
    }
    return { version: this.versionOf(notebook), policyKey: target.key, policy: target.policy, cells };
  }
}
