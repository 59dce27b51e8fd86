// The local runner's cell markers: found wherever the stream cuts them, never confused with output that
// only looks like one, and nothing held back is lost at the end.
import assert from 'node:assert/strict';
import { CellMarkerParser, type MarkerSegment } from '../../../../src/sandbox/pyodide/cell-markers';

const MARKER = '0123456789abcdef0123456789abcdef';
const mark = (index: number): string => `\u001e${MARKER}:${index}\u001e`;

function feedAll(chunks: string[]): MarkerSegment[] {
  const parser = new CellMarkerParser(MARKER);
  const segments = chunks.flatMap((chunk) => parser.feed(chunk));
  const rest = parser.flush();
  if (rest) segments.push({ text: rest });
  // Adjacent text segments joined, so that the result does not depend on where the chunks were cut.
  return segments.reduce<MarkerSegment[]>((out, segment) => {
    const last = out[out.length - 1];
    if (last && 'text' in last && 'text' in segment) last.text += segment.text;
    else out.push({ ...segment });
    return out;
  }, []);
}

describe('cell markers', () => {
  const stream = `${mark(1)}one\n${mark(3)}three, no newline${mark(4)}\u001efour\u001e${MARKER}:x\n`;
  const expected: MarkerSegment[] = [
    { cell: 1 },
    { text: 'one\n' },
    { cell: 3 },
    { text: 'three, no newline' },
    { cell: 4 },
    { text: `\u001efour\u001e${MARKER}:x\n` },
  ];

  it('splits a stream at its markers, whole', () => {
    assert.deepEqual(feedAll([stream]), expected);
  });

  it('finds markers cut at every possible place', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      assert.deepEqual(feedAll([stream.slice(0, cut), stream.slice(cut)]), expected, `cut at ${cut}`);
    }
    assert.deepEqual(feedAll([...stream]), expected, 'one character at a time');
  });

  it('gives back a marker start left unfinished when the run ends', () => {
    assert.deepEqual(feedAll(['end', `\u001e${MARKER}:12`]), [{ text: `end\u001e${MARKER}:12` }]);
  });

  it('ignores markers of another run', () => {
    const other = `\u001e${'f'.repeat(32)}:2\u001e`;
    assert.deepEqual(feedAll([`a${other}b`]), [{ text: `a${other}b` }]);
  });

  it('refuses a marker that is not hex', () => {
    assert.throws(() => new CellMarkerParser('x'.repeat(32)), /hex digits/);
  });
});
