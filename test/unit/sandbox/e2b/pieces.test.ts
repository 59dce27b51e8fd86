// The E2B runner's pure pieces: settings validation, redaction, error wording, Retry-After, bootstrap.
import assert from 'node:assert/strict';
import {
  DEFAULT_E2B_SETTINGS,
  E2BSettingsError,
  createE2BRunner,
  parseE2BSettings,
} from '../../../../src/sandbox/e2b';
import { bootstrapCell } from '../../../../src/sandbox/e2b/bootstrap';
import { describeFailure, type FailureContext } from '../../../../src/sandbox/e2b/errors';
import { createRedactor } from '../../../../src/sandbox/e2b/redact';
import { parseRetryAfter } from '../../../../src/sandbox/e2b/retry-after';
import { sandboxScriptName } from '../../../../src/sandbox/e2b/uploads';
import { MemoryStore } from '../../../../src/sandbox/limits';

const KEY = 'e2b_Secret-Key-ForPieces-123';

describe('E2B settings', () => {
  it("defaults: internet off, the seed's free-tier rates, a lifetime cap, a daily budget", () => {
    assert.equal(DEFAULT_E2B_SETTINGS.allowInternetAccess, false);
    assert.deepEqual(
      [
        DEFAULT_E2B_SETTINGS.burstCreations,
        DEFAULT_E2B_SETTINGS.hourlyCreations,
        DEFAULT_E2B_SETTINGS.dailyCreations,
      ],
      [5, 30, 200],
    );
    assert.equal(DEFAULT_E2B_SETTINGS.template, 'code-interpreter-v1');
    assert.equal(DEFAULT_E2B_SETTINGS.maxLifetimeSeconds, 300);
    assert.equal(DEFAULT_E2B_SETTINGS.dailyBudgetUsd, 1);
    assert.deepEqual([DEFAULT_E2B_SETTINGS.vcpus, DEFAULT_E2B_SETTINGS.memoryGiB], [2, 0.5]);
  });

  it('names the key, the value and what is allowed', () => {
    assert.throws(
      () => parseE2BSettings({ runTimeoutSeconds: 5000 }),
      (error: Error) =>
        error instanceof E2BSettingsError &&
        /E2B setting "runTimeoutSeconds" too big: expected number to be <=3600 \(got 5000\)/.test(
          error.message,
        ),
    );
    assert.throws(() => parseE2BSettings({ dailyBudgetUsd: -1 }), /"dailyBudgetUsd" too small.*\(got -1\)/);
    assert.throws(
      () => parseE2BSettings({ template: 'bad template!' }),
      /"template" must be a template name or id/,
    );
    assert.throws(() => parseE2BSettings({ budget: 3 }), /unknown E2B setting "budget"/);
    assert.throws(
      () => parseE2BSettings({ uploadFiles: ['../secret', '/etc/passwd', 'C:\\x'] }),
      /"uploadFiles\.0" must not leave the script's folder.*"uploadFiles\.1" must be relative.*"uploadFiles\.2" must be relative/,
    );
    assert.equal(parseE2BSettings({ uploadFiles: ['data/input.csv'] }).uploadFiles[0], 'data/input.csv');
  });

  it('createE2BRunner refuses a missing key or bad endpoint without echoing the key', () => {
    const store = new MemoryStore();
    assert.throws(
      () => createE2BRunner({ apiKey: '  ', store }),
      /no E2B API key: set one with "Sandbox Policy: Set E2B API Key"/,
    );
    assert.throws(
      () => createE2BRunner({ apiKey: `${KEY} extra`, store }),
      (error: Error) => /contains whitespace/.test(error.message) && !error.message.includes(KEY),
    );
    assert.throws(
      () => createE2BRunner({ apiKey: KEY, store, env: { E2B_API_URL: 'not a url' } }),
      /E2B_API_URL \/ apiUrl is not a URL/,
    );
    assert.throws(
      () => createE2BRunner({ apiKey: KEY, store, settings: { maxConcurrentSandboxes: 0 } }),
      (error: Error) => error instanceof E2BSettingsError && !error.message.includes(KEY),
    );
  });
});

