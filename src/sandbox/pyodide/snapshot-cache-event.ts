// One line per thing the on-disk snapshot cache did, for a log: whether the next boot restores a saved
// interpreter or pays for a fresh one, and why.
import type { SnapshotCacheEvent } from './runner';

export function describeSnapshotCacheEvent(event: SnapshotCacheEvent): string {
  if ('snapshot' in event) return 'Interpreter snapshot restored from the cache.';
  if ('snapshotFile' in event) {
    return `Interpreter snapshot restored from the cache (${event.snapshotFile}, checked by the sandbox process).`;
  }
  if ('missing' in event) return 'No interpreter snapshot in the cache yet; booting Pyodide and saving one.';
  if ('discarded' in event) {
    return `Cached interpreter snapshot discarded (${event.discarded}: ${event.detail}); making a new one.`;
  }
  if ('saved' in event) return `Interpreter snapshot saved to ${event.saved}.`;
  if ('saveFailed' in event) {
    return `Interpreter snapshot could not be saved (${event.saveFailed}); the next start boots Pyodide again.`;
  }
  return `Interpreter snapshot cache unavailable (${event.keyFailed}); booting without it.`;
}
