// The golden test: the analyzers' complete raw output (every finding's rule, message, offsets, module;
// every import; the constant code handed to exec/eval and what it reports in turn) for every file under
// test/fixtures/ and every snippet the unit tests analyse, against committed JSON in
// test/fixtures/golden/. Any change of message, rule or offset fails it; a deliberate change is
// re-recorded with UPDATE_GOLDEN=1 (CONTRIBUTING.md, "Update the golden files").
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { languageForPath } from '../../../src/policy/language';
import type { Language } from '../../../src/policy/types';
import { rawAnalyzer, type GoldenAnalysis } from './raw-analysis';

const root = path.resolve(__dirname, '../../../..');
const fixtures = path.join(root, 'test/fixtures');
const goldenDir = path.join(fixtures, 'golden');
const fixturesFile = path.join(goldenDir, 'fixtures.json');
const snippetsFile = path.join(goldenDir, 'snippets.json');
const update = process.env.UPDATE_GOLDEN === '1';

/** What the analyzer returned, or the error it threw (pinned too: a crash must not change unnoticed). */
type Outcome = GoldenAnalysis | { error: string };

interface FixtureEntry {
  file: string;
  language: Language;
  analysis: Outcome;
}

interface SnippetEntry {
  language: Language;
  path?: string;
  code: string;
  analysis: Outcome;
}

function attempt(run: () => GoldenAnalysis): Outcome {
  try {
    return plain(run());
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Every file under test/fixtures/ the engine checks (by extension), relative to the repository root. */
function fixtureFiles(dir = fixtures): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (full !== goldenDir && entry.name !== 'node_modules') files.push(...fixtureFiles(full));
    } else if (languageForPath(entry.name)) files.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return files.sort();
}

/** As JSON would store it (undefined fields dropped), so that the comparison sees what is committed. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 1)}\n`);
}

/** The snippets to pin: the committed ones plus, when updating, those recorded with GOLDEN_RECORD. */
function snippetInputs(): Array<Omit<SnippetEntry, 'analysis'>> {
  const committed = fs.existsSync(snippetsFile) ? readJson<SnippetEntry[]>(snippetsFile) : [];
  const inputs: Array<Omit<SnippetEntry, 'analysis'>> = committed.map(({ language, path, code }) => ({
    language,
    path,
    code,
  }));
  const recorded = process.env.GOLDEN_RECORD;
  if (update && recorded && fs.existsSync(recorded)) {
    for (const line of fs.readFileSync(recorded, 'utf8').split('\n')) {
      if (line) inputs.push(JSON.parse(line) as Omit<SnippetEntry, 'analysis'>);
    }
  }
  const seen = new Set<string>();
  return inputs
    .filter((input) => {
      const key = JSON.stringify([input.language, input.path ?? null, input.code]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) =>
      a.language !== b.language
        ? a.language < b.language
          ? -1
          : 1
        : a.code !== b.code
          ? a.code < b.code
            ? -1
            : 1
          : (a.path ?? '') < (b.path ?? '')
            ? -1
            : 1,
    );
}

/** Fails with the first few differences, each named by its input. */
function assertSame(differences: string[], what: string): void {
  assert.equal(
    differences.length,
    0,
    `${differences.length} ${what} differ from the golden files (UPDATE_GOLDEN=1 re-records them, see ` +
      `CONTRIBUTING.md):\n${differences.slice(0, 5).join('\n\n')}`,
  );
}

function describeDifference(name: string, expected: unknown, actual: unknown): string {
  try {
    assert.deepStrictEqual(actual, expected);
    return '';
  } catch (error) {
    return `${name}:\n${(error as Error).message.slice(0, 3000)}`;
  }
}

describe('golden raw analysis', function () {
  this.timeout(600_000);

  it('pins the raw output for every file under test/fixtures/', async () => {
    const analyze = await rawAnalyzer();
    const actual: FixtureEntry[] = fixtureFiles().map((file) => {
      const language = languageForPath(file)!;
      const code = fs.readFileSync(path.join(root, file), 'utf8');
      return { file, language, analysis: attempt(() => analyze(code, language, file)) };
    });
    if (update) writeJson(fixturesFile, actual);
    const expected = readJson<FixtureEntry[]>(fixturesFile);
    assert.deepEqual(
      actual.map((entry) => entry.file),
      expected.map((entry) => entry.file),
      'the fixture files changed: UPDATE_GOLDEN=1 re-records them',
    );
    const differences = actual
      .map((entry, i) => describeDifference(entry.file, expected[i], entry))
      .filter(Boolean);
    assertSame(differences, 'fixture files');
  });

  it('pins the raw output for every snippet the unit tests analyse', async () => {
    const analyze = await rawAnalyzer();
    if (update) {
      const entries = snippetInputs().map((input): SnippetEntry => ({
        ...input,
        analysis: attempt(() => analyze(input.code, input.language, input.path)),
      }));
      writeJson(snippetsFile, entries);
    }
    const expected = readJson<SnippetEntry[]>(snippetsFile);
    assert.ok(expected.length > 900, `only ${expected.length} snippets in ${snippetsFile}`);
    const differences = expected
      .map((entry) =>
        describeDifference(
          `${entry.language} snippet ${JSON.stringify(entry.code.slice(0, 120))}`,
          entry.analysis,
          attempt(() => analyze(entry.code, entry.language, entry.path)),
        ),
      )
      .filter(Boolean);
    assertSame(differences, 'snippets');
  });
});