describe('redaction', () => {
  it('removes the key, its URL-encoded and base64 forms, and anything shaped like an E2B key', () => {
    const redact = createRedactor(KEY);
    const other = `e2b_${'0123456789abcdef'.repeat(2)}aaaaaaaa`;
    const text = `a ${KEY} b ${encodeURIComponent(KEY)} c ${Buffer.from(KEY).toString('base64')} d ${other}`;
    const out = redact(text);
    assert.equal(out.includes(KEY), false);
    assert.equal(out.includes(other), false);
    assert.equal(out, 'a [redacted] b [redacted] c [redacted]== d [redacted]');
    assert.equal(redact('e2b_code_interpreter is a module'), 'e2b_code_interpreter is a module');
  });
});

describe('E2B error wording', () => {
  const context = (phase: FailureContext['phase']): FailureContext => ({
    phase,
    apiHost: 'api.e2b.app',
    sandboxHost: 'sandbox.e2b.app',
    redact: createRedactor(KEY),
    requestTimeoutSeconds: 30,
    lifetimeSeconds: 60,
  });

  it('TypeError: fetch failed becomes "cannot reach E2B" with the host and the socket reason', () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }),
    });
    const ending = describeFailure(error, context('create'));
    assert.equal(ending.error?.name, 'E2BUnreachable');
    assert.match(
      ending.error?.value ?? '',
      /^Cannot reach E2B at api\.e2b\.app \(host not found\) while creating the sandbox/,
    );
  });

  it('a raw DOMException (a request timeout) becomes "cannot reach E2B" naming the timeout', () => {
    const ending = describeFailure(
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      context('upload'),
    );
    assert.equal(ending.error?.name, 'E2BUnreachable');
    assert.match(
      ending.error?.value ?? '',
      /^Cannot reach E2B at sandbox\.e2b\.app \(no answer within 30 s\) while uploading the files/,
    );
    const aborted = describeFailure(new DOMException('aborted', 'AbortError'), context('create'));
    assert.match(aborted.error?.value ?? '', /^Cannot reach E2B at api\.e2b\.app/);
  });

  it("the SDK's TimeoutError during a run is the sandbox lifetime running out", () => {
    const error = Object.assign(new Error('The sandbox was killed while the request was in progress.'), {
      name: 'TimeoutError',
    });
    const ending = describeFailure(error, context('run'));
    assert.equal(ending.status, 'timeout');
    assert.equal(
      ending.limit?.message,
      'The E2B sandbox ended while running the program: its lifetime of 60 s (maxLifetimeSeconds) ran out, or E2B stopped it.',
    );
  });

  it('an unknown failure keeps a short, redacted, single-line detail', () => {
    const ending = describeFailure(new RangeError(`weird\n${KEY}\n${'x'.repeat(500)}`), context('run'));
    assert.equal(ending.error?.name, 'E2BError');
    assert.equal(ending.error?.value.includes(KEY), false);
    assert.equal(ending.error?.value.includes('\n'), false);
    assert.ok((ending.error?.value.length ?? 0) < 300);
  });
});

describe('Retry-After and bootstrap', () => {
  it('parses delta-seconds and HTTP dates', () => {
    const now = Date.parse('Tue, 10 Mar 2026 12:00:00 GMT');
    assert.equal(parseRetryAfter('7', now), 7);
    assert.equal(parseRetryAfter('Tue, 10 Mar 2026 12:02:00 GMT', now), 120);
    assert.equal(parseRetryAfter('soon', now), undefined);
  });

  it('runs the uploaded file by path; unsafe names fall back to main.py', () => {
    assert.equal(sandboxScriptName('src/analysis.py'), 'analysis.py');
    assert.equal(sandboxScriptName("x'; import os #.py"), 'main.py');
    assert.equal(sandboxScriptName('Untitled-1'), 'Untitled-1');
    const cell = bootstrapCell('/home/user/analysis.py');
    assert.match(cell, /path = '\/home\/user\/analysis\.py'/);
    assert.match(cell, /os\.chdir\('\/home\/user'\)/);
    assert.throws(() => bootstrapCell("/home/user/a'b.py"), /unsafe path/);
  });
});
