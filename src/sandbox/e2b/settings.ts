// The E2B runner's settings: one zod schema, so that the extension (machine-scope settings) and the CLI
// validate them the same way and a wrong value is reported with its key, its value and what is allowed.
import { z } from 'zod';
import { FREE_TIER_RATE_LIMITS } from '../limits/rate-limiter';

/** Time between creating the sandbox and starting the program, and for killing it: its lifetime covers both. */
export const LIFETIME_GRACE_SECONDS = 30;

const uploadPath = z
  .string()
  .min(1, 'must not be empty')
  .max(255)
  .refine(
    (value) => !/^([/\\]|[A-Za-z]:)/.test(value),
    "must be relative to the script's folder, not absolute",
  )
  .refine((value) => !value.split(/[/\\]/).includes('..'), 'must not leave the script\'s folder ("..")')
  .refine((value) => !value.includes('\0'), 'must not contain NUL');

export const E2BSettingsSchema = z.strictObject({
  /** E2B template name or id; `code-interpreter-v1` is the one the code-interpreter SDK defaults to. */
  template: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'must be a template name or id (letters, digits, . _ : / -)')
    .default('code-interpreter-v1'),
  /** Off unless the user turns it on: code in the sandbox then cannot reach the internet. */
  allowInternetAccess: z.boolean().default(false),
  /**
   * Upper bound on a run in E2B; the run's own time limit applies when it is lower, and the run always
   * ends at least LIFETIME_GRACE_SECONDS before the sandbox's lifetime does.
   */
  runTimeoutSeconds: z.number().int().min(1).max(3600).default(120),
  /** Hard cap on a sandbox's lifetime, enforced by E2B itself even if this process dies. */
  maxLifetimeSeconds: z.number().int().min(31).max(86_400).default(300),
  /** How long to wait for E2B to create a sandbox. */
  createTimeoutSeconds: z.number().int().min(1).max(300).default(30),
  /** Files next to the script to upload with it (paths relative to the script's folder). */
  uploadFiles: z.array(uploadPath).max(50).default([]),
  /** Cap on everything uploaded (the script and its sibling files), in bytes. */
  maxUploadBytes: z
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(5 * 1024 * 1024),
  /** Cap on stdout + stderr bytes; the run's own output cap applies when it is lower. */
  maxOutputBytes: z
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1_000_000),
  /** Sandbox creations allowed in any 10 s / hour / 24 h (defaults: the seed's free tier). */
  burstCreations: z.number().int().min(1).max(1000).default(FREE_TIER_RATE_LIMITS.burst),
  hourlyCreations: z.number().int().min(1).max(100_000).default(FREE_TIER_RATE_LIMITS.hourly),
  dailyCreations: z.number().int().min(1).max(1_000_000).default(FREE_TIER_RATE_LIMITS.daily),
  maxConcurrentSandboxes: z.number().int().min(1).max(100).default(2),
  /** Estimated spend allowed per local calendar day, in US dollars; 0 refuses every run. */
  dailyBudgetUsd: z.number().min(0).max(100_000).default(1),
  /** The template's size, for the cost estimate (E2B's default sandbox: 2 vCPU, 512 MiB). */
  vcpus: z.number().int().min(1).max(64).default(2),
  memoryGiB: z.number().positive().max(512).default(0.5),
});

export type E2BSettings = z.output<typeof E2BSettingsSchema>;
export type E2BSettingsInput = z.input<typeof E2BSettingsSchema>;

export const DEFAULT_E2B_SETTINGS: E2BSettings = E2BSettingsSchema.parse({});

export class E2BSettingsError extends Error {
  override name = 'E2BSettingsError';
}

/** Validates E2B settings; throws `E2BSettingsError` naming each wrong key, its value and what is allowed. */
export function parseE2BSettings(input: unknown = {}): E2BSettings {
  const parsed = E2BSettingsSchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path.map(String).join('.') || '(settings)';
    if (issue.code === 'unrecognized_keys') {
      return `unknown E2B setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    const value = valueAt(input, issue.path);
    const got = value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
    const message = issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
    return `E2B setting "${key}" ${message}${got}`;
  });
  return fail(`invalid E2B settings: ${problems.join('; ')}`);
}

function fail(message: string): never {
  throw new E2BSettingsError(message);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
