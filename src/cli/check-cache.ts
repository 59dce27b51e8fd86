// The result cache of `sandbox-policy check`, like Ruff's: one pack file per engine and policy (its name hashes
// the engine's code and grammars and the policy input: the config file's object and the flags, which the
// engine resolves to one effective policy, so a changed policy or engine misses everything), mapping the hash
// of a file's bytes and grammar to its verdict, and holding the resolved policy (a warm run needs neither the
// engine nor the policy schema). Beside the hashes, each file's stat stamp (size, mtime, ctime, inode) as it
// was when its bytes were hashed, as git and Ruff keep one: a file whose stamp is unchanged is not read at
// all. A stamp is stored only if the file had not changed in the file system's clock tick in which this run
// started reading ("racily clean", as git calls it), so an edit in the same second is never missed. One file
// read answers a whole warm run; it is
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
import { SEVERITIES } from '../policy/types';
import { StringTable, decodeEntry, encodeEntry, type CacheEntry } from './check-cache-pack';
import type { CheckTarget } from './check-files';
import type { FileVerdict } from './check-verdict';

export const CACHE_DIR_NAME = '.sandbox-policy-cache';
const FORMAT = 'v3';
/**
 * A stamp is stored only for a file last changed this long before the run started reading: covers the
 * coarsest file system timestamps (FAT's 2 s) and a file system whose clock lags this machine's.
 */
export const RACY_MARGIN_MS = 2000;
/** Entries no run has used for this many days are dropped when the pack is next written. */
export const MAX_UNUSED_DAYS = 7;
const DAY_MS = 86_400_000;

const SEVERITY_SET = new Set<string>(SEVERITIES);

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

/** Entries as read: encoded (see check-cache-pack.ts), decoded on use with the pack's string table. */
type Entries = Record<string, unknown>;

/** A file's stat when its bytes were hashed, and their cache key: [size, mtimeMs, ctimeMs, ino, key]. */
type Stamp = [number, number, number, number, string];

/** Stamps by absolute path. */
type Stamps = Record<string, Stamp | undefined>;

interface Pack {
  strings: unknown[];
  entries: Entries;
  files: Stamps;
  policy?: unknown;
}

/** What a stamp compares: the fields a write, a truncation or a replacement (rename over) changes. */
export type FileStat = Pick<fs.Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>;

const empty = (): Pack => ({
  strings: [],
  entries: Object.create(null) as Entries,
  files: Object.create(null) as Stamps,
});

