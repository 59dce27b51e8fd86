// The result cache of `sandbox-policy check`, like Ruff's: one pack file per engine and policy (its name hashes
// the engine's code and grammars and the policy input: the config file's object and the flags, which the
// engine resolves to one effective policy, so a changed policy or engine misses everything), mapping the hash
// of a file's bytes and grammar to its verdict, and holding the resolved policy (a warm run needs neither the
// engine nor the policy schema). One file read answers a whole warm run; it is
// written to a temporary file and renamed into place (atomic on one file system), merged with what another
// run wrote meanwhile, so overlapping runs never see half a pack. A pack that does not parse, or an entry that
// does not validate, is ignored and rewritten. Entries unused for a week are dropped, as Ruff does. Never
// used by the run gate.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { grammarWasm, treeSitterRuntimeWasm } from '../assets';
import type { ResolvedPolicy } from '../policy/config';
import { grammarFor } from '../policy/language';
import { isPresetName } from '../policy/presets';
import { SEVERITIES, type Finding, type Position } from '../policy/types';
import type { CheckTarget } from './check-files';
import type { FileVerdict } from './check-verdict';

export const CACHE_DIR_NAME = '.sandbox-policy-cache';
const FORMAT = 'v2';
/** Entries no run has used for this many days are dropped when the pack is next written. */
export const MAX_UNUSED_DAYS = 7;
const DAY_MS = 86_400_000;

const SEVERITY_SET = new Set<string>(SEVERITIES);

const isBool = (value: unknown): value is boolean => typeof value === 'boolean';
const isCount = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 0;
const isPosition = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  isCount((value as Position).line) &&
  isCount((value as Position).column);

function isFinding(value: unknown): value is Finding {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Finding & { cell?: unknown };
  return (
    typeof f.ruleId === 'string' &&
    SEVERITY_SET.has(f.severity) &&
    isBool(f.violation) &&
    isBool(f.suppressed) &&
    typeof f.message === 'string' &&
    typeof f.range === 'object' &&
    f.range !== null &&
    isPosition(f.range.start) &&
    isPosition(f.range.end) &&
    // A notebook's findings name their cell (src/notebook/analyze.ts).
    (!('cell' in f) || (Number.isInteger(f.cell) && (f.cell as number) >= 1))
  );
}

/** A stored verdict, checked by hand (a schema library costs more than the analysis saved on a warm run). */
function storedVerdict(verdict: Partial<FileVerdict> | undefined): FileVerdict | undefined {
  if (typeof verdict !== 'object' || verdict === null) return undefined;
  if (!isBool(verdict.safe) || !isBool(verdict.syntaxErrors) || !isBool(verdict.truncated)) return undefined;
  if (!Array.isArray(verdict.findings) || !verdict.findings.every(isFinding)) return undefined;
  return verdict as FileVerdict;
}

function sha256(...parts: Array<string | Uint8Array>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

function listJs(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listJs(full));
    else if (entry.name.endsWith('.js')) out.push(full);
  }
  return out.sort();
}

/**
 * A fingerprint of the engine that produces verdicts: its code and the grammars it loads, by path, size and
 * modification time (every build rewrites them; reading megabytes of bundles on each run would cost more
 * than a warm run's lookups). From a bundle (dist/) the CLI's bundles hold the whole engine (cli-engine.js
 * analyses on the main thread, check-worker.js in the pool, cli-policy.js resolves the policy); from the transpiled tree (out/, tests) the policy
 * sources do.
 */
export function engineFingerprint(): string {
  const policyDir = path.join(__dirname, '..', 'policy');
  const notebookDir = path.join(__dirname, '..', 'notebook');
  const code = fs.existsSync(policyDir)
    ? [...listJs(policyDir), ...(fs.existsSync(notebookDir) ? listJs(notebookDir) : [])]
    : [
        __filename,
        ...['cli-engine.js', 'cli-policy.js', 'check-worker.js'].map((name) => path.join(__dirname, name)),
      ].filter((file) => fs.existsSync(file));
  const files = [
    ...code,
    treeSitterRuntimeWasm(),
    ...(['python', 'javascript', 'typescript', 'tsx'] as const).map(grammarWasm),
  ];
  const hash = createHash('sha256');
  for (const file of files) {
    const stat = fs.statSync(file);
    hash.update(`${file}\0${stat.size}\0${stat.mtimeMs}\0`);
  }
  return hash.digest('hex');
}

/** The cache's default place: the project root (the nearest ancestor holding .git), else the working directory. */
export function defaultCacheDir(cwd: string): string {
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return path.join(dir, CACHE_DIR_NAME);
    if (path.dirname(dir) === dir) return path.join(cwd, CACHE_DIR_NAME);
  }
}

