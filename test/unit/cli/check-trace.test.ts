// `sandbox-policy check --trace`: the CLI's way to SANDBOX_POLICY_TRACE=1. On stderr, per file, what each
// name holds, why a finding was reported (or a name not followed) and the policy's decision.
import assert from 'node:assert/strict';
import { makeDir, runCheck } from './check-helpers';

describe('sandbox-policy check --trace', () => {
  it('explains each finding of each file: the file, the value chain, the policy decision', async () => {
    const dir = makeDir({
      'a.py': 'import os\nrun = os\nrun.system("ls")\n',
      'b.js': "const cp = require('child_process');\ncp.execSync('ls');\n",
    });
    const run = await runCheck(['--trace', '.'], dir);
    assert.equal(run.code, 1);
    // The findings are printed as without the flag.
    assert.match(run.stdout, /a\.py:3:1: HIGH command-execution/);
    assert.match(
      run.stderr,
      /sandbox-policy trace: file a\.py\n(?:.*\n)*?sandbox-policy trace: `os` at 2:7 holds os: followed\n(?:.*\n)*?sandbox-policy trace: `run` at 3:1 holds os: followed\n(?:.*\n)*?sandbox-policy trace: reported: command-execution at 3:1 "os\.system runs a shell command \(reached as `run\.system`\)"/,
    );
    assert.match(run.stderr, /policy: command-execution at 3:1 .* is HIGH, a violation \(threshold /);
    assert.match(run.stderr, /sandbox-policy trace: file b\.js\n/);
    assert.match(run.stderr, /`require` at 1:12 holds builtins\.require: followed/);
  });

  it('says why a name was not followed, and reports nothing for it', async () => {
    const dir = makeDir({ 'a.py': 'os = object()\nos.system("ls")\n' });
    const run = await runCheck(['--trace', 'a.py'], dir);
    assert.equal(run.code, 0);
    assert.match(run.stderr, /sandbox-policy trace: `os` at 2:1 holds unknown: not followed/);
    assert.doesNotMatch(run.stderr, /reported:/);
  });

  it('traces a file whose verdict is cached (the trace bypasses the cache)', async () => {
    const dir = makeDir({ 'a.py': 'import os\nos.system("ls")\n' });
    const first = await runCheck(['a.py'], dir);
    assert.equal(first.code, 1);
    assert.doesNotMatch(first.stderr, /sandbox-policy trace/);
    const traced = await runCheck(['--trace', 'a.py'], dir);
    assert.equal(traced.code, 1);
    assert.match(traced.stderr, /sandbox-policy trace: reported: command-execution at 2:1/);
    // The trace is off again after the run.
    const after = await runCheck(['--no-cache', 'a.py'], dir);
    assert.doesNotMatch(after.stderr, /sandbox-policy trace/);
  });

  it('refuses --trace with --threads above 1 or --cache-dir, naming the conflict', async () => {
    const dir = makeDir({ 'a.py': 'print(1)\n' });
    for (const extra of [
      ['--threads', '2'],
      ['--cache-dir', 'c'],
    ]) {
      const run = await runCheck(['--trace', ...extra, 'a.py'], dir);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /--trace analyses every file on one thread without the cache/);
    }
  });
});
