// Checks one file for `sandbox-policy check`, on the main thread or in a worker: read, decode as the language's
// runtime would, analyse. Fail closed: a file that cannot be read or decoded, or that the engine fails on,
// gets an `unreadable-source` finding and is never safe. The engine side of the CLI: loaded only when a file
// misses the cache (src/cli/lazy.ts), so nothing here is parsed on a warm run.
import fs from 'node:fs';
// The engine's modules themselves, not src/policy/index.ts: that would bundle the policy schema (zod) into
// every worker, which never resolves a policy.
import type { ResolvedPolicy } from '../policy/config';
import { GrammarNotLoaded, PolicyEngine } from '../policy/engine';
import { decodeSource } from '../policy/source';
import type { GrammarName } from '../assets';
import { grammarFor } from '../policy/language';
import { analyzeNotebook } from '../notebook/analyze';
import { NotebookFormatError, parseNotebook, type Notebook } from '../notebook/model';
import { cacheKey } from './check-cache';
import type { CheckTarget } from './check-files';
import { unreadableVerdict, type FileVerdict, type KeyedVerdict } from './check-verdict';
import { errorMessage } from '../error-message';

// The trace switch of this bundle's copy of the engine (`check --trace`).
export { routeTrace } from '../policy/shared/trace';

export interface FileCheckerOptions {
  policy: ResolvedPolicy;
  /** Return the cache key of the bytes each verdict was reached on (the caller stores it). */
  cacheKeys?: boolean;
  /**
   * Test-only fault injection (set by the worker from SANDBOX_POLICY_TEST_FAULT, see docs/testing.md): the
   * file whose base name matches makes the checker throw, so tests can see a failure reported, not lost.
   */
  throwOn?: string;
}

export class FileChecker {
  private engine: Promise<PolicyEngine> | undefined;

  constructor(private readonly options: FileCheckerOptions) {}

  /**
   * The tree-sitter runtime loads on the first file that needs analysing (one that decodes), and each grammar
   * on the first file in it: a Python tree never compiles the JavaScript and TypeScript grammars.
   */
  private loadEngine(): Promise<PolicyEngine> {
    this.engine ??= PolicyEngine.create([]);
    return this.engine;
  }

  /** Loads the runtime now (a worker, before its first file arrives); a failure shows again on check(). */
  warmUp(): Promise<PolicyEngine> {
    return this.loadEngine();
  }

  /**
   * `analyze` with the grammars it parses in loaded: those of the file's language first (JavaScript's too for
   * TypeScript, whose `eval`/`new Function` code is JavaScript); any other one a parse asks for (code the
   * analyzer finds embedded) is loaded and the file analysed again: the result never depends on what
   * happened to be loaded.
   */
  private async withGrammars<T>(engine: PolicyEngine, target: CheckTarget, analyze: () => T): Promise<T> {
    const grammar = grammarFor(target.language, target.file);
    await engine.loadGrammars(grammar === 'python' ? ['python'] : [grammar, 'javascript']);
    for (let attempt = 0; ; attempt++) {
      try {
        return analyze();
      } catch (error) {
        // Bounded: each retry loads one grammar more, and there are four.
        if (!(error instanceof GrammarNotLoaded) || attempt >= 4) throw error;
        await engine.loadGrammars([error.grammar]);
      }
    }
  }

  async check(target: CheckTarget): Promise<KeyedVerdict> {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(target.file);
    } catch (error) {
      return {
        verdict: unreadableVerdict(
          `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
        ),
      };
    }
    // Keyed by the bytes analysed here, so a file changed since the cache lookup is stored under its new key.
    const key = this.options.cacheKeys ? cacheKey(bytes, target) : undefined;
    const decoded = target.notebook ? readNotebook(bytes) : decodeSource(bytes, target.language);
    if ('problem' in decoded) return { verdict: unreadableVerdict(decoded.problem), key };
    const engine = await this.loadEngine();
    let verdict: FileVerdict;
    try {
      if (this.options.throwOn && target.file.endsWith(this.options.throwOn))
        throw new Error('fault injected by SANDBOX_POLICY_TEST_FAULT');
      const result = await this.withGrammars(engine, target, () =>
        'notebook' in decoded
          ? analyzeNotebook(engine, decoded.notebook, this.options.policy)
          : engine.analyze(decoded.text, target.language, this.options.policy, { path: target.file }),
      );
      verdict = {
        safe: result.safe,
        syntaxErrors: result.syntaxErrors,
        truncated: result.truncated === true,
        findings: result.findings,
      };
    } catch (error) {
      // No key: not cached, the next run tries again.
      return { verdict: unreadableVerdict(`the engine failed on this file (${errorMessage(error)})`) };
    }
    return { verdict, key };
  }

  /** Whether this checker has compiled `grammar` (tests: a grammar no file needed is never compiled). */
  async hasGrammar(grammar: GrammarName): Promise<boolean> {
    return this.engine ? (await this.engine).hasGrammar(grammar) : false;
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
