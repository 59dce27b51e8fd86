// A rule's documentation. The diagnostics' code links point at the page shipped inside the extension
// (docs/rules/<id>.md): it works offline, matches the installed version of the rule, and opening it sends
// nothing anywhere. "Show documentation" opens that page rendered; only if a rule has no bundled page
// (a custom pattern, say) does it fall back to the engine's online address.
import * as vscode from 'vscode';
import { ruleDocsUrl } from '../policy';
import { isRuleId } from './panel/messages';

export function bundledRuleDocs(extensionUri: vscode.Uri, ruleId: string): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${ruleId}.md`);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

export async function showRuleDocs(extensionUri: vscode.Uri, ruleId: string): Promise<void> {
  if (!isRuleId(ruleId)) throw new Error(`"${ruleId}" is not a rule id`);
  const page = bundledRuleDocs(extensionUri, ruleId);
  if (await exists(page)) {
    await vscode.commands.executeCommand('markdown.showPreview', page);
    return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(ruleDocsUrl(ruleId)));
}
