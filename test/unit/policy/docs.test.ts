// Every rule has its page under docs/rules/, listed in the index, with the sections users look for.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PRESET_NAMES, RULES, ruleDocsUrl } from '../../../src/policy';

const root = path.resolve(__dirname, '../../../..');

describe('rule documentation', () => {
  const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');
  for (const rule of RULES) {
    it(`${rule.id} has a page with examples, suppression and presets`, () => {
      const index = read('docs/rules/README.md');
      const page = read(rule.docsPath);
      assert.match(page, new RegExp(`^# ${rule.id}\\b`, 'm'));
      for (const heading of [
        'What it detects',
        'Why it matters',
        'Flagged',
        'Not flagged',
        'Suppressing',
        'Severity by preset',
      ]) {
        assert.ok(page.includes(`## ${heading}`), `missing "## ${heading}"`);
      }
      for (const preset of PRESET_NAMES) assert.ok(page.includes(preset), `missing preset ${preset}`);
      assert.ok(index.includes(`(${rule.id}.md)`), 'not linked from docs/rules/README.md');
      assert.ok(ruleDocsUrl(rule.id).endsWith(rule.docsPath));
    });
  }
});

describe('policy documentation', () => {
  it('docs/policy.md has the presets table, the schema and the suppression syntax', () => {
    const page = fs.readFileSync(path.join(root, 'docs/policy.md'), 'utf8');
    for (const preset of PRESET_NAMES) assert.ok(page.includes(`\`${preset}\``), preset);
    for (const key of [
      'restrictedModules',
      'allowedModules',
      'customPatterns',
      'threshold',
      'sandbox-policy: ignore[',
    ]) {
      assert.ok(page.includes(key), key);
    }
  });
});
