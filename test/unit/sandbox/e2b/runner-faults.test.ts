// Server and network faults, injected by the stand-in: for each, the message the user sees, that no
// sandbox is left, and what the limits counted.
import assert from 'node:assert/strict';
import net from 'node:net';
import { KEY, LIMITS, Fixture, messageOf } from './fixture';

const SET_KEY = 'set it again with "Sandbox Policy: Set E2B API Key" (or E2B_API_KEY for the CLI)';

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('E2B runner faults (real SDK, loopback stand-in)', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  before(() => fixture.start());
  after(() => fixture.stop());
  afterEach(() => fixture.finish());

  it('401 from a wrong key: says to set the key again; nothing billed', async () => {
    const wrongKey = 'e2b_Wrong-Key-Aa11Bb22Cc33';
    const runner = fixture.runner({}, { apiKey: wrongKey });
    const { result } = await fixture.run(runner, 'print(1)');
    assert.equal(result.status, 'error');
    assert.equal(result.error?.name, 'E2BAuthenticationError');
    assert.equal(result.error?.value, `E2B rejected the API key (HTTP 401); ${SET_KEY}.`);
    assert.equal(fixture.standin.requests[0].auth, 'wrong');
    const usage = runner.usage();
    assert.equal(usage.sandboxSeconds, 0, 'a refused create costs nothing');
    assert.equal(usage.running, 0);
    assert.equal(usage.creations.daily, 1, 'the attempt counts against the creation rate');
    assert.equal(
      JSON.stringify([result, fixture.logs]).includes(wrongKey),
      false,
      'the wrong key leaks nowhere either',
    );
  });

  it('a server that echoes the key in its error body does not get it shown', async () => {
    fixture.standin.inject({
      kind: 'status',
      on: 'create',
      status: 500,
      body: JSON.stringify({ code: 500, message: `internal error for key ${KEY}` }),
    });
    const { result } = await fixture.run(fixture.runner(), 'print(1)');
    assert.equal(result.status, 'error');
    assert.equal(result.error?.name, 'E2BServerError');
    assert.equal(
      result.error?.value,
      'E2B answered HTTP 500 while creating the sandbox: 500: internal error for key [redacted]; try again later.',
    );
  });

  it('429 with Retry-After: rate-limited, saying when to retry', async () => {
    fixture.clockNow = new Date(2026, 2, 10, 12, 0, 0).getTime();
    fixture.standin.inject({ kind: 'status', on: 'create', status: 429, retryAfter: '7' });
    const runner = fixture.runner();
    const { result } = await fixture.run(runner, 'print(1)');
    assert.equal(result.status, 'rate-limited');
    assert.equal(result.error, null);
    assert.deepEqual(result.limit, {
      kind: 'rate',
      message:
        'E2B answered "too many requests" (HTTP 429) while creating the sandbox; retry in 7 s (after 12:00:07).',
    });
    assert.equal(runner.usage().sandboxSeconds, 0);
  });

  it('429 with an HTTP-date Retry-After, and without one', async () => {
    const now = Date.now();
    fixture.standin.inject({
      kind: 'status',
      on: 'create',
      status: 429,
      retryAfter: new Date(now + 120_000).toUTCString(),
    });
    const dated = await fixture.run(fixture.runner(), 'print(1)');
    assert.match(
      messageOf(dated.result),
      /\(HTTP 429\) while creating the sandbox; retry in 2 min \(after \d\d:\d\d:\d\d\)\.$/,
    );
    fixture.standin.inject({ kind: 'status', on: 'create', status: 429 });
    const bare = await fixture.run(fixture.runner(), 'print(1)');
    assert.equal(bare.result.status, 'rate-limited');
    assert.equal(
      messageOf(bare.result),
      'E2B answered "too many requests" (HTTP 429) while creating the sandbox; E2B did not say for how long; wait a minute before the next run.',
    );
  });

  it('503: E2B is busy', async () => {
    fixture.standin.inject({ kind: 'status', on: 'create', status: 503 });
    const { result } = await fixture.run(fixture.runner(), 'print(1)');
    assert.equal(result.status, 'error');
    assert.equal(result.error?.name, 'E2BServiceBusy');
    assert.equal(
      result.error?.value,
      'E2B is busy (HTTP 503) while creating the sandbox; try again in a minute.',
    );
  });

  it('a slow create ends at the create deadline; the late sandbox is killed when it arrives', async () => {
    fixture.standin.inject({ kind: 'slow-create', delayMs: 2500 });
    const runner = fixture.runner({ createTimeoutSeconds: 1 });
    const { result, elapsedMs } = await fixture.run(runner, 'print(1)');
    assert.equal(result.status, 'error');
    assert.equal(result.error?.name, 'E2BUnreachable');
    assert.equal(
      result.error?.value,
      `E2B at ${new URL(fixture.standin.url).host} did not create a sandbox within 1 s (createTimeoutSeconds); try again later.`,
    );
    assert.ok(elapsedMs < 1000 + 1500, `ended at the deadline (${Math.round(elapsedMs)} ms)`);
    await runner.dispose(); // waits for the late sandbox to be reaped
    const stats = fixture.standin.stats();
    assert.equal(stats.created, 1, 'E2B made the sandbox after all');
    assert.equal(stats.killed, 1, 'and it was killed');
    assert.ok(runner.usage().sandboxSeconds >= 2, 'its seconds were billed');
    assert.match(fixture.logs.join('\n'), /arrived after its run had ended; killing it/);
  });

  it('cancelling during a slow create returns before the sandbox exists and still kills it', async () => {
    // Not a stopwatch: the create takes 3 s (within the 4 s dispose waits for it), so a cancel that waited
    // for it would find the sandbox made.
    fixture.standin.inject({ kind: 'slow-create', delayMs: 3000 });
    const controller = new AbortController();
    const runner = fixture.runner();
    setTimeout(() => controller.abort(), 200);
    const { result } = await fixture.run(runner, 'print(1)', { signal: controller.signal });
    assert.equal(result.status, 'cancelled');
    assert.equal(fixture.standin.stats().created, 0, 'the cancel waited for the create');
    await runner.dispose();
    assert.deepEqual([fixture.standin.stats().created, fixture.standin.stats().killed], [1, 1]);
  });

  for (const body of ['not-json', 'missing-fields', 'empty'] as const) {
    it(`a malformed create reply (${body}) is an error result, billed as a full lifetime`, async () => {
      fixture.standin.inject({ kind: 'malformed-create', body });
      const runner = fixture.runner();
      const { result } = await fixture.run(runner, 'print(1)');
      assert.equal(result.status, 'error');
      assert.equal(result.error?.name, 'E2BProtocolError');
      assert.match(
        result.error?.value ?? '',
        /^E2B at 127\.0\.0\.1:\d+ sent a reply that could not be understood while creating the sandbox; try again later/,
      );
      // A 201 means E2B may have made a sandbox we cannot name: its whole lifetime is charged.
      const usage = runner.usage();
      assert.equal(usage.sandboxSeconds, LIMITS.timeoutMs / 1000 + 30);
      assert.equal(usage.running, 0);
    });
  }

  it('a stream cut mid-output is a connection error; the sandbox is killed', async () => {
    fixture.standin.inject({ kind: 'cut-stream', afterLines: 3 });
    const { result } = await fixture.run(
      fixture.runner(),
      'import time\nfor i in range(20):\n    print(i, flush=True)\n    time.sleep(0.02)',
    );
    assert.equal(result.status, 'error');
    assert.equal(result.error?.name, 'E2BConnectionError');
    assert.match(
      result.error?.value ?? '',
      /^The connection to E2B at 127\.0\.0\.1:\d+ was cut while running the program \(the other side closed the connection\); the sandbox was stopped\. Run again\.$/,
    );
    assert.match(result.stdout, /^0\n/, 'output before the cut is kept');
    assert.equal(fixture.standin.stats().killed, 1);
  });

  it('an endless run (server never answers) ends at the time limit', async () => {
    fixture.standin.inject({ kind: 'endless-run' });
    const { result } = await fixture.run(fixture.runner(), 'print(1)', {
      limits: { ...LIMITS, timeoutMs: 1000 },
    });
    assert.equal(result.status, 'timeout');
    assert.equal(result.limit?.message, 'The program was stopped after 1 s: the run time limit.');
    assert.equal(fixture.standin.stats().killed, 1);
  });

  it('a failed upload is reported and the sandbox killed', async () => {
    fixture.standin.inject({ kind: 'status', on: 'files', status: 500 });
    const { result } = await fixture.run(fixture.runner(), 'print(1)');
    assert.equal(result.status, 'error');
    assert.match(result.error?.value ?? '', /^E2B answered HTTP 500 while uploading the files/);
    assert.equal(fixture.standin.stats().killed, 1);
  });

  it('a kill that fails once is retried', async () => {
    fixture.standin.inject({ kind: 'status', on: 'kill', status: 500 });
    const runner = fixture.runner();
    const { result } = await fixture.run(runner, 'print(1)');
    assert.equal(result.status, 'ok');
    assert.equal(fixture.standin.liveSandboxes, 0);
    assert.match(fixture.logs.join('\n'), /could not kill sandbox sbx\w+ \(attempt 1\)/);
    assert.ok(runner.usage().sandboxSeconds < 10, 'billed for the time used, not the lifetime');
  });

  it('a sandbox that cannot be killed is billed its full lifetime and ends when E2B enforces it', async () => {
    fixture.standin.inject({ kind: 'status', on: 'kill', status: 500, times: 2 });
    const runner = fixture.runner();
    const { result } = await fixture.run(runner, 'print(1)');
    assert.equal(result.status, 'ok');
    assert.match(fixture.logs.join('\n'), /could not be killed; E2B stops it when its 40 s lifetime ends/);
    assert.equal(runner.usage().sandboxSeconds, 40);
    // The stand-in runs lifetimes 20× faster: the 40 s cap ends the sandbox after 2 s.
    const deadline = Date.now() + 5000;
    while (fixture.standin.liveSandboxes > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    assert.equal(fixture.standin.stats().expired, 1);
  });

  it('an unreachable E2B says so with the host; nothing is billed', async () => {
    const port = await closedPort();
    const runner = fixture.runner({}, { apiUrl: `http://127.0.0.1:${port}` });
    const { result } = await fixture.run(runner, 'print(1)');
    assert.equal(result.status, 'error');
    assert.equal(result.error?.name, 'E2BUnreachable');
    assert.match(
      result.error?.value ?? '',
      new RegExp(
        `^Cannot reach E2B at 127\\.0\\.0\\.1:${port} \\(connection refused\\) while creating the sandbox; check the network`,
      ),
    );
    assert.equal(runner.usage().sandboxSeconds, 0);
  });
});
