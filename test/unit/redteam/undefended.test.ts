// Proof that the harness is live: the escape cases run once against an undefended `loadPyodide()`
// (in a child process, so that an escape cannot hurt the test runner) and must escape there: the
// marker file appears, the canary shows up in the output or the host listener gets a connection (or,
// for a crash case, the process dies).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { RedteamEnvironment, loadCases, type RedteamCase } from './harness';

const RUN_LIMIT_MS = 90_000;

interface Observed {
  escapes: string[];
  crashed: boolean;
  detail: string;
}

async function runUndefended(env: RedteamEnvironment, testCase: RedteamCase): Promise<Observed> {
  const file = path.join(env.dir, `${testCase.id}.py`);
  fs.writeFileSync(file, env.substitute(testCase.source));
  const child = spawn(process.execPath, [path.join(__dirname, 'undefended-host.js'), file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
  // Once it has escaped there is nothing more to learn: stop the rest of the case's search.
  let escapedEarly = false;
  const poll = setInterval(() => {
    if (env.escapes(output).length > 0) {
      escapedEarly = true;
      child.kill('SIGKILL');
    }
  }, 250);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  clearTimeout(timer);
  clearInterval(poll);
  return {
    escapes: env.escapes(output),
    crashed: !escapedEarly && code !== 0 && signal !== 'SIGKILL',
    detail: `exit ${code ?? signal}; output: ${output.slice(-400)}`,
  };
}

describe('red team: the escape cases escape an undefended loadPyodide()', function () {
  this.timeout(RUN_LIMIT_MS + 30_000);
  let env: RedteamEnvironment;

  before(async () => {
    env = await RedteamEnvironment.create();
  });

  after(async () => {
    await env?.dispose();
  });

  for (const testCase of loadCases().filter((c) => c.undefended !== 'n/a')) {
    it(`${testCase.id} ${testCase.undefended}`, async () => {
      env.reset();
      const observed = await runUndefended(env, testCase);
      const escaped = observed.escapes.length > 0;
      const ok =
        testCase.undefended === 'escapes'
          ? escaped
          : testCase.undefended === 'crashes'
            ? observed.crashed
            : escaped || observed.crashed;
      assert.ok(
        ok,
        `${testCase.id} did not ${testCase.undefended.replaceAll('-', ' ')} (${observed.detail})`,
      );
    });
  }
});