/** The pack at `file`: empty when there is none or it is not a pack (a corrupt one is rewritten). */
function readPack(file: string): Pack {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return empty();
  }
  try {
    const pack = JSON.parse(text) as Partial<Record<keyof Pack | 'format', unknown>>;
    if (pack.format !== FORMAT || typeof pack.entries !== 'object' || pack.entries === null) return empty();
    // Entries and stamps are validated when used (get, verdictByStat), not here: a warm run uses each once.
    const read = empty();
    if (Array.isArray(pack.strings)) read.strings = pack.strings as unknown[];
    Object.assign(read.entries, pack.entries);
    if (typeof pack.files === 'object' && pack.files !== null) Object.assign(read.files, pack.files);
    read.policy = pack.policy;
    return read;
  } catch {
    return empty();
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
  /** Entries decoded (a hit) or set by this run, by key: they override the pack's. */
  private readonly fresh = new Map<string, CacheEntry>();
  /** True once this run has stored a verdict or refreshed an entry's day: the pack is written by save(). */
  private dirty = false;
  private readonly today: number;
  /** Stamps of files changed at or after this time (ms, see startReading) are not stored; none before it is set. */
  private racyFrom = -Infinity;

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
    let entry = this.fresh.get(key);
    if (!entry) {
      const pack = this.loaded();
      entry = decodeEntry(pack.entries[key], pack.strings);
      if (!entry) return undefined;
      this.fresh.set(key, entry);
    }
    if (entry.seen !== this.today) {
      entry.seen = this.today;
      this.dirty = true;
    }
    return entry.verdict;
  }

  set(key: string, verdict: FileVerdict): void {
    this.fresh.set(key, { seen: this.today, verdict });
    this.dirty = true;
  }

  /**
   * Call before this run reads any file it checks: samples the file system's clock (a file created in the
   * cache directory, the project root's file system by default: source files are stamped by that clock, not
   * by this machine's) and this machine's, the earlier of the two. A file changed less than RACY_MARGIN_MS
   * before it may change again within the same timestamp without its stamp showing it, so its stamp is not
   * stored (the next run reads and hashes it again, and stores it then). `now` is for tests.
   */
  startReading(now?: number): void {
    if (now !== undefined) {
      this.racyFrom = now - RACY_MARGIN_MS;
      return;
    }
    const probe = path.join(this.dir, `clock.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const before = Date.now();
    try {
      const fd = fs.openSync(probe, 'wx');
      try {
        this.racyFrom = Math.min(before, fs.fstatSync(fd).mtimeMs) - RACY_MARGIN_MS;
      } finally {
        fs.closeSync(fd);
        fs.rmSync(probe, { force: true });
      }
    } catch {
      // No clock to trust (a read-only cache directory writes nothing anyway): no stamp is stored.
      this.racyFrom = -Infinity;
    }
  }

  /** The verdict of a file whose stat matches the stamp stored when its bytes were hashed; else undefined. */
  verdictByStat(file: string, stat: FileStat): FileVerdict | undefined {
    const stamp = this.loaded().files[file];
    if (
      !Array.isArray(stamp) ||
      stamp[0] !== stat.size ||
      stamp[1] !== stat.mtimeMs ||
      stamp[2] !== stat.ctimeMs ||
      stamp[3] !== stat.ino ||
      typeof stamp[4] !== 'string'
    )
      return undefined;
    return this.get(stamp[4]);
  }

  /**
   * Records that `file`, with `stat` taken before its bytes were read, hashed to `key`; unless it changed too
   * recently to trust its stamp (see startReading).
   */
  stamp(file: string, stat: FileStat, key: string): void {
    if (Math.max(stat.mtimeMs, stat.ctimeMs) >= this.racyFrom) return;
    const files = this.loaded().files;
    const old = files[file];
    if (
      Array.isArray(old) &&
      old[0] === stat.size &&
      old[1] === stat.mtimeMs &&
      old[2] === stat.ctimeMs &&
      old[3] === stat.ino &&
      old[4] === key
    )
      return;
    files[file] = [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, key];
    this.dirty = true;
  }

  /**
   * Writes the pack, with `policy` (what this run resolved the input to), if this run changed it: merged over
   * what is on disk now (another run may have written since this one read it), without entries unused for
   * MAX_UNUSED_DAYS. A failed write (read-only or full disk) is not an error: the next run analyses again.
   */
  save(policy: ResolvedPolicy): void {
    if (!this.dirty) return;
    const disk = readPack(this.packPath);
    const mine = this.loaded();
    // Each pack has its own string table: entries are decoded and encoded again with one new table.
    const merged = new Map<string, CacheEntry>();
    const addPack = (pack: Pack): void => {
      for (const key of Object.keys(pack.entries)) {
        if (this.fresh.has(key)) continue;
        const entry = decodeEntry(pack.entries[key], pack.strings);
        if (entry) merged.set(key, entry);
      }
    };
    addPack(disk);
    addPack(mine);
    for (const [key, entry] of this.fresh) merged.set(key, entry);
    const table = new StringTable();
    const entries: Record<string, unknown> = {};
    for (const [key, entry] of merged)
      if (this.today - entry.seen <= MAX_UNUSED_DAYS) entries[key] = encodeEntry(entry, table);
    const stamps = Object.assign(disk.files, mine.files);
    const files: Stamps = {};
    for (const file of Object.keys(stamps)) {
      const stamp = stamps[file];
      if (Array.isArray(stamp) && typeof stamp[4] === 'string' && entries[stamp[4]]) files[file] = stamp;
    }
    try {
      writeAtomic(
        this.packPath,
        JSON.stringify({ format: FORMAT, policy, strings: table.strings, entries, files }),
      );
      this.dirty = false;
    } catch {
      // the run's verdicts stand; only the cache is not updated
    }
  }
}
