// The rule catalogue: stable kebab-case ids, one docs page each under docs/rules/.

export const RULE_IDS = [
  'command-execution',
  'shell-true',
  'destructive-command',
  'package-install',
  'dynamic-code',
  'dynamic-import',
  'dynamic-attribute',
  'sandbox-escape',
  'restricted-module',
  'file-write',
  'file-delete',
  'read-outside-workdir',
  'network-http',
  'network-socket',
  'env-access',
  'unsafe-deserialization',
  'native-code',
  'process-control',
  'resource-exhaustion',
  'custom-pattern',
] as const;

/** The rules a policy can set (severity or `off`). */
export type RuleId = (typeof RULE_IDS)[number];

/**
 * Input the engine cannot read, decode or analyse. Not a policy rule: always HIGH and a violation, never
 * suppressible or configurable, so that nothing unread is ever reported as safe.
 */
export const UNREADABLE_SOURCE = 'unreadable-source';

/** Every id a finding can carry. */
export type ReportedRuleId = RuleId | typeof UNREADABLE_SOURCE;

export type RuleFamily =
  | 'command execution'
  | 'dynamic code'
  | 'dynamic import'
  | 'sandbox escape'
  | 'restricted modules'
  | 'file system'
  | 'network'
  | 'environment'
  | 'deserialization'
  | 'native code'
  | 'process control'
  | 'resource exhaustion'
  | 'custom'
  | 'input';

export interface RuleInfo {
  id: ReportedRuleId;
  title: string;
  family: RuleFamily;
  description: string;
  /** Repository-relative path of the rule's page. */
  docsPath: string;
}

const REPOSITORY_URL = 'https://github.com/sandbox-policy/sandbox-policy';

function rule(id: ReportedRuleId, family: RuleFamily, title: string, description: string): RuleInfo {
  return { id, family, title, description, docsPath: `docs/rules/${id}.md` };
}

export const RULES: readonly RuleInfo[] = [
  rule(
    'command-execution',
    'command execution',
    'Runs an operating-system command',
    'os.system/popen/exec*/spawn*, subprocess, pty, asyncio subprocesses; child_process in JavaScript.',
  ),
  rule(
    'shell-true',
    'command execution',
    'Runs a command through the shell',
    '`shell=True` (or a non-constant shell flag) on a subprocess call: the command line is interpreted by /bin/sh.',
  ),
  rule(
    'destructive-command',
    'command execution',
    'Runs a destructive command',
    'A command or path that wipes or formats: rm -rf /, mkfs, dd to a device, a fork bomb, shutil.rmtree("/").',
  ),
  rule(
    'package-install',
    'command execution',
    'Installs packages',
    "A notebook's %pip install, %conda install or %load_ext: installing a package runs its setup code and any dependency it pulls.",
  ),
  rule(
    'dynamic-code',
    'dynamic code',
    'Evaluates code built at run time',
    'Builtin eval/exec/compile, functions built from code objects, runpy and code.interact; eval, new Function and vm in JavaScript.',
  ),
  rule(
    'dynamic-import',
    'dynamic import',
    'Imports a module chosen at run time',
    '__import__, importlib.import_module, sys.modules[...]; require(expr) and import(expr) in JavaScript.',
  ),
  rule(
    'dynamic-attribute',
    'dynamic import',
    'Reaches into a sensitive module with a computed name',
    'getattr(module_or_builtins, <non-constant>), or a computed key into builtins, globals() or vars(): the target cannot be known.',
  ),
  rule(
    'sandbox-escape',
    'sandbox escape',
    'Uses introspection that escapes sandboxes',
    '__subclasses__, __globals__, __builtins__, __code__, frames (sys._getframe, gi_frame, tb_frame, f_globals, f_back), gc.get_objects/get_referrers.',
  ),
  rule(
    'restricted-module',
    'restricted modules',
    'Imports a module the policy restricts',
    'An import (static or resolved dynamic) of a module on the policy list, with the severity the policy gives that module.',
  ),
  rule(
    'file-write',
    'file system',
    'Writes or changes files',
    'open() with w/a/x/+ in any argument form, Path.write_*, os.rename/replace/chmod, shutil.move/copy; fs writes in JavaScript.',
  ),
  rule(
    'file-delete',
    'file system',
    'Deletes files or directories',
    'os.remove/unlink/rmdir/removedirs, shutil.rmtree, Path.unlink/rmdir; fs.unlink/rm/rmdir in JavaScript.',
  ),
  rule(
    'read-outside-workdir',
    'file system',
    'Reads outside the working directory',
    'Opens or lists a constant path that is absolute, starts with ~ or climbs with "..".',
  ),
  rule(
    'network-http',
    'network',
    'Makes HTTP requests',
    'urllib, http.client, requests, httpx, aiohttp, urllib3; fetch, http and https in JavaScript.',
  ),
  rule(
    'network-socket',
    'network',
    'Opens raw sockets or servers',
    'socket, socketserver, asyncio connections and servers, ftplib, smtplib, telnetlib; net, dgram and tls in JavaScript.',
  ),
  rule(
    'env-access',
    'environment',
    'Reads or changes environment variables',
    'os.environ, os.getenv, os.putenv; process.env in JavaScript. Environment variables often hold secrets.',
  ),
  rule(
    'unsafe-deserialization',
    'deserialization',
    'Deserializes data in a way that can run code',
    'pickle, marshal, shelve, dill, yaml.load without a safe loader, numpy.load(allow_pickle=True), torch.load.',
  ),
  rule(
    'native-code',
    'native code',
    'Calls native code',
    'ctypes and cffi: foreign functions, raw memory; process.dlopen in JavaScript.',
  ),
  rule(
    'process-control',
    'process control',
    'Forks, kills or floods processes and threads',
    'os.fork/kill/_exit, multiprocessing, process pools, threads started in a loop; process.exit/kill in JavaScript.',
  ),
  rule(
    'resource-exhaustion',
    'resource exhaustion',
    'Can exhaust CPU or memory',
    'while True with no reachable break/return/raise, infinite iterators without a break, huge repetitions, powers and ranges.',
  ),
  rule(
    'custom-pattern',
    'custom',
    'Matches a custom pattern of the policy',
    'A regular expression from the policy (linear-time RE2 syntax) matched in code, outside strings and comments unless asked.',
  ),
  rule(
    UNREADABLE_SOURCE,
    'input',
    'Source the engine could not read or analyse',
    'A file that cannot be read or decoded as its runtime would (an unknown or wrong coding declaration, invalid UTF-8), holds NUL bytes, or made the engine fail: never reported as safe. Always HIGH, not suppressible.',
  ),
];

const BY_ID = new Map<string, RuleInfo>(RULES.map((info) => [info.id, info]));

export function ruleInfo(id: string): RuleInfo | undefined {
  return BY_ID.get(id);
}

const CONFIGURABLE = new Set<string>(RULE_IDS);

/** A rule a policy can set. */
export function isRuleId(id: string): id is RuleId {
  return CONFIGURABLE.has(id);
}

/** The rule's documentation page (used as the diagnostic's code target and SARIF helpUri). */
export function ruleDocsUrl(ruleId: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${BY_ID.has(ruleId) ? ruleId : 'README'}.md`;
}
