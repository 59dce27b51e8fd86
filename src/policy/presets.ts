// The seven presets, named after LLM Sandbox's and in their spirit: a threshold, a severity per rule and
// per-module severities for restricted modules. `production` is the default.
import type { RuleId } from './rules';
import type { Severity } from './types';

export const PRESET_NAMES = [
  'minimal',
  'development',
  'educational',
  'data_science',
  'web_scraping',
  'production',
  'strict',
] as const;

export type PresetName = (typeof PRESET_NAMES)[number];

export const DEFAULT_PRESET: PresetName = 'production';

export type RuleSetting = Severity | 'off';

export interface RestrictedModule {
  /** A module name: a top-level name restricts its submodules too (`os` covers `os.path`, `fs` covers `fs/promises`). */
  name: string;
  severity: Severity;
  description: string;
}

export interface Preset {
  name: PresetName;
  description: string;
  threshold: Severity;
  rules: Record<RuleId, RuleSetting>;
  restrictedModules: RestrictedModule[];
}

type Row = [RuleId, ...RuleSetting[]];

// One row per rule; columns in PRESET_NAMES order:
//  minimal, development, educational, data_science, web_scraping, production, strict
// (restricted-module and custom-pattern: a cap on each module's / pattern's own severity.)
const TABLE: Row[] = [
  ['command-execution', 'MEDIUM', 'HIGH', 'HIGH', 'HIGH', 'HIGH', 'HIGH', 'HIGH'],
  ['shell-true', 'MEDIUM', 'HIGH', 'HIGH', 'HIGH', 'HIGH', 'HIGH', 'HIGH'],
  ['destructive-command', 'HIGH', 'HIGH', 'HIGH', 'HIGH', 'HIGH', 'HIGH', 'HIGH'],
  ['package-install', 'LOW', 'MEDIUM', 'MEDIUM', 'LOW', 'LOW', 'HIGH', 'HIGH'],
  ['dynamic-code', 'LOW', 'MEDIUM', 'LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH'],
  ['dynamic-import', 'LOW', 'LOW', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH'],
  ['dynamic-attribute', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH'],
  ['sandbox-escape', 'HIGH', 'HIGH', 'HIGH', 'HIGH', 'HIGH', 'HIGH', 'HIGH'],
  ['restricted-module', 'HIGH', 'HIGH', 'HIGH', 'HIGH', 'HIGH', 'HIGH', 'HIGH'],
  ['file-write', 'LOW', 'LOW', 'LOW', 'LOW', 'LOW', 'MEDIUM', 'HIGH'],
  ['file-delete', 'MEDIUM', 'HIGH', 'HIGH', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH'],
  ['read-outside-workdir', 'LOW', 'LOW', 'MEDIUM', 'LOW', 'LOW', 'MEDIUM', 'HIGH'],
  ['network-http', 'LOW', 'LOW', 'MEDIUM', 'LOW', 'LOW', 'MEDIUM', 'HIGH'],
  ['network-socket', 'LOW', 'LOW', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH'],
  ['env-access', 'LOW', 'LOW', 'MEDIUM', 'LOW', 'LOW', 'MEDIUM', 'HIGH'],
  ['unsafe-deserialization', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH'],
  ['native-code', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH', 'HIGH', 'HIGH', 'HIGH'],
  ['process-control', 'LOW', 'MEDIUM', 'MEDIUM', 'LOW', 'MEDIUM', 'MEDIUM', 'HIGH'],
  ['resource-exhaustion', 'LOW', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'HIGH'],
  ['custom-pattern', 'HIGH', 'HIGH', 'HIGH', 'HIGH', 'HIGH', 'HIGH', 'HIGH'],
];

const THRESHOLDS: Record<PresetName, Severity> = {
  minimal: 'HIGH',
  development: 'HIGH',
  educational: 'MEDIUM',
  data_science: 'MEDIUM',
  web_scraping: 'MEDIUM',
  production: 'MEDIUM',
  strict: 'LOW',
};

const DESCRIPTIONS: Record<PresetName, string> = {
  minimal: 'Very permissive: blocks only destructive commands and sandbox escapes; reports the rest.',
  development:
    'Blocks direct system commands, deletions and escapes; allows file operations and network requests.',
  educational: 'Blocks system damage, file deletion and network; warns about eval/exec.',
  data_science: 'Blocks system commands and dangerous operations; tolerates network reads and file writes.',
  web_scraping: 'Like data_science with HTTP as the job: requests are fine, raw sockets are not.',
  production:
    'Blocks command execution, dynamic code and imports, escapes, file writes, network, native code and environment access.',
  strict: 'Blocks almost every interaction with the system: pure computation only.',
};

function m(name: string, severity: Severity, description: string): RestrictedModule {
  return { name, severity, description };
}

const COMMAND_AND_NATIVE: RestrictedModule[] = [
  m('subprocess', 'HIGH', 'process execution'),
  m('pty', 'HIGH', 'pseudo-terminals and process spawning'),
  m('ctypes', 'HIGH', 'foreign functions and raw memory'),
  m('cffi', 'HIGH', 'foreign functions'),
  m('child_process', 'HIGH', 'process execution (Node.js)'),
  m('vm', 'HIGH', 'code evaluation in new contexts (Node.js)'),
];

const RAW_NETWORK: RestrictedModule[] = [
  m('socket', 'MEDIUM', 'raw network sockets'),
  m('socketserver', 'MEDIUM', 'network servers'),
  m('ftplib', 'MEDIUM', 'FTP client'),
  m('smtplib', 'MEDIUM', 'mail client'),
  m('telnetlib', 'MEDIUM', 'telnet client'),
  m('net', 'MEDIUM', 'raw TCP sockets (Node.js)'),
  m('dgram', 'MEDIUM', 'UDP sockets (Node.js)'),
];

const STRICT_EXTRA: RestrictedModule[] = [
  m('os', 'MEDIUM', 'operating system interface'),
  m('sys', 'LOW', 'interpreter internals'),
  m('shutil', 'MEDIUM', 'high-level file operations'),
  m('pathlib', 'LOW', 'file system paths'),
  m('tempfile', 'LOW', 'temporary files'),
  m('io', 'LOW', 'file streams'),
  m('importlib', 'HIGH', 'dynamic imports'),
  m('builtins', 'HIGH', 'the builtins namespace'),
  m('inspect', 'MEDIUM', 'frame and code introspection'),
  m('gc', 'MEDIUM', 'garbage collector introspection'),
  m('multiprocessing', 'MEDIUM', 'process creation'),
  m('threading', 'LOW', 'threads'),
  m('signal', 'LOW', 'signal handlers'),
  m('pickle', 'MEDIUM', 'unsafe deserialization'),
  m('marshal', 'MEDIUM', 'unsafe deserialization'),
  m('shelve', 'MEDIUM', 'unsafe deserialization'),
  m('urllib', 'MEDIUM', 'URL access'),
  m('http', 'MEDIUM', 'HTTP clients and servers'),
  m('requests', 'MEDIUM', 'HTTP client'),
  m('httpx', 'MEDIUM', 'HTTP client'),
  m('aiohttp', 'MEDIUM', 'HTTP client'),
  m('webbrowser', 'MEDIUM', 'opens URLs'),
  m('code', 'MEDIUM', 'interactive interpreters'),
  m('runpy', 'MEDIUM', 'runs modules and files'),
  m('fs', 'MEDIUM', 'file system (Node.js)'),
  m('https', 'MEDIUM', 'HTTPS client (Node.js)'),
  m('cluster', 'HIGH', 'process clusters (Node.js)'),
  m('worker_threads', 'MEDIUM', 'threads (Node.js)'),
];

const MODULES: Record<PresetName, RestrictedModule[]> = {
  minimal: [],
  development: [],
  educational: [
    ...COMMAND_AND_NATIVE,
    m('socket', 'MEDIUM', 'raw network sockets'),
    m('multiprocessing', 'MEDIUM', 'process creation'),
    m('net', 'MEDIUM', 'raw TCP sockets (Node.js)'),
  ],
  data_science: [...COMMAND_AND_NATIVE],
  web_scraping: [...COMMAND_AND_NATIVE],
  production: [...COMMAND_AND_NATIVE, ...RAW_NETWORK, m('cluster', 'MEDIUM', 'process clusters (Node.js)')],
  strict: [
    ...COMMAND_AND_NATIVE,
    ...RAW_NETWORK.map((mod) => ({ ...mod, severity: 'HIGH' as Severity })),
    ...STRICT_EXTRA,
  ],
};

function buildPreset(name: PresetName, column: number): Preset {
  const rules = {} as Record<RuleId, RuleSetting>;
  for (const [id, ...settings] of TABLE) rules[id] = settings[column];
  return {
    name,
    description: DESCRIPTIONS[name],
    threshold: THRESHOLDS[name],
    rules,
    restrictedModules: MODULES[name],
  };
}

export const PRESETS: Readonly<Record<PresetName, Preset>> = Object.fromEntries(
  PRESET_NAMES.map((name, column) => [name, buildPreset(name, column)]),
) as Record<PresetName, Preset>;

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}
