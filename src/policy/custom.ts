// Custom patterns from the policy, run with RE2JS (linear time: a pattern from a settings file cannot hang
// the editor). Matches inside strings and comments are skipped unless the pattern asks to see them.
import { RE2JS } from 're2js';
import type { CustomPattern } from './config';
import type { ParentIndex } from './tree';
import type { Language } from './types';

const MAX_MATCHES_PER_PATTERN = 1000;
const compiled = new Map<string, RE2JS>();

const TEXT_NODES = new Set([
  'string',
  'string_content',
  'string_fragment',
  'concatenated_string',
  'template_string',
  'comment',
  'escape_sequence',
]);

export interface CustomMatch {
  pattern: CustomPattern;
  start: number;
  end: number;
}

function compile(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern);
    if (compiled.size > 500) compiled.clear();
    compiled.set(pattern, re);
  }
  return re;
}

/** Whether the offset is inside a string literal (not an interpolation) or a comment. */
export function insideText(tree: ParentIndex, offset: number): boolean {
  let node = tree.descendantAt(offset, offset + 1);
  for (let steps = 0; node && steps < 8; node = tree.parent(node), steps++) {
    const type = node.type;
    if (TEXT_NODES.has(type)) return true;
    if (type === 'interpolation' || type === 'template_substitution') return false;
  }
  return false;
}

export function customMatches(
  text: string,
  tree: ParentIndex,
  patterns: readonly CustomPattern[],
  language: Language,
): CustomMatch[] {
  const out: CustomMatch[] = [];
  for (const pattern of patterns) {
    if (!pattern.languages.includes(language)) continue;
    const matcher = compile(pattern.pattern).matcher(text);
    let found = 0;
    let from = 0;
    while (found < MAX_MATCHES_PER_PATTERN && from <= text.length && matcher.find(from)) {
      const start = matcher.start();
      const end = matcher.end();
      from = end > start ? end : end + 1;
      if (end === start) continue;
      if (!pattern.matchStrings && insideText(tree, start)) continue;
      out.push({ pattern, start, end });
      found++;
    }
  }
  return out;
}
