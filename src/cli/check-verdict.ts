// What `check` reports about one file, shared by the main thread (cache, output) and the engine side.
import type { Finding } from '../policy/types';
import { unreadableFinding } from '../policy/source';

/** What `check` reports about one file (its path is added by the caller). */
export interface FileVerdict {
  safe: boolean;
  syntaxErrors: boolean;
  truncated: boolean;
  findings: Finding[];
}

/** A verdict and, when it may be cached, the cache key of the exact bytes it was reached on. */
export interface KeyedVerdict {
  verdict: FileVerdict;
  key?: string;
}

export function unreadableVerdict(reason: string): FileVerdict {
  return { safe: false, syntaxErrors: false, truncated: false, findings: [unreadableFinding(reason)] };
}
