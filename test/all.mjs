// `npm test`: everything `npm run check`, `npm run test:unit` and `npm run test:host` run, arranged for
// wall time on two cores (docs/testing.md, "How npm test is arranged"):
//   1. bubblewrap for the OS-sandbox tests (test/setup-os-sandbox.mjs), before anything else uses apt;
//   2. the test host's set-up (test/host/setup.mjs: Debian's Chromium, Node 24, code-server) starts in the
//      background, at the tests' own CPU priority: downloads, then code-server's native builds, which
//      must be done early for the host tier not to be the last lane (at nice 10 beside two busy lanes
//      they got a tenth of a core, and the host tier ran alone at the end);
//   3. the .vsix (`npm run package`, the production bundle), then one build of the extension and the
//      tests (`npm run compile-tests`) for the unit and host tiers: the host tier installs that .vsix
//      rather than packaging again, which would rewrite dist/ under the running unit lanes;
//   4. the check steps (test/check.mjs), side by side; a failure stops here, as `npm run check` did;
//   5. the unit lanes (test/lanes.mjs) and, as one more lane once the set-up is done, the host tier
//      (test/host/run.mjs, which takes the lanes' slots step by step), two at a time. The set-up holds a
//      shared slot while it runs: only the lanes without a limit test start beside it.
// Exit code non-zero if any step failed.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChecks } from './check.mjs';
import { npmCli } from './host/setup.mjs';
import { collect, runForkedLane, runLanes } from './lanes.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** What `npm run package` writes. */
const VSIX = path.join(root, 'sandbox-policy.vsix');
const started = Date.now();
const stages = [];

const elapsed = (since) => `${((Date.now() - since) / 1000).toFixed(0)} s`;

function log(line) {
  console.log(`[npm test ${elapsed(started).padStart(6)}] ${line}`);
}

/** Runs a command with inherited output; resolves true when it exited 0. */
function step(label, command, args, options = {}) {
  const since = Date.now();
  log(`${label}: ${[path.basename(command), ...args].join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...options });
    child.on('error', (error) => {
      console.error(`${label} could not start: ${error.message}`);
      resolve(false);
    });
    child.on('close', (code) => {
      stages.push(`${label} ${elapsed(since)}`);
      resolve(code === 0);
    });
  });
}

/**
 * The host set-up, in the background, its output kept for the host lane's report. A second
 * `ensureHost()` in test/host/run.mjs then finds the stamp; if the set-up failed, that one fails again
 * with its message, in the host lane.
 */
function startHostSetup() {
  const since = Date.now();
  const child = spawn(process.execPath, ['test/host/setup.mjs'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const done = collect(child, (code, signal) => ({
    passed: code === 0,
    status: signal ?? `exit code ${code}`,
  }));
  return done.then((outcome) => {
    stages.push(`host set-up (background) ${elapsed(since)}`);
    return outcome;
  });
}

/** The host tier as a lane: it starts once the set-up is done, and holds a shared slot per step. */
function hostLane(setup) {
  return {
    name: 'host',
    ready: setup,
    run: async (slots) => {
      const setupOutcome = await setup;
      const outcome = await runForkedLane(
        'host',
        path.join(root, 'test/host/run.mjs'),
        ['--vsix', VSIX],
        slots,
        (code, signal) => {
          const passed = code === 0;
          return { passed, status: passed ? 'passed' : `FAILED (${signal ?? `exit code ${code}`})` };
        },
      );
      const setupReport = `[host set-up, in the background: ${setupOutcome.status}]\n${setupOutcome.output}`;
      return { ...outcome, output: `${setupReport}\n${outcome.output}` };
    },
  };
}

async function main() {
  if (!(await step('OS sandbox set-up', process.execPath, ['test/setup-os-sandbox.mjs']))) return false;
  const setup = startHostSetup();
  // The .vsix first: packaging builds the production bundle into dist/, which the unit lanes read (one of
  // them checks what the development bundle holds). Built here, before compile-tests, it never rewrites
  // dist/ under a running lane; the host tier installs this file (--vsix).
  const packaged = await step('package', process.execPath, [npmCli(), 'run', 'package']);
  const build = await step('compile-tests', process.execPath, ['esbuild.mjs']).then(
    (ok) => ok && step('compile-tests', process.execPath, ['esbuild.mjs', '--tests']),
  );
  const checkSince = Date.now();
  log('check: prettier, eslint, tsc (twice), layout');
  const checked = await runChecks();
  stages.push(`check ${elapsed(checkSince)}`);
  if (!packaged || !build || !checked) {
    log('stopping: the build or the checks failed; waiting for the host set-up to finish first');
    await setup;
    return false;
  }
  // The set-up's downloads and native builds hold a shared slot while they run: the lanes without a limit
  // test run beside them, and no limit test does (its CPU would be the set-up's to take).
  const lanesSince = Date.now();
  log('unit lanes and the host tier (the lanes without a limit test beside the host set-up)');
  const passed = await runLanes({
    extra: [hostLane(setup)],
    background: { name: 'host set-up', done: setup },
  });
  stages.push(`lanes and host tier ${elapsed(lanesSince)}`);
  return passed;
}

main()
  .catch((error) => {
    console.error(error);
    return false;
  })
  .then((ok) => {
    log(`${ok ? 'passed' : 'FAILED'}; ${stages.join(', ')}; total ${elapsed(started)}`);
    process.exitCode = ok ? 0 : 1;
  });
