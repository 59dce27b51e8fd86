// The run panel's notebook vocabulary: cell headers, the cell that stopped the run, findings and
// traceback links that point into a cell, all validated at both ends like every other message.
import assert from 'node:assert/strict';
import { parseHostMessage, parseWebviewMessage } from '../../../src/vscode/panel/messages';
import { notebookTracebackLinks } from '../../../src/vscode/panel/traceback';

describe('run panel: notebook runs', () => {
  it('accepts a cell header and rejects a cell index that is not 1-based', () => {
    assert.deepEqual(parseHostMessage({ type: 'cell', runId: 3, index: 2 }), {
      type: 'cell',
      runId: 3,
      index: 2,
    });
    for (const index of [0, -1, 1.5, '2', undefined]) {
      assert.equal(parseHostMessage({ type: 'cell', runId: 3, index }), undefined, String(index));
    }
  });

  it('carries the cell that stopped the run, and findings with their cell', () => {
    const finished = {
      type: 'finished',
      runId: 1,
      status: 'error',
      durationMs: 10,
      findings: [
        {
          ruleId: 'command-execution',
          severity: 'HIGH',
          violation: true,
          message: 'm',
          line: 0,
          column: 0,
          cell: 3,
        },
      ],
      stoppedAtCell: 3,
    };
    assert.deepEqual(parseHostMessage(finished), finished);
    assert.equal(parseHostMessage({ ...finished, stoppedAtCell: 0 }), undefined);
    assert.equal(
      parseHostMessage({ ...finished, findings: [{ ...finished.findings[0], cell: 'x' }] }),
      undefined,
    );
  });

  it('opens a place in a cell only with a valid cell index', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'openLocation', runId: 1, line: 2, column: 0, cell: 4 }), {
      type: 'openLocation',
      runId: 1,
      line: 2,
      column: 0,
      cell: 4,
    });
    assert.equal(
      parseWebviewMessage({ type: 'openLocation', runId: 1, line: 2, column: 0, cell: 0 }),
      undefined,
    );
  });

  it('links local cell frames to their cell, and a kernel frame to the cell that failed', () => {
    const local =
      'Traceback (most recent call last):\n  File "<cell 3>", line 2, in <module>\n  File "<cell 1>", line 4, in helper\nZeroDivisionError: division by zero\n';
    assert.deepEqual(
      notebookTracebackLinks(local, 3).map(({ cell, line }) => [cell, line]),
      [
        [3, 1],
        [1, 3],
      ],
    );
    const kernel = 'Cell In[7], line 5\n      3 x = 1\n----> 5 1 / 0\nZeroDivisionError: division by zero';
    assert.deepEqual(
      notebookTracebackLinks(kernel, 4).map(({ cell, line }) => [cell, line]),
      [[4, 4]],
    );
    assert.deepEqual(
      notebookTracebackLinks('  File "/lib/python3.14/json/__init__.py", line 9, in loads', 2),
      [],
    );
  });
});
