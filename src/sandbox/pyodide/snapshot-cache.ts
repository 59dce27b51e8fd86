// The memory snapshot of a freshly booted interpreter, kept on disk so that a new process (the CLI,
// the extension's first run after start-up) restores it instead of booting Pyodide from scratch.
//
// A cache file is only ever a copy of what a sandbox that never ran a program produced. It is used
// only if its sha-256 (kept beside it, in `sha256sum` format) matches and the key written inside it
// equals the key of the runtime that reads it: the Pyodide version and files, the hash of the jail's
// own code, the boot inputs and the Node runtime. Anything else (truncated, flipped, written by
// another version or for another key, unreadable) is deleted and rebuilt, never trusted. Files are
// written to a temporary name and renamed, so a reader never sees half a file.
//
// File: "SPSNAP01" | u32 big-endian header length | header JSON {key, bytes} | snapshot bytes
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const MAGIC = Buffer.from('SPSNAP01', 'latin1');
const FORMAT = 1;
const MAX_HEADER_BYTES = 64 * 1024;
/** Far above a real snapshot (~31 MB): a larger file is not one of ours. */
export const MAX_CACHED_SNAPSHOT_BYTES = 1024 * 1024 * 1024;
/** Snapshot files of other keys (older versions, other runtimes) are removed once unused this long. */
const STALE_AFTER_MS = 30 * 24 * 60 * 60 * 1000;
const FILE_PREFIX = 'pyodide-';
const SNAPSHOT_SUFFIX = '.snapshot';
const DIGEST_SUFFIX = '.sha256';

/** Everything a snapshot's bytes depend on. Two runtimes with equal keys can share one. */
export interface SnapshotKey {
  format: number;
  pyodideVersion: string;
  /** sha-256 over the names, sizes and modification times of Pyodide's runtime files. */
  pyodideFiles: string;
  /** sha-256 of the jail's own code: the worker script (and its modules when not bundled). */
  jail: string;
  /** The boot inputs of the sandbox that makes the snapshot. */
  boot: { memoryMb: number };
  /** The JavaScript runtime (Node or Electron's Node) and architecture. */
  runtime: string;
}

export type SnapshotLoad =
  | { snapshot: Uint8Array }
  | { missing: true }
  | { discarded: 'unreadable' | 'corrupt' | 'foreign' | 'stale'; detail: string };

/**
 * A cache file whose digest file and header say it is this key's snapshot, for a sandbox process that
 * reads it itself: it must check the whole file against `sha256` and `prefix` (verifySnapshotFile)
 * before it uses a byte of it, and report a mismatch so that the file is discarded.
 */
export interface SnapshotFileCheck {
  /** The sha-256 of the whole file, as the digest file beside it says. */
  sha256: string;
  /** Hex of the file's first bytes (magic, header length, header) as checked here. */
  prefix: string;
}

export interface SnapshotFileRef extends SnapshotFileCheck {
  path: string;
}

export type SnapshotLocation =
  { snapshotFile: SnapshotFileRef } | Exclude<SnapshotLoad, { snapshot: Uint8Array }>;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A stable text for a key (fixed field order), hashed into the file name. */
function keyText(key: SnapshotKey): string {
  return JSON.stringify([
    key.format,
    key.pyodideVersion,
    key.pyodideFiles,
    key.jail,
    key.boot.memoryMb,
    key.runtime,
  ]);
}

function isKey(value: unknown): value is SnapshotKey {
  if (typeof value !== 'object' || value === null) return false;
  const key = value as Record<string, unknown>;
  const boot = key.boot as Record<string, unknown> | undefined;
  return (
    typeof key.format === 'number' &&
    typeof key.pyodideVersion === 'string' &&
    typeof key.pyodideFiles === 'string' &&
    typeof key.jail === 'string' &&
    typeof boot === 'object' &&
    boot !== null &&
    typeof boot.memoryMb === 'number' &&
    typeof key.runtime === 'string'
  );
}

export class SnapshotCache {
  /** The snapshot file; its digest is `${file}.sha256`. */
  readonly file: string;
  readonly digestFile: string;

