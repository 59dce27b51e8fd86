// Runs the unit suite as independent mocha processes ("lanes"), as many at once as the cores allow, and
// holds the slots they take (test/unit/lane-slot.ts): a limit test runs while no other lane runs a test,
// so that another lane's CPU never turns one limit into another. Each lane's output is printed whole when
// it ends; the exit code is non-zero if any lane failed.
//   node test/lanes.mjs [--jobs N] [--only lane,lane] [--list]
//   LANES_JSON_DIR=/tmp/x node test/lanes.mjs   (one mocha JSON report per lane, for timings)
// `npm test` (test/all.mjs) adds one more lane, the host tier, with runLanes({ extra }).
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const unit = 'out/test/unit';

/**
 * The lanes, in the order they start (measured, docs/testing.md "Timings"): memory-under-load first, as it
 * holds the whole machine while it runs and so costs the same anywhere, but early the host tier (a lane of
 * `npm test`, which takes the lanes' slots step by step) is not yet waiting for it; then the longest first,
 * so that the short ones fill in at the end.
 */
export const LANES = [
  { name: 'memory-under-load', spec: [`${unit}/redteam/memory-under-load.test.js`] },
  { name: 'redteam-thread', spec: [`${unit}/redteam/redteam-thread.test.js`] },
  { name: 'sandbox', spec: [`${unit}/sandbox/**/*.test.js`] },
  { name: 'rest', spec: [`${unit}/**/*.test.js`], sharedOnly: true },
  { name: 'redteam-process', spec: [`${unit}/redteam/redteam-process.test.js`] },
  { name: 'undefended', spec: [`${unit}/redteam/undefended.test.js`], sharedOnly: true },
];
// `sharedOnly`: no test in the lane asks for an exclusive slot, so it can start beside a background job
// (runLanes' `background`), which holds a shared slot: whatever the lane holds, no limit test runs then.
/** The lane that runs every file no other lane names. */
const REST = 'rest';
const claimed = LANES.filter((lane) => lane.name !== REST).flatMap((lane) => lane.spec);

