// parseNotebook: nbformat 4 in, cells and language out; everything else a NotebookFormatError that says
// what is wrong and what to do.
import assert from 'node:assert/strict';
import { NotebookFormatError, parseNotebook } from '../../../src/notebook/model';
import { ipynb } from './helpers';

describe('parseNotebook', () => {
  it('reads the cells in order, numbered among all cells, with list or string sources', () => {
    const parsed = parseNotebook(
      ipynb(['import os\nx = 1\n', ['markdown', '# Title'], ['raw', 'raw text'], 'os.getcwd()']),
    );
    assert.deepEqual(parsed.cells, [
      { index: 1, kind: 'code', source: 'import os\nx = 1\n' },
      { index: 2, kind: 'markdown', source: '# Title' },
      { index: 3, kind: 'raw', source: 'raw text' },
      { index: 4, kind: 'code', source: 'os.getcwd()' },
    ]);
    assert.equal(parsed.language, 'python');
    const single = parseNotebook(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 2,
        metadata: {},
        cells: [{ cell_type: 'code', source: 'a = 1\nb = 2' }],
      }),
    );
    assert.deepEqual(single.cells, [{ index: 1, kind: 'code', source: 'a = 1\nb = 2' }]);
  });

  it('takes the language from the kernelspec, else language_info, else python', () => {
    assert.equal(parseNotebook(ipynb(['x <- 1'], 'R')).language, 'r');
    const info = { nbformat: 4, metadata: { language_info: { name: 'julia' } }, cells: [] };
    assert.equal(parseNotebook(JSON.stringify(info)).language, 'julia');
    assert.equal(parseNotebook(JSON.stringify({ nbformat: 4, cells: [] })).language, 'python');
  });

  it('accepts a UTF-8 byte order mark before the JSON', () => {
    assert.equal(parseNotebook(`\ufeff${ipynb(['x = 1'])}`).cells.length, 1);
  });

  const malformed: Array<[string, string, RegExp]> = [
    ['text that is not JSON', '{"nbformat": 4, "cells": [', /not valid JSON .*repair or re-save/],
    ['a JSON array', '[]', /not a notebook/],
    [
      'nbformat 3 (worksheets)',
      JSON.stringify({ nbformat: 3, worksheets: [] }),
      /nbformat 3: only nbformat 4 .*nbconvert --to notebook --nbformat 4/,
    ],
    ['no nbformat', JSON.stringify({ cells: [] }), /no "nbformat" field/],
    ['no cells list', JSON.stringify({ nbformat: 4, cells: {} }), /without a "cells" list/],
    [
      'a cell that is not an object',
      JSON.stringify({ nbformat: 4, cells: ['x'] }),
      /cell 1 is not an object/,
    ],
    [
      'an unknown cell_type',
      JSON.stringify({
        nbformat: 4,
        cells: [
          { cell_type: 'code', source: '' },
          { cell_type: 'heading', source: '' },
        ],
      }),
      /cell 2: unknown cell_type "heading"/,
    ],
    [
      'a source that is a number',
      JSON.stringify({ nbformat: 4, cells: [{ cell_type: 'code', source: 42 }] }),
      /cell 1: "source" must be a string or a list of strings/,
    ],
    [
      'a source list holding a number',
      JSON.stringify({ nbformat: 4, cells: [{ cell_type: 'code', source: ['x', 1] }] }),
      /cell 1: "source" must be/,
    ],
  ];
  for (const [what, json, message] of malformed) {
    it(`refuses ${what} with a NotebookFormatError that says what to do`, () => {
      assert.throws(
        () => parseNotebook(json),
        (error: unknown) => error instanceof NotebookFormatError && message.test(error.message),
      );
    });
  }
});
