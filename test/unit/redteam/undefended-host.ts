// A plain, undefended Pyodide: `loadPyodide()` in Node with its defaults, nothing else. The harness
// runs the escape cases here once, in a separate process, and requires them to escape: a case that
// cannot escape an undefended runtime proves nothing about the defended one.
// The interpreter is restored from a memory snapshot of a fresh plain one, made once per suite by this
// script (`--make-snapshot`): a fifth of a cold boot's CPU, and the same interpreter (the defended
// suites restore theirs from a snapshot too).
//   node undefended-host.js --make-snapshot SNAPSHOT
//   node undefended-host.js CASE.py [SNAPSHOT]
import fs from 'node:fs';
import { loadPyodide } from 'pyodide';

const print = {
  stdout: (text: string) => process.stdout.write(`${text}\n`),
  stderr: (text: string) => process.stderr.write(`${text}\n`),
};

async function makeSnapshot(file: string): Promise<void> {
  const pyodide = await loadPyodide({ ...print, _makeSnapshot: true });
  fs.writeFileSync(file, pyodide.makeMemorySnapshot());
  process.exit(0);
}

async function runCase(caseFile: string, snapshot: string | undefined): Promise<void> {
  const code = fs.readFileSync(caseFile, 'utf8');
  const pyodide = await loadPyodide({
    ...print,
    ...(snapshot ? { _loadSnapshot: fs.readFileSync(snapshot) } : {}),
  });
  try {
    await pyodide.runPythonAsync(code);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : 'error'}\n`);
  }
  // Leave time for escapes that happen in later jobs (timers, promise reactions).
  setTimeout(() => process.exit(0), 1500);
}

const [first, second] = process.argv.slice(2);
void (first === '--make-snapshot' ? makeSnapshot(second) : runCase(first, second));
