import assert from 'node:assert/strict';
import { PRESETS } from '../../../src/policy/presets';
import { weakerIn, weakerWorkspacePreset } from '../../../src/vscode/preset-notice';

describe('weaker workspace preset notice', () => {
  it('notices a workspace preset weaker than the user’s', () => {
    const notice = weakerWorkspacePreset({ defaultValue: 'production', workspaceValue: 'development' });
    assert.ok(notice);
    assert.equal(notice.user, 'production');
    assert.equal(notice.workspace, 'development');
    assert.ok(notice.examples.length > 0 && notice.examples.length <= 3);
    assert.match(notice.examples[0], /threshold|HIGH|rates|restrict/);
  });

  it('compares against the user’s own value, not the default, and folder values win', () => {
    assert.ok(
      weakerWorkspacePreset({
        defaultValue: 'production',
        globalValue: 'strict',
        workspaceFolderValue: 'production',
      }),
    );
    assert.equal(
      weakerWorkspacePreset({
        defaultValue: 'production',
        globalValue: 'minimal',
        workspaceValue: 'production',
      }),
      undefined,
    );
  });

  it('stays quiet for a stricter or equal workspace preset, or none', () => {
    assert.equal(weakerWorkspacePreset({ defaultValue: 'production', workspaceValue: 'strict' }), undefined);
    assert.equal(
      weakerWorkspacePreset({ defaultValue: 'production', workspaceValue: 'production' }),
      undefined,
    );
    assert.equal(weakerWorkspacePreset({ defaultValue: 'production' }), undefined);
    assert.equal(
      weakerWorkspacePreset({ defaultValue: 'production', workspaceValue: 'nonsense' }),
      undefined,
    );
  });

  it('finds strict stronger than every other preset in some respect, and nothing weaker than minimal', () => {
    for (const preset of Object.values(PRESETS)) {
      if (preset.name !== 'strict') assert.ok(weakerIn(preset, PRESETS.strict).length > 0, preset.name);
      assert.deepEqual(weakerIn(preset, PRESETS.minimal), [], preset.name);
    }
  });
});
