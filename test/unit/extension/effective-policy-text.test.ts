import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { effectivePolicyMarkdown } from '../../../src/vscode/effective-policy-text';
import { interpretSettings } from '../../../src/vscode/settings-interpret';
import { fullKey, readEffectiveSettings, type Inspection } from '../../../src/vscode/settings-model';

const properties = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8'))
  .contributes.configuration.properties as Record<string, { default?: unknown }>;

function render(
  levels: Record<string, Omit<Inspection, 'defaultValue'>>,
  trusted: boolean,
  e2bKeySet = false,
) {
  const effective = readEffectiveSettings(
    (key) => ({ defaultValue: properties[fullKey(key)]?.default, ...levels[key] }),
    trusted,
  );
  const result = interpretSettings(effective);
  assert.ok(result.ok);
  return effectivePolicyMarkdown({ trusted, settings: result.value, effective, e2bKeySet });
}

describe('effective policy view', () => {
  it('shows each setting’s value and where it came from', () => {
    const text = render({ preset: { globalValue: 'strict' }, gateMode: { workspaceValue: 'warn' } }, true);
    assert.match(text, /Preset: \*\*strict\*\*/);
    assert.match(text, /\| `sandboxPolicy\.preset` \| `"strict"` \| user settings \| — \|/);
    assert.match(text, /\| `sandboxPolicy\.gateMode` \| `"warn"` \| workspace settings \|/);
    assert.match(text, /\| `sandboxPolicy\.run\.timeoutSeconds` \| `30` \| default \|/);
    // strict ignores the gate mode setting, and says so
    assert.match(
      text,
      /gate finds violations: \*\*refuse\*\* \(the strict preset always refuses; the setting says "warn"\)/,
    );
  });

  it('says what an untrusted workspace tried to set and that it was ignored', () => {
    const text = render({ preset: { workspaceValue: 'minimal' } }, false);
    assert.match(text, /not trusted/);
    assert.match(
      text,
      /\| `sandboxPolicy\.preset` \| `"production"` \| default \| workspace settings: `"minimal"` \(untrusted workspace\) \|/,
    );
  });

  it('lists the rules with whether they block a run, and never shows a key', () => {
    const text = render({}, true, true);
    assert.match(text, /\| `command-execution` \| HIGH \| yes \|/);
    assert.match(text, /\| `file-write` \| MEDIUM \| yes \|/);
    assert.match(text, /API key set \(in secret storage\)/);
  });

  it('says whether suppression comments count, and an untrusted workspace cannot turn them back on', () => {
    assert.match(render({}, true), /Suppression comments \(`sandbox-policy: ignore`\): \*\*honoured\*\*/);
    const off = render({ inlineSuppressions: { globalValue: false, workspaceValue: true } }, false);
    assert.match(
      off,
      /Suppression comments \(`sandbox-policy: ignore`\): \*\*ignored\*\*: every finding counts/,
    );
    assert.match(
      off,
      /\| `sandboxPolicy\.inlineSuppressions` \| `false` \| user settings \| workspace settings: `true` \(untrusted workspace\) \|/,
    );
  });
});
