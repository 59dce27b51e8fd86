import assert from 'node:assert/strict';
import { effectiveGateMode } from '../../../src/vscode/gate-mode';

describe('gate mode', () => {
  it('follows the setting under permissive presets', () => {
    assert.equal(effectiveGateMode('development', 'warn'), 'warn');
    assert.equal(effectiveGateMode('data_science', 'ask'), 'ask');
    assert.equal(effectiveGateMode('minimal', 'refuse'), 'refuse');
  });

  it('always refuses under production and strict', () => {
    for (const mode of ['ask', 'warn', 'refuse'] as const) {
      assert.equal(effectiveGateMode('production', mode), 'refuse');
      assert.equal(effectiveGateMode('strict', mode), 'refuse');
    }
  });
});
