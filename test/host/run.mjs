// `npm run test:host`: installs the offline VS Code test host if needed (test/host/setup.mjs), then
//   1. exthost  the mocha suite (out/test/suite) inside code-server's real extension host,
//   2. e2e      the packaged .vsix in code-server, driven as a user in headless Chromium,
//   3. meta     both tiers' smoke tests against a deliberately broken extension, which must FAIL
//               with messages that say what was expected and what was seen.
// Usage: node test/host/run.mjs [--tier all|exthost|e2e|meta] [--extension DIR] [--tests A,B] [--grep RE]
// (through npm: `npm run test:host -- --tier e2e`). See docs/testing.md.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startE2BStandin } from './e2b-standin.mjs';
import { runE2ETier } from './e2e-tier.mjs';
import { runExtensionHostTier } from './exthost-tier.mjs';
import { RESULTS } from './isolation.mjs';
import { packageExtension } from './package-vsix.mjs';
import { acquireRunLock } from './lock.mjs';
import { ensureHost, ROOT } from './setup.mjs';

const FIXTURE_EXTENSION = path.join(ROOT, 'test', 'fixtures', 'host-extension');
const BROKEN_EXTENSION = path.join(ROOT, 'test', 'fixtures', 'broken-extension');

/** Deadlines of the meta-test's runs: nothing will ever come, so a quarter of the wait proves the same. */
const META_TIMEOUT_SCALE = '0.25';

/** What the smoke tests must say when they run against the broken extension. */
const META_EXPECTATIONS = {
  exthost: [
    {
      what: 'the missing diagnostic, expected vs seen',
      pattern: /Expected: a diagnostic with source "sandbox-policy"[\s\S]*Saw: no diagnostics/,
    },
    {
      what: 'the throwing command, expected vs seen',
      pattern:
        /Expected: sandboxPolicy\.showEffectivePolicy to run without an error[\s\S]*Saw: it threw deliberately broken/,
    },
  ],
  e2e: [
    {
      what: 'the missing Problems row, expected vs seen',
      pattern:
        /Expected: a Problems row from sandbox-policy[\s\S]*Saw: (an empty Problems panel|Problems rows)/,
    },
    {
      what: 'the throwing palette command, expected vs seen',
      pattern:
        /Expected: [^\n]+\n\s*Saw: error dialog: .*deliberately broken fixture: sandboxPolicy\.showEffectivePolicy throws/,
    },
    {
      what: 'the run that never reaches the panel, expected vs seen',
      pattern:
        /Expected: [^\n]+\n\s*Saw: error dialog: .*deliberately broken fixture: sandboxPolicy\.runInPyodide throws/,
    },
  ],
};

const USAGE = `Usage: node test/host/run.mjs [options]   (npm run test:host -- [options])
  --tier T        all (default) | exthost | e2e | meta
  --extension D   extension folder under test (default: the repository when src/extension.ts exists,
                  else the fixture test/fixtures/host-extension)
  --tests A,B     only test files whose path contains A or B (both tiers)
  --grep RE       only tests whose full title matches RE (both tiers)
  --vsix FILE     the e2e tier installs this .vsix of the extension under test instead of packaging it
                  (npm test packages it before the unit lanes, which read dist/, start)
  --no-meta       with --tier all: skip the meta-test against the broken extension`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      tier: { type: 'string', default: 'all' },
      extension: { type: 'string' },
      tests: { type: 'string' },
      grep: { type: 'string' },
      vsix: { type: 'string' },
      'no-meta': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!['all', 'exthost', 'e2e', 'meta'].includes(values.tier)) {
    throw new Error(`--tier must be all, exthost, e2e or meta, not "${values.tier}"\n${USAGE}`);
  }
  return values;
}

/** The extension folder to test: explicit, else the real extension once it exists, else the fixture. */
function extensionUnderTest(explicit) {
  if (explicit) return path.resolve(explicit);
  if (fs.existsSync(path.join(ROOT, 'src', 'extension.ts'))) return ROOT;
  console.log(
    '[host] NOTE: src/extension.ts does not exist yet, so the smoke tests run against the fixture\n' +
      `[host]       ${path.relative(ROOT, FIXTURE_EXTENSION)} (it impersonates the extension's contract).`,
  );
  return FIXTURE_EXTENSION;
}

/**
 * Extension-host test files that also run in a second window whose workspace is untrusted
 * (Restricted Mode): by convention, those named `*trust.test.ts`.
 */
function trustTestFiles(filter) {
  const dir = path.join(ROOT, 'out', 'test', 'suite');
  if (!fs.existsSync(dir)) return [];
  const wanted = (filter ?? '').split(',').filter(Boolean);
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('trust.test.js'))
    .filter((name) => wanted.length === 0 || wanted.some((part) => name.includes(part)));
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Run as a lane of `npm test` (test/all.mjs), each step holds a shared slot of the unit lanes'
 * (test/unit/lane-slot.ts) while it runs: no limit test of a unit lane runs beside a step, and one that
 * waits gets the machine between two steps. Alone (`npm run test:host`) there is nothing to wait for.
 */
function inLaneSlot(fn) {
  if (process.env.SANDBOX_TEST_LANES !== '1') return fn();
  const { inSlot } = createRequire(import.meta.url)(path.join(ROOT, 'out/test/unit/lane-slot.js'));
  return inSlot('shared', fn);
}

