// Every rule has its page under docs/rules/, listed in the index, with the sections users look for.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PRESET_NAMES, RULES, policyJsonSchema, ruleDocsUrl } from '../../../src/policy';
import { expectFinding, expectNoFinding } from './helpers';

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

describe('documentation examples', () => {
  /** The fenced blocks of a `## Heading` section, by language. */
  function blocks(page: string, heading: string, language: string): string[] {
    const start = page.indexOf(`## ${heading}\n`);
    if (start === -1) return [];
    const end = page.indexOf('\n## ', start + 3);
    const section = page.slice(start, end === -1 ? undefined : end);
    return [...section.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
  }

  for (const rule of RULES) {
    if (rule.id === 'custom-pattern') continue; // its examples need a policy entry
    it(`${rule.id}: the "Flagged" examples are flagged and the "Not flagged" ones are not`, async () => {
      const page = fs.readFileSync(path.join(root, rule.docsPath), 'utf8');
      const language = { python: 'python', javascript: 'javascript' } as const;
      for (const lang of Object.keys(language) as Array<keyof typeof language>) {
        for (const code of blocks(page, 'Flagged', lang))
          await expectFinding(code, rule.id, undefined, { language: lang });
        for (const code of blocks(page, 'Not flagged', lang))
          await expectNoFinding(code, rule.id, { language: lang });
      }
    });
  }

  it('docs/policy.schema.json is the schema the code validates with', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(root, 'docs/policy.schema.json'), 'utf8'));
    assert.deepEqual(committed, JSON.parse(JSON.stringify(policyJsonSchema())));
  });
});
