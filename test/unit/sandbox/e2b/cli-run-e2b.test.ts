// The CLI's E2B runner factory: key from E2B_API_KEY, endpoints from E2B_API_URL / E2B_SANDBOX_URL,
// counters in $XDG_CONFIG_HOME/sandbox-policy/limits.json.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCliE2BRunner, E2B_KEY_HELP } from '../../../../src/cli/run-e2b';
import { UsageError, type CliIO } from '../../../../src/cli/io';
import { KEY, LIMITS } from './fixture';
import { startStandin, type E2BStandin } from '../../../e2b-standin/server';

function io(env: NodeJS.ProcessEnv): CliIO & { err: string[] } {
  const err: string[] = [];
  return {
    stdout: () => undefined,
    stderr: (text) => err.push(text),
    env,
    cwd: process.cwd(),
    signal: new AbortController().signal,
    err,
  };
}

describe('createCliE2BRunner', function () {
  this.timeout(20_000);
  let standin: E2BStandin;
  let config: string;
  before(async () => {
    standin = await startStandin({ apiKey: KEY });
  });
  after(() => standin.close());
  beforeEach(() => {
    config = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-e2b-config-'));
  });
  afterEach(() => fs.rmSync(config, { recursive: true, force: true }));

  it('without E2B_API_KEY: a usage error that says how to set it', () => {
    assert.throws(
      () => createCliE2BRunner(io({ XDG_CONFIG_HOME: config })),
      (error: Error) => error instanceof UsageError && error.message === E2B_KEY_HELP,
    );
    assert.match(E2B_KEY_HELP, /export E2B_API_KEY=e2b_…/);
    assert.match(E2B_KEY_HELP, /https:\/\/e2b\.dev\/dashboard/);
  });

  it('honours E2B_API_URL / E2B_SANDBOX_URL and keeps counters in $XDG_CONFIG_HOME', async () => {
    const env = {
      E2B_API_KEY: KEY,
      E2B_API_URL: standin.url,
      E2B_SANDBOX_URL: standin.url,
      XDG_CONFIG_HOME: config,
    };
    const lines: string[] = [];
    const runner = createCliE2BRunner(
      io(env),
      { maxConcurrentSandboxes: 1 },
      { log: (line) => lines.push(line) },
    );
    const result = await runner.run({ code: "print('from the cli')", filename: 'cli.py', limits: LIMITS });
    await runner.dispose();
    assert.equal(result.status, 'ok');
    assert.equal(result.stdout, 'from the cli\n');
    assert.equal(standin.liveSandboxes, 0);
    const file = path.join(config, 'sandbox-policy', 'limits.json');
    const stored = fs.readFileSync(file, 'utf8');
    assert.match(stored, /sandboxPolicy\.e2b\.budget/);
    assert.equal(stored.includes(KEY), false, 'the key is not in the limits file');
    assert.equal(lines.join('\n').includes(KEY), false);
    // A second CLI process (another runner on the same file) sees the first one's count.
    const again = createCliE2BRunner(io(env));
    assert.equal(again.usage().creations.daily, 1);
  });

  it('works as the built binary, whose E2B SDK is a file of its own (a local run never loads it)', async () => {
    const dist = path.resolve(__dirname, '../../../../../dist');
    // The SDK's own client class is in dist/e2b-sdk.js, not in the bundle every run parses.
    assert.equal(
      fs.readFileSync(path.join(dist, 'cli.js'), 'utf8').includes('class ConnectionConfig'),
      false,
    );
    assert.ok(fs.readFileSync(path.join(dist, 'e2b-sdk.js'), 'utf8').includes('class ConnectionConfig'));
    const script = path.join(config, 'hello.py');
    fs.writeFileSync(script, "print('from the built cli')\n");
    const env = {
      PATH: process.env.PATH,
      E2B_API_KEY: KEY,
      E2B_API_URL: standin.url,
      E2B_SANDBOX_URL: standin.url,
      XDG_CONFIG_HOME: config,
    };
    const child = spawn(process.execPath, [path.join(dist, 'cli.js'), 'run', '--backend', 'e2b', script], {
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, stderr);
    assert.equal(stdout, 'from the built cli\n');
    assert.equal(standin.liveSandboxes, 0);
  });

  it('turns invalid settings into a usage error naming the setting', () => {
    assert.throws(
      () => createCliE2BRunner(io({ E2B_API_KEY: KEY, XDG_CONFIG_HOME: config }), { dailyBudgetUsd: -5 }),
      (error: Error) =>
        error instanceof UsageError && /"dailyBudgetUsd"/.test(error.message) && !error.message.includes(KEY),
    );
    assert.throws(
      () => createCliE2BRunner(io({ E2B_API_KEY: KEY, E2B_API_URL: 'ftp://x', XDG_CONFIG_HOME: config })),
      (error: Error) => error instanceof UsageError && /must be an http\(s\) URL/.test(error.message),
    );
  });
});
