// The E2B runner as the CLI builds it: the key from E2B_API_KEY, the endpoints from E2B_API_URL /
// E2B_SANDBOX_URL / E2B_DOMAIN (as the SDK reads them, so the CLI can be pointed at the stand-in), and
// the limit counters in a JSON file in the user's config directory, shared by concurrent CLI processes.
import os from 'node:os';
import { createE2BRunner, E2BSettingsError, type E2BRunner, type E2BSettingsInput } from '../sandbox/e2b';
import { defaultLimitsStorePath, JsonFileStore } from '../sandbox/limits';
import { UsageError, type CliIO } from './io';

export interface CliE2BOptions {
  /** Diagnostic lines (already redacted), e.g. for a --verbose flag. */
  log?: (line: string) => void;
  /** Where the limit counters live; default `$XDG_CONFIG_HOME` or `~/.config` → `sandbox-policy/limits.json`. */
  limitsFile?: string;
}

export const E2B_KEY_HELP =
  'E2B_API_KEY is not set. Create a key at https://e2b.dev/dashboard?tab=keys and put it in the environment, ' +
  'e.g. `export E2B_API_KEY=e2b_…` (PowerShell: `$env:E2B_API_KEY = "e2b_…"`), then run ' +
  '`sandbox-policy run --backend e2b FILE` again.';

export function createCliE2BRunner(
  io: CliIO,
  settings?: Partial<E2BSettingsInput>,
  options: CliE2BOptions = {},
): E2BRunner {
  const apiKey = io.env.E2B_API_KEY?.trim();
  if (!apiKey) throw new UsageError(E2B_KEY_HELP);
  const limitsFile = options.limitsFile ?? defaultLimitsStorePath(io.env, io.env.HOME || os.homedir());
  try {
    return createE2BRunner({
      apiKey,
      store: new JsonFileStore(limitsFile),
      settings,
      env: io.env,
      log: options.log,
    });
  } catch (error) {
    if (error instanceof E2BSettingsError) throw new UsageError(error.message);
    throw error;
  }
}