  constructor(
    readonly dir: string,
    readonly key: SnapshotKey,
  ) {
    const version = key.pyodideVersion.replace(/[^A-Za-z0-9.]/g, '_').slice(0, 32);
    const id = createHash('sha256').update(keyText(key)).digest('hex').slice(0, 24);
    this.file = path.join(dir, `${FILE_PREFIX}${version}-${id}${SNAPSHOT_SUFFIX}`);
    this.digestFile = `${this.file}${DIGEST_SUFFIX}`;
  }

  /** The cached snapshot if it is intact and was made for this key; otherwise deletes what is there. */
  async load(): Promise<SnapshotLoad> {
    let expected: string;
    let bytes: Buffer;
    try {
      const digestText = await fs.promises.readFile(this.digestFile, 'latin1').catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      });
      const snapshotExists = fs.existsSync(this.file);
      if (digestText === undefined) {
        if (!snapshotExists) return { missing: true };
        return this.discard('corrupt', 'the snapshot has no sha-256 file beside it');
      }
      const match = /^([0-9a-f]{64}) [ *]/.exec(digestText);
      if (!match) return this.discard('corrupt', 'the sha-256 file is not in sha256sum format');
      expected = match[1];
      const size = (await fs.promises.stat(this.file)).size;
      if (size > MAX_CACHED_SNAPSHOT_BYTES) return this.discard('corrupt', `the file has ${size} bytes`);
      bytes = await fs.promises.readFile(this.file);
    } catch (error) {
      return this.discard('unreadable', (error as NodeJS.ErrnoException).code ?? 'cannot read the cache');
    }
    if (sha256(bytes) !== expected) return this.discard('corrupt', 'the sha-256 does not match');
    const parsed = parseSnapshotFile(bytes);
    if (typeof parsed === 'string') return this.discard('corrupt', parsed);
    const mismatch = this.keyMismatch(parsed.key);
    if (mismatch) return this.discard(mismatch, 'the snapshot was made for another runtime');
    // Best effort: marks the file as in use, so that pruning by other keys' writers leaves it alone.
    const now = new Date();
    await fs.promises.utimes(this.file, now, now).catch(() => {});
    return { snapshot: parsed.snapshot };
  }

  /**
   * Like load(), but reads only the digest file and the snapshot's header: the sandbox process reads
   * the file and checks its sha-256 itself (so the 31 MB are read once, in the process that uses them,
   * instead of being read, hashed and piped here). A mismatch found there comes back to discard().
   */
  async locate(): Promise<SnapshotLocation> {
    let expected: string;
    let head: Buffer;
    let size: number;
    try {
      const digestText = await fs.promises.readFile(this.digestFile, 'latin1').catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      });
      if (digestText === undefined) {
        if (!fs.existsSync(this.file)) return { missing: true };
        return this.discard('corrupt', 'the snapshot has no sha-256 file beside it');
      }
      const match = /^([0-9a-f]{64}) [ *]/.exec(digestText);
      if (!match) return this.discard('corrupt', 'the sha-256 file is not in sha256sum format');
      expected = match[1];
      const handle = await fs.promises.open(this.file, 'r');
      try {
        size = (await handle.stat()).size;
        head = Buffer.alloc(Math.min(size, MAGIC.length + 4 + MAX_HEADER_BYTES));
        const { bytesRead } = await handle.read(head, 0, head.length, 0);
        head = head.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    } catch (error) {
      return this.discard('unreadable', (error as NodeJS.ErrnoException).code ?? 'cannot read the cache');
    }
    if (size > MAX_CACHED_SNAPSHOT_BYTES) return this.discard('corrupt', `the file has ${size} bytes`);
    const parsed = parseSnapshotHeader(head, size);
    if (typeof parsed === 'string') return this.discard('corrupt', parsed);
    const mismatch = this.keyMismatch(parsed.key);
    if (mismatch) return this.discard(mismatch, 'the snapshot was made for another runtime');
    const now = new Date();
    await fs.promises.utimes(this.file, now, now).catch(() => {});
    return {
      snapshotFile: {
        path: this.file,
        sha256: expected,
        prefix: head.subarray(0, parsed.offset).toString('hex'),
      },
    };
  }

  /** Deletes the snapshot and its digest: a sandbox process found that they do not match. */
  reject(detail: string): Promise<SnapshotLoad> {
    return this.discard('corrupt', detail);
  }

  private keyMismatch(key: SnapshotKey): 'stale' | 'foreign' | undefined {
    if (keyText(key) === keyText(this.key)) return undefined;
    const stale =
      key.pyodideVersion !== this.key.pyodideVersion ||
      key.format !== this.key.format ||
      key.jail !== this.key.jail;
    return stale ? 'stale' : 'foreign';
  }

  /** Writes the snapshot and its digest atomically (temporary file + rename); prunes stale ones. */
  async save(snapshot: Uint8Array): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const contents = encodeSnapshotFile(this.key, snapshot);
    await writeAtomically(this.file, contents);
    await writeAtomically(this.digestFile, Buffer.from(`${sha256(contents)}  ${path.basename(this.file)}\n`));
    await this.pruneStale();
  }

  private async discard(
    reason: 'unreadable' | 'corrupt' | 'foreign' | 'stale',
    detail: string,
  ): Promise<{ discarded: 'unreadable' | 'corrupt' | 'foreign' | 'stale'; detail: string }> {
    await Promise.all(
      [this.file, this.digestFile].map((file) => fs.promises.rm(file, { force: true })),
    ).catch(() => {});
    return { discarded: reason, detail };
  }

  /** Removes snapshots of other keys unused for a month, and temporary files left by a crash. */
  private async pruneStale(): Promise<void> {
    const names = await fs.promises.readdir(this.dir).catch(() => [] as string[]);
    const own = new Set([path.basename(this.file), path.basename(this.digestFile)]);
    const cutoff = Date.now() - STALE_AFTER_MS;
    for (const name of names) {
      if (!name.startsWith(FILE_PREFIX) || own.has(name)) continue;
      const file = path.join(this.dir, name);
      const temporary = name.endsWith('.tmp');
      try {
        const { mtimeMs } = await fs.promises.stat(file);
        if (mtimeMs < (temporary ? Date.now() - 60 * 60 * 1000 : cutoff))
          await fs.promises.rm(file, { force: true });
      } catch {
        // another process pruned it first
      }
    }
  }
}

