// `npm run check`: format, lint, both type checks and the layout rules, as many at once as the cores
// allow (they read the sources and write nothing, so none depends on another). Each step's output is
// printed whole when it ends; the exit code is non-zero if any step failed, and every step still runs,
// so one run shows every problem.
//   node test/check.mjs [--jobs N]
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** The steps, longest first (measured), so that the short ones fill in beside the long ones. */
export const CHECK_STEPS = [
  { name: 'eslint', command: bin('eslint'), args: ['.'] },
  { name: 'tsc', command: bin('tsc'), args: ['--noEmit', '-p', '.'] },
  { name: 'tsc webview', command: bin('tsc'), args: ['--noEmit', '-p', 'src/vscode/panel/webview'] },
  { name: 'prettier', command: bin('prettier'), args: ['--check', '.'] },
  { name: 'layout', command: process.execPath, args: ['test/layout/check.mjs'] },
];

function runStep(step) {
  const started = Date.now();
  const child = spawn(step.command, step.args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => {
    child.on('error', (error) => (output += `could not start: ${error.message}\n`));
    child.on('close', (code, signal) => {
      const passed = code === 0;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const status = passed ? 'passed' : `FAILED (${signal ?? `exit code ${code}`})`;
      process.stdout.write(`===== check ${step.name}: ${status} in ${seconds} s =====\n${output}`);
      resolve(passed);
    });
  });
}

/**
 * Runs every step, `jobs` at a time (one more than the cores: the steps also wait for the disk); resolves
 * true when all passed.
 */
export async function runChecks(jobs = Math.max(1, Math.min(2, os.availableParallelism())) + 1) {
  const waiting = [...CHECK_STEPS];
  let ok = true;
  const worker = async () => {
    for (let step = waiting.shift(); step; step = waiting.shift()) {
      if (!(await runStep(step))) ok = false;
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return ok;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const jobsAt = process.argv.indexOf('--jobs');
  const jobs = jobsAt > 0 ? Math.max(1, Number(process.argv[jobsAt + 1]) || 1) : undefined;
  runChecks(jobs).then((ok) => {
    process.exitCode = ok ? 0 : 1;
  });
}
