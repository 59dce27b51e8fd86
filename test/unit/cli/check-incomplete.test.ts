// A file whose analysis stopped part way (too large, or nested deeper than the evaluation follows) is not
// safe in any output: the exit code, the text warning, JSON's `truncated` and a SARIF notification.
import assert from 'node:assert/strict';
import { makeDir, runCheck } from './check-helpers';

// Deeper than the evaluation follows (100 levels), around the dangerous name.
const NESTED = `import os\nrun = ${'0 if c else '.repeat(150)}os.system\nrun("id")\n`;

describe('sandbox-policy check on a file it cannot analyse completely', () => {
  it('says so in text, JSON and SARIF, and exits 1', async () => {
    const dir = makeDir({ 'nested.py': NESTED });
    const text = await runCheck(['--no-cache', 'nested.py'], dir);
    assert.equal(text.code, 1);
    assert.match(
      text.stderr,
      /nested\.py: warning: too large or deeply nested to check completely; treated as unsafe/,
    );
    assert.doesNotMatch(text.stdout, /all files are safe/);
    const json = await runCheck(['--no-cache', '--format', 'json', 'nested.py'], dir);
    assert.equal(json.code, 1);
    const [file] = JSON.parse(json.stdout).files;
    assert.deepEqual([file.safe, file.truncated], [false, true]);
    const sarif = await runCheck(['--no-cache', '--format', 'sarif', 'nested.py'], dir);
    const notes = JSON.parse(sarif.stdout).runs[0].invocations[0].toolExecutionNotifications;
    assert.ok(
      notes.some(
        (note: { level: string; message: { text: string } }) =>
          /nested\.py: too large or deeply nested/.test(note.message.text) && note.level === 'warning',
      ),
      JSON.stringify(notes),
    );
  });

  it('says nothing of the kind for a file analysed completely', async () => {
    const dir = makeDir({ 'plain.py': 'print(1)\n' });
    const json = await runCheck(['--no-cache', '--format', 'json', 'plain.py'], dir);
    assert.equal(json.code, 0);
    assert.equal(JSON.parse(json.stdout).files[0].truncated, false);
  });
});
