// The notebook a notebook command runs: the Jupyter notebook editor's document (its cells as they are,
// saved or not), or an `.ipynb` file open as text (parsed as nbformat 4). Also which cell "Run Cell
// Sandboxed" means: the cell it was invoked on, else the notebook editor's selected cell.
import * as vscode from 'vscode';
import { NotebookFormatError, parseNotebook, type Notebook, type NotebookCell } from '../notebook/model';

export const JUPYTER_NOTEBOOK_TYPE = 'jupyter-notebook';

export interface NotebookSource {
  uri: vscode.Uri;
  notebook: Notebook;
}

export function isNotebookUri(uri: vscode.Uri): boolean {
  return uri.path.toLowerCase().endsWith('.ipynb');
}

/** A notebook document's cells with their 1-based positions, as the analysis and the runners number them. */
export function notebookOfDocument(document: vscode.NotebookDocument): Notebook {
  const cells: NotebookCell[] = document.getCells().map((cell, i) => ({
    index: i + 1,
    kind: cell.kind === vscode.NotebookCellKind.Code ? 'code' : 'markdown',
    source: cell.document.getText(),
  }));
  const firstCode = document.getCells().find((cell) => cell.kind === vscode.NotebookCellKind.Code);
  return { cells, language: firstCode?.document.languageId ?? 'python' };
}

/**
 * The notebook at `uri` (the active notebook editor's, or an `.ipynb` text editor's, when undefined), or
 * a message saying why there is none to run.
 */
export async function findNotebook(
  uri: vscode.Uri | undefined,
): Promise<NotebookSource | { problem: string }> {
  const open = uri
    ? vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === uri.toString())
    : vscode.window.activeNotebookEditor?.notebook;
  if (open) return { uri: open.uri, notebook: notebookOfDocument(open) };
  const text = uri
    ? (vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ??
      (await vscode.workspace.openTextDocument(uri)))
    : vscode.window.activeTextEditor?.document;
  if (!text || !isNotebookUri(text.uri)) return { problem: 'open a Jupyter notebook (.ipynb) to run it' };
  try {
    return { uri: text.uri, notebook: parseNotebook(text.getText()) };
  } catch (error) {
    if (error instanceof NotebookFormatError) {
      return {
        problem: `${text.uri.path.split('/').pop()} is not a notebook that can run: ${error.message}`,
      };
    }
    throw error;
  }
}

/** The 1-based index of the cell "Run Cell Sandboxed" was invoked on (a cell toolbar passes the cell). */
export function targetCell(argument: unknown): { uri: vscode.Uri; index: number } | undefined {
  const cell = argument as Partial<vscode.NotebookCell> | undefined;
  if (cell && typeof cell.index === 'number' && cell.notebook)
    return { uri: cell.notebook.uri, index: cell.index + 1 };
  const editor = vscode.window.activeNotebookEditor;
  if (!editor || editor.selections.length === 0) return undefined;
  return { uri: editor.notebook.uri, index: editor.selections[0].start + 1 };
}

/** Shows a place in a notebook's cell (1-based), opening the notebook editor if needed. */
export async function revealInCell(
  uri: vscode.Uri,
  cell: number,
  line: number,
  column: number,
): Promise<void> {
  const notebook =
    vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === uri.toString()) ??
    (await vscode.workspace.openNotebookDocument(uri));
  const index = Math.min(Math.max(0, cell - 1), Math.max(0, notebook.cellCount - 1));
  const range = new vscode.NotebookRange(index, index + 1);
  const editor = await vscode.window.showNotebookDocument(notebook, {
    viewColumn: vscode.ViewColumn.One,
    selections: [range],
  });
  editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
  const document = notebook.cellAt(index).document;
  const position = document.validatePosition(new vscode.Position(line, column));
  await vscode.window.showTextDocument(document, {
    viewColumn: editor.viewColumn,
    selection: new vscode.Range(position, position),
  });
}
