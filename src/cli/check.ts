// `sandbox-policy check`: checks files and directories against a policy, for pre-commit hooks and CI.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResolvedPolicy } from '../policy/config';
import {
  ResultCache,
  cacheKey,
  cacheLocation,
  createCacheDir,
  defaultCacheDir,
  type FileStat,
} from './check-cache';
import { collectTargets, describeExclusions, type CheckTarget } from './check-files';
import { CheckPool } from './check-pool';
import { ReusedBuffer } from './file-bytes';
import type { FileVerdict, KeyedVerdict } from './check-verdict';
import { loadCheckEngine } from './lazy';
import {
  OUTPUT_FORMATS,
  formatJson,
  formatSarif,
  formatText,
  type CheckReport,
  type OutputFormat,
} from './check-format';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliIO } from './io';
import {
  POLICY_OPTIONS_HELP,
  policyInput,
  readPolicyFlag,
  resolvePolicyInput,
  type PolicyFlags,
} from './policy-options';

export const CHECK_USAGE = `Usage: sandbox-policy check [--preset NAME] [--config FILE] [--threshold LEVEL] [--ignore-suppressions]
                            [--format text|json|sarif] [--threads N] [--cache-dir DIR | --no-cache] [--trace] PATH...

Checks .py, .pyw, .pyi, .ipynb, .js, .mjs, .cjs, .jsx, .ts, .mts, .cts and .tsx files (directories are
walked; .gitignore, .git, node_modules and virtual environments are skipped) against a policy. A path
named on the command line is always checked, whatever .gitignore says; a named file must have one of
those extensions (or be a script with a python or node shebang). A file that cannot be read or decoded
is reported as unreadable-source, never as safe.

${POLICY_OPTIONS_HELP}
  --format FORMAT     text (default, one line per finding), json (version 1) or sarif (2.1.0)
  --threads N         worker threads (default: every core, ${os.availableParallelism()} here; 1 checks on the main thread)
  --cache-dir DIR     where results are cached (default: .sandbox-policy-cache in the project root)
  --no-cache          neither read nor write cached results
  --trace             print on stderr why each finding was or was not reported: what each name holds, the
                      value chain at the finding, the policy's decision (the same as SANDBOX_POLICY_TRACE=1;
                      every file is analysed on the main thread, without the cache)

Exit codes: 0 no file has a violation, 1 some file has one, 2 usage or configuration error.
`;

interface CheckOptions {
  policy: PolicyFlags;
  format: OutputFormat;
  paths: string[];
  threads?: number;
  cacheDir?: string;
  noCache: boolean;
  trace: boolean;
}

const MAX_THREADS = 256;

/** `--flag VALUE` or `--flag=VALUE` at args[i]: the value and how many arguments it used, or undefined. */
function valueFlag(args: readonly string[], i: number, flag: string): [string, number] | undefined {
  const arg = args[i];
  if (arg === flag) {
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return [value, 2];
  }
  return arg.startsWith(`${flag}=`) ? [arg.slice(flag.length + 1), 1] : undefined;
}

function parseArgs(args: readonly string[]): CheckOptions | 'help' {
  const options: CheckOptions = { policy: {}, format: 'text', paths: [], noCache: false, trace: false };
  let formatGiven = false;
  for (let i = 0; i < args.length;) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--') {
      options.paths.push(...args.slice(i + 1));
      break;
    }
    const used = readPolicyFlag(args, i, options.policy);
    if (used) {
      i += used;
      continue;
    }
    if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg === '--format' ? args[i + 1] : arg.slice('--format='.length);
      if (value === undefined) throw new UsageError('--format needs a value: text, json or sarif');
      if (formatGiven) throw new UsageError('--format given twice');
      if (!(OUTPUT_FORMATS as readonly string[]).includes(value)) {
        throw new UsageError(
          `--format: "${value}" is not a format; expected one of ${OUTPUT_FORMATS.join(', ')}`,
        );
      }
      options.format = value as OutputFormat;
      formatGiven = true;
      i += arg === '--format' ? 2 : 1;
      continue;
    }
    const threads = valueFlag(args, i, '--threads');
    if (threads) {
      if (options.threads !== undefined) throw new UsageError('--threads given twice');
      const n = Number(threads[0]);
      if (!/^\d+$/.test(threads[0]) || n < 1 || n > MAX_THREADS)
        throw new UsageError(
          `--threads: "${threads[0]}" is not a thread count; expected 1 to ${MAX_THREADS}`,
        );
      options.threads = n;
      i += threads[1];
      continue;
    }
    const cacheDir = valueFlag(args, i, '--cache-dir');
    if (cacheDir) {
      if (options.cacheDir !== undefined) throw new UsageError('--cache-dir given twice');
      options.cacheDir = cacheDir[0];
      i += cacheDir[1];
      continue;
    }
    if (arg === '--no-cache') {
      options.noCache = true;
      i++;
      continue;
    }
    if (arg === '--trace') {
      options.trace = true;
      i++;
      continue;
    }
    if (arg.startsWith('-') && arg !== '-')
      throw new UsageError(`unknown option "${arg}" (see sandbox-policy check --help)`);
    options.paths.push(arg);
    i++;
  }
  if (options.paths.length === 0)
    throw new UsageError('check needs at least one PATH (a file or a directory)');
  if (options.noCache && options.cacheDir !== undefined)
    throw new UsageError('--cache-dir and --no-cache contradict each other: give one');
  // A cached verdict has no trace, and workers would interleave theirs: traced files are analysed here.
  if (options.trace && (options.cacheDir !== undefined || (options.threads ?? 1) > 1))
    throw new UsageError(
      '--trace analyses every file on one thread without the cache: drop --threads/--cache-dir',
    );
  return options;
}

