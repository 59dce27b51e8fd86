// Hover over a finding: what the rule guards against, how the active preset rates it, and where its
// documentation is. Text from the code (the finding's message) is escaped, so nothing in a document can
// turn into a link or markup.
import type { Position } from 'vscode-languageserver';
import { ruleInfo, type Finding, type ResolvedPolicy } from '../policy';

/** Escapes markdown so that text shows as written (CommonMark's backslash escapes). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&').replace(/\n/g, '  \n');
}

export function findingContains(finding: Finding, position: Position): boolean {
  const { start, end } = finding.range;
  const after =
    position.line > start.line || (position.line === start.line && position.character >= start.column);
  const before = position.line < end.line || (position.line === end.line && position.character <= end.column);
  return after && before;
}

export function hoverMarkdown(finding: Finding, policy: ResolvedPolicy, docsHref: string): string {
  const info = ruleInfo(finding.ruleId);
  const parts = [
    `**Sandbox Policy** · \`${finding.ruleId}\` · ${finding.severity}`,
    escapeMarkdown(finding.message),
  ];
  if (info) parts.push(`*Why it matters:* ${escapeMarkdown(`${info.title}. ${info.description}`)}`);
  const verdict = finding.violation
    ? `a violation: the \`${policy.preset}\` preset blocks ${policy.threshold} and above, so Run Sandboxed refuses this file.`
    : `below the \`${policy.preset}\` preset's threshold (${policy.threshold}): reported, not blocked.`;
  parts.push(`This is ${verdict}`);
  parts.push(`[Rule documentation](${docsHref}) · a quick fix suppresses it on this line.`);
  return parts.join('\n\n');
}