function parseArgs(argv) {
  const options = { jobs: defaultJobs(), only: undefined, list: false };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--jobs') options.jobs = Math.max(1, Number(argv[++index]) || 1);
    else if (arg === '--only') options.only = argv[++index].split(',');
    else if (arg === '--list') options.list = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

/** Two at a time where there are two cores (CI has two); LANES_JOBS overrides. */
export function defaultJobs() {
  if (process.env.LANES_JOBS) return Math.max(1, Number(process.env.LANES_JOBS) || 1);
  return Math.max(1, Math.min(2, os.availableParallelism()));
}

/** Starts a mocha lane; resolves to `{ passed, status, output }` once the process has ended. */
function runMochaLane(lane, slots) {
  // mocha's own CLI module, not bin/mocha.js: that one starts yet another process for Node flags, without
  // the IPC channel the slots travel on.
  // Its real path: it runs only when it is the main module, which Node names by its real path (a
  // symlinked node_modules would otherwise start a mocha that runs nothing and exits 0).
  const mocha = fs.realpathSync(path.join(root, 'node_modules/mocha/lib/cli/cli.js'));
  const jsonDir = process.env.LANES_JSON_DIR;
  const reporter = jsonDir
    ? ['--reporter', 'json', '--reporter-option', `output=${path.join(jsonDir, `${lane.name}.json`)}`]
    : ['--reporter', 'spec'];
  const ignore = lane.name === REST ? claimed.flatMap((spec) => ['--ignore', spec]) : [];
  const args = [
    '--no-config',
    '--timeout',
    '60000',
    '--require',
    `${unit}/lane-hooks.js`,
    ...reporter,
    ...ignore,
    ...lane.spec,
  ];
  return runForkedLane(lane.name, mocha, args, slots, (code, signal, testsRun) => {
    // A lane that ran no test has not passed (a wrong spec, a mocha that never started).
    const passed = code === 0 && testsRun > 0;
    const status = passed
      ? `passed ${testsRun} tests`
      : `FAILED (${signal ?? `exit code ${code}`}, ${testsRun} tests run)`;
    return { passed, status };
  });
}

/**
 * Forks a Node module as a lane, with the IPC channel its slots travel on (lane-slot.ts); `judge(code,
 * signal, testsRun)` says whether it passed once it has ended.
 */
export function runForkedLane(name, module, args, slots, judge) {
  const child = fork(module, args, {
    cwd: root,
    execArgv: ['--enable-source-maps'],
    env: { ...process.env, SANDBOX_TEST_LANES: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let testsRun = 0;
  child.on('message', (message) => {
    if (message?.laneSlot === 'acquire') {
      slots.acquire(`${name}:${message.id}`, message.kind, () => {
        if (child.connected) child.send({ laneSlot: 'granted', id: message.id });
      });
    } else if (message?.laneSlot === 'release') {
      slots.release(`${name}:${message.id}`);
    } else if (message?.laneSlot === 'ran') {
      testsRun = message.tests;
    }
  });
  return collect(child, (code, signal) => judge(code, signal, testsRun));
}

/** Gathers a child's output; `judge(code, signal)` says whether it passed once it has ended. */
export function collect(child, judge) {
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => {
    child.on('error', (error) => (output += `could not start: ${error.message}\n`));
    // 'close': the process has ended and its output and messages have all arrived.
    child.on('close', (code, signal) => resolve({ ...judge(code, signal), output }));
  });
}

/**
 * Runs the lanes `jobs` at a time and resolves true when all passed. `extra` lanes are not mocha:
 * `{ name, ready: Promise, run: (slots) => Promise<{ passed, status, output }> }` (runForkedLane gives
 * such a child its slots); one is taken before any unit lane once `ready` has settled, and not before.
 * `background` (`{ name, done: Promise }`, npm test's host set-up) is work that takes no worker but holds
 * a shared slot until `done` settles, so that no limit test runs beside it: meanwhile only the
 * `sharedOnly` lanes are ready, and the others once it is done.
 * A free worker takes the first waiting lane that is ready, else waits for the next one to be. What it
 * prints goes to `write` (standard output).
 */
export async function runLanes({
  jobs = defaultJobs(),
  only,
  extra = [],
  background,
  write = (text) => process.stdout.write(text),
} = {}) {
  // The slots are compiled with the tests (npm run compile-tests), as the hooks the lanes load are.
  const { LaneSlots } = createRequire(import.meta.url)(path.join(root, unit, 'lane-slots.js'));
  const lanes = only ? LANES.filter((lane) => only.includes(lane.name)) : LANES;
  if (process.env.LANES_JSON_DIR) fs.mkdirSync(process.env.LANES_JSON_DIR, { recursive: true });
  const all = [...extra, ...lanes];
  write(`lanes: ${all.map((lane) => lane.name).join(', ')}; ${jobs} at a time\n`);
  const slots = new LaneSlots();
  const backgroundDone = background ? Promise.resolve(background.done).catch(() => {}) : undefined;
  if (background) {
    const key = `${background.name}:background`;
    slots.acquire(key, 'shared', () => {});
    void backgroundDone.then(() => slots.release(key));
  }
  const startsAtOnce = (lane) => !backgroundDone || lane.sharedOnly === true;
  const isReady = new Set(lanes.filter(startsAtOnce));
  // What a worker with no ready lane waits for: only what has not settled yet (a settled promise would
  // wake it at once, again and again).
  const unsettled = new Set();
  for (const { lane, ready } of [
    ...extra.map((lane) => ({ lane, ready: lane.ready })),
    ...lanes.filter((lane) => !startsAtOnce(lane)).map((lane) => ({ lane, ready: backgroundDone })),
  ]) {
    const settled = Promise.resolve(ready)
      .catch(() => {})
      .then(() => {
        isReady.add(lane);
        unsettled.delete(settled);
      });
    unsettled.add(settled);
  }
  const waiting = [...all];
  let ok = true;
  const failed = [];
  const next = async () => {
    for (;;) {
      const index = waiting.findIndex((lane) => isReady.has(lane));
      if (index >= 0) return waiting.splice(index, 1)[0];
      if (waiting.length === 0) return undefined;
      await Promise.race(unsettled);
    }
  };
  const runOne = async (lane) => {
    const started = Date.now();
    const outcome = await (lane.spec ? runMochaLane(lane, slots) : lane.run(slots));
    // A lane that ended (or died) gives back whatever it held or waited for.
    slots.releaseLane(lane.name);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    write(`\n===== lane ${lane.name}: ${outcome.status} in ${seconds} s =====\n${outcome.output}`);
    if (!outcome.passed) failed.push({ name: lane.name, status: outcome.status, output: outcome.output });
    return outcome.passed;
  };
  const worker = async () => {
    for (let lane = await next(); lane; lane = await next()) {
      if (!(await runOne(lane))) ok = false;
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  for (const lane of failed) write(failureDigest(lane));
  return ok;
}

/** Lines of a failed lane's output kept at most in the digest, per failure block and for the tail. */
const DIGEST_LINES = 60;

/**
 * What failed, again, at the very end of the run: a lane's output is printed when it ends, often far from
 * the end of a long log, and CI keeps only the end. Each mocha "N failing" block (the host tier's tiers
 * print one each, and a "[host] FAIL" line starts each failed host step), else the lane's last lines.
 */
export function failureDigest({ name, status, output }) {
  const lines = output.split('\n');
  const blocks = [];
  lines.forEach((line, index) => {
    if (/^\s*\d+ failing\b/.test(line) || /^\[host\] FAIL /.test(line))
      blocks.push(lines.slice(index, index + DIGEST_LINES));
  });
  const shown = blocks.length > 0 ? blocks : [lines.slice(-DIGEST_LINES)];
  const body = shown.map((block) => block.join('\n')).join('\n  …\n');
  return `\n===== what failed in lane ${name} (${status}) =====\n${body}\n`;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.only) {
    const unknown = options.only.filter((name) => !LANES.some((lane) => lane.name === name));
    if (unknown.length > 0) {
      throw new Error(`unknown lane ${unknown.join(',')}: lanes are ${LANES.map((l) => l.name).join(', ')}`);
    }
  }
  if (options.list) {
    for (const lane of LANES.filter((l) => !options.only || options.only.includes(l.name)))
      console.log(`${lane.name}: ${lane.spec.join(' ')}`);
    return;
  }
  process.exitCode = (await runLanes(options)) ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
