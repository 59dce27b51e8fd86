// What Run Sandboxed says to the user besides the run panel: why a run was refused, the question of the
// "ask" gate, the offer to set an E2B key, and how a run ended when the panel alone is not enough
// (stopped, a limit, a rejected key).
import * as vscode from 'vscode';
import type { GateDecision } from '../sandbox/gate';
import type { Backend, RunResult } from '../sandbox/run-types';
import { BACKEND_NAMES } from './run-stream';
import type { E2BKeyStore } from './secrets';

const SET_KEY = 'Set E2B API Key';
const RUN_ANYWAY = 'Run Anyway';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

export function refusalText(
  file: string,
  preset: string,
  result: RunResult,
  reason: string | undefined,
): string {
  const violations = result.findings.filter((f) => f.violation && !f.suppressed).length;
  return violations > 0
    ? `Sandbox Policy refused to run ${file}: ${plural(violations, 'policy violation')} under the ${preset} preset (listed in the Sandbox Run panel).`
    : `Sandbox Policy refused to run ${file}: ${reason ?? result.error?.value ?? 'the input was not accepted'}`;
}

/** The "ask" gate: a modal question listing the first violations. */
export async function askToRunAnyway(
  file: string,
  backend: Backend,
  decision: GateDecision,
): Promise<boolean> {
  const violations = decision.findings.filter((f) => f.violation && !f.suppressed);
  const rules = [...new Set(violations.map((f) => f.ruleId))].join(', ');
  const choice = await vscode.window.showWarningMessage(
    `${file} breaks the policy: ${plural(violations.length, 'violation')} (${rules}). Run it in ${BACKEND_NAMES[backend]} anyway?`,
    {
      modal: true,
      detail: violations
        .slice(0, 5)
        .map((f) => `line ${f.range.start.line + 1}: ${f.message}`)
        .join('\n'),
    },
    RUN_ANYWAY,
  );
  return choice === RUN_ANYWAY;
}

/** The stored E2B key, or (after offering to set one) the newly entered key, or undefined. */
export async function e2bKeyOrOffer(keys: E2BKeyStore): Promise<string | undefined> {
  const key = await keys.get();
  if (key) return key;
  const choice = await vscode.window.showWarningMessage(
    'Sandbox Policy: Run in E2B needs an E2B API key. It is kept in VS Code secret storage.',
    SET_KEY,
  );
  if (choice !== SET_KEY || !(await keys.prompt())) return undefined;
  return keys.get();
}

/** Tells the user how a run ended when the panel alone would not be enough. */
export function tellOutcome(
  log: vscode.LogOutputChannel,
  file: string,
  backend: Backend,
  result: RunResult,
  stopRequestedAt: number | undefined,
): void {
  if (result.status === 'cancelled') {
    const took =
      stopRequestedAt === undefined ? '' : ` (it ended ${Date.now() - stopRequestedAt} ms after the stop)`;
    log.info(`Run of ${file} stopped${took}.`);
    void vscode.window.showInformationMessage(`Sandbox Policy: stopped ${file}${took}.`);
    return;
  }
  if (result.limit) {
    log.warn(`Run of ${file} ended by a limit: ${result.limit.message}`);
    void vscode.window.showWarningMessage(`Sandbox Policy: ${file}: ${result.limit.message}`);
    return;
  }
  if (result.error?.name === 'E2BAuthenticationError') {
    void vscode.window.showErrorMessage(`Sandbox Policy: ${result.error.value}`, SET_KEY).then((choice) => {
      if (choice === SET_KEY) void vscode.commands.executeCommand('sandboxPolicy.setE2BApiKey');
    });
    return;
  }
  log.info(
    `Run of ${file} in ${BACKEND_NAMES[backend]} ended: ${result.status} after ${seconds(result.durationMs)}.`,
  );
}
