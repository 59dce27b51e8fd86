// `sandbox-policy --help` names every option each command's own help names, so the summary a user sees
// first never lags behind a command that gained an option.
import assert from 'node:assert/strict';
import { main } from '../../../src/cli';
import { CHECK_USAGE } from '../../../src/cli/check';
import { RUN_USAGE } from '../../../src/cli/run';
import { SERVER_USAGE } from '../../../src/server/main';

/** The options of a usage text's synopsis: everything before its first blank line. */
function synopsisOptions(usage: string): string[] {
  return [...new Set(usage.split('\n\n')[0].match(/--[a-z][a-z0-9-]*/g) ?? [])];
}

async function topLevelHelp(argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await main(argv, {
    stdout: (text) => (stdout += text),
    stderr: () => {},
    env: {},
    cwd: process.cwd(),
    signal: new AbortController().signal,
  });
  return { code, stdout };
}

describe('sandbox-policy --help', () => {
  for (const [command, usage] of [
    ['check', CHECK_USAGE],
    ['run', RUN_USAGE],
    ['server', SERVER_USAGE],
  ] as const) {
    it(`names every option of "${command}" on its line`, async () => {
      const { code, stdout } = await topLevelHelp(['--help']);
      assert.equal(code, 0);
      // The command's line and its continuation lines (indented deeper, no command of their own).
      const lines = stdout.split('\n');
      const first = lines.findIndex((text) => text.startsWith(`  sandbox-policy ${command} `));
      assert.ok(first >= 0, `no "sandbox-policy ${command}" line in:\n${stdout}`);
      let end = first + 1;
      while (end < lines.length && /^ {4,}\S/.test(lines[end]) && !lines[end].includes('sandbox-policy'))
        end++;
      const line = lines.slice(first, end).join(' ');
      const options = synopsisOptions(usage);
      assert.ok(options.length > 0);
      assert.deepEqual(
        options.filter((option) => !line.includes(option)),
        [],
        `missing from the top-level help's "${command}" line`,
      );
    });
  }

  it('prints the same summary, as a usage error, with no command', async () => {
    const bare = await topLevelHelp([]);
    assert.equal(bare.code, 2);
    assert.equal(bare.stdout, (await topLevelHelp(['--help'])).stdout);
  });
});
