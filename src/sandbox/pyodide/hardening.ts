// How a sandbox process is started: its environment and the Node flags that make it a second wall
// behind the jail. The jail is the boundary; these only matter if it ever failed.
import path from 'node:path';

/** Heap of the sandbox process's main thread (it only relays messages). */
export const SUPERVISOR_HEAP_MB = 256;

/** Variables never passed to a sandbox process, whatever the caller hands over. */
const SECRET_VARIABLES = /^(E2B_API_KEY|.*(?:_TOKEN|_SECRET|_PASSWORD|_API_KEY)|NODE_OPTIONS)$/i;

/**
 * The sandbox process's environment: only what the caller passes (in VS Code, `ELECTRON_RUN_AS_NODE`),
 * minus anything that looks like a secret and `NODE_OPTIONS` (which could re-enable what the flags
 * disable). On Windows, SYSTEMROOT is kept so that the process can start its crypto provider.
 */
export function sandboxEnvironment(env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env ?? {})) {
    if (value !== undefined && !SECRET_VARIABLES.test(name)) result[name] = value;
  }
  if (process.platform === 'win32' && process.env.SYSTEMROOT && !result.SYSTEMROOT) {
    result.SYSTEMROOT = process.env.SYSTEMROOT;
  }
  return result;
}

/** Which permission-model flag the binary understands, if any (Node 20: experimental, 22.13+: stable). */
function permissionFlag(nodePath: string): string | undefined {
  if (path.resolve(nodePath) !== path.resolve(process.execPath)) return undefined; // cannot ask another binary cheaply
  const flags = process.allowedNodeEnvironmentFlags;
  if (flags.has('--permission')) return '--permission';
  if (flags.has('--experimental-permission')) return '--experimental-permission';
  return undefined;
}

/** The folder holding the worker script and the modules it loads (dist/, or out/src/ for tests). */
export function scriptRoot(workerScript: string): string {
  const dir = path.dirname(workerScript);
  return path.basename(dir) === 'pyodide' && path.basename(path.dirname(dir)) === 'sandbox'
    ? path.dirname(path.dirname(dir))
    : dir;
}

export interface HardeningInput {
  nodePath: string;
  workerScript: string;
  pyodideDir: string;
  /** Off when the binary rejected the permission flags once (see PyodideRunner). */
  permissionModel: boolean;
}

export interface Hardening {
  flags: string[];
  /** Whether the flags include Node's permission model. */
  permissionModel: boolean;
}

export function sandboxNodeFlags(input: HardeningInput): Hardening {
  const flags = [
    '--no-warnings',
    `--max-old-space-size=${SUPERVISOR_HEAP_MB}`,
    '--disallow-code-generation-from-strings',
  ];
  const permission = input.permissionModel ? permissionFlag(input.nodePath) : undefined;
  const readable = [scriptRoot(input.workerScript), input.pyodideDir].map((dir) => path.resolve(dir));
  // Node 20 takes one comma-separated list, so a path with a comma cannot be expressed.
  if (permission && readable.every((dir) => !dir.includes(','))) {
    // A trailing "/*" grants the whole folder (Node 20 treats a bare path as that one entry).
    flags.push(
      permission,
      `--allow-fs-read=${readable.map((dir) => path.join(dir, '*')).join(',')}`,
      '--allow-worker',
    );
    return { flags, permissionModel: true };
  }
  return { flags, permissionModel: false };
}

/**
 * V8 flags pyodide-worker.js sets in the sandbox process before its jail thread exists (process-wide,
 * so they apply to that thread; its execArgv and resourceLimits are unchanged). Wasm functions
 * move from the baseline compiler (Liftoff) to the optimising one (TurboFan) once they have run a
 * budget of code; at V8's default, the boot and a small program already send hundreds of lukewarm
 * functions of the interpreter to TurboFan in background threads (about a quarter of a second of CPU
 * that a short run never gets back). Fifty times that budget still optimises what a long program
 * keeps running (its CPU time was unchanged in the measurements; Liftoff alone cost 13%). Set at run
 * time, not on the command line: a runtime that does not know the flag ignores it there, where on the
 * command line it would refuse to start (exit 9, which the runner reads as no permission model).
 */
export const SANDBOX_V8_FLAGS = '--wasm-tiering-budget=90000000';

/** Node's exit code for an invalid command-line option. */
export const EXIT_INVALID_OPTION = 9;
