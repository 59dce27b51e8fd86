import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PRESET_NAMES } from '../../../src/policy/presets';
import { RULE_IDS } from '../../../src/policy/rules';
import { DEFAULT_E2B_SETTINGS } from '../../../src/sandbox/e2b/settings';
import { interpretSettings } from '../../../src/vscode/settings-interpret';
import {
  SETTING_SPECS,
  effectiveSetting,
  fullKey,
  readEffectiveSettings,
  restrictedConfigurations,
  type Inspection,
} from '../../../src/vscode/settings-model';

interface ManifestProperty {
  default?: unknown;
  scope?: string;
  enum?: unknown[];
  markdownDescription?: string;
  description?: string;
}
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8'));
const properties: Record<string, ManifestProperty> = manifest.contributes.configuration.properties;

/** Inspections with the manifest's defaults plus the given values per level. */
function inspectWith(levels: Record<string, Omit<Inspection, 'defaultValue'>> = {}) {
  return (key: string): Inspection => ({ defaultValue: properties[fullKey(key)]?.default, ...levels[key] });
}

describe('settings: manifest', () => {
  it('declares exactly the settings the extension reads, each with a scope, a default and a description', () => {
    assert.deepEqual(Object.keys(properties).sort(), SETTING_SPECS.map((s) => fullKey(s.key)).sort());
    for (const spec of SETTING_SPECS) {
      const property = properties[fullKey(spec.key)];
      assert.equal(property.scope, spec.scope, `${spec.key} scope`);
      assert.ok('default' in property, `${spec.key} has a default`);
      assert.ok(
        (property.markdownDescription ?? property.description ?? '').length > 20,
        `${spec.key} is described`,
      );
    }
  });

  it('lists every restricted setting under untrustedWorkspaces.restrictedConfigurations', () => {
    const untrusted = manifest.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.deepEqual([...untrusted.restrictedConfigurations].sort(), restrictedConfigurations().sort());
  });

  it('keeps where and how code runs out of the workspace’s hands', () => {
    for (const key of [
      'defaultRunner',
      'pyodide.isolation',
      'run.osSandbox',
      'e2b.allowInternetAccess',
      'e2b.dailyBudgetUsd',
    ]) {
      const spec = SETTING_SPECS.find((s) => s.key === key);
      assert.ok(spec && (spec.scope === 'machine' || spec.scope === 'application'), key);
    }
  });

  it('has defaults that are valid and match the engine and E2B runner defaults', () => {
    const result = interpretSettings(readEffectiveSettings(inspectWith(), true));
    assert.ok(result.ok, result.ok ? '' : result.problem.message);
    assert.equal(result.value.policy.preset, 'production');
    assert.equal(result.value.run.defaultRunner, 'pyodide');
    assert.equal(result.value.run.isolation, 'process');
    assert.equal(result.value.run.osSandbox, 'auto');
    assert.deepEqual(result.value.run.limits, {
      timeoutMs: 30_000,
      memoryMb: 512,
      maxOutputBytes: 1_000_000,
      maxCodeBytes: 1_000_000,
    });
    for (const key of [
      'template',
      'allowInternetAccess',
      'maxLifetimeSeconds',
      'burstCreations',
      'hourlyCreations',
      'dailyCreations',
      'maxConcurrentSandboxes',
      'dailyBudgetUsd',
      'maxUploadBytes',
      'uploadFiles',
    ] as const) {
      assert.deepEqual(properties[`sandboxPolicy.e2b.${key}`].default, DEFAULT_E2B_SETTINGS[key], key);
    }
  });

  it('offers every preset and rule id the engine knows', () => {
    assert.deepEqual(properties['sandboxPolicy.preset'].enum, [...PRESET_NAMES]);
    const overrides = properties['sandboxPolicy.ruleOverrides'] as { properties: Record<string, unknown> };
    assert.deepEqual(Object.keys(overrides.properties), [...RULE_IDS]);
  });
});