async function timed(label, summary, fn) {
  console.log(`[host] ── ${label}`);
  const started = Date.now();
  let entry;
  try {
    entry = { label, notes: [], ...(await inLaneSlot(fn)), ms: Date.now() - started };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    entry = { label, ok: false, failures: [message], passes: 0, notes: [], ms: Date.now() - started };
  }
  summary.push(entry);
  console.log(`[host] ${entry.ok ? 'PASS' : 'FAIL'} ${label} (${seconds(entry.ms)})`);
  for (const note of entry.notes) console.log(`  ✔ ${note}`);
  for (const failure of entry.ok ? [] : entry.failures)
    console.log(`  ✘ ${failure.replace(/\n/g, '\n    ')}`);
  console.log('');
}

/** Runs a tier against the broken extension and checks that it failed in the expected ways. */
function checkMeta(tier, outcome) {
  const failures = [];
  if (outcome.ok) failures.push(`the ${tier} tier PASSED against the deliberately broken extension`);
  const matched = [];
  for (const { what, pattern } of META_EXPECTATIONS[tier]) {
    const hit = outcome.failures.find((failure) => pattern.test(failure));
    if (hit) matched.push(`${what}: ${hit.split('\n').join(' / ')}`);
    else failures.push(`no failure message showed ${what} (pattern ${pattern})`);
  }
  if (failures.length > 0) {
    failures.push(`the tier's failures were:\n${outcome.failures.join('\n') || '(none)'}`);
    return { ok: false, failures, passes: 0 };
  }
  const notes = matched.map((line) => `failed as it should, with ${line}`);
  return { ok: true, failures: [], passes: matched.length, notes };
}

async function main() {
  const options = parseOptions();
  await acquireRunLock();
  const started = Date.now();
  const setupStarted = Date.now();
  const host = ensureHost();
  const setupMs = Date.now() - setupStarted;
  const extension = extensionUnderTest(options.extension);
  const tiers =
    options.tier === 'all' ? ['exthost', 'e2e', ...(options['no-meta'] ? [] : ['meta'])] : [options.tier];
  const standin = await startE2BStandin();
  if (standin.url) console.log(`[host] E2B stand-in at ${standin.url}`);
  const common = { tests: options.tests, grep: options.grep, env: standin.env };
  const summary = [];
  console.log('');
  try {
    if (tiers.includes('exthost')) {
      await timed(
        `exthost: ${path.relative(ROOT, extension) || 'the extension'} in the extension host`,
        summary,
        () =>
          runExtensionHostTier(host, { ...common, extensionPath: extension, name: 'exthost' }).then(
            (outcome) => ({
              ...outcome,
              passes: outcome.results?.passes ?? 0,
            }),
          ),
      );
    }
    const untrusted = tiers.includes('exthost') ? trustTestFiles(options.tests) : [];
    if (untrusted.length > 0) {
      await timed(`exthost: ${untrusted.join(', ')} again, in an untrusted workspace`, summary, () =>
        runExtensionHostTier(host, {
          ...common,
          extensionPath: extension,
          name: 'exthost-untrusted',
          tests: untrusted.join(','),
          untrusted: true,
        }).then((outcome) => ({ ...outcome, passes: outcome.results?.passes ?? 0 })),
      );
    }
    if (tiers.includes('e2e')) {
      await timed(
        `e2e: ${path.relative(ROOT, extension) || 'the extension'}'s .vsix in Chromium`,
        summary,
        () =>
          runE2ETier(host, {
            ...common,
            vsix: options.vsix ? path.resolve(options.vsix) : packageExtension(extension),
            name: 'e2e',
          }),
      );
    }
    if (tiers.includes('meta')) {
      // One after the other: side by side they gain little on two cores and make deadlines flaky.
      await timed('meta: the exthost smoke tests fail against the broken extension', summary, async () =>
        checkMeta(
          'exthost',
          await runExtensionHostTier(host, {
            env: { ...standin.env, SANDBOX_POLICY_HOST_TIMEOUT_SCALE: META_TIMEOUT_SCALE },
            extensionPath: BROKEN_EXTENSION,
            name: 'meta-exthost',
            tests: 'smoke.test',
            log: () => {},
          }),
        ),
      );
      await timed('meta: the e2e smoke tests fail against the broken extension', summary, async () =>
        checkMeta(
          'e2e',
          await runE2ETier(host, {
            env: standin.env,
            vsix: packageExtension(BROKEN_EXTENSION),
            name: 'meta-e2e',
            tests: 'smoke.e2e',
            log: () => {},
            quiet: true,
            timeoutScale: META_TIMEOUT_SCALE,
          }),
        ),
      );
    }
  } finally {
    await standin.stop();
  }

  const passed = summary.reduce((sum, part) => sum + (part.passes ?? 0), 0);
  const failed = summary.reduce((sum, part) => sum + (part.ok ? 0 : Math.max(1, part.failures.length)), 0);
  console.log('\n[host] summary');
  console.log(`  setup                ${seconds(setupMs)}`);
  for (const part of summary) {
    console.log(`  ${part.ok ? 'PASS' : 'FAIL'}  ${seconds(part.ms).padStart(7)}  ${part.label}`);
    // Again here, its first lines: the summary is what a log cut to its end still shows.
    for (const failure of part.ok ? [] : part.failures)
      console.log(`           ✘ ${failure.split('\n').slice(0, 6).join('\n             ')}`);
  }
  console.log(`  total                ${seconds(Date.now() - started)}`);
  console.log(`  logs:        ${path.relative(ROOT, path.join(RESULTS, 'logs'))}/<run>/`);
  console.log(`  screenshots: ${path.relative(ROOT, path.join(RESULTS, 'screenshots'))}/<run>/`);
  console.log(`host: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(`[host] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
