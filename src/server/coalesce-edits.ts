// Several edits that arrived between two checks (keystrokes typed while the previous check ran, a
// multi-cursor edit) as one edit covering them all. The engine re-checks only the edited function when it
// is handed a single edit; a list of edits makes it re-analyse the whole file, which under fast typing
// would happen on every check.
import type { TextEdit } from '../policy';

/**
 * One edit that turns the text the first of `edits` applied to into `text` (the text after all of them):
 * the span from the first changed offset to the last, in the old text's offsets, replaced by that span of
 * `text`. `edits` are in the order they were applied, each in the offsets of the text before it.
 */
export function coalesceEdits(edits: readonly TextEdit[], text: string): TextEdit {
  // The changed window [start, end) in the current text; outside it the text is the old text, shifted by
  // `delta` after it.
  let start = Infinity;
  let end = -Infinity;
  let delta = 0;
  for (const edit of edits) {
    const growth = edit.text.length - edit.rangeLength;
    end = Math.max(end, edit.rangeOffset + edit.rangeLength) + growth;
    start = Math.min(start, edit.rangeOffset);
    delta += growth;
  }
  return { rangeOffset: start, rangeLength: end - delta - start, text: text.slice(start, end) };
}
