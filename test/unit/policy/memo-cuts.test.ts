// The evaluation's depth limit keeps what it cut off, each node once: a node cut again and again (a
// cleared cache, another overlay) is one place, so it never fills the list that makes an analysis
// incomplete on its own (`tooManyCuts`); 201 different places do.
import assert from 'node:assert/strict';
import type { Node } from 'web-tree-sitter';
import { Memo } from '../../../src/policy/shared/memo';
import { OPAQUE, type Value } from '../../../src/policy/shared/value';

/** A stand-in node: the memo reads only its id. */
const node = (id: number): Node => ({ id }) as unknown as Node;

describe('the evaluation depth limit’s cut-offs', () => {
  it('keeps a node cut many times once, and counts many different nodes as too many', () => {
    // Depth limit 0: evaluating `outer` evaluates `inner`, one level too deep.
    let inner = node(1);
    const memo: Memo = new Memo(0, (): Value[] => memo.evaluate(inner, false));
    for (let i = 0; i < 300; i++) assert.deepEqual(memo.evaluate(node(1000 + i), false), [OPAQUE]);
    assert.deepEqual(
      memo.cuts.map((cut) => cut.id),
      [1],
    );
    assert.equal(memo.tooManyCuts, false);
    for (let i = 0; i < 201; i++) {
      inner = node(2 + i);
      memo.evaluate(node(5000 + i), false);
    }
    assert.equal(memo.cuts.length, 200);
    assert.equal(memo.tooManyCuts, true);
  });
});
