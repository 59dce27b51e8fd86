// The CLI's limit store: one small JSON file in the user's config directory, written atomically
// (temp file + rename) under a lock file, so two `sandbox-policy run` processes racing cannot lose
// each other's counts.
import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LockingKeyValueStore } from './store';

/** `$XDG_CONFIG_HOME/sandbox-policy/limits.json`, or `~/.config/sandbox-policy/limits.json`. */
export function defaultLimitsStorePath(
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec says a relative value is invalid and must be ignored.
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.config');
  return path.join(base, 'sandbox-policy', 'limits.json');
}

export interface JsonFileStoreOptions {
  /** How long to wait for another process's lock before giving up. */
  lockTimeoutMs?: number;
  /** A lock older than this is left over by a crashed process and is broken. */
  staleLockMs?: number;
}

export class JsonFileStore implements LockingKeyValueStore {
  readonly lockPath: string;
  private readonly lockTimeoutMs: number;
  private readonly staleLockMs: number;
  /** The open transaction of the current async context, if it holds the lock. */
  private readonly transaction = new AsyncLocalStorage<{ data: Record<string, unknown>; dirty: boolean }>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly filePath: string,
    options: JsonFileStoreOptions = {},
  ) {
    this.lockPath = `${filePath}.lock`;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 5000;
    this.staleLockMs = options.staleLockMs ?? 10_000;
  }

  get<T>(key: string): T | undefined {
    const open = this.transaction.getStore();
    const value = (open ? open.data : this.read())[key];
    // A copy, as Memento and the memory store give: callers never share mutable state with the store.
    return value === undefined ? undefined : (structuredClone(value) as T);
  }

  async update(key: string, value: unknown): Promise<void> {
    const set = (data: Record<string, unknown>): void => {
      if (value === undefined) delete data[key];
      else data[key] = structuredClone(value);
    };
    const open = this.transaction.getStore();
    if (open) {
      set(open.data);
      open.dirty = true;
      return;
    }
    await this.withLock(async () => this.update(key, value));
  }

  /**
   * A transaction: `fn` reads the file as of the lock, its updates are written once (atomically) when it
   * returns, and not at all if it throws. Re-entrant within the same async context.
   */
  withLock<T>(fn: () => Promise<T>): Promise<T> {
    if (this.transaction.getStore()) return fn();
    const run = async (): Promise<T> => {
      await this.acquire();
      try {
        const open = { data: this.read(), dirty: false };
        const result = await this.transaction.run(open, fn);
        if (open.dirty) this.write(open.data);
        return result;
      } finally {
        fs.rmSync(this.lockPath, { force: true });
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private read(): Record<string, unknown> {
    let text: string;
    try {
      text = fs.readFileSync(this.filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(`cannot read the E2B limits file ${this.filePath}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      // Failing closed: silently starting afresh would reset the spending cap.
      throw new Error(
        `the E2B limits file ${this.filePath} is not valid JSON; delete it to reset the E2B rate and budget counters`,
      );
    }
    return data as Record<string, unknown>;
  }

  private write(data: Record<string, unknown>): void {
    fs.mkdirSync(path.dirname(this.filePath), { recursive: true, mode: 0o700 });
    const temp = `${this.filePath}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
      const fd = fs.openSync(temp, 'w', 0o600);
      try {
        fs.writeSync(fd, JSON.stringify(data, null, 2) + '\n');
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temp, this.filePath);
    } catch (error) {
      fs.rmSync(temp, { force: true });
      throw new Error(`cannot write the E2B limits file ${this.filePath}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  private async acquire(): Promise<void> {
    fs.mkdirSync(path.dirname(this.lockPath), { recursive: true, mode: 0o700 });
    const deadline = Date.now() + this.lockTimeoutMs;
    for (;;) {
      try {
        const fd = fs.openSync(this.lockPath, 'wx', 0o600);
        fs.writeSync(fd, `${process.pid} ${new Date().toISOString()}\n`);
        fs.closeSync(fd);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new Error(`cannot lock the E2B limits file ${this.lockPath}: ${(error as Error).message}`, {
            cause: error,
          });
        }
      }
      this.breakStaleLock();
      if (Date.now() > deadline) {
        throw new Error(
          `the E2B limits file is locked by another sandbox-policy process (${this.lockPath}); ` +
            'if none is running, delete the lock file',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    }
  }

  private breakStaleLock(): void {
    try {
      const age = Date.now() - fs.statSync(this.lockPath).mtimeMs;
      if (age > this.staleLockMs) fs.rmSync(this.lockPath, { force: true });
    } catch {
      // Gone already: the next attempt takes it.
    }
  }
}
