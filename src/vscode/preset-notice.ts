// "A repository cannot weaken a user's policy silently": finds when the workspace's preset lets
// through something the user's own preset would block, so the extension can say so (once per workspace).
// Weaker means, comparing the two presets' tables: a higher threshold, a rule at a lower severity (or off),
// or a module the user's preset restricts that the workspace's restricts less or not at all.
// No vscode import.
import { PRESETS, isPresetName, type Preset, type PresetName, type RuleSetting } from '../policy/presets';
import type { RuleId } from '../policy/rules';
import { severityRank } from '../policy/types';
import type { Inspection } from './settings-model';

export interface WeakerPreset {
  user: PresetName;
  workspace: PresetName;
  /** A few of the ways in which it is weaker, for the message. */
  examples: string[];
}

function rank(setting: RuleSetting): number {
  return setting === 'off' ? -1 : severityRank(setting);
}

export function weakerIn(workspace: Preset, user: Preset): string[] {
  const ways: string[] = [];
  if (severityRank(workspace.threshold) > severityRank(user.threshold)) {
    ways.push(`only blocks ${workspace.threshold} findings (yours blocks ${user.threshold} and above)`);
  }
  for (const id of Object.keys(user.rules) as RuleId[]) {
    if (rank(workspace.rules[id]) < rank(user.rules[id])) {
      ways.push(`rates ${id} ${workspace.rules[id]} (yours: ${user.rules[id]})`);
    }
  }
  for (const mod of user.restrictedModules) {
    const theirs = workspace.restrictedModules.find((m) => m.name === mod.name);
    if (!theirs) ways.push(`does not restrict ${mod.name}`);
    else if (severityRank(theirs.severity) < severityRank(mod.severity)) {
      ways.push(`rates module ${mod.name} ${theirs.severity} (yours: ${mod.severity})`);
    }
  }
  return ways;
}

/** The user's preset against the workspace's, when the workspace (or a folder) sets a weaker one. */
export function weakerWorkspacePreset(preset: Inspection): WeakerPreset | undefined {
  const userValue = preset.globalValue ?? preset.defaultValue;
  const workspaceValue = preset.workspaceFolderValue ?? preset.workspaceValue;
  if (typeof userValue !== 'string' || typeof workspaceValue !== 'string') return undefined;
  if (!isPresetName(userValue) || !isPresetName(workspaceValue) || userValue === workspaceValue)
    return undefined;
  const ways = weakerIn(PRESETS[workspaceValue], PRESETS[userValue]);
  return ways.length === 0
    ? undefined
    : { user: userValue, workspace: workspaceValue, examples: ways.slice(0, 3) };
}
