// What the run panel's buttons and links do: Stop, Re-run, Copy Output, open a line of the file that
// ran, open a rule's documentation. A message about a run the extension does not know (an old panel,
// a panel restored after a reload) does nothing.
import * as vscode from 'vscode';
import type { RememberedRun } from '../run-controller';
import { revealInCell } from '../notebook-source';
import { errorMessage } from '../logger';
import { showRuleDocs } from '../rule-docs';
import { stripAnsi } from './ansi';
import type { WebviewToHost } from './messages';

export interface PanelActionTarget {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  /** The file (or notebook) and runner of a run the panel showed, if it is still known. */
  runOf(runId: number): RememberedRun | undefined;
  /** The output of the current or last run, if `runId` is one of them. */
  outputOf(runId: number): string | undefined;
  isRunning(runId?: number): boolean;
  stop(): Promise<unknown>;
  /** Runs it again, as it ran (a notebook, or its cells up to one). */
  run(run: RememberedRun): Promise<unknown>;
}

async function reveal(uri: vscode.Uri, line: number, column: number): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  const safeLine = Math.min(line, Math.max(0, document.lineCount - 1));
  const position = document.validatePosition(new vscode.Position(safeLine, column));
  await vscode.window.showTextDocument(document, {
    viewColumn: vscode.ViewColumn.One,
    selection: new vscode.Range(position, position),
  });
}

async function copy(text: string): Promise<void> {
  await vscode.env.clipboard.writeText(stripAnsi(text));
  vscode.window.setStatusBarMessage('Sandbox Policy: output copied', 3000);
}

/** Acts on a message from the run panel (already validated by RunPanel). */
export function handlePanelMessage(message: WebviewToHost, target: PanelActionTarget): void {
  const fail = (what: string) => (error: unknown) => target.log.error(`${what}: ${errorMessage(error)}`);
  switch (message.type) {
    case 'ready':
      return;
    case 'stop':
      if (target.isRunning(message.runId)) void target.stop();
      return;
    case 'rerun': {
      const run = target.runOf(message.runId);
      if (run && !target.isRunning()) void target.run(run);
      return;
    }
    case 'copyOutput': {
      const text = target.outputOf(message.runId);
      if (text !== undefined) copy(text).catch(fail('Could not copy the output'));
      return;
    }
    case 'openLocation': {
      const run = target.runOf(message.runId);
      if (!run) return;
      const shown =
        message.cell !== undefined
          ? revealInCell(run.uri, message.cell, message.line, message.column)
          : reveal(run.uri, message.line, message.column);
      shown.catch(fail('Could not show the line'));
      return;
    }
    case 'openRuleDocs':
      showRuleDocs(target.extensionUri, message.ruleId).catch(
        fail(`Could not show the documentation of ${message.ruleId}`),
      );
      return;
  }
}
