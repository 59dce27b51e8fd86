// Run Notebook Sandboxed as a user meets it: a notebook open in code-server's built-in Jupyter notebook
// editor, the command from the palette, then the Sandbox Run panel read back: each code cell's output
// under its own header, the failing cell named with its error and traceback, the cell after it not run.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { oneLine, workbench } from './workbench';

const PANEL = 'Sandbox Run';

describe('running a notebook sandboxed', () => {
  beforeEach(() => workbench().reset());

  it('shows each cell’s output in the panel and the cell that stopped the run', async () => {
    const wb = workbench();
    await wb.openFile('notebook-run/cells.ipynb');
    await wb.runCommand('Sandbox Policy: Run Notebook Sandboxed');
    const text = await wb.waitFor(
      async () => {
        const shown = await wb.readWebview(PANEL);
        return shown !== undefined && /Failed with an error/.test(shown) ? shown : undefined;
      },
      120_000,
      'the notebook run to end in the Sandbox Run panel',
      {
        seen: async () => {
          const shown = await wb.readWebview(PANEL);
          return shown === undefined
            ? 'no Sandbox Run panel'
            : `the panel shows ${JSON.stringify(oneLine(shown).slice(0, 500))}`;
        },
      },
    );
    const flat = oneLine(text);
    // Each cell's output under its header, in order; the markdown cell (2) is not run.
    assert.match(flat, /Cell 1\s*cell one loaded 5 values\s*Cell 3\s*cell three mean 2\.8\s*Cell 4/);
    assert.match(flat, /cell four ratios/);
    assert.doesNotMatch(flat, /Cell 2\b/);
    // The failing cell is named, with its error and the traceback line in that cell.
    assert.match(flat, /Cell 4: stopped the run/);
    assert.match(flat, /Cell 4: ZeroDivisionError: division by zero/);
    assert.match(flat, /File "<cell 4>", line 3/);
    assert.match(flat, /stopped at cell 4; the cells after it did not run/);
    assert.doesNotMatch(flat, /cell five never runs/);
    const shot = await wb.screenshot('notebook run: per-cell output in the Sandbox Run panel');
    assert.ok(fs.statSync(shot).size > 0);
  });
});
