// Whether the evaluation's depth limit may have dropped a dangerous value. It cut off some nodes
// (memo.ts); one matters when it holds a seed word (a name that leads to a sink) or a use of a name the
// analysis saw holding a dangerous value. Elsewhere, as in a long chain of conditionals that picks a file
// name, nothing dangerous was dropped and the analysis stays complete.
import type { Memo } from './memo';

export interface CutContext {
  /** Seed words and their offsets in the text. */
  seeds: ReadonlyMap<string, readonly number[]>;
  /** Seed words that are keywords, not names (`while`, `import`): they lead nowhere by themselves. */
  keywords: ReadonlySet<string>;
  /** Offsets of the uses of names that held a dangerous (tracked) value. */
  trackedUses: readonly number[];
  /** More offsets that count (Python's names spelled with non-ASCII characters, which may be seeds). */
  extraSeeds?: readonly number[];
}

export function cutsMatter(memo: Memo, context: CutContext): boolean {
  if (memo.tooManyCuts) return true;
  if (memo.cuts.length === 0) return false;
  const offsets = [...context.trackedUses, ...(context.extraSeeds ?? [])];
  for (const [word, at] of context.seeds) if (!context.keywords.has(word)) offsets.push(...at);
  offsets.sort((a, b) => a - b);
  return memo.cuts.some((node) => {
    // The first offset at or after the node's start: is it before its end?
    let low = 0;
    let high = offsets.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (offsets[middle] < node.startIndex) low = middle + 1;
      else high = middle;
    }
    return low < offsets.length && offsets[low] < node.endIndex;
  });
}
