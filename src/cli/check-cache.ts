// The result cache of `sandbox-policy check`, like Ruff's: one small JSON entry per file verdict, keyed by
// the file's bytes and grammar, under a namespace that hashes the engine (its code and grammars) and the
// effective policy, so a changed policy or engine misses everything. Entries are written to a temporary
// file and renamed into place (atomic on one file system), so overlapping runs never see half an entry; an
// entry that does not parse or validate is ignored and rewritten. Never used by the run gate.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { grammarWasm, treeSitterRuntimeWasm } from '../assets';
import { SEVERITIES, type Finding, type Position, type ResolvedPolicy } from '../policy';
import type { FileVerdict } from './check-one';

export const CACHE_DIR_NAME = '.sandbox-policy-cache';
const FORMAT = 'v1';

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
function storedVerdict(value: unknown, key: string): FileVerdict | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as { key?: unknown; verdict?: Partial<FileVerdict> };
  const verdict = entry.verdict;
  if (entry.key !== key || typeof verdict !== 'object' || verdict === null) return undefined;
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
 * than a warm run's lookups). From a bundle (dist/) the bundles hold the whole engine; from the transpiled
 * tree (out/, tests) the policy sources do.
 */
export function engineFingerprint(): string {
  const policyDir = path.join(__dirname, '..', 'policy');
  const notebookDir = path.join(__dirname, '..', 'notebook');
  const code = fs.existsSync(policyDir)
    ? [...listJs(policyDir), ...(fs.existsSync(notebookDir) ? listJs(notebookDir) : [])]
    : [__filename, path.join(__dirname, 'check-worker.js')].filter((file) => fs.existsSync(file));
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

/** Creates the cache directory (with a `.gitignore` of `*` and a CACHEDIR.TAG, as Ruff does) for this engine and policy. */
export function prepareCache(
  dir: string,
  policy: ResolvedPolicy,
  engine = engineFingerprint(),
): CacheLocation {
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, '.gitignore')))
    writeAtomic(path.join(dir, '.gitignore'), '# Automatically created by sandbox-policy.\n*\n');
  if (!fs.existsSync(path.join(dir, 'CACHEDIR.TAG')))
    writeAtomic(
      path.join(dir, 'CACHEDIR.TAG'),
      'Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by sandbox-policy.\n',
    );
  const namespace = sha256(FORMAT, '\0', engine, '\0', JSON.stringify(policy)).slice(0, 32);
  return { dir, namespace };
}

export class ResultCache {
  private readonly root: string;
  private readonly made = new Set<string>();
  /** Set after a write failed (read-only or full disk): the run goes on without storing. */
  private writesFailed = false;

  constructor(location: CacheLocation) {
    this.root = path.join(location.dir, `${FORMAT}-${location.namespace}`);
  }

  /** False while nothing has been stored for this engine and policy (a cold run need not look anything up). */
  hasEntries(): boolean {
    return fs.existsSync(this.root);
  }

  /** The key of a file's verdict: its exact bytes and the grammar it is parsed with. */
  key(bytes: Uint8Array, grammar: string): string {
    return sha256(grammar, '\0', bytes);
  }

  entryPath(key: string): string {
    return path.join(this.root, key.slice(0, 2), `${key}.json`);
  }

  /** The stored verdict, or undefined when there is none or it is corrupt (the caller rewrites it). */
  get(key: string): FileVerdict | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.entryPath(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      return storedVerdict(JSON.parse(text), key);
    } catch {
      return undefined;
    }
  }

  set(key: string, verdict: FileVerdict): void {
    if (this.writesFailed) return;
    const file = this.entryPath(key);
    try {
      const dir = path.dirname(file);
      if (!this.made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        this.made.add(dir);
      }
      writeAtomic(file, JSON.stringify({ key, verdict }));
    } catch {
      this.writesFailed = true;
    }
  }
}
