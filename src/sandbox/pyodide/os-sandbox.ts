// Finds the OS sandbox this machine offers for a sandbox process (bubblewrap on Linux, sandbox-exec
// on macOS), works out which files the runtime needs inside it, and checks once that the runtime
// really starts there (bubblewrap is often installed where user namespaces are switched off).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  WINDOWS_UNAVAILABLE,
  bubblewrapLaunch,
  seatbeltProfile,
  type OsSandboxLaunch,
  type ReadOnlyBind,
} from './os-sandbox-policy';

/** `note`: what an available sandbox lacks (bubblewrap whose loopback had to stay up). */
export type OsSandboxStatus =
  { available: true; launch: OsSandboxLaunch; note?: string } | { available: false; reason: string };

export interface OsSandboxProbeInput {
  platform: NodeJS.Platform;
  /** The Node or Electron binary the sandbox process runs. */
  nodePath: string;
  /** Its environment (in VS Code: ELECTRON_RUN_AS_NODE=1). */
  env: NodeJS.ProcessEnv;
  /** Folders the sandbox process reads: the worker script's root and Pyodide's files. */
  readableDirs: string[];
}

const CHECK_TIMEOUT_MS = 30_000;
const LINUX_INSTALL_HINT =
  'install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap; Arch: sudo pacman -S bubblewrap)';