export function encodeSnapshotFile(key: SnapshotKey, snapshot: Uint8Array): Buffer {
  const header = Buffer.from(JSON.stringify({ key, bytes: snapshot.length }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.length, 0);
  return Buffer.concat([MAGIC, length, header, snapshot]);
}

/**
 * The key in a cache file's header and where its snapshot starts, from the file's first bytes and its
 * total size; or what is wrong with it.
 */
export function parseSnapshotHeader(
  head: Buffer,
  fileSize: number,
): { key: SnapshotKey; offset: number } | string {
  if (head.length < MAGIC.length + 4 || !head.subarray(0, MAGIC.length).equals(MAGIC)) {
    return 'not a Sandbox Policy snapshot file';
  }
  const headerLength = head.readUInt32BE(MAGIC.length);
  const start = MAGIC.length + 4;
  if (headerLength > MAX_HEADER_BYTES || start + headerLength > head.length) return 'the header is cut off';
  let header: unknown;
  try {
    header = JSON.parse(head.subarray(start, start + headerLength).toString('utf8'));
  } catch {
    return 'the header is not JSON';
  }
  const { key, bytes: size } = (header ?? {}) as { key?: unknown; bytes?: unknown };
  if (!isKey(key)) return 'the header has no valid key';
  const snapshotBytes = fileSize - start - headerLength;
  if (size !== snapshotBytes)
    return `the snapshot has ${snapshotBytes} bytes, the header says ${String(size)}`;
  return { key, offset: start + headerLength };
}

/** The key and snapshot of a cache file, or what is wrong with it. */
export function parseSnapshotFile(bytes: Buffer): { key: SnapshotKey; snapshot: Uint8Array } | string {
  const parsed = parseSnapshotHeader(bytes, bytes.length);
  if (typeof parsed === 'string') return parsed;
  const snapshot = bytes.subarray(parsed.offset);
  return { key: parsed.key, snapshot: new Uint8Array(snapshot.buffer, snapshot.byteOffset, snapshot.length) };
}

/**
 * The sandbox process's check of a cache file it read itself (SnapshotFileRef): the whole file has the
 * sha-256 the host read from the digest file, and begins with the header the host checked. Returns
 * the snapshot (a view into `bytes`) or what is wrong.
 */
export function verifySnapshotFile(bytes: Buffer, ref: SnapshotFileCheck): Uint8Array | string {
  if (sha256(bytes) !== ref.sha256) return 'the sha-256 does not match';
  const prefix = Buffer.from(ref.prefix, 'hex');
  if (prefix.length === 0 || !bytes.subarray(0, prefix.length).equals(prefix))
    return 'the header is not the one that was checked';
  const parsed = parseSnapshotHeader(bytes, bytes.length);
  if (typeof parsed === 'string') return parsed;
  if (parsed.offset !== prefix.length) return 'the header is not the one that was checked';
  return new Uint8Array(bytes.buffer, bytes.byteOffset + parsed.offset, bytes.length - parsed.offset);
}

async function writeAtomically(file: string, contents: Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await fs.promises.open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(contents);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temporary, file);
  } catch (error) {
    await fs.promises.rm(temporary, { force: true }).catch(() => {});
    throw error;
  }
}

