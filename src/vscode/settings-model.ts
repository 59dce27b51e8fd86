// The `sandboxPolicy.*` settings as data: which exist, which are restricted in untrusted workspaces,
// and how VS Code's per-level values (default, user, workspace, folder) become one effective value with
// its origin. In an untrusted workspace a restricted setting is read from the user and default levels
// only, whatever VS Code itself does, so a cloned repository cannot loosen the policy or change how
// and where code runs. No vscode import: src/vscode/settings.ts feeds it `inspect()` results.

export type SettingScope = 'application' | 'machine' | 'machine-overridable' | 'window' | 'resource';
export type SettingSource = 'default' | 'user' | 'workspace' | 'workspaceFolder';

export interface SettingSpec {
  /** The key after `sandboxPolicy.`. */
  key: string;
  scope: SettingScope;
  /** Listed in `capabilities.untrustedWorkspaces.restrictedConfigurations`: it loosens the policy or changes how or where code runs. */
  restricted: boolean;
}

export const SETTINGS_SECTION = 'sandboxPolicy';

/** Every setting the extension reads. The unit tests hold package.json's schema to this list. */
export const SETTING_SPECS: readonly SettingSpec[] = [
  // The policy. A workspace may tighten it with custom patterns; everything else can loosen it.
  { key: 'preset', scope: 'resource', restricted: true },
  { key: 'threshold', scope: 'resource', restricted: true },
  { key: 'restrictedModules', scope: 'resource', restricted: true },
  { key: 'allowedModules', scope: 'resource', restricted: true },
  { key: 'ruleOverrides', scope: 'resource', restricted: true },
  { key: 'customPatterns', scope: 'resource', restricted: false },
  // Turned back on by a workspace, it would let the code's own comments waive its findings.
  { key: 'inlineSuppressions', scope: 'resource', restricted: true },
  { key: 'gateMode', scope: 'resource', restricted: true },
  // Raising it leaves large files unchecked in the editor.
  { key: 'documentSizeLimitMb', scope: 'resource', restricted: true },
  // The language server's protocol trace (diagnostic output only).
  { key: 'trace.server', scope: 'window', restricted: false },
  // How a run is limited.
  { key: 'run.timeoutSeconds', scope: 'resource', restricted: true },
  { key: 'run.memoryMb', scope: 'resource', restricted: true },
  { key: 'run.maxOutputBytes', scope: 'resource', restricted: true },
  // Where and how code runs: only the user (or the machine) decides.
  { key: 'defaultRunner', scope: 'machine', restricted: true },
  { key: 'pyodide.isolation', scope: 'machine', restricted: true },
  { key: 'run.osSandbox', scope: 'machine', restricted: true },
  { key: 'e2b.template', scope: 'machine', restricted: true },
  { key: 'e2b.allowInternetAccess', scope: 'machine', restricted: true },
  { key: 'e2b.maxLifetimeSeconds', scope: 'machine', restricted: true },
  { key: 'e2b.burstCreations', scope: 'machine', restricted: true },
  { key: 'e2b.hourlyCreations', scope: 'machine', restricted: true },
  { key: 'e2b.dailyCreations', scope: 'machine', restricted: true },
  { key: 'e2b.maxConcurrentSandboxes', scope: 'machine', restricted: true },
  { key: 'e2b.dailyBudgetUsd', scope: 'machine', restricted: true },
  { key: 'e2b.maxUploadBytes', scope: 'machine', restricted: true },
  // Which files besides the script are uploaded to the cloud: the project knows, but it must be trusted.
  { key: 'e2b.uploadFiles', scope: 'resource', restricted: true },
];

export function fullKey(key: string): string {
  return `${SETTINGS_SECTION}.${key}`;
}

/** The shape of `WorkspaceConfiguration.inspect(key)` that matters here. */
export interface Inspection {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export interface EffectiveSetting {
  key: string;
  value: unknown;
  source: SettingSource;
  /** Values set at a level that does not count (an untrusted workspace's restricted setting). */
  ignored: { source: SettingSource; value: unknown }[];
}

/** VS Code's precedence, highest first: folder, workspace, user, default. */
const LEVELS: readonly [SettingSource, keyof Inspection][] = [
  ['workspaceFolder', 'workspaceFolderValue'],
  ['workspace', 'workspaceValue'],
  ['user', 'globalValue'],
  ['default', 'defaultValue'],
];

const WORKSPACE_LEVELS: readonly SettingSource[] = ['workspace', 'workspaceFolder'];

/** Which levels a setting may be read from, given its scope and the workspace's trust. */
function levelCounts(spec: SettingSpec, source: SettingSource, trusted: boolean): boolean {
  if (!WORKSPACE_LEVELS.includes(source)) return true;
  if (spec.scope === 'application' || spec.scope === 'machine') return false;
  return trusted || !spec.restricted;
}

export function effectiveSetting(
  spec: SettingSpec,
  inspection: Inspection,
  trusted: boolean,
): EffectiveSetting {
  const result: EffectiveSetting = { key: spec.key, value: undefined, source: 'default', ignored: [] };
  let found = false;
  for (const [source, field] of LEVELS) {
    const value = inspection[field];
    if (value === undefined) continue;
    if (!levelCounts(spec, source, trusted)) {
      result.ignored.push({ source, value });
    } else if (!found) {
      result.value = value;
      result.source = source;
      found = true;
    }
  }
  return result;
}

export type EffectiveSettings = ReadonlyMap<string, EffectiveSetting>;

export function readEffectiveSettings(
  inspect: (key: string) => Inspection | undefined,
  trusted: boolean,
): EffectiveSettings {
  const settings = new Map<string, EffectiveSetting>();
  for (const spec of SETTING_SPECS)
    settings.set(spec.key, effectiveSetting(spec, inspect(spec.key) ?? {}, trusted));
  return settings;
}

export function valueOf(settings: EffectiveSettings, key: string): unknown {
  return settings.get(key)?.value;
}

/** The restricted keys, as `capabilities.untrustedWorkspaces.restrictedConfigurations` lists them. */
export function restrictedConfigurations(): string[] {
  return SETTING_SPECS.filter((spec) => spec.restricted).map((spec) => fullKey(spec.key));
}
