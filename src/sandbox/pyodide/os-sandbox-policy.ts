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
}

/** A file or folder made visible, read-only, inside the sandbox (`target` is where it appears). */
export interface ReadOnlyBind {
  source: string;
  target: string;
}

/** Device nodes the runtime may open (reading random bytes, writing to /dev/null). */
const LINUX_DEVICES = ['/dev/null', '/dev/zero', '/dev/random', '/dev/urandom'];

/**
 * bubblewrap's arguments, up to the program to run. New user, network (only its own loopback), PID,
 * IPC, UTS and cgroup namespaces; no capabilities; a new session (no terminal to push keystrokes
 * into); killed with its parent; a root that holds only the given read-only binds, four device nodes
 * and a /proc that shows the sandbox's own processes. Nothing is writable: no /tmp, no home, no /etc.
 */
export function bubblewrapArgs(binds: readonly ReadOnlyBind[]): string[] {
  const args = [
    '--unshare-user',
    '--unshare-net',
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
