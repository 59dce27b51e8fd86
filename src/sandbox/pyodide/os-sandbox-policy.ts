// What the OS sandbox around a sandbox process allows, as pure data: the bubblewrap arguments on Linux
// and the Seatbelt profile on macOS. The jail is the boundary; this is the wall that still holds if the
// jail ever fell and JavaScript ran in the sandbox process with Node's capabilities.

export type OsSandboxSetting = 'auto' | 'required' | 'off';
export const OS_SANDBOX_SETTINGS: readonly OsSandboxSetting[] = ['auto', 'required', 'off'];
export type OsSandboxKind = 'bubblewrap' | 'seatbelt';

/** How to start a program inside the OS sandbox: `command [...args, program, ...programArgs]`. */
export interface OsSandboxLaunch {
  kind: OsSandboxKind;
  command: string;
  args: string[];
  /** bubblewrap: the sandbox's network (see SandboxNetwork). */
  network?: SandboxNetwork;
}

/** A file or folder made visible, read-only, inside the sandbox (`target` is where it appears). */
export interface ReadOnlyBind {
  source: string;
  target: string;
}

/** Device nodes the runtime may open (reading random bytes, writing to /dev/null). */
const LINUX_DEVICES = ['/dev/null', '/dev/zero', '/dev/random', '/dev/urandom'];

/**
 * The sandbox's network. `down`: a network namespace made by `unshare` before bubblewrap starts, whose
 * loopback is down and has no address (connecting anywhere, 127.0.0.1 included, fails with ENETUNREACH),
 * and which belongs to `unshare`'s user namespace, so nothing in bubblewrap's nested one can bring it up
 * whatever capabilities it held. `loopback`: bubblewrap's own --unshare-net, which always brings `lo` up
 * (it has no option not to): no route out either, but the sandbox can talk to itself.
 */
export type SandboxNetwork = 'down' | 'loopback';

export interface BubblewrapLaunchInput {
  bwrap: string;
  /** `unshare` (util-linux); required for `network: 'down'`. */
  unshare?: string;
  network: SandboxNetwork;
  binds: readonly ReadOnlyBind[];
  /** The host's user and group ids, which the sandbox keeps (as bubblewrap alone does). */
  uid: number;
  gid: number;
}

/**
 * How to start a program in bubblewrap. With `network: 'down'` the command is `unshare` (a new user
 * namespace mapping only the caller, and a new network namespace), which execs bubblewrap without
 * --unshare-net: the two always come together, so bubblewrap never shares the host's network.
 */
export function bubblewrapLaunch(input: BubblewrapLaunchInput): OsSandboxLaunch {
  if (input.network === 'loopback') {
    return {
      kind: 'bubblewrap',
      command: input.bwrap,
      args: bubblewrapArgs(input.binds, 'loopback'),
      network: 'loopback',
    };
  }
  if (!input.unshare) throw new Error('a sandbox network that is down needs unshare');
  return {
    kind: 'bubblewrap',
    network: 'down',
    command: input.unshare,
    args: [
      '--user',
      '--map-root-user',
      '--net',
      '--',
      input.bwrap,
      // unshare's namespace maps only root (the caller): bubblewrap's nested one maps the caller's ids back.
      '--uid',
      String(input.uid),
      '--gid',
      String(input.gid),
      ...bubblewrapArgs(input.binds, 'down'),
    ],
  };
}

/**
 * bubblewrap's arguments, up to the program to run. New user, PID, IPC, UTS and cgroup namespaces and,
 * unless the caller made an empty one already (`down`), a network namespace; no capabilities; a new
 * session (no terminal to push keystrokes into); killed with its parent; a root that holds only the given
 * read-only binds, four device nodes and a /proc that shows the sandbox's own processes. Nothing is
 * writable: no /tmp, no home, no /etc. Use bubblewrapLaunch(), which pairs `down` with its namespace.
 */
export function bubblewrapArgs(
  binds: readonly ReadOnlyBind[],
  network: SandboxNetwork = 'loopback',
): string[] {
  const args = [
    '--unshare-user',
    ...(network === 'loopback' ? ['--unshare-net'] : []),
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--hostname',
    'sandbox',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
  ];
  const seen = new Set<string>();
  for (const bind of binds) {
    if (seen.has(bind.target)) continue;
    seen.add(bind.target);
    args.push('--ro-bind', bind.source, bind.target);
  }
  for (const device of LINUX_DEVICES) args.push('--dev-bind', device, device);
  args.push('--proc', '/proc', '--remount-ro', '/', '--chdir', '/');
  return args;
}

/** A string literal in Seatbelt's profile language (a Scheme dialect). */
function sbplString(text: string): string {
  return `"${text.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

export interface SeatbeltInput {
  /** The Node or Electron binary (its real path). */
  nodePath: string;
  /** Folders the runtime reads: the worker script's folder, Pyodide's files, the binary's own folder. */
  readableDirs: readonly string[];
}

/**
 * A `sandbox-exec` profile: deny everything, then allow running the one binary, reading the runtime's
 * folders and the system's libraries, and the few device and system queries Node makes. No network,
 * no file writes, no other processes (neither starting nor signalling them).
 */
export function seatbeltProfile(input: SeatbeltInput): string {
  const readable = [
    ...input.readableDirs.map((dir) => `(subpath ${sbplString(dir)})`),
    `(literal ${sbplString(input.nodePath)})`,
    '(subpath "/usr/lib")',
    '(subpath "/System/Library")',
    '(subpath "/System/Volumes/Preboot/Cryptexes")',
    '(subpath "/private/var/db/dyld")',
    '(literal "/dev/null")',
    '(literal "/dev/random")',
    '(literal "/dev/urandom")',
  ];
  return [
    '(version 1)',
    '(deny default)',
    `(allow process-exec (literal ${sbplString(input.nodePath)}))`,
    '(allow signal (target self))',
    '(allow file-read-metadata)',
    `(allow file-read* ${readable.join(' ')})`,
    '(allow file-write-data (literal "/dev/null"))',
    '(allow sysctl-read)',
    '',
  ].join('\n');
}

/** Why a Windows sandbox process runs without an OS sandbox, and what would give it one. */
export const WINDOWS_UNAVAILABLE =
  'Windows has no sandbox a process can enter without a native helper (an AppContainer or a restricted ' +
  'token, with a job object for memory and process limits); the sandbox process runs with the jail and ' +
  "Node's permission model only";
