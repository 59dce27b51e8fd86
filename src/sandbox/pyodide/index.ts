// Public entry of the local runner: `createPyodideRunner(options)` returns a `Runner` that runs Python
// in a jailed Pyodide (see docs/pyodide-sandbox.md for what the jail promises).
import { PyodideRunner, type PyodideRunnerOptions } from './runner';

export { DEFAULT_ISOLATION, PyodideRunner, type IsolationMode, type PyodideRunnerOptions } from './runner';
export { MAX_MEMORY_MB, MIN_MEMORY_MB } from './limits';

export function createPyodideRunner(options: PyodideRunnerOptions = {}): PyodideRunner {
  return new PyodideRunner(options);
}
