// Binary search over rows sorted by where they take effect (bindings of a name, in text order).

/** Index of the last row at or before `offset` in a list sorted by `pos`, or -1. */
export function lastAtOrBefore(sorted: readonly { pos: number }[], offset: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].pos <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
