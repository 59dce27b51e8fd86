// Public entry of the E2B runner: `createE2BRunner(options)` returns a `Runner` (plus `usage()`).
import type { KeyValueStore } from '../limits/store';
import { E2BRunner, type E2BConnection } from './runner';
import { E2BSettingsError, parseE2BSettings, type E2BSettingsInput } from './settings';

export { E2BRunner, type E2BRunRequest, type E2BConnection } from './runner';
export {
  DEFAULT_E2B_SETTINGS,
  E2BSettingsError,
  E2BSettingsSchema,
  LIFETIME_GRACE_SECONDS,
  parseE2BSettings,
  type E2BSettings,
  type E2BSettingsInput,
} from './settings';
export { SANDBOX_WORKDIR } from './uploads';
export { SET_KEY_HINT } from './errors';
export type { LimitsUsage } from '../limits';

export interface E2BRunnerOptions {
  /** The E2B API key (SecretStorage in the extension, E2B_API_KEY in the CLI). Only the SDK ever sees it. */
  apiKey: string;
  /** Where rate, concurrency and budget counters persist (`globalState`, or the CLI's JSON file). */
  store: KeyValueStore;
  settings?: Partial<E2BSettingsInput>;
  /** Defaults, as in the SDK: E2B_API_URL, E2B_SANDBOX_URL, E2B_DOMAIN from the environment. */
  apiUrl?: string;
  sandboxUrl?: string;
  domain?: string;
  /** Diagnostic lines (sandbox ids, timings, failures); already redacted. */
  log?: (line: string) => void;
  /** The wall clock for limit windows and the budget's day; injectable for tests. */
  clock?: () => number;
  /** Where E2B_API_URL / E2B_SANDBOX_URL / E2B_DOMAIN are read when not given; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** Validates an endpoint URL without ever echoing credentials that might be embedded in it. */
function endpoint(value: string | undefined, what: string): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new E2BSettingsError(`${what} is not a URL; expected something like https://api.e2b.app`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new E2BSettingsError(`${what} must be an http(s) URL (got ${url.protocol})`);
  }
  return value.trim().replace(/\/+$/, '');
}

/**
 * Creates the E2B runner. Throws `E2BSettingsError` for a missing key or invalid settings (the message
 * names the setting; it never contains the key).
 */
export function createE2BRunner(options: E2BRunnerOptions): E2BRunner {
  const apiKey = typeof options.apiKey === 'string' ? options.apiKey.trim() : '';
  if (apiKey === '') {
    throw new E2BSettingsError(
      'no E2B API key: set one with "Sandbox Policy: Set E2B API Key" (or E2B_API_KEY for the CLI)',
    );
  }
  if (/\s/.test(apiKey)) throw new E2BSettingsError('the E2B API key contains whitespace; set it again');
  const settings = parseE2BSettings(options.settings ?? {});
  const env = options.env ?? process.env;
  const domain = options.domain?.trim() || env.E2B_DOMAIN?.trim() || undefined;
  if (domain !== undefined && !/^[A-Za-z0-9.-]+(:\d+)?$/.test(domain)) {
    throw new E2BSettingsError('E2B_DOMAIN / domain must be a host name such as e2b.app');
  }
  const sandboxUrl = endpoint(options.sandboxUrl ?? env.E2B_SANDBOX_URL, 'E2B_SANDBOX_URL / sandboxUrl');
  // apiUrl and domain are always explicit, so the SDK does not read them from process.env behind our back.
  const connection: E2BConnection = {
    apiUrl:
      endpoint(options.apiUrl ?? env.E2B_API_URL, 'E2B_API_URL / apiUrl') ??
      `https://api.${domain ?? 'e2b.app'}`,
    domain: domain ?? 'e2b.app',
    ...(sandboxUrl ? { sandboxUrl } : {}),
  };
  return new E2BRunner(apiKey, options.store, settings, connection, options.log, options.clock);
}