describe('settings: levels and trust', () => {
  const preset = SETTING_SPECS.find((s) => s.key === 'preset')!;
  const patterns = SETTING_SPECS.find((s) => s.key === 'customPatterns')!;
  const internet = SETTING_SPECS.find((s) => s.key === 'e2b.allowInternetAccess')!;

  it('takes the most specific level and says where it came from', () => {
    const levels = { defaultValue: 'production', globalValue: 'strict', workspaceValue: 'development' };
    assert.deepEqual(effectiveSetting(preset, levels, true), {
      key: 'preset',
      value: 'development',
      source: 'workspace',
      ignored: [],
    });
    assert.equal(
      effectiveSetting(preset, { ...levels, workspaceFolderValue: 'minimal' }, true).source,
      'workspaceFolder',
    );
    assert.equal(effectiveSetting(preset, { defaultValue: 'production' }, true).source, 'default');
  });

  it('ignores an untrusted workspace’s restricted values and reports them as ignored', () => {
    const result = effectiveSetting(
      preset,
      { defaultValue: 'production', globalValue: 'strict', workspaceValue: 'minimal' },
      false,
    );
    assert.equal(result.value, 'strict');
    assert.equal(result.source, 'user');
    assert.deepEqual(result.ignored, [{ source: 'workspace', value: 'minimal' }]);
  });

  it('still applies an untrusted workspace’s unrestricted settings (they can only tighten)', () => {
    const value = [{ pattern: 'boto3', description: 'cloud SDK', severity: 'HIGH' }];
    assert.deepEqual(
      effectiveSetting(patterns, { defaultValue: [], workspaceValue: value }, false).value,
      value,
    );
  });

  it('never takes machine-scoped settings from a workspace, trusted or not', () => {
    const result = effectiveSetting(internet, { defaultValue: false, workspaceValue: true }, true);
    assert.equal(result.value, false);
    assert.deepEqual(result.ignored, [{ source: 'workspace', value: true }]);
  });
});

