// SANDBOX_POLICY_TRACE=1: the analyzers and the policy say on stderr why a finding was or was not
// reported (what each seed name holds, the value chain at a finding, the policy's decision).
import assert from 'node:assert/strict';
import { check } from './helpers';

async function traced(code: string, language: 'python' | 'javascript' = 'python'): Promise<string> {
  const previous = process.env.SANDBOX_POLICY_TRACE;
  const write = process.stderr.write;
  let captured = '';
  process.env.SANDBOX_POLICY_TRACE = '1';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    captured += chunk.toString();
    return true;
  }) as typeof process.stderr.write;
  try {
    await check(code, { language });
  } finally {
    process.stderr.write = write;
    if (previous === undefined) delete process.env.SANDBOX_POLICY_TRACE;
    else process.env.SANDBOX_POLICY_TRACE = previous;
  }
  return captured;
}

describe('trace switch (SANDBOX_POLICY_TRACE=1)', () => {
  it('shows the value chain of a Python finding and the policy decision', async () => {
    const trace = await traced('import os\nrun = os\nrun.system("ls")\n');
    // The chain: `os` bound to `run`, `run` used at 3:1, the finding there.
    assert.match(
      trace,
      /`os` at 2:7 holds os: followed\n.*`run` at 3:1 holds os: followed\n.*reported: command-execution at 3:1 "os\.system runs a shell command/,
    );
    assert.match(trace, /policy: command-execution at 3:1 .* is HIGH, a violation \(threshold /);
  });

  it('says why a Python name is not followed', async () => {
    const trace = await traced('os = object()\nos.system("ls")\n');
    assert.match(
      trace,
      /`os` at 2:1 holds nothing known: not followed|`os` at 2:1 holds unknown: not followed/,
    );
    assert.doesNotMatch(trace, /reported: command-execution/);
  });

  it('shows a suppressed finding and a JavaScript value chain', async () => {
    const trace = await traced(
      "const cp = require('child_process');\nconst run = cp.execSync;\nrun('ls'); // sandbox-policy: ignore[command-execution]\n",
      'javascript',
    );
    assert.match(trace, /`require` at 1:12 holds builtins\.require: followed/);
    assert.match(trace, /reported: command-execution at 3:1/);
    assert.match(trace, /`run` at 3:1 holds child_process\.execSync: followed/);
    assert.match(trace, /suppressed by a sandbox-policy: ignore comment/);
  });

  it('prints nothing without the switch', async () => {
    const write = process.stderr.write;
    let captured = '';
    process.stderr.write = ((chunk: string | Uint8Array) => {
      captured += chunk.toString();
      return true;
    }) as typeof process.stderr.write;
    try {
      await check('import os\nos.system("ls")\n');
    } finally {
      process.stderr.write = write;
    }
    assert.equal(captured, '');
  });
});
