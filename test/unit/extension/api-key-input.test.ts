import assert from 'node:assert/strict';
import { validateApiKeyInput } from '../../../src/vscode/api-key-input';

describe('E2B API key input', () => {
  it('accepts a key, with surrounding spaces trimmed', () => {
    assert.equal(validateApiKeyInput('e2b_0123456789abcdef'), undefined);
    assert.equal(validateApiKeyInput('  e2b_0123456789abcdef \n'), undefined);
  });

  it('says what is wrong without repeating the key', () => {
    const key = 'e2b_secret part';
    for (const value of ['', '   ', key, 'e2b_\u0007bell', 'x'.repeat(600)]) {
      const problem = validateApiKeyInput(value);
      assert.ok(problem, JSON.stringify(value));
      assert.ok(!problem.includes('secret'), problem);
    }
  });
});