function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

/**
 * displayPath for many files under one `cwd`: a file below a normalized POSIX `cwd` is sliced, without
 * path.relative's normalizing of both paths for each file (the files are normalized absolute paths).
 */
function displayPaths(cwd: string): (file: string) => string {
  const prefix = cwd.endsWith('/') ? cwd : `${cwd}/`;
  const sliceable = path.sep === '/' && path.isAbsolute(cwd) && path.normalize(prefix) === prefix;
  return (file) =>
    sliceable && file.length > prefix.length && file.startsWith(prefix)
      ? file.slice(prefix.length)
      : displayPath(file, cwd);
}

function toolVersion(): string {
  for (let dir = __dirname, i = 0; i < 5; dir = path.dirname(dir), i++) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'sandbox-policy' && manifest.version) return manifest.version;
    } catch {
      // keep looking upwards
    }
  }
  return '0.0.0';
}

/** The cache this run reads (nothing is created until it writes), or undefined with --no-cache or --trace. */
function openCache(options: CheckOptions, input: unknown, io: CliIO): ResultCache | undefined {
  if (options.noCache || options.trace) return undefined;
  const dir =
    options.cacheDir !== undefined ? path.resolve(io.cwd, options.cacheDir) : defaultCacheDir(io.cwd);
  return new ResultCache(cacheLocation(dir, input));
}

/** Creates the cache's directory before the run stores verdicts; undefined (said on stderr) if it cannot. */
function writableCache(cache: ResultCache | undefined, io: CliIO): ResultCache | undefined {
  if (!cache) return undefined;
  try {
    createCacheDir(cache.dir);
    return cache;
  } catch (error) {
    io.stderr(
      `sandbox-policy: warning: no result cache (${cache.dir}: ${
        (error as NodeJS.ErrnoException).code ?? String(error)
      }); every file is analysed\n`,
    );
    return undefined;
  }
}

