// The language server and Jupyter notebooks at the protocol level (LSP 3.17 `notebookDocument/*`): the real
// server process, a notebook opened and edited cell by cell, diagnostics per cell that depend on other
// cells, quick fixes that land in the right cell, hover, and the push fallback.
import assert from 'node:assert/strict';
import type { Diagnostic, DocumentDiagnosticReport, TextEdit } from 'vscode-languageserver-protocol';
import { TestClient, clientsStoppedAfterEachTest, eventually } from './lsp-client';

const NOTEBOOK = 'file:///work/notes/analysis.ipynb';
const cellUri = (id: string) => `vscode-notebook-cell:/work/notes/analysis.ipynb#${id}`;
const [IMPORT, NOTES, TOOLS, USE] = ['c1', 'c2', 'c3', 'c4'].map(cellUri);

/** Cell 1 binds `run_it` to os.system; cell 4 calls it: only the notebook as a whole shows the command. */
const CELLS: Array<[string, 1 | 2, string, string]> = [
  [IMPORT, 2, 'python', 'from os import system as run_it\n'],
  [NOTES, 1, 'markdown', '# Clean up\nrun_it("rm -rf /")\n'],
  [TOOLS, 2, 'python', 'print("tools")\n'],
  [USE, 2, 'python', 'print("cleaning")\nrun_it("ls")\n'],
];

async function openNotebook(client: TestClient, cells = CELLS): Promise<void> {
  await client.connection.sendNotification('notebookDocument/didOpen', {
    notebookDocument: {
      uri: NOTEBOOK,
      notebookType: 'jupyter-notebook',
      version: 1,
      cells: cells.map(([document, kind]) => ({ kind, document })),
    },
    cellTextDocuments: cells.map(([uri, , languageId, text]) => ({ uri, languageId, version: 1, text })),
  });
}

/**
 * Replaces the whole text of one cell, as VS Code sends it: the cell's version goes up, the notebook's
 * stays (a cell's text is not the notebook's structure).
 */
async function editCell(client: TestClient, version: number, uri: string, before: string, after: string) {
  const lines = before.split('\n');
  await client.connection.sendNotification('notebookDocument/didChange', {
    notebookDocument: { uri: NOTEBOOK, version: 1 },
    change: {
      cells: {
        textContent: [
          {
            document: { uri, version },
            changes: [
              {
                range: {
                  start: { line: 0, character: 0 },
                  end: { line: lines.length - 1, character: lines[lines.length - 1].length },
                },
                text: after,
              },
            ],
          },
        ],
      },
    },
  });
}

function full(report: DocumentDiagnosticReport): Diagnostic[] {
  assert.equal(report.kind, 'full');
  return (report as { items: Diagnostic[] }).items;
}

