// The server's pure parts: settings validation (named by the setting the user edits), config-file merging
// under Workspace Trust, the restart rule, and markdown escaping in hovers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigFiles, mergeConfigFile, parseConfigFile } from '../../../src/server/config-files';
import { escapeMarkdown } from '../../../src/server/hover';
import { interpretServerSettings } from '../../../src/server/settings';
import { RestartPolicy } from '../../../src/vscode/restart-policy';

describe('language server: settings', () => {
  it('accepts an empty section as the production preset with a 5 MB limit', () => {
    const result = interpretServerSettings(undefined);
    assert.ok(result.ok);
    assert.equal(result.value.policy.preset, 'production');
    assert.equal(result.value.documentSizeLimitBytes, 5 * 1024 * 1024);
  });

  it('names the setting, the value and what is allowed', () => {
    const preset = interpretServerSettings({ preset: 'paranoid' });
    assert.ok(!preset.ok);
    assert.match(
      preset.message,
      /^sandboxPolicy\.preset: "paranoid" is not allowed; expected one of .*"strict"/,
    );
    const rules = interpretServerSettings({ ruleOverrides: { 'env-access': 'sometimes' } });
    assert.ok(!rules.ok);
    assert.match(rules.message, /^sandboxPolicy\.ruleOverrides\.env-access/);
    const limit = interpretServerSettings({ documentSizeLimitMb: 0 });
    assert.ok(!limit.ok);
    assert.match(limit.message, /sandboxPolicy\.documentSizeLimitMb is 0/);
    const notObject = interpretServerSettings('strict');
    assert.ok(!notObject.ok);
    assert.match(notObject.message, /must be an object/);
  });

  it('treats an empty threshold and nulls as unset', () => {
    const result = interpretServerSettings({ threshold: '', restrictedModules: null });
    assert.ok(result.ok);
    assert.deepEqual(result.value.policyConfig, {});
  });
});

describe('language server: config files', () => {
  let dir: string;
  beforeEach(() => (dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-policy-cfg-')))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads TOML and JSON in the --config shape, and names a broken file', () => {
    const toml = path.join(dir, 'sandbox-policy.toml');
    fs.writeFileSync(toml, 'preset = "strict"\n[rules]\n"env-access" = "off"\n');
    assert.deepEqual(parseConfigFile(toml), {
      path: toml,
      stamp: '',
      ok: true,
      config: { preset: 'strict', rules: { 'env-access': 'off' } },
    });
    fs.writeFileSync(toml, 'preset = \n');
    const broken = parseConfigFile(toml);
    assert.ok(!broken.ok);
    assert.match(broken.message, /sandbox-policy\.toml is not valid TOML/);
    const json = path.join(dir, '.sandbox-policy.json');
    fs.writeFileSync(json, '{"presett": "strict"}');
    const unknown = parseConfigFile(json);
    assert.ok(!unknown.ok);
    assert.match(unknown.message, /unknown key "presett"/);
  });

  it('stops at the workspace folder and re-reads a file when it changes', () => {
    fs.writeFileSync(path.join(dir, 'sandbox-policy.toml'), 'preset = "strict"\n');
    const folder = path.join(dir, 'ws');
    fs.mkdirSync(path.join(folder, 'a'), { recursive: true });
    const files = new ConfigFiles();
    assert.equal(files.find(path.join(folder, 'a', 'x.py'), [folder]), undefined, 'above the folder');
    assert.equal(files.find(path.join(folder, 'a', 'x.py'), [])?.path, path.join(dir, 'sandbox-policy.toml'));
    const inner = path.join(folder, '.sandbox-policy.json');
    fs.writeFileSync(inner, '{"preset": "minimal"}');
    const first = files.find(path.join(folder, 'a', 'x.py'), [folder]);
    assert.ok(first?.ok && first.config.preset === 'minimal');
    fs.writeFileSync(inner, '{"preset": "educational", "threshold": "HIGH"}');
    const second = files.find(path.join(folder, 'a', 'x.py'), [folder]);
    assert.ok(second?.ok && second.config.preset === 'educational');
  });

  it('lets an untrusted workspace’s file turn suppression comments off, never on', () => {
    const off = mergeConfigFile({}, { inlineSuppressions: false }, false);
    assert.deepEqual(off, { config: { inlineSuppressions: false }, ignored: [] });
    const on = mergeConfigFile({ inlineSuppressions: false }, { inlineSuppressions: true }, false);
    assert.deepEqual(on, { config: { inlineSuppressions: false }, ignored: ['inlineSuppressions'] });
    assert.deepEqual(
      mergeConfigFile({ inlineSuppressions: false }, { inlineSuppressions: true }, true).config,
      {
        inlineSuppressions: true,
      },
    );
  });

  it('keeps only tightening keys of an untrusted workspace’s file', () => {
    const pattern = { pattern: 'x', description: 'x', severity: 'LOW' as const };
    const editor = { preset: 'strict' as const, customPatterns: [pattern] };
    const file = {
      preset: 'minimal' as const,
      rules: { 'env-access': 'off' as const },
      customPatterns: [pattern],
    };
    assert.deepEqual(mergeConfigFile(editor, file, false), {
      config: { preset: 'strict', customPatterns: [pattern, pattern] },
      ignored: ['preset', 'rules'],
    });
    assert.deepEqual(mergeConfigFile(editor, file, true).config, {
      preset: 'minimal',
      rules: { 'env-access': 'off' },
      customPatterns: [pattern, pattern],
    });
  });
});

describe('language client: restart rule', () => {
  it('restarts until the fifth stop within three minutes, and again once they are older', () => {
    const policy = new RestartPolicy();
    const minute = 60_000;
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => policy.shouldRestart(i * minute * 0.5)),
      [true, true, true, true],
    );
    assert.equal(policy.shouldRestart(2 * minute), false, 'the fifth stop within three minutes');
    assert.equal(new RestartPolicy().shouldRestart(0), true);
    const spaced = new RestartPolicy();
    for (let i = 0; i < 10; i++) assert.equal(spaced.shouldRestart(i * 4 * minute), true);
  });
});

describe('language server: hover text', () => {
  it('escapes markdown so code cannot become links or markup', () => {
    assert.equal(escapeMarkdown('[x](command:evil) *a* `b`'), '\\[x\\]\\(command:evil\\) \\*a\\* \\`b\\`');
  });
});
