// `sandbox-policy run`: gates a file through the policy, then runs it in the local Pyodide sandbox or
// in E2B, streaming its output (or printing one JSON object with --json). Ctrl-C cancels cleanly.
// This file holds what a run needs before the gate (the arguments, the file, the local sandbox) and
// nothing of the policy engine or schema: the sandbox process starts first and boots while the gate's
// bundle (run-gate.ts) loads and analyses the file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { languageForPath } from '../policy/language';
import { decodeSource, type DecodeResult } from '../policy/source';
import { createPyodideRunner, type PyodideRunner } from '../sandbox/pyodide';
import { userCacheDir } from '../sandbox/pyodide/cache-dir';
import { OS_SANDBOX_SETTINGS, type OsSandboxSetting } from '../sandbox/pyodide/os-sandbox-policy';
import { MAX_MEMORY_MB, MIN_MEMORY_MB } from '../sandbox/pyodide/limits';
import { DEFAULT_LIMITS, type Backend } from '../sandbox/run-types';
import { EXIT_OK, UsageError, type CliIO } from './io';
import { loadRunGate } from './lazy';
import { POLICY_OPTIONS_HELP, readPolicyFlag } from './policy-options';
import type { RunOptions } from './run-gate';

export const RUN_USAGE = `Usage: sandbox-policy run [--backend pyodide|e2b] [--preset NAME] [--config FILE] [--threshold LEVEL]
                          [--ignore-suppressions] [--timeout SECONDS] [--memory MB]
                          [--os-sandbox auto|required|off] [--no-gate] [--json] FILE

Checks FILE against the policy and, if it has no violations, runs it: locally in a jailed Pyodide
(standard library only, no network, no host files) or in an E2B cloud sandbox (E2B_API_KEY).
A Jupyter notebook (.ipynb) runs its code cells in order in one fresh interpreter, stopping at the
first cell that fails; each cell's output follows a "--- cell N ---" line.

  --backend NAME      pyodide (default) or e2b
${POLICY_OPTIONS_HELP}
  --timeout SECONDS   wall-clock limit for the program (default ${DEFAULT_LIMITS.timeoutMs / 1000})
  --memory MB         memory limit (default ${DEFAULT_LIMITS.memoryMb}; local sandbox: ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB})
  --os-sandbox MODE   the OS sandbox around the local sandbox process (bubblewrap on Linux, sandbox-exec
                      on macOS): auto (default: used where available, a note on stderr when not),
                      required (refuse to run without it) or off
  --no-gate           skip the policy check (the sandbox and the policy's runtime restrictions still apply)
  --json              print one JSON object at the end instead of streaming:
                      {"status", "stdout", "stderr", "error", "findings", "durationMs", "backend",
                       "boundaries" (local runs: the walls in force)}; for a notebook also
                       "cells": [{"index", "status", "stdout", "stderr", "error"}] and "stoppedAtCell"

Exit codes: 0 the program ran and succeeded, 1 it failed, hit a limit or was blocked,
2 usage or configuration error, 130 cancelled with Ctrl-C.
`;

const BACKENDS: readonly Backend[] = ['pyodide', 'e2b'];

function optionValue(args: readonly string[], index: number, flag: string): { value: string; used: number } {
  const arg = args[index];
  if (arg.startsWith(`${flag}=`)) return { value: arg.slice(flag.length + 1), used: 1 };
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  return { value, used: 2 };
}

