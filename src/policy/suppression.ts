// `# sandbox-policy: ignore[rule-id, ...]` (Python) and `// sandbox-policy: ignore[...]` (JS/TS) on the
// line of a finding, or alone on the line before (a comment after code covers only its own line, as with
// ESLint's disable-line / disable-next-line); a bare `ignore` covers every rule; `ignore-file[...]` covers the
// whole file. Only real comment tokens count: the same text inside a string is not a suppression.
import type { LineIndex } from './text';
import type { ParentIndex } from './tree';

const MARKER = 'sandbox-policy:';
const DIRECTIVE = /^sandbox-policy:\s*(ignore-file|ignore)(?:\[([^\]]*)\])?/;
/** What may precede the directive on a line where the comment stands alone. */
const COMMENT_ONLY_PREFIX = /^[ \t]*(?:#|\/\/|\/\*+)[ \t]*$/;

export interface Suppressions {
  /** Whether a finding of `ruleId` starting on `line` is suppressed. */
  covers(line: number, ruleId: string): boolean;
}

/** What a policy that ignores suppression comments uses: nothing is suppressed. */
export const NO_SUPPRESSIONS: Suppressions = { covers: () => false };

type RuleSet = Set<string> | 'all';

function merge(into: Map<number, RuleSet>, line: number, rules: RuleSet): void {
  const existing = into.get(line);
  if (existing === 'all' || rules === 'all') into.set(line, 'all');
  else if (existing) for (const rule of rules) existing.add(rule);
  else into.set(line, new Set(rules));
}

function isComment(tree: ParentIndex, at: number): boolean {
  for (
    let current = tree.descendantAt(at, at + MARKER.length), steps = 0;
    current && steps < 3;
    current = tree.parent(current), steps++
  ) {
    if (current.type === 'comment') return true;
  }
  return false;
}

export function findSuppressions(text: string, tree: ParentIndex, lines: LineIndex): Suppressions {
  const byLine = new Map<number, RuleSet>();
  let file: RuleSet | undefined;
  for (let at = text.indexOf(MARKER); at !== -1; at = text.indexOf(MARKER, at + MARKER.length)) {
    const lineEnd = text.indexOf('\n', at);
    const match = DIRECTIVE.exec(text.slice(at, lineEnd === -1 ? undefined : lineEnd));
    if (!match || !isComment(tree, at)) continue;
    const rules: RuleSet =
      match[2] === undefined
        ? 'all'
        : new Set(
            match[2]
              .split(',')
              .map((rule) => rule.trim())
              .filter(Boolean),
          );
    if (match[1] === 'ignore-file') {
      file = file === undefined ? rules : file;
      if (file !== 'all' && rules !== 'all') for (const rule of rules) file.add(rule);
      else if (rules === 'all') file = 'all';
      continue;
    }
    const line = lines.position(at).line;
    merge(byLine, line, rules);
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    if (COMMENT_ONLY_PREFIX.test(text.slice(lineStart, at))) merge(byLine, line + 1, rules);
  }
  return {
    covers(line, ruleId) {
      if (file === 'all' || (file && file.has(ruleId))) return true;
      const rules = byLine.get(line);
      return rules === 'all' || (!!rules && rules.has(ruleId));
    },
  };
}
