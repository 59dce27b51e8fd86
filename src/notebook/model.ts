import { errorMessage } from '../error-message';
// A Jupyter notebook (nbformat 4) as the engine sees it: its cells in order, each with its kind and text,
// and the notebook's language. Everything the JSON may get wrong is a NotebookFormatError that names the
// problem and what to do, so a caller can report it (fail closed) instead of treating the file as empty.

export type NotebookCellKind = 'code' | 'markdown' | 'raw';

export interface NotebookCell {
  /** 1-based among all cells (markdown and raw included), as Jupyter and Ruff number them. */
  readonly index: number;
  readonly kind: NotebookCellKind;
  readonly source: string;
}

export interface Notebook {
  readonly cells: readonly NotebookCell[];
  /** The kernel's language (`metadata.kernelspec.language`, else `metadata.language_info.name`), lower case; `python` when neither says. */
  readonly language: string;
}

export class NotebookFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotebookFormatError';
  }
}

const KINDS: readonly string[] = ['code', 'markdown', 'raw'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** nbformat stores a cell's source as one string or as a list of lines (each keeping its own newline). */
function sourceText(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((line) => typeof line === 'string')) return value.join('');
  throw new NotebookFormatError(
    `${where}: "source" must be a string or a list of strings (nbformat 4); re-save the notebook in Jupyter or VS Code`,
  );
}

function languageOf(metadata: unknown): string {
  if (!isRecord(metadata)) return 'python';
  const kernel = metadata.kernelspec;
  if (isRecord(kernel) && typeof kernel.language === 'string' && kernel.language.trim())
    return kernel.language.trim().toLowerCase();
  const info = metadata.language_info;
  if (isRecord(info) && typeof info.name === 'string' && info.name.trim())
    return info.name.trim().toLowerCase();
  return 'python';
}

/** Parses an `.ipynb` file's text. Throws NotebookFormatError for anything that is not an nbformat 4 notebook. */
export function parseNotebook(json: string): Notebook {
  let data: unknown;
  try {
    data = JSON.parse(json.charCodeAt(0) === 0xfeff ? json.slice(1) : json);
  } catch (error) {
    throw new NotebookFormatError(
      `not valid JSON (${errorMessage(error)}); an .ipynb file is a JSON document: repair or re-save it`,
    );
  }
  if (!isRecord(data))
    throw new NotebookFormatError(
      'not a notebook: the JSON document is not an object with "cells" and "nbformat"',
    );
  if (data.nbformat !== 4) {
    const found =
      data.nbformat === undefined ? 'no "nbformat" field' : `nbformat ${JSON.stringify(data.nbformat)}`;
    throw new NotebookFormatError(
      `${found}: only nbformat 4 notebooks are checked; convert it with \`jupyter nbconvert --to notebook --nbformat 4\``,
    );
  }
  if (!Array.isArray(data.cells))
    throw new NotebookFormatError(
      'nbformat 4 notebook without a "cells" list; repair or re-save the notebook',
    );
  const cells = data.cells.map((cell: unknown, i): NotebookCell => {
    const where = `cell ${i + 1}`;
    if (!isRecord(cell))
      throw new NotebookFormatError(`${where} is not an object; repair or re-save the notebook`);
    if (typeof cell.cell_type !== 'string' || !KINDS.includes(cell.cell_type))
      throw new NotebookFormatError(
        `${where}: unknown cell_type ${JSON.stringify(cell.cell_type)} (expected "code", "markdown" or "raw"); repair or re-save the notebook`,
      );
    return { index: i + 1, kind: cell.cell_type as NotebookCellKind, source: sourceText(cell.source, where) };
  });
  return { cells, language: languageOf(data.metadata) };
}
