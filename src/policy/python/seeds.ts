// Seeds: the words an analysis starts from, found by one text scan (no tree walk), and what the text
// around an occurrence says before the tree is asked (an attribute name, `X.attr`, a possible binding).
import type { Node } from 'web-tree-sitter';
import { WordScanner, isIdentifierChar, normalizedIdentifiers, wordOccurrences } from '../text';
import { ESCAPE_ATTRIBUTES, SEED_BUILTINS, UNBOUND_NAMES } from './catalog/names';
import { same, type Source } from './state';
import { REEXPORTED_MODULES } from './values';
import type { ParentIndex } from '../tree';

const SEED_NAMES = [
  'import',
  'while',
  'shell',
  '__builtins__',
  // `object.__getattribute__(os, "system")`, `os.__getattribute__("system")`: getattr under another name.
  '__getattribute__',
  ...SEED_BUILTINS,
  ...ESCAPE_ATTRIBUTES,
  ...Object.keys(UNBOUND_NAMES),
  ...Object.keys(REEXPORTED_MODULES),
];
/** Seeds that are handled by a pass of their own, not as names. */
export const KEYWORD_SEEDS = new Set(['import', 'while', 'shell']);
const SEEDS = new WordScanner(SEED_NAMES);
/** Operators and literals that can make a huge number: `**`, `<<`, long decimals, long hex, big exponents. */
export const NUMERIC_SEEDS =
  /\*\*|<<|(?<![\w.])(?:[0-9][0-9_]{8,}|0[xX][0-9a-fA-F_]{7,}|[0-9][0-9_]*(?:\.[0-9_]*)?[eE]\+?(?:[89]|[0-9]{2,}))(?![\w.])/g;
const MEMBER_AFTER = /[ \t]*\.[ \t]*([A-Za-z_][A-Za-z0-9_]*)/y;
const NEXT_CHAR = /[ \t]*(\S)/y;

/**
 * The source of an analysis with its seed occurrences: in the whole text, or (focused on an edited
 * function) in the focus only, besides every `import` (bindings are read everywhere).
 */
export function scanSeeds(
  text: string,
  root: Node,
  tree: ParentIndex,
  focus?: { start: number; end: number },
): { source: Source; seeds: Map<string, number[]> } {
  const normalized = normalizedIdentifiers(text);
  let seeds: Map<string, number[]>;
  let wholeText = new Map<string, number[]>();
  if (focus) {
    // Uses are looked for in the focus only; bindings anywhere (occurrencesOf scans the whole text).
    seeds = new Map();
    for (const [name, offsets] of SEEDS.scan(text.slice(focus.start, focus.end))) {
      seeds.set(
        name,
        offsets.map((offset) => offset + focus.start),
      );
    }
    seeds.set('import', wordOccurrences(text, 'import'));
  } else {
    seeds = SEEDS.scan(text);
    wholeText = seeds;
  }
  for (const name of normalized.keys()) {
    if (SEED_NAMES.includes(name) && !seeds.has(name)) seeds.set(name, []);
  }
  return { source: { text, root, tree, focus, normalized, seeds: wholeText }, seeds };
}

/** Every occurrence of a word in the text, as (offset, length), its non-ASCII spellings included. */
export function occurrencesOf(source: Source, name: string): Array<[number, number]> {
  const out: Array<[number, number]> = (source.seeds.get(name) ?? wordOccurrences(source.text, name)).map(
    (offset) => [offset, name.length],
  );
  for (const pair of source.normalized.get(name) ?? []) out.push(pair);
  return out;
}

/** The identifier node exactly at an occurrence, if the occurrence is one (not text in a string). */
export function identifierAt(source: Source, start: number, length: number): Node | undefined {
  const node = source.tree.descendantAt(start, start + length);
  if (!node || node.startIndex !== start || node.endIndex !== start + length) return undefined;
  return node.type === 'identifier' ? node : undefined;
}

export function previousChar(text: string, offset: number): string {
  let i = offset - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i >= 0 ? text[i] : '';
}

/** The attribute read right after an occurrence (`X.attr`), if the text says so. */
export function memberAfter(text: string, end: number): string | undefined {
  MEMBER_AFTER.lastIndex = end;
  return MEMBER_AFTER.exec(text)?.[1];
}

/**
 * Whether an occurrence can be a binding, judged from the text around it: an attribute name (`.x`) or
 * a name followed by `.`, `(` or `[` never is, except the name of a def or class.
 */
export function maybeBinding(text: string, offset: number, length: number): boolean {
  if (previousChar(text, offset) === '.') return false;
  NEXT_CHAR.lastIndex = offset + length;
  const next = NEXT_CHAR.exec(text)?.[1];
  if (next !== '.' && next !== '(' && next !== '[') return true;
  return /(?:^|\W)(?:def|class)\s+$/.test(text.slice(Math.max(0, offset - 12), offset));
}

/** The `x.name` attribute node whose name is at an offset, unless it is assigned to or deleted. */
export function attributeRead(source: Source, offset: number, length: number): Node | undefined {
  const node = identifierAt(source, offset, length);
  const attribute = node ? source.tree.parent(node) : null;
  if (!node || attribute?.type !== 'attribute' || !same(attribute.childForFieldName('attribute'), node))
    return undefined;
  const parent = source.tree.parent(attribute);
  if (
    parent &&
    (parent.type === 'assignment' || parent.type === 'augmented_assignment') &&
    same(parent.childForFieldName('left'), attribute)
  )
    return undefined;
  return attribute;
}

/** The name a `with <value> as <name>` item binds, when `value` (if given) is its context expression. */
export function withTarget(source: Source, asPattern: Node, value?: Node): Node | undefined {
  if (source.tree.parent(asPattern)?.type !== 'with_item') return undefined;
  if (value && !same(asPattern.firstNamedChild, value)) return undefined;
  const target = asPattern.childForFieldName('alias')?.firstNamedChild;
  return target?.type === 'identifier' ? target : undefined;
}

/** What tree-sitter skips between `def` and the name: ASCII whitespace and the invisible characters it allows. */
const SKIPPED_AFTER_DEF = /[ \t\n\r\f\v\uFEFF\u2060\u200B]/;
const ASCII_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Every name a `def` of the text can bind, found by text: the word after each `def`, past whitespace,
 * line continuations and comments. A superset (a `def` in a string or comment adds a word), so a name not
 * in it is bound by no def. Undefined when the text cannot tell: a tree with syntax errors (recovery may
 * take another word as the name) or a name spelled with other than ASCII letters, digits and `_`.
 */
export function definedNames(source: Source): Set<string> | undefined {
  if (source.root.hasError) return undefined;
  const text = source.text;
  const names = new Set<string>();
  for (const offset of wordOccurrences(text, 'def')) {
    let i = offset + 3;
    while (i < text.length) {
      if (SKIPPED_AFTER_DEF.test(text[i])) i++;
      else if (text[i] === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r')) i += 2;
      else if (text[i] === '#') while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      else break;
    }
    let end = i;
    while (end < text.length && isIdentifierChar(text.charCodeAt(end))) end++;
    if (end === i) continue; // not the keyword: text in a string or comment
    const word = text.slice(i, end);
    if (!ASCII_NAME.test(word)) return undefined;
    names.add(word);
  }
  return names;
}
