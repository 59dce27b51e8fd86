// The server's settings: the `sandboxPolicy` section (from `workspace/configuration`, a
// `didChangeConfiguration` push, or `initializationOptions`) validated by the engine's zod schema, plus
// the document size limit. A wrong value becomes one message naming the setting; the caller keeps the
// last valid settings in force. Pure: no I/O.
import { z } from 'zod';
import {
  POLICY_SETTING_KEYS,
  PolicyConfigError,
  resolvePolicy,
  type PolicyConfig,
  type ResolvedPolicy,
} from '../policy';
import { SETTINGS_SECTION, type ServerSettings } from './protocol';

export const DEFAULT_DOCUMENT_SIZE_LIMIT_MB = 5;
const MAX_DOCUMENT_SIZE_LIMIT_MB = 1024;

export interface EditorSettings {
  /** The policy config as the editor set it (before any config file in the workspace). */
  policyConfig: PolicyConfig;
  policy: ResolvedPolicy;
  /** Documents larger than this (UTF-8 bytes) are not checked; they get one informational diagnostic. */
  documentSizeLimitBytes: number;
}

export type SettingsResult = { ok: true; value: EditorSettings } | { ok: false; message: string };

const sizeLimit = z.number().positive().max(MAX_DOCUMENT_SIZE_LIMIT_MB);

function fullKey(key: string): string {
  return `${SETTINGS_SECTION}.${key}`;
}

export function defaultEditorSettings(): EditorSettings {
  const result = interpretServerSettings({});
  if (!result.ok) throw new Error(`the default settings are invalid: ${result.message}`);
  return result.value;
}

/** The policy keys that are set (null, undefined and an empty threshold mean "the preset's own"). */
export function policyConfigOf(settings: ServerSettings): PolicyConfig {
  const config: Record<string, unknown> = {};
  for (const [configKey, settingKey] of POLICY_SETTING_KEYS) {
    const value = settings[settingKey];
    if (value === undefined || value === null || (settingKey === 'threshold' && value === '')) continue;
    config[configKey] = value;
  }
  return config as PolicyConfig;
}

/** Validates a `sandboxPolicy` section (anything a client sends: it may not even be an object). */
export function interpretServerSettings(section: unknown): SettingsResult {
  if (section !== undefined && section !== null && (typeof section !== 'object' || Array.isArray(section)))
    return {
      ok: false,
      message: `the ${SETTINGS_SECTION} settings must be an object, not ${JSON.stringify(section)}.`,
    };
  const settings = (section ?? {}) as ServerSettings;
  const policyConfig = policyConfigOf(settings);
  let policy: ResolvedPolicy;
  try {
    policy = resolvePolicy(policyConfig);
  } catch (error) {
    if (!(error instanceof PolicyConfigError)) throw error;
    return { ok: false, message: `${settingsWording(error.message)}.` };
  }
  const limit = settings.documentSizeLimitMb ?? DEFAULT_DOCUMENT_SIZE_LIMIT_MB;
  if (!sizeLimit.safeParse(limit).success)
    return {
      ok: false,
      message: `${fullKey('documentSizeLimitMb')} is ${JSON.stringify(limit)}; expected a number of MB above 0 and at most ${MAX_DOCUMENT_SIZE_LIMIT_MB}.`,
    };
  return {
    ok: true,
    value: { policyConfig, policy, documentSizeLimitBytes: Math.round((limit as number) * 1024 * 1024) },
  };
}

/** The engine's message with its config keys spelled as the settings the user edits. */
function settingsWording(message: string): string {
  let text = message.replace(/^invalid policy: /, '');
  for (const [configKey, settingKey] of POLICY_SETTING_KEYS) {
    text = text.replace(new RegExp(`(^|; )${configKey}(?=[.:\\[])`, 'g'), `$1${fullKey(settingKey)}`);
  }
  return text;
}
