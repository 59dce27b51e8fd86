// Where the E2B limit counters live between runs and restarts. The extension passes VS Code's
// `globalState` (a `Memento` satisfies `KeyValueStore` as is); the CLI passes a `JsonFileStore`.

export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  /** `PromiseLike` so that VS Code's `Thenable`-returning `Memento.update` fits. */
  update(key: string, value: unknown): PromiseLike<void>;
}

/** A store shared by several processes, which can make a read-modify-write atomic across them. */
export interface LockingKeyValueStore extends KeyValueStore {
  /** Runs `fn` holding a lock every process respects; `get` inside it sees the other processes' writes. */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
}

function isLocking(store: KeyValueStore): store is LockingKeyValueStore {
  return typeof (store as Partial<LockingKeyValueStore>).withLock === 'function';
}

const queues = new WeakMap<KeyValueStore, Promise<unknown>>();

/**
 * Runs a read-modify-write on `store` atomically: one at a time within this process (whatever the store),
 * and across processes when the store can lock.
 */
export function withStoreLock<T>(store: KeyValueStore, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(store) ?? Promise.resolve();
  const next = previous.then(
    () => (isLocking(store) ? store.withLock(fn) : fn()),
    () => (isLocking(store) ? store.withLock(fn) : fn()),
  );
  // The queue must not break on a failed step: keep a settled copy.
  queues.set(
    store,
    next.catch(() => undefined),
  );
  return next;
}

/** An in-memory store: for tests, and for callers that want limits that last only as long as the process. */
export class MemoryStore implements KeyValueStore {
  private readonly values = new Map<string, string>();

  get<T>(key: string): T | undefined {
    const value = this.values.get(key);
    // Stored as JSON, as Memento and the file store do, so callers never share mutable objects with it.
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.stringify(value));
  }
}
