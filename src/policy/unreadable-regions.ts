// Fail closed on code the parser could not read. tree-sitter recovers from a syntax error by wrapping
// what it could not parse in an ERROR node, and the analysis never looks inside one. That is harmless
// when the runtime refuses the file too, but a grammar can lag the language (TypeScript's
// `export import cp = require("child_process")` is one), and then code that runs is passed over. A region
// the parser could not read that names a way to a sink is reported as unreadable-source, never safe.
import type { Node, TreeCursor } from 'web-tree-sitter';
import { UNREADABLE_SOURCE } from './rules';
import type { Suppressions } from './suppression';
import { unreadableFinding } from './source';
import type { LineIndex } from './text';
import type { Finding, Language } from './types';

/** Names that lead to a sink: an unreadable region that mentions one may hide it. */
const SINK_WORDS: Record<Language, RegExp> = {
  python:
    /\b(?:import|__import__|exec|eval|compile|os|subprocess|sys|builtins|__builtins__|getattr|open|ctypes|socket|importlib|globals|__globals__|__subclasses__|pty|shutil)\b/g,
  javascript:
    /\b(?:require|import|eval|Function|process|child_process|vm|globalThis|global|module|fetch|WebSocket|XMLHttpRequest|constructor)\b/g,
  typescript:
    /\b(?:require|import|eval|Function|process|child_process|vm|globalThis|global|module|fetch|WebSocket|XMLHttpRequest|constructor)\b/g,
};
/** Nodes whose children are statements. */
const STATEMENT_LISTS = new Set(['program', 'module', 'block', 'statement_block', 'class_body']);

interface Span {
  start: number;
  end: number;
}

/** Regions reported at most per file; the first of them is enough to make it unsafe. */
const MAX_REGIONS = 5;
/** Nodes visited at most while looking for regions (a tree with errors is walked apart from the analysis). */
const MAX_VISITS = 200_000;
/** Characters of a region searched for a sink word. */
const MAX_REGION_TEXT = 100_000;
/** Characters searched at most in all regions together. */
const MAX_SCANNED_TEXT = 4_000_000;

/** Whether a file is a TypeScript declaration file, which holds types only and never runs. */
export function isDeclarationFile(path: string | undefined): boolean {
  return !!path && /\.d\.[cm]?ts$/i.test(path);
}

/** unreadable-source findings for the regions the parser could not read that mention a way to a sink. */
export function unreadableRegions(
  language: Language,
  text: string,
  root: Node,
  lines: LineIndex,
  suppressions: Suppressions,
): Finding[] {
  if (!root.hasError) return [];
  const findings: Finding[] = [];
  const cursor = root.walk();
  let scanned = 0;
  try {
    for (let visits = 0; findings.length < MAX_REGIONS; visits++) {
      const node = cursor.currentNode;
      if (visits >= MAX_VISITS || scanned >= MAX_SCANNED_TEXT) {
        // Regions left unsearched may hide a sink: fail closed rather than stop quietly.
        findings.push(budgetFinding(node.startIndex, lines));
        break;
      }
      const region = node.type === 'ERROR' ? { start: node.startIndex, end: node.endIndex } : undefined;
      const span = region ?? (node.isMissing ? missingSpan(node) : undefined);
      if (span) {
        const end = Math.min(span.end, span.start + MAX_REGION_TEXT);
        scanned += end - span.start;
        const words = sinkWords(language, text.slice(span.start, end));
        if (words.length > 0) findings.push(regionFinding(span, words, lines, suppressions));
      }
      // Into a subtree only where an error is: the rest of the tree was read.
      if (!region && node.hasError && cursor.gotoFirstChild()) continue;
      if (!nextOutside(cursor)) break;
    }
  } finally {
    cursor.delete();
  }
  return findings;
}

function budgetFinding(offset: number, lines: LineIndex): Finding {
  const at = lines.position(offset);
  const reason = `too much code around syntax errors to search for what the parser could not read (over ${MAX_VISITS.toLocaleString('en-US')} nodes or ${MAX_SCANNED_TEXT.toLocaleString('en-US')} characters)`;
  return { ...unreadableFinding(reason), range: { start: at, end: at } };
}

/** Moves to the next sibling, or to the next sibling of the nearest ancestor that has one. */
function nextOutside(cursor: TreeCursor): boolean {
  do {
    if (cursor.gotoNextSibling()) return true;
  } while (cursor.gotoParent());
  return false;
}

/**
 * Where a token the parser made up (a MISSING node) may have misread the code: its statement and the next
 * one (`export import cp = require("child_process")` reads as an alias of `require`, a made-up `;`, and
 * a parenthesized string).
 */
function missingSpan(node: Node): Span {
  let statement = node;
  while (statement.parent && statement.parent.parent && !STATEMENT_LISTS.has(statement.parent.type))
    statement = statement.parent;
  return { start: statement.startIndex, end: (statement.nextSibling ?? statement).endIndex };
}

/** The distinct sink words a region mentions, the first few. */
function sinkWords(language: Language, region: string): string[] {
  const found = new Set<string>();
  for (const match of region.matchAll(SINK_WORDS[language])) {
    found.add(match[0]);
    if (found.size === 3) break;
  }
  return [...found];
}

function regionFinding(span: Span, words: string[], lines: LineIndex, suppressions: Suppressions): Finding {
  const range = { start: lines.position(span.start), end: lines.position(span.end) };
  const named = words.map((word) => `\`${word}\``).join(', ');
  const reason = `the parser could not read this code (a syntax error, or syntax the grammar does not know) and it mentions ${named}`;
  return {
    ...unreadableFinding(reason),
    range,
    suppressed: suppressions.covers(range.start.line, UNREADABLE_SOURCE),
  };
}