/** The file's stat, or undefined if it cannot be had (the engine side reports why it cannot be read). */
function statOf(file: string): FileStat | undefined {
  try {
    return fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/**
 * The cached verdict of a file: by its stat stamp without reading it, else by the hash of its bytes (the stamp
 * is then stored for the next run); undefined on a miss, or for a file that cannot be read (the engine side
 * says why).
 */
function cachedVerdict(
  cache: ResultCache,
  target: CheckTarget,
  stat: FileStat | undefined,
  reader: ReusedBuffer,
): FileVerdict | undefined {
  if (stat) {
    const byStat = cache.verdictByStat(target.file, stat);
    if (byStat) return byStat;
  }
  let bytes: Buffer;
  try {
    bytes = reader.read(target.file);
  } catch {
    return undefined;
  }
  const key = cacheKey(bytes, target);
  const verdict = cache.get(key);
  if (verdict && stat) cache.stamp(target.file, stat, key);
  return verdict;
}

/**
 * Verdicts for `targets`, in their order. The main thread answers what the cache knows first (no engine, no
 * grammar, no worker is loaded for a file the cache knows); what is left goes to the worker pool (`pool`, if
 * one was started before the walk, else one started now), or is checked here with one thread or one file.
 */
async function checkTargets(
  targets: readonly CheckTarget[],
  threads: number,
  /** The policy: the one stored in the cache may serve a run that analyses nothing; an analysis resolves it. */
  policyOf: (forAnalysis: boolean) => ResolvedPolicy,
  cache: ResultCache | undefined,
  pool: CheckPool | undefined,
  signal: AbortSignal,
  /** Called before a file is checked on this thread (the trace names it). */
  onFile?: (target: CheckTarget) => void,
): Promise<{ verdicts: Array<FileVerdict | undefined>; policy: ResolvedPolicy }> {
  const verdicts: Array<FileVerdict | undefined> = new Array(targets.length);
  const missing: number[] = [];
  const cold = !cache?.hasEntries();
  const reader = new ReusedBuffer();
  // Each stat is taken before the file's bytes are read (here or by the engine), so that a stamp stored
  // with a hash never describes older bytes than the hash does.
  const stats: Array<FileStat | undefined> = new Array(targets.length);
  cache?.startReading();
  targets.forEach((target, index) => {
    if (cache) stats[index] = statOf(target.file);
    const hit = cold || signal.aborted ? undefined : cachedVerdict(cache!, target, stats[index], reader);
    if (hit) verdicts[index] = hit;
    else missing.push(index);
  });
  const store = (index: number, checked: KeyedVerdict | undefined): void => {
    if (!checked) return;
    verdicts[index] = checked.verdict;
    if (!checked.key) return;
    cache!.set(checked.key, checked.verdict);
    const stat = stats[index];
    if (stat) cache!.stamp(targets[index].file, stat, checked.key);
  };
  const policy = policyOf(missing.length > 0);
  const options = { policy, cacheKeys: cache !== undefined };
  if (missing.length > 0 && (pool || Math.min(threads, missing.length) > 1)) {
    pool ??= new CheckPool(Math.min(threads, missing.length), options, signal);
    const found = await pool.run(missing.map((index) => targets[index]));
    missing.forEach((index, i) => store(index, found[i]));
  } else if (missing.length > 0) {
    const checker = new (loadCheckEngine().FileChecker)(options);
    try {
      for (const index of missing) {
        if (signal.aborted) break;
        onFile?.(targets[index]);
        store(index, await checker.check(targets[index]));
      }
    } finally {
      await checker.dispose();
    }
  }
  cache?.save(policy);
  return { verdicts, policy };
}

/** True when a path names a directory: a walk that will most likely find more than one file. */
function isDirectory(given: string, cwd: string): boolean {
  try {
    return fs.statSync(path.resolve(cwd, given)).isDirectory();
  } catch {
    return false;
  }
}

export async function runCheckCommand(args: string[], io: CliIO): Promise<number> {
  const options = parseArgs(args);
  if (options === 'help') {
    io.stdout(CHECK_USAGE);
    return EXIT_OK;
  }
  const input = policyInput(options.policy, io.cwd);
  const threads = options.trace ? 1 : (options.threads ?? os.availableParallelism());
  let cache = openCache(options, input, io);
  // A warm cache holds the policy it was written with; otherwise (or if it is not whole) the schema resolves
  // it now, so that a configuration error exits 2 before anything is walked.
  const stored = cache?.storedPolicy();
  let resolved = stored ? undefined : resolvePolicyInput(input, options.policy);
  const policyOf = (forAnalysis: boolean): ResolvedPolicy =>
    (!forAnalysis && stored) || (resolved ??= resolvePolicyInput(input, options.policy));
  // A cold run over a directory: the workers load their grammars while this thread walks the tree.
  let pool =
    threads > 1 && !cache?.hasEntries() && options.paths.some((given) => isDirectory(given, io.cwd))
      ? new CheckPool(threads, { policy: policyOf(true), cacheKeys: cache !== undefined }, io.signal)
      : undefined;
  let checked: Awaited<ReturnType<typeof checkTargets>>;
  let walked: ReturnType<typeof collectTargets>;
  const trace = options.trace ? loadCheckEngine().routeTrace : undefined;
  try {
    walked = collectTargets(options.paths, io.cwd);
    if (walked.targets.length === 0) {
      throw new UsageError(
        `no checkable file found under ${options.paths.join(', ')}: ${describeExclusions(walked.excluded)}. ` +
          'Name the files or a directory holding .py, .js, .mjs, .cjs or .ts files (a named path is checked even if ignored)',
      );
    }
    cache = writableCache(cache, io);
    trace?.(io.stderr);
    checked = await checkTargets(
      walked.targets,
      threads,
      policyOf,
      cache,
      pool,
      io.signal,
      options.trace
        ? (target) => io.stderr(`sandbox-policy trace: file ${displayPath(target.file, io.cwd)}\n`)
        : undefined,
    );
    pool = undefined;
  } finally {
    pool?.close();
    trace?.(undefined);
  }
  const { targets, skipped } = walked;
  const { verdicts, policy } = checked;
  const report: CheckReport = {
    policy,
    files: [],
    skipped: skipped.map((s) => ({ ...s, path: displayPath(s.file, io.cwd) })),
  };
  const display = displayPaths(io.cwd);
  targets.forEach((target, index) => {
    const verdict = verdicts[index];
    if (verdict) report.files.push({ path: display(target.file), ...verdict });
  });
  if (options.format === 'json') for (const chunk of formatJson(report)) io.stdout(chunk);
  else if (options.format === 'sarif')
    io.stdout(formatSarif(report, toolVersion(), `${pathToFileURL(io.cwd).href}/`));
  else {
    const text = formatText(report);
    io.stdout(text.stdout);
    if (text.stderr) io.stderr(text.stderr);
  }
  const unsafe = report.files.some((file) => !file.safe) || report.skipped.length > 0;
  return unsafe ? EXIT_FAILURE : EXIT_OK;
}