/** Finds an executable on PATH (and in /usr/bin, which a minimal PATH may lack). */
export function findExecutable(name: string, searchPath = process.env.PATH ?? ''): string | undefined {
  const dirs = [...searchPath.split(path.delimiter).filter(Boolean), '/usr/bin', '/bin'];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The ELF interpreter (dynamic loader) a Linux binary names, e.g. /lib64/ld-linux-x86-64.so.2. */
export function elfInterpreter(binary: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(binary, 'r');
    const header = Buffer.alloc(64);
    fs.readSync(fd, header, 0, 64, 0);
    // 64-bit little-endian ELF only (x86-64, arm64): others fall back to the mapped files alone.
    if (header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2 || header[5] !== 1) return undefined;
    const phoff = Number(header.readBigUInt64LE(0x20));
    const phentsize = header.readUInt16LE(0x36);
    const phnum = header.readUInt16LE(0x38);
    const entry = Buffer.alloc(56);
    for (let index = 0; index < phnum; index++) {
      fs.readSync(fd, entry, 0, 56, phoff + index * phentsize);
      if (entry.readUInt32LE(0) !== 3) continue; // PT_INTERP
      const offset = Number(entry.readBigUInt64LE(8));
      const size = Number(entry.readBigUInt64LE(32));
      if (size <= 1 || size > 4096) return undefined;
      const name = Buffer.alloc(size);
      fs.readSync(fd, name, 0, size, offset);
      return name.subarray(0, size - 1).toString('utf8');
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The files a running process of this binary has mapped (its shared libraries), from /proc/<pid>/maps. */
export function mappedFiles(maps: string): string[] {
  const files = new Set<string>();
  for (const line of maps.split('\n')) {
    const match = /^\S+\s+\S+\s+\S+\s+\S+\s+\d+\s+(\/.*)$/.exec(line);
    if (match && !match[1].endsWith(' (deleted)')) files.add(match[1]);
  }
  return [...files];
}

function binaryMaps(nodePath: string, env: NodeJS.ProcessEnv): string {
  if (path.resolve(nodePath) === path.resolve(process.execPath)) {
    return fs.readFileSync('/proc/self/maps', 'utf8');
  }
  // Another binary (say, VS Code's Electron from a test host): ask it; it is the runtime we trust.
  const result = spawnSync(
    nodePath,
    ['-e', "process.stdout.write(require('fs').readFileSync('/proc/self/maps','utf8'))"],
    { env, encoding: 'utf8', timeout: CHECK_TIMEOUT_MS, windowsHide: true },
  );
  return result.status === 0 ? result.stdout : '';
}

/**
 * What the runtime needs inside the sandbox: its binary, the shared libraries it loads (each also
 * under the names the loader looks it up by, e.g. libstdc++.so.6 for libstdc++.so.6.0.30), the
 * loader itself, the files beside an Electron binary (ICU data, V8 snapshot), and the given folders.
 */
export function linuxRuntimeBinds(nodePath: string, maps: string, readableDirs: string[]): ReadOnlyBind[] {
  const binary = fs.realpathSync(nodePath);
  const binaryDir = path.dirname(binary);
  const isLibrary = (file: string): boolean => /\.so(\.\d+)*$/.test(path.basename(file));
  const ownsDir = !['/usr/bin', '/bin', '/usr/local/bin', '/usr/sbin'].includes(binaryDir);
  const binds: ReadOnlyBind[] = [{ source: binary, target: binary }];
  if (path.resolve(nodePath) !== binary) binds.push({ source: binary, target: path.resolve(nodePath) });
  const libraries = new Set<string>();
  for (const file of mappedFiles(maps)) {
    // An Electron binary's own folder holds its data files; a system bin folder holds other programs.
    if (isLibrary(file) || (ownsDir && path.dirname(file) === binaryDir)) libraries.add(file);
  }
  const aliasesIn = new Map<string, string[]>();
  for (const library of libraries) {
    binds.push({ source: library, target: library });
    const dir = path.dirname(library);
    if (!aliasesIn.has(dir)) aliasesIn.set(dir, symlinksIn(dir));
  }
  for (const link of [...aliasesIn.values()].flat()) {
    const target = safeRealpath(link);
    if (target && libraries.has(target)) binds.push({ source: target, target: link });
  }
  const interpreter = elfInterpreter(binary);
  const interpreterFile = interpreter && safeRealpath(interpreter);
  if (interpreter && interpreterFile) binds.push({ source: interpreterFile, target: interpreter });
  if (ownsDir) binds.push({ source: binaryDir, target: binaryDir });
  for (const dir of readableDirs) {
    const real = safeRealpath(dir);
    if (real) binds.push({ source: real, target: path.resolve(dir) });
  }
  return binds;
}

function symlinksIn(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isSymbolicLink())
      .map((entry) => path.join(dir, entry.name));
  } catch {
    return [];
  }
}

function safeRealpath(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

/** Starts the runtime inside the sandbox with a worker thread, as a sandbox process does: proof it works there. */
function startsInside(
  launch: OsSandboxLaunch,
  nodePath: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    // The network must be what the launch promises (none, or only its own loopback): never the host's.
    const allowedInterfaces = launch.network === 'down' ? '[]' : "['lo']";
    const check = [
      `const seen = Object.keys(require('node:os').networkInterfaces());`,
      `if (seen.some((name) => !${allowedInterfaces}.includes(name))) {`,
      `  process.stderr.write('network interfaces inside the sandbox: ' + seen.join(', ') + '\\n');`,
      `  process.exit(3);`,
      `}`,
      `new (require('node:worker_threads').Worker)('', { eval: true });`,
    ].join('\n');
    const child = spawn(launch.command, [...launch.args, nodePath, '-e', check], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
      windowsHide: true,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr = (stderr + text).slice(-2000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), CHECK_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(`cannot start ${launch.command}: ${error.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(undefined);
      const line =
        stderr.split('\n').find((text) => text.trim()) ?? (signal ? `signal ${signal}` : `exit code ${code}`);
      resolve(`${launch.kind} could not start the runtime: ${line.trim().slice(0, 300)}`);
    });
  });
}

/**
 * bubblewrap with its network down where `unshare` can make the namespace (unprivileged user namespaces
 * nested in one another), else bubblewrap's own network namespace, whose loopback is up, and a note.
 */
async function linuxBubblewrap(
  bwrap: string,
  unshare: string | undefined,
  binds: ReadOnlyBind[],
  input: OsSandboxProbeInput,
): Promise<OsSandboxStatus> {
  const ids = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  let downFailure = 'unshare (util-linux) is not installed';
  if (unshare) {
    const launch = bubblewrapLaunch({ bwrap, unshare, network: 'down', binds, ...ids });
    const failure = await startsInside(launch, input.nodePath, input.env);
    if (!failure) return { available: true, launch };
    downFailure = failure;
  }
  const launch = bubblewrapLaunch({ bwrap, network: 'loopback', binds, ...ids });
  const failure = await startsInside(launch, input.nodePath, input.env);
  if (failure) return { available: false, reason: failure };
  return {
    available: true,
    launch,
    note: `the sandbox's loopback is up (its own, with no route out): a namespace with it down failed: ${downFailure}`,
  };
}

/**
 * What probeOsSandbox will check, worked out without starting anything: `first` is the launch it tries
 * first (bubblewrap with its network down where unshare exists; the Seatbelt profile on macOS), so
 * that a sandbox process can start in it while the check runs; `probe()` is the check itself. A sandbox
 * started in `first` is used only if the probe then reports that same launch available.
 */
export interface OsSandboxPlan {
  first?: OsSandboxLaunch;
  probe(): Promise<OsSandboxStatus>;
}

export function planOsSandbox(input: OsSandboxProbeInput): OsSandboxPlan {
  const unavailable = (reason: string): OsSandboxPlan => ({
    probe: () => Promise.resolve({ available: false, reason }),
  });
  switch (input.platform) {
    case 'linux': {
      const bwrap = findExecutable('bwrap', input.env.PATH ?? process.env.PATH);
      if (!bwrap) return unavailable(`bubblewrap (bwrap) is not installed: ${LINUX_INSTALL_HINT}`);
      const binds = linuxRuntimeBinds(
        input.nodePath,
        binaryMaps(input.nodePath, input.env),
        input.readableDirs,
      );
      const unshare = findExecutable('unshare', input.env.PATH ?? process.env.PATH);
      const ids = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
      return {
        first: bubblewrapLaunch({ bwrap, unshare, network: unshare ? 'down' : 'loopback', binds, ...ids }),
        probe: () => linuxBubblewrap(bwrap, unshare, binds, input),
      };
    }
    case 'darwin': {
      const sandboxExec = '/usr/bin/sandbox-exec';
      if (!fs.existsSync(sandboxExec)) return unavailable('sandbox-exec is missing from /usr/bin');
      const nodePath = fs.realpathSync(input.nodePath);
      const profile = seatbeltProfile({
        nodePath,
        readableDirs: [path.dirname(nodePath), ...input.readableDirs.map((dir) => safeRealpath(dir) ?? dir)],
      });
      const launch: OsSandboxLaunch = { kind: 'seatbelt', command: sandboxExec, args: ['-p', profile] };
      return {
        first: launch,
        probe: async () => {
          const failure = await startsInside(launch, input.nodePath, input.env);
          return failure ? { available: false, reason: failure } : { available: true, launch };
        },
      };
    }
    case 'win32':
      return unavailable(WINDOWS_UNAVAILABLE);
    default:
      return unavailable(`no OS sandbox is supported on ${input.platform}`);
  }
}

/** Whether two launches start the same command line (the one started early is the one checked). */
export function sameLaunch(a: OsSandboxLaunch | undefined, b: OsSandboxLaunch | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.kind === b.kind &&
    a.command === b.command &&
    a.network === b.network &&
    a.args.length === b.args.length &&
    a.args.every((arg, index) => arg === b.args[index])
  );
}

/** The OS sandbox this machine offers for the runtime, or why there is none. */
export async function probeOsSandbox(input: OsSandboxProbeInput): Promise<OsSandboxStatus> {
  return planOsSandbox(input).probe();
}
