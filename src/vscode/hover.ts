// Hover over a finding: what the rule guards against, how the active preset rates it, and where its
// documentation is. Text that comes from the code (the finding's message) is added as plain text, and
// the markdown is not trusted, so nothing in a document can turn into a command link.
import * as vscode from 'vscode';
import { ruleInfo } from '../policy/rules';
import type { Finding, ResolvedPolicy } from '../policy';

export interface HoverSources {
  findings(uri: vscode.Uri): readonly Finding[];
  policy(): ResolvedPolicy;
  ruleDocs(ruleId: string): vscode.Uri;
}

function contains(finding: Finding, position: vscode.Position): boolean {
  const { start, end } = finding.range;
  const range = new vscode.Range(start.line, start.column, end.line, end.column);
  return range.contains(position);
}

export function hoverMarkdown(
  finding: Finding,
  policy: ResolvedPolicy,
  docs: vscode.Uri,
): vscode.MarkdownString {
  const info = ruleInfo(finding.ruleId);
  const markdown = new vscode.MarkdownString();
  markdown.appendMarkdown(`**Sandbox Policy** · \`${finding.ruleId}\` · ${finding.severity}\n\n`);
  markdown.appendText(finding.message);
  markdown.appendMarkdown('\n\n');
  if (info) {
    markdown.appendMarkdown(`*Why it matters:* `);
    markdown.appendText(`${info.title}. ${info.description}`);
    markdown.appendMarkdown('\n\n');
  }
  const verdict = finding.violation
    ? `a violation: the \`${policy.preset}\` preset blocks ${policy.threshold} and above, so Run Sandboxed refuses this file.`
    : `below the \`${policy.preset}\` preset's threshold (${policy.threshold}): reported, not blocked.`;
  markdown.appendMarkdown(`This is ${verdict}\n\n`);
  markdown.appendMarkdown(
    `[Rule documentation](${docs.toString()}) · Quick Fix (Ctrl+.) to suppress it on this line.`,
  );
  return markdown;
}

export class FindingHover implements vscode.HoverProvider {
  constructor(private readonly sources: HoverSources) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const here = this.sources.findings(document.uri).filter((finding) => contains(finding, position));
    if (here.length === 0) return undefined;
    const policy = this.sources.policy();
    return new vscode.Hover(
      here.map((finding) => hoverMarkdown(finding, policy, this.sources.ruleDocs(finding.ruleId))),
    );
  }
}