function parseArgs(args: readonly string[]): RunOptions | 'help' {
  const options: Omit<RunOptions, 'file'> & { file?: string } = {
    backend: 'pyodide',
    policy: {},
    limits: { ...DEFAULT_LIMITS },
    gate: true,
    json: false,
    osSandbox: 'auto',
  };
  const seen = new Set<string>();
  const once = (flag: string): void => {
    if (seen.has(flag)) throw new UsageError(`${flag} given twice`);
    seen.add(flag);
  };
  for (let i = 0; i < args.length;) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') return 'help';
    const policyFlag = readPolicyFlag(args, i, options.policy);
    if (policyFlag) {
      i += policyFlag;
      continue;
    }
    const flag = arg.startsWith('--') ? arg.split('=')[0] : arg;
    switch (flag) {
      case '--backend': {
        once(flag);
        const { value, used } = optionValue(args, i, flag);
        if (!(BACKENDS as readonly string[]).includes(value)) {
          throw new UsageError(`--backend: "${value}" is not a backend; expected pyodide or e2b`);
        }
        options.backend = value as Backend;
        i += used;
        continue;
      }
      case '--timeout': {
        once(flag);
        const { value, used } = optionValue(args, i, flag);
        const seconds = Number(value);
        if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) {
          throw new UsageError(`--timeout: "${value}" is not a number of seconds from more than 0 to 86400`);
        }
        options.limits.timeoutMs = Math.round(seconds * 1000);
        i += used;
        continue;
      }
      case '--memory': {
        once(flag);
        const { value, used } = optionValue(args, i, flag);
        const megabytes = Number(value);
        if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(megabytes) || megabytes <= 0) {
          throw new UsageError(`--memory: "${value}" is not a whole number of megabytes`);
        }
        options.limits.memoryMb = megabytes;
        i += used;
        continue;
      }
      case '--no-gate':
        once(flag);
        options.gate = false;
        i += 1;
        continue;
      case '--os-sandbox': {
        once(flag);
        const { value, used } = optionValue(args, i, flag);
        if (!OS_SANDBOX_SETTINGS.includes(value as OsSandboxSetting)) {
          throw new UsageError(`--os-sandbox: "${value}" is not one of auto, required, off`);
        }
        options.osSandbox = value as OsSandboxSetting;
        i += used;
        continue;
      }
      case '--json':
        once(flag);
        options.json = true;
        i += 1;
        continue;
      case '--':
        if (args.length > i + 2) throw new UsageError('run takes one FILE');
        options.file ??= args[i + 1];
        i = args.length;
        continue;
    }
    if (arg.startsWith('-') && arg !== '-')
      throw new UsageError(`unknown option "${arg}" (see sandbox-policy run --help)`);
    if (options.file !== undefined)
      throw new UsageError(`run takes one FILE, got "${options.file}" and "${arg}"`);
    options.file = arg;
    i += 1;
  }
  if (options.file === undefined) throw new UsageError('run needs a FILE (a Python program or a notebook)');
  if (
    options.backend === 'pyodide' &&
    (options.limits.memoryMb < MIN_MEMORY_MB || options.limits.memoryMb > MAX_MEMORY_MB)
  ) {
    throw new UsageError(
      `--memory: the local sandbox takes ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB} MB, got ${options.limits.memoryMb}`,
    );
  }
  return { ...options, file: options.file };
}

/** The program as Python reads it (BOM, PEP 263 declaration), or why it cannot be read as source. */
function readProgram(file: string, cwd: string): DecodeResult {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path.resolve(cwd, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
    throw new UsageError(`cannot read ${file} (${why})`);
  }
  return decodeSource(bytes, languageForPath(file) ?? 'python');
}

/**
 * The local runner: no warm spare (the CLI runs once), but the memory snapshot of a fresh interpreter
 * is kept in the user's cache folder, so that a run restores it instead of booting Pyodide.
 */
export function createLocalRunner(io: CliIO, osSandbox: OsSandboxSetting = 'auto'): PyodideRunner {
  return createPyodideRunner({
    warmSpare: false,
    snapshots: true,
    snapshotCacheDir: userCacheDir({ platform: process.platform, env: io.env, homedir: os.homedir() }),
    osSandbox,
    cpuProfileDir: sandboxProfileDir(io, osSandbox),
  });
}

/**
 * For developers measuring a run: SANDBOX_POLICY_CPU_PROFILE_DIR (an absolute folder) makes the sandbox
 * process and the jail's thread write V8 CPU profiles there. The sandbox never sees the variable.
 */
function sandboxProfileDir(io: CliIO, osSandbox: OsSandboxSetting): string | undefined {
  const dir = io.env.SANDBOX_POLICY_CPU_PROFILE_DIR;
  if (!dir) return undefined;
  if (!path.isAbsolute(dir)) throw new UsageError('SANDBOX_POLICY_CPU_PROFILE_DIR must be an absolute path');
  if (osSandbox !== 'off') throw new UsageError('SANDBOX_POLICY_CPU_PROFILE_DIR needs --os-sandbox off');
  return dir;
}

function isNotebookPath(file: string): boolean {
  return path.extname(file).toLowerCase() === '.ipynb';
}

export async function runRunCommand(args: string[], io: CliIO): Promise<number> {
  const options = parseArgs(args);
  if (options === 'help') {
    io.stdout(RUN_USAGE);
    return EXIT_OK;
  }
  if (isNotebookPath(options.file)) {
    return loadRunGate().runNotebookCommand(options, () => createLocalRunner(io, options.osSandbox), io);
  }
  const program = readProgram(options.file, io.cwd);
  // The local sandbox process starts now and boots while the policy, the engine and the gate load; it
  // runs nothing until the gate hands it the program. If the gate blocks the program, or anything
  // below throws, the runner is disposed and the process killed with its interpreter unused.
  const local =
    options.backend === 'pyodide' && !('problem' in program)
      ? createLocalRunner(io, options.osSandbox)
      : undefined;
  try {
    // Waits only until the process is started: the rest of the CLI's start-up would delay that.
    await local?.prewarm(options.limits.memoryMb);
    return await loadRunGate().gateAndRun(local, program, options, io);
  } finally {
    await local?.dispose();
  }
}
