// `--preset`, `--config`, `--threshold` and `--ignore-suppressions`: shared by `check` and `run`, turned into
// one ResolvedPolicy.
import fs from 'node:fs';
import path from 'node:path';
import type { ResolvedPolicy } from '../policy/config';
import { PRESET_NAMES, isPresetName } from '../policy/presets';
import { SEVERITIES, type Severity } from '../policy/types';
import { UsageError } from './io';
import { loadPolicyConfig } from './lazy';
import { errorMessage } from '../error-message';

export interface PolicyFlags {
  preset?: string;
  config?: string;
  threshold?: string;
  ignoreSuppressions?: boolean;
}

export const POLICY_OPTIONS_HELP = `  --preset NAME       ${PRESET_NAMES.join(', ')} (default: production)
  --config FILE       a JSON policy file (preset, threshold, restrictedModules, allowedModules, rules,
                      customPatterns, inlineSuppressions); the flags below override it
  --threshold LEVEL   SAFE, LOW, MEDIUM or HIGH: findings at or above it are violations
  --ignore-suppressions
                      \`sandbox-policy: ignore\` comments in the code suppress nothing (for code whose author
                      you do not trust, which could waive its own findings; "inlineSuppressions": false)`;

const FLAGS: Record<string, 'preset' | 'config' | 'threshold'> = {
  '--preset': 'preset',
  '--config': 'config',
  '--threshold': 'threshold',
};

/**
 * If `args[index]` is a policy flag (`--preset NAME` or `--preset=NAME`, `--ignore-suppressions`), records it
 * and returns how many arguments it used (1 or 2); returns 0 for any other argument.
 */
export function readPolicyFlag(args: readonly string[], index: number, into: PolicyFlags): number {
  const arg = args[index];
  if (arg === '--ignore-suppressions') {
    into.ignoreSuppressions = true;
    return 1;
  }
  const eq = arg.indexOf('=');
  const flag = eq === -1 ? arg : arg.slice(0, eq);
  const key = FLAGS[flag];
  if (!key) return 0;
  const value = eq === -1 ? args[index + 1] : arg.slice(eq + 1);
  if (value === undefined || (eq === -1 && value.startsWith('--')))
    throw new UsageError(`${flag} needs a value`);
  if (into[key] !== undefined) throw new UsageError(`${flag} given twice`);
  into[key] = value;
  return eq === -1 ? 2 : 1;
}

function readConfigFile(file: string, cwd: string): unknown {
  const full = path.resolve(cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(full, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? String(error));
    throw new UsageError(`--config ${file}: cannot read the policy file (${why})`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`--config ${file}: not valid JSON: ${errorMessage(error)}`);
  }
}

/**
 * What the flags describe, before the schema checks it: the config file's object (if any), then --preset and
 * --threshold on top. The same input always resolves to the same policy, so the cache is keyed by it.
 */
export function policyInput(flags: PolicyFlags, cwd: string): Record<string, unknown> {
  let config: Record<string, unknown> = {};
  if (flags.config !== undefined) {
    const loaded = readConfigFile(flags.config, cwd);
    if (loaded === null || typeof loaded !== 'object' || Array.isArray(loaded)) {
      throw new UsageError(`--config ${flags.config}: the policy must be a JSON object`);
    }
    config = { ...(loaded as Record<string, unknown>) };
  }
  if (flags.preset !== undefined) {
    if (!isPresetName(flags.preset)) {
      throw new UsageError(
        `--preset: "${flags.preset}" is not a preset; expected one of ${PRESET_NAMES.join(', ')}`,
      );
    }
    config.preset = flags.preset;
  }
  if (flags.threshold !== undefined) {
    const level = flags.threshold.toUpperCase();
    if (!(SEVERITIES as readonly string[]).includes(level)) {
      throw new UsageError(
        `--threshold: "${flags.threshold}" is not a severity; expected one of ${SEVERITIES.join(', ')}`,
      );
    }
    config.threshold = level as Severity;
  }
  if (flags.ignoreSuppressions) config.inlineSuppressions = false;
  return config;
}

/** The policy of a policyInput (the schema loads here); a config error is a usage error naming the file. */
export function resolvePolicyInput(input: Record<string, unknown>, flags: PolicyFlags): ResolvedPolicy {
  const { PolicyConfigError, resolvePolicy } = loadPolicyConfig();
  try {
    return resolvePolicy(input);
  } catch (error) {
    if (error instanceof PolicyConfigError) {
      throw new UsageError(
        flags.config !== undefined ? `--config ${flags.config}: ${error.message}` : error.message,
      );
    }
    throw error;
  }
}

/** The policy the flags describe: the config file (if any), then --preset and --threshold on top. */
export function loadPolicy(flags: PolicyFlags, cwd: string): ResolvedPolicy {
  return resolvePolicyInput(policyInput(flags, cwd), flags);
}
