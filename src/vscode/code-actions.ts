// Quick fixes on our diagnostics: suppress the rule on this line (merged into an existing suppression
// comment, indentation kept; see suppression-edit.ts), suppress it in the whole file (`ignore-file`),
// and show the rule's documentation.
import * as vscode from 'vscode';
import { UNREADABLE_SOURCE } from '../policy';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { engineLanguage } from './documents';
import { suppressFileEdit, suppressLineEdit, type LineEdit, type LineSource } from './suppression-edit';

export const SHOW_RULE_DOCS_COMMAND = 'sandboxPolicy.showRuleDocumentation';

function ruleIdOf(diagnostic: vscode.Diagnostic): string | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const code = diagnostic.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return code === undefined ? undefined : String(code);
}

function lineSource(document: vscode.TextDocument): LineSource {
  return { lineCount: document.lineCount, lineText: (line) => document.lineAt(line).text };
}

function toWorkspaceEdit(document: vscode.TextDocument, edit: LineEdit): vscode.WorkspaceEdit {
  const workspaceEdit = new vscode.WorkspaceEdit();
  const range = new vscode.Range(edit.line, edit.start, edit.line, edit.end);
  workspaceEdit.replace(document.uri, range, edit.text);
  return workspaceEdit;
}

export class SuppressionCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const language = engineLanguage(document);
    if (!language) return [];
    const actions: vscode.CodeAction[] = [];
    const seen = new Set<string>();
    for (const diagnostic of context.diagnostics) {
      const ruleId = ruleIdOf(diagnostic);
      if (!ruleId) continue;
      // unreadable-source cannot be suppressed: offering a comment that does nothing would mislead.
      const suppressible = ruleId !== UNREADABLE_SOURCE;
      const line = diagnostic.range.start.line;
      const lineKey = `${ruleId}:${line}`;
      if (suppressible && !seen.has(lineKey)) {
        seen.add(lineKey);
        const edit = suppressLineEdit(lineSource(document), line, ruleId, language);
        if (edit) {
          const action = new vscode.CodeAction(
            `Suppress ${ruleId} on this line`,
            vscode.CodeActionKind.QuickFix,
          );
          action.edit = toWorkspaceEdit(document, edit);
          action.diagnostics = [diagnostic];
          actions.push(action);
        }
      }
      if (!seen.has(ruleId)) {
        seen.add(ruleId);
        const fileEdit = suppressible ? suppressFileEdit(lineSource(document), ruleId, language) : null;
        if (fileEdit) {
          const action = new vscode.CodeAction(
            `Suppress ${ruleId} in this file`,
            vscode.CodeActionKind.QuickFix,
          );
          action.edit = toWorkspaceEdit(document, fileEdit);
          action.diagnostics = [diagnostic];
          actions.push(action);
        }
        const docs = new vscode.CodeAction(
          `Show documentation for ${ruleId}`,
          vscode.CodeActionKind.QuickFix,
        );
        docs.command = { title: docs.title, command: SHOW_RULE_DOCS_COMMAND, arguments: [ruleId] };
        actions.push(docs);
      }
    }
    return actions;
  }
}
