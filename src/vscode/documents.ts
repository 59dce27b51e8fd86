// Which documents the extension looks at, and in which language the engine should read them: only real
// files and untitled buffers (never output channels, git diffs, settings or other virtual documents).
import type * as vscode from 'vscode';
import type { Language } from '../policy';

export const CHECKED_SCHEMES: readonly string[] = ['file', 'untitled'];

const LANGUAGES: Readonly<Record<string, Language>> = {
  python: 'python',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'typescript',
};

export const CHECKED_LANGUAGE_IDS: readonly string[] = Object.keys(LANGUAGES);

export const DOCUMENT_SELECTOR: vscode.DocumentSelector = CHECKED_SCHEMES.flatMap((scheme) =>
  CHECKED_LANGUAGE_IDS.map((language) => ({ scheme, language })),
);

export function engineLanguage(document: vscode.TextDocument): Language | undefined {
  if (!CHECKED_SCHEMES.includes(document.uri.scheme)) return undefined;
  return Object.prototype.hasOwnProperty.call(LANGUAGES, document.languageId)
    ? LANGUAGES[document.languageId]
    : undefined;
}

/** The name shown for a document in the panel and the audit log: its path, or the untitled name. */
export function displayName(document: { readonly uri: vscode.Uri }): string {
  return document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.toString();
}

/** A base name for tracebacks (`main.py`), also for untitled buffers. */
export function runFileName(document: { readonly uri: vscode.Uri }): string {
  const last = document.uri.path.split('/').pop() || 'untitled';
  return document.uri.scheme === 'untitled' && !last.endsWith('.py') ? `${last}.py` : last;
}
