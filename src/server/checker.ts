// The open documents and their checks. Incremental sync: each LSP content change becomes an engine edit
// (offset, length, text) against the text before it, so the engine re-parses and re-checks only what an
// edit touched; the edits that arrive between two checks go to the engine as one covering edit. A check
// runs for the document's current version and policy; one that finishes after a newer version arrived is
// thrown away and the newest is checked. Documents over the size limit are not checked (one informational
// diagnostic says so); large ones are checked in a worker thread so that the message loop keeps answering.
import { CancellationToken, LSPErrorCodes, ResponseError, type Diagnostic } from 'vscode-languageserver';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import {
  languageForPath,
  type Finding,
  type Language,
  type PolicyEngine,
  type ResolvedPolicy,
  type TextEdit,
} from '../policy';
import type { AnalysisPool } from './analysis-pool';
import { coalesceEdits } from './coalesce-edits';
import { failureNotice, resultDiagnostics, tooLargeNotice } from './lsp-findings';
import { errorMessage } from '../error-message';

/** Documents above this many characters are checked in the worker thread, in one piece. */
export const WORKER_THRESHOLD_CHARS = 1_000_000;

const LANGUAGE_IDS: Readonly<Record<string, Language>> = {
  python: 'python',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'typescript',
  typescriptreact: 'typescript',
};

