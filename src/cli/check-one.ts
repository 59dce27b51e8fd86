// Checks one file for `sandbox-policy check`, on the main thread or in a worker: read, look up the cache,
// decode as the language's runtime would, analyse. Fail closed: a file that cannot be read or decoded, or
// that the engine fails on, gets an `unreadable-source` finding and is never safe.
import fs from 'node:fs';
import {
  PolicyEngine,
  decodeSource,
  grammarFor,
  unreadableFinding,
  type Finding,
  type ResolvedPolicy,
} from '../policy';
import { analyzeNotebook } from '../notebook/analyze';
import { NotebookFormatError, parseNotebook, type Notebook } from '../notebook/model';
import { ResultCache, type CacheLocation } from './check-cache';
import type { CheckTarget } from './check-files';
import { errorMessage } from '../error-message';

/** What `check` reports about one file (its path is added by the caller). */
export interface FileVerdict {
  safe: boolean;
  syntaxErrors: boolean;
  truncated: boolean;
  findings: Finding[];
}

export function unreadableVerdict(reason: string): FileVerdict {
  return { safe: false, syntaxErrors: false, truncated: false, findings: [unreadableFinding(reason)] };
}

export interface FileCheckerOptions {
  policy: ResolvedPolicy;
  cache?: CacheLocation;
  /**
   * Test-only fault injection (set by the worker from SANDBOX_POLICY_TEST_FAULT, see docs/testing.md): the
   * file whose base name matches makes the checker throw, so tests can see a failure reported, not lost.
   */
  throwOn?: string;
}

export class FileChecker {
  private engine: Promise<PolicyEngine> | undefined;
  private readonly cache: ResultCache | undefined;

  constructor(private readonly options: FileCheckerOptions) {
    this.cache = options.cache ? new ResultCache(options.cache) : undefined;
  }

  /** The grammars load on the first file the cache does not answer, so a warm run never loads them. */
  private loadEngine(): Promise<PolicyEngine> {
    this.engine ??= PolicyEngine.create();
    return this.engine;
  }

  /** True when the cache may answer: something is stored for this engine and policy. */
  get cacheHasEntries(): boolean {
    return this.cache?.hasEntries() ?? false;
  }

  /** What the cache keys a file's bytes with: the grammar, or `ipynb` for a notebook. */
  private cacheKey(bytes: Uint8Array, target: CheckTarget): string | undefined {
    return this.cache?.key(bytes, target.notebook ? 'ipynb' : grammarFor(target.language, target.file));
  }

  /** The cached verdict of a file, without analysing it; undefined on a miss (or with no cache). */
  cached(target: CheckTarget): FileVerdict | undefined {
    if (!this.cache) return undefined;
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(target.file);
    } catch {
      return undefined;
    }
    return this.cache.get(this.cacheKey(bytes, target)!);
  }

  async check(target: CheckTarget): Promise<FileVerdict> {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(target.file);
    } catch (error) {
      return unreadableVerdict(
        `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
    }
    const key = this.cacheKey(bytes, target);
    const cached = key ? this.cache!.get(key) : undefined;
    if (cached) return cached;
    const decoded = target.notebook ? readNotebook(bytes) : decodeSource(bytes, target.language);
    let verdict: FileVerdict;
    if ('problem' in decoded) verdict = unreadableVerdict(decoded.problem);
    else {
      const engine = await this.loadEngine();
      try {
        if (this.options.throwOn && target.file.endsWith(this.options.throwOn))
          throw new Error('fault injected by SANDBOX_POLICY_TEST_FAULT');
        const result =
          'notebook' in decoded
            ? analyzeNotebook(engine, decoded.notebook, this.options.policy)
            : engine.analyze(decoded.text, target.language, this.options.policy, { path: target.file });
        verdict = {
          safe: result.safe,
          syntaxErrors: result.syntaxErrors,
          truncated: result.truncated === true,
          findings: result.findings,
        };
      } catch (error) {
        // Not cached: the next run tries again.
        return unreadableVerdict(`the engine failed on this file (${errorMessage(error)})`);
      }
    }
    if (key) this.cache!.set(key, verdict);
    return verdict;
  }

  async dispose(): Promise<void> {
    if (this.engine) (await this.engine).dispose();
  }
}

/** An `.ipynb` file's notebook: UTF-8 JSON (RFC 8259), nbformat 4; or why it cannot be checked. */
function readNotebook(bytes: Uint8Array): { notebook: Notebook } | { problem: string } {
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problem: 'not valid UTF-8, and a notebook is UTF-8 JSON' };
  }
  try {
    return { notebook: parseNotebook(json) };
  } catch (error) {
    if (error instanceof NotebookFormatError) return { problem: `not a readable notebook: ${error.message}` };
    throw error;
  }
}
