// The language server: wires a connection to the checker (src/server/checker.ts), the settings, the
// project's config files, code actions and hover. Pull diagnostics (`textDocument/diagnostic` with
// result ids) for clients that support them, pushed diagnostics (debounced) for the rest.
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DocumentDiagnosticReportKind,
  MessageType,
  ShowMessageNotification,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type DocumentDiagnosticReport,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { PolicyEngine, isRuleId, resolvePolicy, type ResolvedPolicy } from '../policy';
import { AnalysisPool } from './analysis-pool';
import { Checker, type DocumentPolicy } from './checker';
import { suppressionActions } from './code-actions';
import { ConfigFiles, mergeConfigFile } from './config-files';
import { findingContains, hoverMarkdown } from './hover';
import { ruleDocsHref } from './lsp-findings';
import { NOTEBOOK_DOCUMENT_SYNC, NotebookSync } from './notebooks';
import {
  DID_CHANGE_TRUST_NOTIFICATION,
  OPEN_RULE_DOCS_COMMAND,
  SERVER_NAME,
  SETTINGS_SECTION,
  type DidChangeTrustParams,
  type InitializationOptions,
} from './protocol';
import { linesOf } from './suppression-edit';
import { defaultEditorSettings, interpretServerSettings, type EditorSettings } from './settings';
import { errorMessage } from '../error-message';

/** Push-mode delay after a change, as the extension always debounced. */
const PUSH_DEBOUNCE_MS = 200;
/** How long after the last didOpen the server asks a pull client to pull again (see refreshAfterOpen). */
const OPEN_REFRESH_DELAY_MS = 750;

function fsPathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function version(): string {
  // Read at run time: dist/../package.json in the extension and the npm package.
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../package.json') as { version: string }).version;
  } catch {
    return 'dev';
  }
}

