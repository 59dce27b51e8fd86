// Which Python file "Run Sandboxed" means when it is run from the palette: the active editor's, or else
// the Python editor that was active last (the run panel, the Problems view or the Output may have focus
// by then). Keeps the `sandboxPolicy.hasPythonEditor` context key, which shows the run commands in the
// palette, up to date.
import * as vscode from 'vscode';

export const HAS_PYTHON_EDITOR_CONTEXT_KEY = 'sandboxPolicy.hasPythonEditor';

export class PythonEditorTracker implements vscode.Disposable {
  private last: vscode.TextDocument | undefined;
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.disposables = [
      vscode.window.onDidChangeActiveTextEditor((editor) => this.remember(editor)),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document === this.last) this.last = undefined;
        this.update();
      }),
      vscode.workspace.onDidOpenTextDocument(() => this.update()),
    ];
    this.remember(vscode.window.activeTextEditor);
  }

  /** The Python document a run from the palette is about, if any. */
  current(): vscode.TextDocument | undefined {
    const active = vscode.window.activeTextEditor?.document;
    if (active?.languageId === 'python') return active;
    if (this.last && !this.last.isClosed && this.last.languageId === 'python') return this.last;
    return vscode.window.visibleTextEditors.find((editor) => editor.document.languageId === 'python')
      ?.document;
  }

  private remember(editor: vscode.TextEditor | undefined): void {
    if (editor?.document.languageId === 'python') this.last = editor.document;
    this.update();
  }

  private update(): void {
    void vscode.commands.executeCommand(
      'setContext',
      HAS_PYTHON_EDITOR_CONTEXT_KEY,
      this.current() !== undefined,
    );
  }

  dispose(): void {
    while (this.disposables.length > 0) this.disposables.pop()?.dispose();
  }
}
