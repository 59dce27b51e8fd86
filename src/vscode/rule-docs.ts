// A rule's documentation. The diagnostics' code links (set by the language server, src/server/lsp-findings.ts)
// point at the page shipped inside the extension
// (docs/rules/<id>.md): it works offline, matches the installed version of the rule, and opening it sends
// nothing anywhere. Only a rule without a bundled page (none should be missing; a custom pattern, say)
// links to the engine's online address instead. "Show documentation" opens the bundled page rendered.
import fs from 'node:fs';
import * as vscode from 'vscode';
import { ruleDocsUrl } from '../policy';
import { isRuleId } from './panel/messages';

/** The command behind "Show documentation for <rule>" (the language server's code action calls it). */
export const SHOW_RULE_DOCS_COMMAND = 'sandboxPolicy.showRuleDocumentation';

/** Whether each rule's page is in the installed extension, checked once per rule. */
const bundled = new Map<string, boolean>();

function bundledPage(extensionUri: vscode.Uri, ruleId: string): vscode.Uri | undefined {
  const page = vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${ruleId}.md`);
  if (!bundled.has(ruleId)) bundled.set(ruleId, page.scheme === 'file' && fs.existsSync(page.fsPath));
  return bundled.get(ruleId) ? page : undefined;
}

export async function showRuleDocs(extensionUri: vscode.Uri, ruleId: string): Promise<void> {
  if (!isRuleId(ruleId)) throw new Error(`"${ruleId}" is not a rule id`);
  const page = bundledPage(extensionUri, ruleId);
  if (page) await vscode.commands.executeCommand('markdown.showPreview', page);
  else await vscode.env.openExternal(vscode.Uri.parse(ruleDocsUrl(ruleId)));
}