/** Writes `content` to `file` atomically: a private temporary file renamed over the target. */
function writeAtomic(file: string, content: string): void {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(temp, content);
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

export interface CacheLocation {
  dir: string;
  /** Hash of the engine and the effective policy: entries of another engine or policy are never read. */
  namespace: string;
}

/**
 * Where this engine and policy's verdicts are cached under `dir` (nothing is created yet). `policyInput` is
 * what the engine resolves the policy from (src/cli/policy-options.ts), so that a warm run need not load the
 * schema to know its namespace.
 */
export function cacheLocation(
  dir: string,
  policyInput: unknown,
  engine = engineFingerprint(),
): CacheLocation {
  return { dir, namespace: sha256(FORMAT, '\0', engine, '\0', JSON.stringify(policyInput)).slice(0, 32) };
}

/** Creates the cache directory, with a `.gitignore` of `*` and a CACHEDIR.TAG, as Ruff does. */
export function createCacheDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, '.gitignore')))
    writeAtomic(path.join(dir, '.gitignore'), '# Automatically created by sandbox-policy.\n*\n');
  if (!fs.existsSync(path.join(dir, 'CACHEDIR.TAG')))
    writeAtomic(
      path.join(dir, 'CACHEDIR.TAG'),
      'Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by sandbox-policy.\n',
    );
}

/** The cache directory, created, for this engine and policy. */
export function prepareCache(dir: string, policyInput: unknown, engine = engineFingerprint()): CacheLocation {
  createCacheDir(dir);
  return cacheLocation(dir, policyInput, engine);
}

/** A pack's entry: a verdict and the day (since 1970) a run last used it. */
interface PackEntry {
  seen: number;
  verdict: FileVerdict;
}

type Entries = Record<string, PackEntry | undefined>;

interface Pack {
  entries: Entries;
  policy?: unknown;
}

/** The pack at `file`: empty when there is none or it is not a pack (a corrupt one is rewritten). */
function readPack(file: string): Pack {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { entries: {} };
  }
  try {
    const pack = JSON.parse(text) as { format?: unknown; entries?: unknown; policy?: unknown };
    if (pack.format !== FORMAT || typeof pack.entries !== 'object' || pack.entries === null)
      return { entries: {} };
    // Entries are validated when used (get), not here: a warm run validates each once anyway.
    return { entries: Object.assign(Object.create(null) as Entries, pack.entries), policy: pack.policy };
  } catch {
    return { entries: {} };
  }
}

/** A stored policy as resolvePolicy makes it, as far as the report reads it; else undefined. */
function storedPolicy(value: unknown): ResolvedPolicy | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const policy = value as Partial<ResolvedPolicy>;
  if (typeof policy.preset !== 'string' || !isPresetName(policy.preset)) return undefined;
  if (!SEVERITY_SET.has(policy.threshold as string)) return undefined;
  if (typeof policy.rules !== 'object' || policy.rules === null) return undefined;
  if (!Array.isArray(policy.restrictedModules) || !Array.isArray(policy.allowedModules)) return undefined;
  if (!Array.isArray(policy.customPatterns)) return undefined;
  return policy as ResolvedPolicy;
}

/** The cache key of a file's bytes: the exact bytes and the grammar they are parsed with (`ipynb` for a notebook). */
export function cacheKey(bytes: Uint8Array, target: CheckTarget): string {
  return sha256(target.notebook ? 'ipynb' : grammarFor(target.language, target.file), '\0', bytes);
}

export class ResultCache {
  readonly dir: string;
  readonly packPath: string;
  private pack: Pack | undefined;
  /** True once this run has stored a verdict or refreshed an entry's day: the pack is written by save(). */
  private dirty = false;
  private readonly today: number;

  constructor(location: CacheLocation, now = Date.now()) {
    this.dir = location.dir;
    this.packPath = path.join(location.dir, `${FORMAT}-${location.namespace}.json`);
    this.today = Math.floor(now / DAY_MS);
  }

  private loaded(): Pack {
    this.pack ??= readPack(this.packPath);
    return this.pack;
  }

  /** False while nothing has been stored for this engine and policy (a cold run need not look anything up). */
  hasEntries(): boolean {
    return Object.keys(this.loaded().entries).length > 0;
  }

  /** The policy the pack was written with (resolved from the same input by the same engine), if it is whole. */
  storedPolicy(): ResolvedPolicy | undefined {
    return storedPolicy(this.loaded().policy);
  }

  /** The stored verdict, or undefined when there is none or it is corrupt (the caller analyses and sets it). */
  get(key: string): FileVerdict | undefined {
    const entry = this.loaded().entries[key];
    if (typeof entry !== 'object' || entry === null || !Number.isInteger(entry.seen)) return undefined;
    const verdict = storedVerdict(entry.verdict);
    if (verdict && entry.seen !== this.today) {
      entry.seen = this.today;
      this.dirty = true;
    }
    return verdict;
  }

  set(key: string, verdict: FileVerdict): void {
    this.loaded().entries[key] = { seen: this.today, verdict };
    this.dirty = true;
  }

  /**
   * Writes the pack, with `policy` (what this run resolved the input to), if this run changed it: merged over
   * what is on disk now (another run may have written since this one read it), without entries unused for
   * MAX_UNUSED_DAYS. A failed write (read-only or full disk) is not an error: the next run analyses again.
   */
  save(policy: ResolvedPolicy): void {
    if (!this.dirty) return;
    const merged = Object.assign(readPack(this.packPath).entries, this.loaded().entries);
    const entries: Entries = {};
    for (const key of Object.keys(merged)) {
      const entry = merged[key];
      if (entry && Number.isInteger(entry.seen) && this.today - entry.seen <= MAX_UNUSED_DAYS)
        entries[key] = entry;
    }
    try {
      writeAtomic(this.packPath, JSON.stringify({ format: FORMAT, policy, entries }));
      this.dirty = false;
    } catch {
      // the run's verdicts stand; only the cache is not updated
    }
  }
}
