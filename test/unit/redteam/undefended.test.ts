// Proof that the harness is live: the escape cases run once against an undefended `loadPyodide()`
// (in a child process, so that an escape cannot hurt the test runner; restored from a snapshot of a
// fresh plain interpreter, undefended-host.ts) and must escape there: the
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

const HOST = path.join(__dirname, 'undefended-host.js');

/** A memory snapshot of a fresh plain interpreter, made once by the undefended host (undefended-host.ts). */
async function makeSnapshot(file: string): Promise<void> {
  const child = spawn(process.execPath, [HOST, '--make-snapshot', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.ok(
    code === 0 && fs.existsSync(file),
    `the undefended snapshot was not made (exit ${code}): ${output}`,
  );
}

async function runUndefended(
  env: RedteamEnvironment,
  testCase: RedteamCase,
  snapshot: string,
): Promise<Observed> {
  const file = path.join(env.dir, `${testCase.id}.py`);
  fs.writeFileSync(file, env.substitute(testCase.source));
  const child = spawn(process.execPath, [HOST, file, snapshot], {
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
  let snapshot: string;

  before(async () => {
    env = await RedteamEnvironment.create();
    snapshot = path.join(env.dir, 'undefended.snapshot');
    await makeSnapshot(snapshot);
  });

  after(async () => {
    await env?.dispose();
  });

  for (const testCase of loadCases().filter((c) => c.undefended !== 'n/a')) {
    it(`${testCase.id} ${testCase.undefended}`, async () => {
      env.reset();
      const observed = await runUndefended(env, testCase, snapshot);
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
