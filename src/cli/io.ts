// What a CLI command needs from the outside world, injectable so that tests run commands in-process.
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl-C (SIGINT); commands that run code cancel cleanly when it fires. */
  signal: AbortSignal;
}

/** Exit codes shared by every command: 0 clean, 1 findings/violations or a failed run, 2 usage or configuration error. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A usage or configuration error: printed to stderr without a stack, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * A UsageError, also one thrown by a lazily loaded bundle of the CLI (src/cli/lazy.ts), which holds its own
 * copy of the class.
 */
export function isUsageError(error: unknown): error is UsageError {
  return error instanceof UsageError || (error instanceof Error && error.name === 'UsageError');
}
