// Where the JavaScript analysis starts: the words found by text (keywords whose statements matter and
// the globals that lead to sinks), and the offsets of any other name it comes to follow.
import type { Node } from 'web-tree-sitter';
import { WordScanner, wordOccurrences } from '../text';
import type { ParentIndex } from '../tree';
import { GLOBAL_NAMES, GLOBAL_OBJECTS } from './catalog/names';

/** Keywords and method names searched for their statements or calls, not as names to resolve. */
export const KEYWORD_SEEDS = [
  'typeof',
  'import',
  'export',
  'while',
  'for',
  'do',
  'constructor',
  'repeat',
  'padStart',
  'padEnd',
  'this',
  'arguments',
  'caller',
];
export const SEEDS = new WordScanner([...KEYWORD_SEEDS, ...GLOBAL_NAMES, ...GLOBAL_OBJECTS]);

/** Names searched for directly before the whole text is indexed once. */
const WORD_SEARCHES = 16;

/**
 * Offsets of a name. A few names are searched for directly; after that one pass indexes every word, so
 * that following many names through a large file does not rescan it for each.
 */
export class WordIndex {
  private words: Map<string, number[]> | undefined;
  private searches = 0;

  constructor(private readonly text: string) {}

  occurrences(name: string): readonly number[] {
    if (!this.words && (++this.searches <= WORD_SEARCHES || this.text.length < 20_000))
      return wordOccurrences(this.text, name);
    if (!this.words) {
      this.words = new Map();
      const pattern = /[\w$\u0080-\uffff]+/g;
      for (let match = pattern.exec(this.text); match; match = pattern.exec(this.text)) {
        const word = match[0];
        if (/^\d/.test(word)) continue;
        const list = this.words.get(word);
        if (list) list.push(match.index);
        else this.words.set(word, [match.index]);
      }
    }
    return this.words.get(name) ?? [];
  }
}

/** TypeScript type queries (`typeof eval`, `typeof import("x")`): names in them are not values. */
export class TypeQueries {
  private spans: Array<[number, number]> | undefined;

  constructor(
    private readonly tree: ParentIndex,
    private readonly typeofOffsets: readonly number[],
  ) {}

  contains(node: Node): boolean {
    if (!this.spans) {
      // Every type query starts with `typeof`: find them once.
      this.spans = [];
      for (const offset of this.typeofOffsets) {
        const keyword = this.tree.descendantAt(offset, offset + 6);
        const query = keyword ? this.tree.parent(keyword) : null;
        if (query?.type === 'type_query') this.spans.push([query.startIndex, query.endIndex]);
      }
    }
    for (const [start, end] of this.spans) {
      if (start <= node.startIndex && node.endIndex <= end) return true;
    }
    return false;
  }
}
