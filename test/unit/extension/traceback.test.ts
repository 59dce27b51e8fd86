import assert from 'node:assert/strict';
import { tracebackLinks } from '../../../src/vscode/panel/traceback';

describe('traceback links', () => {
  it('links frames of the file that ran, not other files', () => {
    const tb = [
      'Traceback (most recent call last):',
      '  File "/home/pyodide/main.py", line 7, in <module>',
      '  File "/lib/python3.13/json/__init__.py", line 346, in loads',
      '  File "main.py", line 3, in parse',
      'ValueError: bad',
    ].join('\n');
    const links = tracebackLinks(tb, 'main.py');
    assert.deepEqual(
      links.map((l) => [tb.slice(l.start, l.end), l.line]),
      [
        ['File "/home/pyodide/main.py", line 7', 6],
        ['File "main.py", line 3', 2],
      ],
    );
  });

  it('links Jupyter cell frames from E2B', () => {
    const tb = 'Cell In[1], line 4\n      2 x = 1\n----> 4 1/0\nZeroDivisionError: division by zero';
    assert.deepEqual(tracebackLinks(tb, '/work/a.py'), [{ start: 0, end: 18, line: 3 }]);
  });

  it('ignores line 0 and garbage', () => {
    assert.deepEqual(tracebackLinks('File "a.py", line 0', 'a.py'), []);
    assert.deepEqual(tracebackLinks('nothing here', 'a.py'), []);
  });
});
