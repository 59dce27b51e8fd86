// Quick fixes on our diagnostics, the same edits the extension always made (src/server/suppression-edit.ts):
// suppress the rule on this line, suppress it in the file, and show the rule's documentation. None is
// marked preferred: an auto-fix that silences a security finding is not a fix.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import { UNREADABLE_SOURCE, type Language } from '../policy';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from './protocol';
import { suppressFileEdit, suppressLineEdit, type LineEdit, type LineSource } from './suppression-edit';

export function ruleIdOf(diagnostic: Diagnostic): string | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  if (typeof data?.ruleId === 'string') return data.ruleId;
  return diagnostic.code === undefined ? undefined : String(diagnostic.code);
}

function textEdit(edit: LineEdit): TextEdit {
  return {
    range: {
      start: { line: edit.line, character: edit.start },
      end: { line: edit.line, character: edit.end },
    },
    newText: edit.text,
  };
}

export interface CodeActionInput {
  uri: string;
  language: Language;
  lines: LineSource;
  diagnostics: readonly Diagnostic[];
  /** The command that opens a rule's documentation, called with [ruleId]. */
  docsCommand: string;
  /** Whether the document's policy honours suppression comments (`inlineSuppressions`). */
  suppressionsHonoured: boolean;
}

export function suppressionActions(input: CodeActionInput): CodeAction[] {
  const { uri, language, lines, docsCommand } = input;
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  for (const diagnostic of input.diagnostics) {
    const ruleId = ruleIdOf(diagnostic);
    if (!ruleId) continue;
    const line = diagnostic.range.start.line;
    if (line >= lines.lineCount) continue;
    // unreadable-source cannot be suppressed, and a policy may ignore the comments: offering a comment
    // that does nothing would mislead.
    const suppressible = input.suppressionsHonoured && ruleId !== UNREADABLE_SOURCE;
    const lineKey = `${ruleId}:${line}`;
    if (suppressible && !seen.has(lineKey)) {
      seen.add(lineKey);
      const edit = suppressLineEdit(lines, line, ruleId, language);
      if (edit)
        actions.push({
          title: `Suppress ${ruleId} on this line`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: { changes: { [uri]: [textEdit(edit)] } },
        });
    }
    if (seen.has(ruleId)) continue;
    seen.add(ruleId);
    const fileEdit = suppressible ? suppressFileEdit(lines, ruleId, language) : null;
    if (fileEdit)
      actions.push({
        title: `Suppress ${ruleId} in this file`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: { changes: { [uri]: [textEdit(fileEdit)] } },
      });
    const title = `Show documentation for ${ruleId}`;
    actions.push({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title, command: docsCommand, arguments: [ruleId] },
    });
  }
  return actions;
}