function summary(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}`);
}

describe('language server: notebooks', function () {
  this.timeout(120_000);
  const startClient = clientsStoppedAfterEachTest();
  const start = (pull = true) => startClient({ pull });

  it('declares notebook sync for the Python cells of Jupyter notebooks', async () => {
    const client = await start();
    assert.deepEqual(client.initializeResult.capabilities.notebookDocumentSync, {
      notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }] }],
    });
  });

  it('reports a finding in a cell that depends on an import in an earlier cell, at its place in the cell', async () => {
    const client = await start();
    await openNotebook(client);
    const use = full(await client.pull(USE));
    assert.deepEqual(summary(use), ['command-execution@1:0']);
    assert.match(String(use[0].message), /os\.system runs a shell command/);
    assert.deepEqual(full(await client.pull(IMPORT)), []);
    assert.deepEqual(full(await client.pull(TOOLS)), []);
    // The markdown cell holds code-like text: never a finding.
    assert.deepEqual(full(await client.pull(NOTES)), []);
  });

  it('an edit in one cell re-checks the cells after it: the client is asked to pull again', async () => {
    const client = await start();
    let refreshes = 0;
    client.connection.onRequest('workspace/diagnostic/refresh', () => {
      refreshes++;
      return null;
    });
    await openNotebook(client);
    const before = await client.pull(USE);
    assert.deepEqual(summary(full(before)), ['command-execution@1:0']);
    const refreshesBefore = await eventually(
      () => (refreshes > 0 ? refreshes : undefined),
      'a refresh after open',
    );

    // Cell 1 no longer binds run_it to os.system: cell 4's call is harmless now.
    await editCell(client, 2, IMPORT, CELLS[0][3], 'def run_it(command):\n    print(command)\n');
    await eventually(
      () => (refreshes > refreshesBefore ? true : undefined),
      'a refresh after the edit in cell 1',
    );
    const after = await client.pull(USE, (before as { resultId?: string }).resultId);
    assert.deepEqual(full(after), []);

    // Nothing changed in cell 3: its result id holds.
    const tools = await client.pull(TOOLS);
    assert.deepEqual(await client.pull(TOOLS, (tools as { resultId?: string }).resultId), {
      kind: 'unchanged',
      resultId: (tools as { resultId?: string }).resultId,
    });
  });

  it('a later cell that rebinds the name does not hide the call in an earlier cell', async () => {
    const client = await start();
    await openNotebook(client, [...CELLS, [cellUri('c5'), 2, 'python', 'run_it = print\n']]);
    assert.deepEqual(summary(full(await client.pull(USE))), ['command-execution@1:0']);
  });

  it('quick fixes edit the cell of the finding; the notebook-wide one is named so', async () => {
    const client = await start();
    await openNotebook(client);
    const diagnostics = full(await client.pull(USE));
    const actions = await client.codeActions(USE, diagnostics);
    assert.deepEqual(
      actions.map((a) => a.title),
      [
        'Suppress command-execution on this line',
        'Suppress command-execution in this notebook',
        'Show documentation for command-execution',
      ],
    );
    const edits = actions[0].edit!.changes!;
    assert.deepEqual(Object.keys(edits), [USE]);
    const [edit] = edits[USE] as TextEdit[];
    assert.deepEqual(edit.range.start, { line: 1, character: 0 });
    assert.equal(edit.newText, '# sandbox-policy: ignore[command-execution]\n');

    // Applying it (as the editor would) silences the finding.
    await editCell(
      client,
      2,
      USE,
      CELLS[3][3],
      'print("cleaning")\n# sandbox-policy: ignore[command-execution]\nrun_it("ls")\n',
    );
    assert.deepEqual(full(await client.pull(USE)), []);
  });

  it('ignore-file in one cell covers the whole notebook', async () => {
    const client = await start();
    await openNotebook(client);
    await editCell(client, 2, TOOLS, CELLS[2][3], '# sandbox-policy: ignore-file[command-execution]\n');
    assert.deepEqual(full(await client.pull(USE)), []);
  });

  it('hovers over a finding in a cell', async () => {
    const client = await start();
    await openNotebook(client);
    await client.pull(USE);
    const hover = await client.hover(USE, 1, 2);
    assert.ok(hover, 'a hover over run_it("ls")');
    assert.match((hover.contents as { value: string }).value, /`command-execution`.*HIGH/);
    assert.equal(await client.hover(USE, 0, 2), null);
  });

  it('cells also opened as text documents are still checked with their notebook', async () => {
    const client = await start();
    for (const [uri, , languageId, text] of CELLS) await client.open(uri, languageId, text);
    await openNotebook(client);
    assert.deepEqual(summary(full(await client.pull(USE))), ['command-execution@1:0']);
  });

  it('IPython syntax in a cell does not break the check, and a shell escape is a finding', async () => {
    const client = await start();
    await openNotebook(client, [
      [IMPORT, 2, 'python', '%matplotlib inline\nimport os\n'],
      [USE, 2, 'python', 'files = !ls ~\nos.system("ls")\n'],
    ]);
    assert.deepEqual(summary(full(await client.pull(USE))), [
      'command-execution@0:8',
      'command-execution@1:0',
    ]);
  });

  it('pushes each cell its diagnostics to clients without pull, and clears them on close', async () => {
    const client = await start(false);
    await openNotebook(client);
    const pushed = (uri: string) => client.published.filter((p) => p.uri === uri).at(-1);
    const use = await eventually(() => pushed(USE), 'diagnostics pushed for cell 4');
    assert.deepEqual(summary(use.diagnostics), ['command-execution@1:0']);
    assert.deepEqual(
      (await eventually(() => pushed(IMPORT), 'diagnostics pushed for cell 1')).diagnostics,
      [],
    );

    await editCell(client, 2, IMPORT, CELLS[0][3], 'run_it = print\n');
    await eventually(
      () => (pushed(USE)!.diagnostics.length === 0 ? true : undefined),
      'cell 4 cleared after the edit in cell 1',
    );
    await editCell(client, 3, IMPORT, 'run_it = print\n', CELLS[0][3]);
    await eventually(
      () => (pushed(USE)!.diagnostics.length === 1 ? true : undefined),
      'cell 4 flagged again once cell 1 imports os.system again',
    );

    await client.connection.sendNotification('notebookDocument/didClose', {
      notebookDocument: { uri: NOTEBOOK },
      cellTextDocuments: CELLS.map(([uri]) => ({ uri })),
    });
    await eventually(
      () => (pushed(USE)!.diagnostics.length === 0 ? true : undefined),
      'cell 4 cleared when the notebook closes',
    );
  });
});