export function startServer(connection: Connection): void {
  const engine = PolicyEngine.create();
  engine.catch((error: unknown) =>
    connection.console.error(`The policy engine could not load: ${errorMessage(error)}`),
  );
  const pool = new AnalysisPool();
  const configFiles = new ConfigFiles();
  let editor: EditorSettings = defaultEditorSettings();
  let generation = 0;
  let trusted = true;
  let roots: string[] = [];
  let docsCommand = OPEN_RULE_DOCS_COMMAND;
  let capabilities: ClientCapabilities = {};
  let pull = false;
  const reported = new Set<string>();
  const merged = new Map<string, ResolvedPolicy>();
  let settingsLoaded: Promise<void> = Promise.resolve();

  const log = (message: string) => connection.console.log(message);
  /** workspace/diagnostic/refresh; a client that fails it (or went away) is logged, never an unhandled rejection. */
  const askClientToPull = (): void => {
    connection.languages.diagnostics
      .refresh()
      .catch((error: unknown) =>
        log(`The client did not take a diagnostics refresh: ${errorMessage(error)}`),
      );
  };
  /** Shows a problem once (the same text again stays quiet), and logs it. */
  const reportOnce = (message: string) => {
    if (reported.has(message)) return;
    reported.add(message);
    connection.console.warn(message);
    void connection.sendNotification(ShowMessageNotification.type, {
      type: MessageType.Warning,
      message: `Sandbox Policy: ${message}`,
    });
  };

  // The policy of a document is looked up once per turn of the message loop: a check asks for it before
  // and after it runs, and each look-up walks up the folders for config files. Settings and trust changes
  // drop what was looked up.
  const lookedUp = new Map<string, DocumentPolicy>();
  const forgetLookups = () => lookedUp.clear();

  const applySettings = (section: unknown): void => {
    const result = interpretServerSettings(section);
    if (result.ok) {
      editor = result.value;
      generation++;
      merged.clear();
      forgetLookups();
      return;
    }
    reportOnce(`${result.message} The last valid settings stay in force.`);
  };

  const policyFor = (uri: string): DocumentPolicy => {
    let found = lookedUp.get(uri);
    if (!found) {
      if (lookedUp.size === 0) setImmediate(forgetLookups);
      found = lookUpPolicy(uri);
      lookedUp.set(uri, found);
    }
    return found;
  };

  const lookUpPolicy = (uri: string): DocumentPolicy => {
    const base = { documentSizeLimitBytes: editor.documentSizeLimitBytes };
    const filePath = fsPathOf(uri);
    const file = filePath ? configFiles.find(filePath, roots) : undefined;
    if (!file) return { ...base, policy: editor.policy, key: `${generation}` };
    const key = `${generation}:${trusted}:${file.path}:${file.stamp}`;
    if (!file.ok) {
      reportOnce(`${file.message}. The file is ignored until it is fixed.`);
      return { ...base, policy: editor.policy, key };
    }
    let policy = merged.get(key);
    if (!policy) {
      const { config, ignored } = mergeConfigFile(editor.policyConfig, file.config, trusted);
      if (ignored.length > 0)
        log(
          `${file.path}: ${ignored.join(', ')} ignored: the workspace is not trusted (it could loosen the policy).`,
        );
      try {
        policy = resolvePolicy(config);
      } catch (error) {
        reportOnce(`${file.path} together with the editor settings: ${errorMessage(error)}`);
        policy = editor.policy;
      }
      if (merged.size >= 64) merged.clear(); // one entry per config file version and settings generation
      merged.set(key, policy);
    }
    return { ...base, policy, key };
  };

  const checker = new Checker({ engine, pool, policyFor, log });
  const notebooks = new NotebookSync({
    connection,
    engine,
    policyFor,
    pull: () => pull,
    refreshSupported: () => capabilities.workspace?.diagnostics?.refreshSupport === true,
    settingsLoaded: () => settingsLoaded,
    log,
    adoptCells: (uris) => uris.forEach((uri) => checker.close(uri)),
  });
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const publish = async (uri: string) => {
    await settingsLoaded;
    try {
      const checked = await checker.ensureChecked(uri);
      if (checked && checker.current(uri) === checked)
        await connection.sendDiagnostics({ uri, version: checked.version, diagnostics: checked.diagnostics });
    } catch (error) {
      log(`Could not publish diagnostics for ${uri}: ${errorMessage(error)}`);
    }
  };

  /** Push mode: checks a document after `delayMs` (restarted by each change). */
  const schedule = (uri: string, delayMs: number) => {
    if (pull) return;
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        void publish(uri);
      }, delayMs),
    );
  };

  const recheckAll = () => {
    notebooks.recheckAll();
    if (pull) {
      if (capabilities.workspace?.diagnostics?.refreshSupport) askClientToPull();
    } else for (const uri of checker.uris) schedule(uri, 0);
  };

  const fetchSettings = async (): Promise<void> => {
    if (!capabilities.workspace?.configuration) return;
    const [section] = (await connection.workspace.getConfiguration([
      { section: SETTINGS_SECTION },
    ])) as unknown[];
    applySettings(section);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    capabilities = params.capabilities;
    pull = capabilities.textDocument?.diagnostic !== undefined;
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    if (typeof options.workspaceTrusted === 'boolean') trusted = options.workspaceTrusted;
    if (typeof options.showRuleDocsCommand === 'string') docsCommand = options.showRuleDocsCommand;
    if (options.settings !== undefined) applySettings(options.settings);
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    roots = folders.map((f) => fsPathOf(f.uri)).filter((p): p is string => p !== undefined);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        notebookDocumentSync: NOTEBOOK_DOCUMENT_SYNC,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
        ...(docsCommand === OPEN_RULE_DOCS_COMMAND
          ? { executeCommandProvider: { commands: [OPEN_RULE_DOCS_COMMAND] } }
          : {}),
        ...(pull
          ? {
              diagnosticProvider: {
                identifier: SERVER_NAME,
                interFileDependencies: false,
                workspaceDiagnostics: false,
              },
            }
          : {}),
      },
      serverInfo: { name: SERVER_NAME, version: version() },
    };
  });

  connection.onInitialized(() => {
    log(`Sandbox Policy language server started (${pull ? 'pull' : 'push'} diagnostics).`);
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration)
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    settingsLoaded = fetchSettings().catch((error: unknown) =>
      log(`Could not read the settings: ${errorMessage(error)}`),
    );
    void settingsLoaded.then(recheckAll);
  });

  connection.onDidChangeConfiguration((params) => {
    const pushed = params.settings as Record<string, unknown> | null | undefined;
    if (
      !capabilities.workspace?.configuration &&
      pushed &&
      typeof pushed === 'object' &&
      SETTINGS_SECTION in pushed
    ) {
      applySettings(pushed[SETTINGS_SECTION]);
      recheckAll();
      return;
    }
    settingsLoaded = fetchSettings().catch((error: unknown) =>
      log(`Could not read the settings: ${errorMessage(error)}`),
    );
    void settingsLoaded.then(recheckAll);
  });

  connection.onNotification(DID_CHANGE_TRUST_NOTIFICATION, (params: DidChangeTrustParams) => {
    if (typeof params?.trusted !== 'boolean' || params.trusted === trusted) return;
    trusted = params.trusted;
    merged.clear();
    forgetLookups();
    recheckAll();
  });

  // vscode-languageclient can lose the pull it makes when a document opens: if the answer lands before the
  // editor counts the document as visible, it drops the answer and does not pull again (seen on a busy
  // machine with a buffer closed and reopened under the same untitled name). One refresh a moment after
  // opens makes it pull every open document again; what was not lost is answered `unchanged`.
  let openRefresh: NodeJS.Timeout | undefined;
  const refreshAfterOpen = (): void => {
    if (!pull || !capabilities.workspace?.diagnostics?.refreshSupport) return;
    clearTimeout(openRefresh);
    openRefresh = setTimeout(askClientToPull, OPEN_REFRESH_DELAY_MS);
  };

  connection.onDidOpenTextDocument(({ textDocument: doc }) => {
    if (notebooks.ownsCell(doc.uri)) return; // a cell is checked with its notebook (src/server/notebooks.ts)
    if (checker.open(doc.uri, doc.languageId, doc.version, doc.text)) schedule(doc.uri, 0);
    refreshAfterOpen();
  });

  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    checker.change(textDocument.uri, textDocument.version, contentChanges);
    schedule(textDocument.uri, PUSH_DEBOUNCE_MS);
  });

  connection.onDidCloseTextDocument(({ textDocument }) => {
    clearTimeout(timers.get(textDocument.uri));
    timers.delete(textDocument.uri);
    checker.close(textDocument.uri);
    if (!pull) void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    // Let a $/cancelRequest or a newer change that is already on the wire land before the work starts.
    await new Promise((resolve) => setImmediate(resolve));
    await settingsLoaded;
    const cell = await notebooks.cellReport(params.textDocument.uri, params.previousResultId, token);
    if (cell) return cell;
    const checked = await checker.ensureChecked(params.textDocument.uri, token);
    if (!checked) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    if (params.previousResultId === checked.resultId)
      return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: checked.resultId };
    return {
      kind: DocumentDiagnosticReportKind.Full,
      resultId: checked.resultId,
      items: checked.diagnostics,
    };
  });

  connection.onCodeAction((params) => {
    const inCell = notebooks.cellActions(params, docsCommand);
    if (inCell) return inCell;
    const open = checker.document(params.textDocument.uri);
    if (!open) return [];
    return suppressionActions({
      uri: params.textDocument.uri,
      language: open.language,
      lines: linesOf(open.document.getText()),
      diagnostics: params.context.diagnostics,
      docsCommand,
      suppressionsHonoured: policyFor(params.textDocument.uri).policy.inlineSuppressions,
    });
  });

  connection.onHover(async (params, token) => {
    await settingsLoaded;
    const inCell = await notebooks.hover(params, token);
    if (inCell !== undefined) return inCell;
    const checked = await checker.ensureChecked(params.textDocument.uri, token);
    const here = checked?.findings.filter((f) => findingContains(f, params.position)) ?? [];
    if (!checked || here.length === 0) return null;
    return {
      contents: {
        kind: 'markdown',
        value: here.map((f) => hoverMarkdown(f, checked.policy, ruleDocsHref(f.ruleId))).join('\n\n---\n\n'),
      },
    };
  });

  connection.onExecuteCommand(async (params) => {
    if (params.command !== OPEN_RULE_DOCS_COMMAND) return;
    const ruleId = params.arguments?.[0];
    if (typeof ruleId !== 'string' || !isRuleId(ruleId)) {
      void connection.window.showErrorMessage(`Sandbox Policy: "${String(ruleId)}" is not a rule id.`);
      return;
    }
    const href = ruleDocsHref(ruleId);
    await connection.window.showDocument({ uri: href, external: !href.startsWith('file:') });
  });

  connection.onShutdown(() => {
    for (const timer of timers.values()) clearTimeout(timer);
    clearTimeout(openRefresh);
    timers.clear();
    checker.dispose();
    notebooks.dispose();
    pool.dispose();
    void engine.then((e) => e.dispose());
  });

  connection.listen();
}
