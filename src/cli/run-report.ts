// What `sandbox-policy run` prints on stderr after a run in text mode (a script or a notebook): the error
// with its traceback, an output limit, a cancellation, and a note when no OS sandbox was around the run.
import type { RunResult } from '../sandbox/run-types';
import type { OsSandboxSetting } from '../sandbox/pyodide/os-sandbox-policy';
import type { CliIO } from './io';

export function reportRunEnd(io: CliIO, result: RunResult, osSandbox: OsSandboxSetting): void {
  if (result.error && result.status !== 'cancelled') {
    const { name, value, traceback } = result.error;
    io.stderr(traceback ? (traceback.endsWith('\n') ? traceback : `${traceback}\n`) : `${name}: ${value}\n`);
    if (traceback && result.status === 'timeout') io.stderr(`${name}: ${value}\n`);
  }
  if (result.limit && result.status === 'output') io.stderr(`sandbox-policy: ${result.limit.message}\n`);
  if (result.status === 'cancelled') io.stderr('sandbox-policy: cancelled\n');
  const walls = result.boundaries;
  if (walls && walls.osSandbox === 'none' && osSandbox === 'auto') {
    io.stderr(`sandbox-policy: note: ran without an OS sandbox (${walls.osSandboxNote ?? 'unavailable'})\n`);
  }
}
