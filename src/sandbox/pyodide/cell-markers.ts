// Splits a notebook run's stdout at the cell markers the driver writes before each cell
// (`\u001e<marker>:<index>\u001e`, with a marker made fresh for every run), so that the output of each
// cell stays with it. The markers travel in stdout itself because only that keeps them in order with
// the output around them. A program can print a marker only by reading it out of the driver, and then
// misattributes nothing but its own output: the markers carry no authority.

export type MarkerSegment = { text: string } | { cell: number };

const SEPARATOR = '\u001e';

export class CellMarkerParser {
  private readonly prefix: string;
  private readonly pattern: RegExp;
  private pending = '';

  constructor(marker: string) {
    if (!/^[0-9a-f]{16,64}$/.test(marker)) throw new Error('a cell marker is 16 to 64 hex digits');
    this.prefix = `${SEPARATOR}${marker}:`;
    this.pattern = new RegExp(`${SEPARATOR}${marker}:(\\d{1,9})${SEPARATOR}`, 'g');
  }

  /** The text and cell starts in `text`, in order; a marker cut across chunks is kept until it completes. */
  feed(text: string): MarkerSegment[] {
    const buffer = this.pending + text;
    const segments: MarkerSegment[] = [];
    let from = 0;
    for (const match of buffer.matchAll(this.pattern)) {
      if (match.index > from) segments.push({ text: buffer.slice(from, match.index) });
      segments.push({ cell: Number(match[1]) });
      from = match.index + match[0].length;
    }
    const held = this.heldFrom(buffer, from);
    if (held > from) segments.push({ text: buffer.slice(from, held) });
    this.pending = buffer.slice(held);
    return segments;
  }

  /** Whatever was held back as a possible marker start, at the end of the run. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }

  /** Where a possible unfinished marker starts in `buffer` (at or after `from`), else its end. */
  private heldFrom(buffer: string, from: number): number {
    const start = buffer.lastIndexOf(SEPARATOR);
    if (start < from) return buffer.length;
    const tail = buffer.slice(start);
    const unfinished =
      this.prefix.startsWith(tail) ||
      (tail.startsWith(this.prefix) && /^\d{0,9}$/.test(tail.slice(this.prefix.length)));
    return unfinished ? start : buffer.length;
  }
}
