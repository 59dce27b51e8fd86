// Runs the unit suite as independent mocha processes ("lanes"), as many at once as the cores allow, and
// holds the slots they take (test/unit/lane-slot.ts): a limit test runs while no other lane runs a test,
// so that another lane's CPU never turns one limit into another. Each lane's output is printed whole when
// it ends; the exit code is non-zero if any lane failed.
//   node test/lanes.mjs [--jobs N] [--only lane,lane] [--list]
//   LANES_JSON_DIR=/tmp/x node test/lanes.mjs   (one mocha JSON report per lane, for timings)
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const unit = 'out/test/unit';
// The slots are compiled with the tests (npm run compile-tests), as the hooks the lanes load are.
const { LaneSlots } = createRequire(import.meta.url)(path.join(root, unit, 'lane-slots.js'));

/** The lanes, longest first (measured), so that the longest starts at once and the short ones fill in. */
const LANES = [
  { name: 'redteam-process', spec: [`${unit}/redteam/redteam-process.test.js`] },
  { name: 'redteam-thread', spec: [`${unit}/redteam/redteam-thread.test.js`] },
  { name: 'sandbox', spec: [`${unit}/sandbox/**/*.test.js`] },
  { name: 'undefended', spec: [`${unit}/redteam/undefended.test.js`] },
  { name: 'memory-under-load', spec: [`${unit}/redteam/memory-under-load.test.js`] },
  { name: 'rest', spec: [`${unit}/**/*.test.js`] },
];
// A file belongs to the first lane that names it: the last lane ignores every file named before it.
const claimed = LANES.slice(0, -1).flatMap((lane) => lane.spec);

function parseArgs(argv) {
  const options = { jobs: Math.max(1, Math.min(2, os.availableParallelism())), only: undefined, list: false };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--jobs') options.jobs = Math.max(1, Number(argv[++index]) || 1);
    else if (arg === '--only') options.only = argv[++index].split(',');
    else if (arg === '--list') options.list = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (process.env.LANES_JOBS) options.jobs = Math.max(1, Number(process.env.LANES_JOBS) || 1);
  return options;
}

function runLane(lane, slots) {
  // mocha's own CLI module, not bin/mocha.js: that one starts yet another process for Node flags, without
  // the IPC channel the slots travel on.
  // Its real path: it runs only when it is the main module, which Node names by its real path (a
  // symlinked node_modules would otherwise start a mocha that runs nothing and exits 0).
  const mocha = fs.realpathSync(path.join(root, 'node_modules/mocha/lib/cli/cli.js'));
  const jsonDir = process.env.LANES_JSON_DIR;
  const reporter = jsonDir
    ? ['--reporter', 'json', '--reporter-option', `output=${path.join(jsonDir, `${lane.name}.json`)}`]
    : ['--reporter', 'spec'];
  const ignore = lane === LANES.at(-1) ? claimed.flatMap((spec) => ['--ignore', spec]) : [];
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
  const started = Date.now();
  const child = fork(mocha, args, {
    cwd: root,
    execArgv: ['--enable-source-maps'],
    env: { ...process.env, SANDBOX_TEST_LANES: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  let testsRun = 0;
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  child.on('message', (message) => {
    if (message?.laneSlot === 'acquire') {
      slots.acquire(`${lane.name}:${message.id}`, message.kind, () => {
        if (child.connected) child.send({ laneSlot: 'granted', id: message.id });
      });
    } else if (message?.laneSlot === 'release') {
      slots.release(`${lane.name}:${message.id}`);
    } else if (message?.laneSlot === 'ran') {
      testsRun = message.tests;
    }
  });
  return new Promise((resolve) => {
    // 'close': the process has ended and its output and messages have all arrived.
    child.on('close', (code, signal) => {
      slots.releaseLane(lane.name);
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      // A lane that ran no test has not passed (a wrong spec, a mocha that never started).
      const passed = code === 0 && testsRun > 0;
      const status = passed
        ? `passed ${testsRun} tests`
        : `FAILED (${signal ?? `exit code ${code}`}, ${testsRun} tests run)`;
      process.stdout.write(`\n===== lane ${lane.name}: ${status} in ${seconds} s =====\n${output}`);
      resolve(passed);
    });
  });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const lanes = options.only ? LANES.filter((lane) => options.only.includes(lane.name)) : LANES;
  if (options.only && lanes.length !== options.only.length) {
    throw new Error(
      `unknown lane in ${options.only.join(',')}: lanes are ${LANES.map((l) => l.name).join(', ')}`,
    );
  }
  if (options.list) {
    for (const lane of lanes) console.log(`${lane.name}: ${lane.spec.join(' ')}`);
    return;
  }
  if (process.env.LANES_JSON_DIR) fs.mkdirSync(process.env.LANES_JSON_DIR, { recursive: true });
  console.log(`unit suite: ${lanes.length} lanes, ${options.jobs} at a time`);
  const slots = new LaneSlots();
  const waiting = [...lanes];
  let ok = true;
  const worker = async () => {
    for (let lane = waiting.shift(); lane; lane = waiting.shift()) {
      if (!(await runLane(lane, slots))) ok = false;
    }
  };
  await Promise.all(Array.from({ length: options.jobs }, worker));
  process.exitCode = ok ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
