// Shared steps of the extension's feature tests (test/suite/*.test.ts): the extension's test API, the
// fixture files, diagnostics of ours, and settings changed for one test and put back afterwards.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SandboxPolicyApi } from '../../src/extension';
import { expectError } from '../host/expected-errors';
import { waitFor } from '../host/wait';

export const EXTENSION_ID = 'sandbox-policy.sandbox-policy';
export const ANALYSIS_TIMEOUT_MS = 20_000;
export const RUN_TIMEOUT_MS = 90_000;

/**
 * For a describe's `before`: skips the feature tests when the extension under test is not the real one
 * (the test host runs its smoke tests against a stand-in extension until src/extension.ts exists; that
 * stand-in returns no API). The real extension failing to activate still fails the test.
 */
export async function skipUnlessRealExtension(context: Mocha.Context): Promise<void> {
  const extension = vscode.extensions.getExtension<Partial<SandboxPolicyApi> | undefined>(EXTENSION_ID);
  const exports = await extension?.activate();
  if (typeof exports?.panelTranscript !== 'function') {
    console.log('  (skipped: the extension under test is not the real Sandbox Policy extension)');
    context.skip();
  }
}

export async function extensionApi(): Promise<SandboxPolicyApi> {
  const extension = vscode.extensions.getExtension<SandboxPolicyApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this VS Code`);
  return extension.activate();
}

export function fixture(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test host opens the fixture workspace, but no folder is open');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixture(relativePath));
  return vscode.window.showTextDocument(document);
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'sandbox-policy');
}

export function ruleOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

export function describeDiagnostics(uri: vscode.Uri): string {
  const all = vscode.languages.getDiagnostics(uri);
  if (all.length === 0) return 'no diagnostics';
  return all
    .map(
      (d) =>
        `[${d.source ?? 'no source'} ${ruleOf(d)} sev ${d.severity}] line ${d.range.start.line + 1}: ${d.message}`,
    )
    .join('; ');
}

/** Waits until our diagnostics on `uri` satisfy `check`; returns them. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  check: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = ANALYSIS_TIMEOUT_MS,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    () => {
      const found = ours(uri);
      return check(found) ? found : undefined;
    },
    timeoutMs,
    what,
    { seen: () => describeDiagnostics(uri) },
  );
}

/** Sets workspace settings for the duration of `body`, then puts the previous values back. */
export async function withWorkspaceSettings<T>(
  values: Record<string, unknown>,
  body: () => Promise<T>,
): Promise<T> {
  // Writing .vscode/settings.json starts VS Code's JSON language server, which logs this at shutdown.
  expectError(
    /Error: Channel has been closed/,
    'the built-in JSON language client logs it when the host stops',
  );
  const configuration = vscode.workspace.getConfiguration();
  const previous = new Map<string, unknown>();
  for (const key of Object.keys(values)) previous.set(key, configuration.inspect(key)?.workspaceValue);
  try {
    for (const [key, value] of Object.entries(values)) {
      await configuration.update(key, value, vscode.ConfigurationTarget.Workspace);
    }
    return await body();
  } finally {
    for (const [key, value] of previous)
      await configuration.update(key, value, vscode.ConfigurationTarget.Workspace);
  }
}

/** Reverts every unsaved document and closes every editor, so the next test starts from the files on disk. */
export async function closeAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (!document.isDirty || document.isClosed) continue;
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
