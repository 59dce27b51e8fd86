// The text of "Sandbox Policy: Show Effective Policy": the merged policy and run settings, and for each
// setting the level its value came from (default, user, workspace, workspace folder) and any value that
// was ignored because the workspace is not trusted. Markdown, no vscode import.
import type { ResolvedPolicy } from '../policy/config';
import { PRESETS } from '../policy/presets';
import { atOrAbove } from '../policy/types';
import { effectiveGateMode } from './gate-mode';
import type { InterpretedSettings, SettingsProblem } from './settings-interpret';
import { SETTING_SPECS, fullKey, type EffectiveSettings, type SettingSource } from './settings-model';

export interface EffectivePolicyInput {
  trusted: boolean;
  settings: InterpretedSettings;
  effective: EffectiveSettings;
  problem?: SettingsProblem;
  e2bKeySet: boolean;
}

const SOURCE_NAMES: Record<SettingSource, string> = {
  default: 'default',
  user: 'user settings',
  workspace: 'workspace settings',
  workspaceFolder: 'workspace folder settings',
};

function cell(value: unknown): string {
  const text = value === undefined ? '—' : JSON.stringify(value);
  const short = text.length > 120 ? `${text.slice(0, 117)}...` : text;
  return `\`${short.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

function rulesTable(policy: ResolvedPolicy): string[] {
  const lines = ['| Rule | Severity | Blocks a run |', '| --- | --- | --- |'];
  for (const [id, setting] of Object.entries(policy.rules)) {
    const blocks = setting !== 'off' && atOrAbove(setting, policy.threshold) ? 'yes' : 'no';
    lines.push(`| \`${id}\` | ${setting} | ${blocks} |`);
  }
  return lines;
}

export function effectivePolicyMarkdown(input: EffectivePolicyInput): string {
  const { policy, run, e2b } = input.settings;
  const preset = PRESETS[policy.preset];
  const gate = effectiveGateMode(policy.preset, run.gateMode);
  const out: string[] = ['# Sandbox Policy: effective policy', ''];
  out.push(
    input.trusted
      ? '- Workspace: **trusted**. Workspace and folder settings apply.'
      : '- Workspace: **not trusted** (Restricted Mode). Workspace values of restricted settings are ignored, ' +
          'and nothing runs until you trust the workspace. Diagnostics keep working.',
  );
  if (input.problem) {
    out.push(`- **Invalid setting:** ${input.problem.message} The last valid settings below stay in force.`);
  }
  out.push(
    `- Preset: **${policy.preset}**: ${preset.description}`,
    `- Threshold: **${policy.threshold}** (findings at or above it are violations and stop a run)`,
    `- Suppression comments (\`sandbox-policy: ignore\`): ${policy.inlineSuppressions ? '**honoured**' : '**ignored**: every finding counts'}`,
    `- When the gate finds violations: **${gate}**${gate !== run.gateMode ? ` (the ${policy.preset} preset always refuses; the setting says "${run.gateMode}")` : ''}`,
    `- Default runner: **${run.defaultRunner}**; Pyodide isolation: **${run.isolation}**; OS sandbox: **${run.osSandbox}**`,
    `- Limits: ${run.limits.timeoutMs / 1000} s, ${run.limits.memoryMb} MB, ${run.limits.maxOutputBytes} bytes of output`,
    `- E2B: internet ${e2b.allowInternetAccess ? '**on**' : 'off'}, daily budget $${e2b.dailyBudgetUsd ?? '—'}, API key ${input.e2bKeySet ? 'set (in secret storage)' : 'not set'}`,
    '',
    '## Settings and where they came from',
    '',
    '| Setting | Value | From | Ignored |',
    '| --- | --- | --- | --- |',
  );
  for (const spec of SETTING_SPECS) {
    const setting = input.effective.get(spec.key);
    if (!setting) continue;
    const ignored = setting.ignored
      .map(
        (i) =>
          `${SOURCE_NAMES[i.source]}: ${cell(i.value)}${spec.scope === 'machine' || spec.scope === 'application' ? ' (user-only setting)' : ' (untrusted workspace)'}`,
      )
      .join('; ');
    out.push(
      `| \`${fullKey(spec.key)}\` | ${cell(setting.value)} | ${SOURCE_NAMES[setting.source]} | ${ignored || '—'} |`,
    );
  }
  out.push('', '## Rules', '', ...rulesTable(policy), '', '## Restricted modules', '');
  if (policy.restrictedModules.length === 0) out.push('None.');
  for (const mod of policy.restrictedModules)
    out.push(`- \`${mod.name}\` ${mod.severity}: ${mod.description}`);
  if (policy.allowedModules.length > 0) {
    out.push('', '## Allowed modules', '', ...policy.allowedModules.map((name) => `- \`${name}\``));
  }
  if (policy.customPatterns.length > 0) {
    out.push('', '## Custom patterns', '');
    for (const p of policy.customPatterns) out.push(`- ${cell(p.pattern)} ${p.severity}: ${p.description}`);
  }
  out.push('');
  return out.join('\n');
}
