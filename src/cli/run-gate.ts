// The part of `sandbox-policy run` that needs the policy engine: the gate, then the run and its report.
// Its own bundle (dist/cli-run-gate.js, see src/cli/lazy.ts): run.ts starts the local sandbox first, so
// that the sandbox process boots while this bundle, the engine and its grammar load and analyse.
import path from 'node:path';
// The engine's modules themselves, not src/policy/index.ts: that one also holds the policy schema
// (zod), which loadPolicy loads from its own bundle when it needs it.
import type { ResolvedPolicy } from '../policy/config';
import { PolicyEngine } from '../policy/engine';
import { runtimeRestrictions } from '../policy/restrictions';
import type { DecodeResult } from '../policy/source';
import type { Finding } from '../policy/types';
import type { GrammarName } from '../assets';
import { grammarFor, languageForPath } from '../policy/language';
import { blockedResult, gateRun, refusedInput } from '../sandbox/gate';
import type { OsSandboxSetting } from '../sandbox/pyodide/os-sandbox-policy';
import type { Backend, RunLimits, RunResult, Runner } from '../sandbox/run-types';
import { EXIT_FAILURE, EXIT_OK, type CliIO } from './io';
import { loadRunE2B } from './lazy';
import type { PolicyFlags } from './policy-options';
import { loadPolicy } from './policy-options';
import { readNotebook, runNotebookFile } from './run-notebook';
import { reportRunEnd } from './run-report';

export interface RunOptions {
  backend: Backend;
  policy: PolicyFlags;
  limits: RunLimits;
  gate: boolean;
  json: boolean;
  osSandbox: OsSandboxSetting;
  file: string;
}

function describeFinding(file: string, finding: Finding): string {
  const { start } = finding.range;
  return `${file}:${start.line + 1}:${start.column + 1}: ${finding.severity} ${finding.ruleId} ${finding.message}`;
}

function jsonReport(result: RunResult): string {
  const { status, stdout, stderr, error, findings, durationMs, backend, boundaries } = result;
  return `${JSON.stringify({ status, stdout, stderr, error, findings, durationMs, backend, boundaries })}\n`;
}

/**
 * The grammars the gate needs for a file: its own, and Python's and JavaScript's for the code it runs
 * through exec/eval (the engine analyses that embedded code with those two). Not TypeScript's (4.7 MB
 * of wasm) for a Python file.
 */
export function gateGrammars(filename: string): GrammarName[] {
  const own = grammarFor(languageForPath(filename) ?? 'python', filename);
  return [...new Set<GrammarName>([own, 'python', 'javascript'])];
}

async function gate(
  code: string,
  file: string,
  policy: ResolvedPolicy,
  options: RunOptions,
): Promise<{ blocked?: RunResult; findings: Finding[] }> {
  const started = Date.now();
  const engine = await PolicyEngine.create(gateGrammars(file));
  try {
    const decision = gateRun(engine, code, file, policy, options.limits);
    if (decision.allowed) return { findings: decision.findings };
    return {
      blocked: blockedResult(options.backend, decision, Date.now() - started),
      findings: decision.findings,
    };
  } finally {
    engine.dispose();
  }
}

/** The one place a remote backend becomes a runner (the local one is made by run.ts, before the gate). */
function remoteRunner(io: CliIO): Runner {
  return loadRunE2B().createCliE2BRunner(io);
}

/** Reads the policy, gates the program and runs it (in `local`, already booting, or in E2B). */
export async function gateAndRun(
  local: Runner | undefined,
  program: DecodeResult,
  options: RunOptions,
  io: CliIO,
): Promise<number> {
  const policy = loadPolicy(options.policy, io.cwd);
  if ('problem' in program) {
    // Even with --no-gate: text that cannot be decoded cannot be run as the file's author meant it.
    const result = blockedResult(options.backend, refusedInput(program.problem), 0);
    if (options.json) io.stdout(jsonReport(result));
    else {
      for (const finding of result.findings) io.stderr(`${describeFinding(options.file, finding)}\n`);
      io.stderr(`sandbox-policy: not run: ${program.problem}\n`);
    }
    return EXIT_FAILURE;
  }
  const code = program.text;
  const filename = path.basename(options.file);
  let findings: Finding[] = [];
  if (options.gate) {
    const decision = await gate(code, filename, policy, options);
    if (decision.blocked) {
      const result = decision.blocked;
      if (options.json) io.stdout(jsonReport(result));
      else {
        for (const finding of result.findings.filter((f) => f.violation && !f.suppressed)) {
          io.stderr(`${describeFinding(options.file, finding)}\n`);
        }
        io.stderr(`sandbox-policy: not run: ${result.error?.value ?? 'blocked by the policy'}\n`);
      }
      return EXIT_FAILURE;
    }
    findings = decision.findings;
  }

  const runner = local ?? remoteRunner(io);
  let result: RunResult;
  try {
    result = await runner.run({
      code,
      filename,
      limits: options.limits,
      restrictions: runtimeRestrictions(policy),
      signal: io.signal,
      onEvent: (event) => {
        if (options.json) return;
        if (event.type === 'stdout') io.stdout(event.text);
        else if (event.type === 'stderr') io.stderr(event.text);
        else if (event.type === 'result' && event.output.text) io.stdout(`${event.output.text}\n`);
      },
    });
  } finally {
    if (runner !== local) await runner.dispose();
  }
  result = { ...result, findings };

  if (options.json) io.stdout(jsonReport(result));
  else reportRunEnd(io, result, options.osSandbox);
  return result.status === 'ok' ? EXIT_OK : EXIT_FAILURE;
}

/** A notebook: gated cell by cell; `localRunner()` is called only when the gate lets the run through. */
export async function runNotebookCommand(
  options: RunOptions,
  localRunner: () => Runner,
  io: CliIO,
): Promise<number> {
  const notebook = readNotebook(options.file, io.cwd);
  const policy = loadPolicy(options.policy, io.cwd);
  let runner: Runner | undefined;
  try {
    return await runNotebookFile(
      notebook,
      policy,
      options,
      () => (runner = options.backend === 'e2b' ? remoteRunner(io) : localRunner()),
      io,
    );
  } finally {
    await runner?.dispose();
  }
}
