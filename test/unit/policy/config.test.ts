// The policy schema and its resolution: presets, overrides, restricted/allowed modules, custom patterns,
// and errors that name the key, the value and what is allowed.
import assert from 'node:assert/strict';
import {
  PRESETS,
  PRESET_NAMES,
  PolicyConfigError,
  PolicyConfigSchema,
  RULE_IDS,
  resolvePolicy,
} from '../../../src/policy';

function errorOf(config: unknown): string {
  try {
    resolvePolicy(config);
  } catch (error) {
    assert.ok(error instanceof PolicyConfigError, `expected PolicyConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail(`expected ${JSON.stringify(config)} to be rejected`);
}

describe('policy configuration', () => {
  it('defaults to the production preset', () => {
    const policy = resolvePolicy(undefined);
    assert.equal(policy.preset, 'production');
    assert.equal(policy.threshold, PRESETS.production.threshold);
    assert.deepEqual(resolvePolicy({}), policy);
  });

  it('has the seven preset names of LLM Sandbox, each with every rule', () => {
    assert.deepEqual(
      [...PRESET_NAMES],
      ['minimal', 'development', 'educational', 'data_science', 'web_scraping', 'production', 'strict'],
    );
    for (const name of PRESET_NAMES)
      assert.deepEqual(Object.keys(PRESETS[name].rules).sort(), [...RULE_IDS].sort());
  });

  it('merges threshold, rule severities and modules over the preset', () => {
    const policy = resolvePolicy({
      preset: 'data_science',
      threshold: 'HIGH',
      rules: { 'file-write': 'off', 'env-access': 'HIGH' },
      restrictedModules: [
        { name: 'psutil', severity: 'MEDIUM' },
        { name: 'subprocess', severity: 'LOW' },
      ],
      allowedModules: ['ctypes'],
    });
    assert.equal(policy.threshold, 'HIGH');
    assert.equal(policy.rules['file-write'], 'off');
    assert.equal(policy.rules['env-access'], 'HIGH');
    assert.equal(policy.rules['command-execution'], PRESETS.data_science.rules['command-execution']);
    assert.deepEqual(policy.restrictedModules.find((m) => m.name === 'psutil')?.severity, 'MEDIUM');
    assert.deepEqual(policy.restrictedModules.find((m) => m.name === 'subprocess')?.severity, 'LOW');
    assert.equal(
      policy.restrictedModules.find((m) => m.name === 'ctypes'),
      undefined,
    );
  });

  it('normalizes node: prefixes in module names', () => {
    const policy = resolvePolicy({ restrictedModules: [{ name: 'node:worker_threads', severity: 'HIGH' }] });
    assert.ok(policy.restrictedModules.some((m) => m.name === 'worker_threads'));
  });

  it('names an unknown key and lists the allowed ones', () => {
    const message = errorOf({ presets: 'strict' });
    assert.match(message, /unknown key "presets"/);
    assert.match(message, /allowed: .*preset/);
  });

  it('names a bad preset value and the allowed presets', () => {
    const message = errorOf({ preset: 'paranoid' });
    assert.match(message, /preset: "paranoid" is not allowed/);
    assert.match(message, /"strict"/);
  });

  it('names a bad severity inside a list', () => {
    const message = errorOf({ restrictedModules: [{ name: 'os', severity: 'CRITICAL' }] });
    assert.match(message, /restrictedModules\[0\]\.severity: "CRITICAL" is not allowed/);
    assert.match(message, /"HIGH"/);
  });

  it('names an unknown rule id', () => {
    const message = errorOf({ rules: { 'no-eval': 'off' } });
    assert.match(message, /rules/);
    assert.match(message, /command-execution/);
  });

  it('rejects a custom pattern RE2 cannot run, naming the pattern', () => {
    const message = errorOf({
      customPatterns: [{ pattern: '(a)\\1', description: 'backreference', severity: 'LOW' }],
    });
    assert.match(message, /customPatterns\[0\]\.pattern: "\(a\)\\\\1"/);
    assert.match(message, /RE2/);
  });

  it('rejects a config that is not an object', () => {
    assert.match(errorOf(42), /expected object/);
    assert.match(errorOf([]), /expected object/);
  });

  it('is one zod schema for settings and files', () => {
    assert.equal(
      PolicyConfigSchema.safeParse({ preset: 'strict', $schema: './policy.schema.json' }).success,
      true,
    );
    assert.equal(PolicyConfigSchema.safeParse({ preset: 'strict', extra: 1 }).success, false);
  });
});
