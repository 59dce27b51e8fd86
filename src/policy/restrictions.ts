// What the Pyodide runner enforces inside Python, derived from the same policy as the static checks.
// Defence in depth only: the jail around the runtime is the boundary.
import type { RuntimeRestrictions } from '../sandbox/run-types';
import type { ResolvedPolicy } from './config';
import { isAllowedModule } from './findings';
import type { RuleId } from './rules';
import { atOrAbove, severityRank, type Severity } from './types';

/** Modules whose every use is a finding of the rule, so importing them at run time is refused too. */
const MODULES_BY_RULE: Partial<Record<RuleId, string[]>> = {
  'command-execution': ['subprocess', 'pty', '_posixsubprocess'],
  'network-socket': [
    'socket',
    '_socket',
    'socketserver',
    'ftplib',
    'smtplib',
    'telnetlib',
    'poplib',
    'imaplib',
  ],
  'network-http': ['requests', 'httpx', 'aiohttp', 'urllib3'],
  'native-code': ['ctypes', '_ctypes', 'cffi'],
  'process-control': ['multiprocessing'],
};

const BUILTINS_BY_RULE: Partial<Record<RuleId, string[]>> = {
  'dynamic-code': ['eval', 'exec', 'compile'],
  'dynamic-import': ['__import__'],
};

const PYTHON_MODULE = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/;
/** Node.js modules that may sit on a restricted list but mean nothing to Python. */
const NODE_ONLY = new Set([
  'child_process',
  'vm',
  'net',
  'dgram',
  'cluster',
  'worker_threads',
  'fs',
  'https',
  'tls',
  'http2',
  'v8',
  'inspector',
]);

export function runtimeRestrictions(policy: ResolvedPolicy): RuntimeRestrictions {
  const violates = (rule: RuleId): boolean => {
    const setting = policy.rules[rule];
    return setting !== 'off' && atOrAbove(setting, policy.threshold);
  };
  const blockedBuiltins = new Set<string>();
  for (const [rule, names] of Object.entries(BUILTINS_BY_RULE) as Array<[RuleId, string[]]>) {
    if (violates(rule)) for (const name of names) blockedBuiltins.add(name);
  }
  const modules = new Set<string>();
  const cap = policy.rules['restricted-module'];
  if (cap !== 'off') {
    for (const entry of policy.restrictedModules) {
      const severity: Severity = severityRank(entry.severity) <= severityRank(cap) ? entry.severity : cap;
      if (
        atOrAbove(severity, policy.threshold) &&
        PYTHON_MODULE.test(entry.name) &&
        !NODE_ONLY.has(entry.name)
      ) {
        modules.add(entry.name.split('.')[0]);
      }
    }
  }
  for (const [rule, names] of Object.entries(MODULES_BY_RULE) as Array<[RuleId, string[]]>) {
    if (violates(rule)) for (const name of names) modules.add(name);
  }
  return {
    blockedBuiltins: [...blockedBuiltins].sort(),
    blockedModules: [...modules].filter((name) => !isAllowedModule(policy, name)).sort(),
    allowFileWrites: !violates('file-write'),
  };
}