describe('settings: validation', () => {
  function interpret(levels: Record<string, Omit<Inspection, 'defaultValue'>>, trusted = true) {
    return interpretSettings(readEffectiveSettings(inspectWith(levels), trusted));
  }

  it('maps the settings onto the engine’s policy config', () => {
    const result = interpret({
      preset: { workspaceValue: 'data_science' },
      threshold: { workspaceValue: 'HIGH' },
      restrictedModules: { workspaceValue: [{ name: 'boto3', severity: 'HIGH' }] },
      allowedModules: { workspaceValue: ['socket'] },
      ruleOverrides: { workspaceValue: { 'network-http': 'off' } },
      customPatterns: { workspaceValue: [{ pattern: 'TODO', description: 'todo', severity: 'LOW' }] },
    });
    assert.ok(result.ok);
    const { policy } = result.value;
    assert.equal(policy.preset, 'data_science');
    assert.equal(policy.threshold, 'HIGH');
    assert.equal(policy.rules['network-http'], 'off');
    assert.ok(policy.restrictedModules.some((m) => m.name === 'boto3'));
    assert.deepEqual(policy.allowedModules, ['socket']);
    assert.equal(policy.customPatterns[0].pattern, 'TODO');
  });

  it('treats a null threshold as the preset’s own', () => {
    const result = interpret({ preset: { globalValue: 'strict' }, threshold: { globalValue: null } });
    assert.ok(result.ok);
    assert.equal(result.value.policy.threshold, 'LOW');
  });

  const cases: [string, Record<string, Omit<Inspection, 'defaultValue'>>, string, RegExp][] = [
    [
      'an unknown preset',
      { preset: { globalValue: 'paranoid' } },
      'sandboxPolicy.preset',
      /"paranoid".*expected one of "minimal"/,
    ],
    [
      'an unknown rule id',
      { ruleOverrides: { globalValue: { 'no-such-rule': 'off' } } },
      'sandboxPolicy.ruleOverrides',
      /sandboxPolicy\.ruleOverrides.*no-such-rule|unknown key/,
    ],
    [
      'a bad severity',
      { restrictedModules: { globalValue: [{ name: 'x', severity: 'CRITICAL' }] } },
      'sandboxPolicy.restrictedModules',
      /sandboxPolicy\.restrictedModules\[0\]\.severity/,
    ],
    [
      'a pattern with a backreference',
      { customPatterns: { workspaceValue: [{ pattern: '(a)\\1', description: 'd', severity: 'LOW' }] } },
      'sandboxPolicy.customPatterns',
      /RE2/,
    ],
    [
      'a zero timeout',
      { 'run.timeoutSeconds': { globalValue: 0 } },
      'sandboxPolicy.run.timeoutSeconds',
      /is 0; expected a number of seconds from 1 to 3600/,
    ],
    [
      'a text memory limit',
      { 'run.memoryMb': { globalValue: '512' } },
      'sandboxPolicy.run.memoryMb',
      /is "512"; expected a whole number/,
    ],
    [
      'an unknown runner',
      { defaultRunner: { globalValue: 'docker' } },
      'sandboxPolicy.defaultRunner',
      /"docker".*"pyodide" or "e2b"/,
    ],
    ['an unknown gate mode', { gateMode: { globalValue: 'yolo' } }, 'sandboxPolicy.gateMode', /"yolo"/],
    [
      'a negative budget',
      { 'e2b.dailyBudgetUsd': { globalValue: -1 } },
      'sandboxPolicy.e2b.dailyBudgetUsd',
      /sandboxPolicy\.e2b\.dailyBudgetUsd is -1/,
    ],
    [
      'an upload path leaving the folder',
      { 'e2b.uploadFiles': { workspaceValue: ['../secrets.env'] } },
      'sandboxPolicy.e2b.uploadFiles',
      /sandboxPolicy\.e2b\.uploadFiles\[0\] is "\.\.\/secrets\.env"/,
    ],
    [
      'a too-short sandbox lifetime',
      { 'e2b.maxLifetimeSeconds': { globalValue: 5 } },
      'sandboxPolicy.e2b.maxLifetimeSeconds',
      /maxLifetimeSeconds is 5/,
    ],
  ];
  for (const [what, levels, setting, message] of cases) {
    it(`names the setting and what is wrong for ${what}`, () => {
      const result = interpret(levels);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.problem.setting, setting);
      assert.match(result.problem.message, message);
    });
  }

  it('does not see an untrusted workspace’s invalid restricted value at all', () => {
    assert.ok(interpret({ preset: { workspaceValue: 'paranoid' } }, false).ok);
  });

  it('keeps an E2B run inside the sandbox lifetime', () => {
    const result = interpret({
      'run.timeoutSeconds': { globalValue: 600 },
      'e2b.maxLifetimeSeconds': { globalValue: 300 },
    });
    assert.ok(result.ok);
    assert.equal(result.value.e2b.runTimeoutSeconds, 270);
    assert.equal(result.value.run.limits.timeoutMs, 600_000);
  });

  it('turns the OS sandbox off only from the user’s own settings, never from a workspace', () => {
    const workspaceOff = interpret({ 'run.osSandbox': { workspaceValue: 'off' } }, true);
    assert.ok(workspaceOff.ok);
    assert.equal(workspaceOff.value.run.osSandbox, 'auto');
    const userOff = interpret({ 'run.osSandbox': { globalValue: 'off' } }, false);
    assert.ok(userOff.ok);
    assert.equal(userOff.value.run.osSandbox, 'off');
    const wrong = interpret({ 'run.osSandbox': { globalValue: 'sometimes' } });
    assert.ok(!wrong.ok);
    assert.match(
      wrong.problem.message,
      /sandboxPolicy\.run\.osSandbox is "sometimes"; expected "auto", "required" or "off"/,
    );
  });
});