/** sha-256 over files, each prefixed with its name and length (so that moving bytes between files counts). */
async function hashFiles(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    const contents = await fs.promises.readFile(file);
    hash.update(`${path.basename(file)}\0${contents.length}\0`);
    hash.update(contents);
  }
  return hash.digest('hex');
}

/**
 * sha-256 over files' names, sizes and modification times: cheap for Pyodide's 14 MB, and any rebuild
 * or reinstall changes it (the version in the key covers an upgrade in place).
 */
async function describeFiles(files: readonly string[]): Promise<string> {
  const stats = await Promise.all(files.map((file) => fs.promises.stat(file)));
  const text = files
    .map((file, i) => `${path.basename(file)}\0${stats[i].size}\0${stats[i].mtimeMs}`)
    .join('\n');
  return createHash('sha256').update(text).digest('hex');
}

/** The jail's code: the bundled worker, or (unbundled, in tests) every module beside it. */
async function jailFiles(workerScript: string): Promise<string[]> {
  const dir = path.dirname(workerScript);
  if (path.basename(dir) !== 'pyodide' || path.basename(path.dirname(dir)) !== 'sandbox')
    return [workerScript];
  const names = (await fs.promises.readdir(dir)).filter((name) => name.endsWith('.js')).sort();
  return names.map((name) => path.join(dir, name));
}

export const PYODIDE_RUNTIME_FILES = [
  'pyodide.js',
  'pyodide.asm.mjs',
  'pyodide.asm.wasm',
  'python_stdlib.zip',
  'pyodide-lock.json',
] as const;

export interface SnapshotKeyInput {
  workerScript: string;
  pyodideDir: string;
  /** The wasm memory cap of the sandbox that makes the snapshot. */
  makerMemoryMb: number;
  /** The binary the sandbox process runs (process mode), when it is not this process's own. */
  nodePath?: string;
}

/** The key of the runtime this process would boot (reads and hashes the runtime files). */
export async function runtimeSnapshotKey(input: SnapshotKeyInput): Promise<SnapshotKey> {
  // Pyodide's own package.json (copied into dist/pyodide/ by esbuild.mjs): the lock file has no version.
  const manifest = JSON.parse(
    await fs.promises.readFile(path.join(input.pyodideDir, 'package.json'), 'utf8'),
  ) as { version?: unknown };
  const version = manifest.version;
  if (typeof version !== 'string')
    throw new Error(`${input.pyodideDir}/package.json names no Pyodide version`);
  const [pyodideFiles, jail] = await Promise.all([
    describeFiles(PYODIDE_RUNTIME_FILES.map((name) => path.join(input.pyodideDir, name))),
    jailFiles(input.workerScript).then(hashFiles),
  ]);
  return {
    format: FORMAT,
    pyodideVersion: version,
    pyodideFiles,
    jail,
    boot: { memoryMb: input.makerMemoryMb },
    runtime: [
      `${process.release.name} ${process.versions.node} v8 ${process.versions.v8} ${process.platform}-${process.arch}`,
      ...(input.nodePath && path.resolve(input.nodePath) !== path.resolve(process.execPath)
        ? [input.nodePath]
        : []),
    ].join(' '),
  };
}