export function documentLanguage(languageId: string, uri: string): Language | undefined {
  if (Object.prototype.hasOwnProperty.call(LANGUAGE_IDS, languageId)) return LANGUAGE_IDS[languageId];
  return languageForPath(decodeURIComponent(uri.split(/[?#]/)[0]));
}

/** The policy a document is checked under, and a key that changes whenever that policy may have. */
export interface DocumentPolicy {
  policy: ResolvedPolicy;
  key: string;
  documentSizeLimitBytes: number;
}

export interface Checked {
  version: number;
  policyKey: string;
  resultId: string;
  diagnostics: Diagnostic[];
  /** Unsuppressed findings (for hover). */
  findings: Finding[];
  policy: ResolvedPolicy;
}

interface OpenDocument {
  document: TextDocument;
  language: Language;
  /** Engine edits since the engine last saw the text; undefined: send the whole text. */
  edits: TextEdit[] | undefined;
  checked?: Checked;
  inflight?: { version: number; policyKey: string; promise: Promise<Checked> };
}

export interface CheckerDeps {
  /** Loading: the server answers (and queues checks) while the grammars load. */
  engine: Promise<PolicyEngine>;
  pool: AnalysisPool;
  policyFor(uri: string): DocumentPolicy;
  log(message: string): void;
}

export function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'the request was cancelled');
}

function utf8Length(text: string, atLeast: number): number {
  // Characters <= bytes <= 3 x characters: count only when it could matter.
  if (text.length > atLeast || text.length * 3 <= atLeast) return text.length;
  return Buffer.byteLength(text, 'utf8');
}

let resultCounter = 0;

export class Checker {
  private readonly documents = new Map<string, OpenDocument>();

  constructor(private readonly deps: CheckerDeps) {}

  get uris(): string[] {
    return [...this.documents.keys()];
  }

  open(uri: string, languageId: string, version: number, text: string): boolean {
    const language = documentLanguage(languageId, uri);
    this.close(uri);
    if (!language) return false;
    this.documents.set(uri, {
      document: TextDocument.create(uri, languageId, version, text),
      language,
      edits: undefined,
    });
    return true;
  }

  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): void {
    const entry = this.documents.get(uri);
    if (!entry) return;
    let document = entry.document;
    for (const change of changes) {
      if ('range' in change) {
        const start = document.offsetAt(change.range.start);
        const end = document.offsetAt(change.range.end);
        entry.edits?.push({ rangeOffset: start, rangeLength: end - start, text: change.text });
      } else entry.edits = undefined;
      document = TextDocument.update(document, [change], version);
    }
    entry.document = document;
  }

  close(uri: string): void {
    if (!this.documents.delete(uri)) return;
    this.closeTree(uri);
  }

  document(uri: string): { document: TextDocument; language: Language } | undefined {
    return this.documents.get(uri);
  }

  /** The last finished check, if it is of the current version. */
  current(uri: string): Checked | undefined {
    const entry = this.documents.get(uri);
    return entry?.checked?.version === entry?.document.version ? entry?.checked : undefined;
  }

  /** Checks the document's current version under its current policy (or returns that check if done). */
  async ensureChecked(
    uri: string,
    token: CancellationToken = CancellationToken.None,
  ): Promise<Checked | undefined> {
    for (;;) {
      const entry = this.documents.get(uri);
      if (!entry) return undefined;
      if (token.isCancellationRequested) throw cancelled();
      const target = this.deps.policyFor(uri);
      const version = entry.document.version;
      const { checked } = entry;
      if (checked && checked.version === version && checked.policyKey === target.key) return checked;
      let inflight = entry.inflight;
      if (!inflight || inflight.version !== version || inflight.policyKey !== target.key) {
        const promise = this.check(uri, entry, target);
        inflight = { version, policyKey: target.key, promise };
        entry.inflight = inflight;
      }
      const result = await raceCancellation(inflight.promise, token);
      if (entry.inflight === inflight) entry.inflight = undefined;
      if (this.documents.get(uri) !== entry) return undefined;
      if (entry.document.version === result.version) {
        if (!entry.checked || entry.checked.resultId !== result.resultId) entry.checked = result;
        if (result.policyKey === this.deps.policyFor(uri).key) return result;
      }
      // A newer version (or policy) arrived while the check ran off the message loop: check that.
    }
  }

  private async check(uri: string, entry: OpenDocument, target: DocumentPolicy): Promise<Checked> {
    const { document, language } = entry;
    const version = document.version;
    const text = document.getText();
    const finish = (diagnostics: Diagnostic[], findings: Finding[] = []): Checked => ({
      version,
      policyKey: target.key,
      resultId: `${version}:${++resultCounter}`,
      diagnostics,
      findings,
      policy: target.policy,
    });
    const bytes = utf8Length(text, target.documentSizeLimitBytes);
    if (bytes > target.documentSizeLimitBytes) {
      this.forgetTree(uri, entry);
      return finish([tooLargeNotice(bytes, target.documentSizeLimitBytes)]);
    }
    try {
      if (text.length > WORKER_THRESHOLD_CHARS) {
        this.forgetTree(uri, entry);
        const result = await this.deps.pool.analyze(text, language, target.policy, uri);
        return finish(
          resultDiagnostics(result),
          result.findings.filter((f) => !f.suppressed),
        );
      }
      const engine = await this.deps.engine;
      const edits = entry.edits;
      entry.edits = [];
      const result = engine.update(
        uri,
        text,
        language,
        target.policy,
        edits && edits.length > 1 ? [coalesceEdits(edits, text)] : edits,
      );
      return finish(
        resultDiagnostics(result),
        result.findings.filter((f) => !f.suppressed),
      );
    } catch (error) {
      // The engine's tree for this document can no longer be trusted: start again from the full text.
      this.forgetTree(uri, entry);
      const reason = errorMessage(error);
      this.deps.log(`Could not check ${uri}: ${reason}`);
      return finish([failureNotice(reason)]);
    }
  }

  private forgetTree(uri: string, entry: OpenDocument): void {
    this.closeTree(uri);
    entry.edits = undefined;
  }

  private closeTree(uri: string): void {
    this.deps.engine.then(
      (engine) => engine.close(uri),
      () => undefined,
    );
  }

  dispose(): void {
    for (const uri of this.uris) this.close(uri);
  }
}

function raceCancellation<T>(promise: Promise<T>, token: CancellationToken): Promise<T> {
  if (token === CancellationToken.None) return promise;
  return new Promise<T>((resolve, reject) => {
    const listener = token.onCancellationRequested(() => reject(cancelled()));
    promise.then(
      (value) => {
        listener.dispose();
        resolve(value);
      },
      (error: unknown) => {
        listener.dispose();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
