// A plain, undefended Pyodide: `loadPyodide()` in Node with its defaults, nothing else. The harness
// runs the escape cases here once, in a separate process, and requires them to escape: a case that
// cannot escape an undefended runtime proves nothing about the defended one.
//   node undefended-host.js CASE.py
import fs from 'node:fs';
import { loadPyodide } from 'pyodide';

async function main(): Promise<void> {
  const code = fs.readFileSync(process.argv[2], 'utf8');
  const pyodide = await loadPyodide({
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
  });
  try {
    await pyodide.runPythonAsync(code);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : 'error'}\n`);
  }
  // Leave time for escapes that happen in later jobs (timers, promise reactions).
  setTimeout(() => process.exit(0), 1500);
}

void main();
