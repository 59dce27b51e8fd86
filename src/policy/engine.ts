// The policy engine: web-tree-sitter parsers for Python, JavaScript and TypeScript, one tree per open
// document re-parsed incrementally, and the analyzers behind one `analyze`/`update` API.
// `import = require` so that bundlers pick web-tree-sitter's CommonJS build: its ES module build needs
// import.meta.url, which a CommonJS bundle (dist/cli.js, dist/extension.js) does not have.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import TreeSitter = require('web-tree-sitter');
import type { Parser, Tree } from 'web-tree-sitter';
import { isDeclarationFile, unreadableRegions } from './unreadable-regions';
import { grammarWasm, treeSitterRuntimeWasm, type GrammarName } from '../assets';
import type { ResolvedPolicy } from './config';
import { customMatches } from './custom';
import { applyPolicy, type RawAnalysis, type RawFinding } from './findings';
import { analyzeScript } from './javascript/analyzer';
import { analyzePython } from './python/analyzer';
import type { ParsedCode } from './python/exec-bindings';
import { grammarFor } from './language';
import { PythonIncremental, type Change } from './python/incremental';
import { textProblem, unreadableAnalysis } from './source';
import { NO_SUPPRESSIONS, findSuppressions } from './suppression';
import { LineIndex } from './text';
import { ParentIndex } from './tree';
import { ParseBudgetExceeded, parseGaveUp, parseWithinBudget } from './parse-budget';
import type { AnalysisResult, Language, TextEdit } from './types';

const GRAMMARS: GrammarName[] = ['python', 'javascript', 'typescript', 'tsx'];
const MAX_EMBEDDED_DEPTH = 3;
const MAX_EMBEDDED = 50;
const MAX_EMBEDDED_LENGTH = 200_000;

/** Several embedded findings of one rule land on the same call: keep one per rule and message. */
function dedupeFindings(findings: RawFinding[]): RawFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}:${f.start}:${f.end}:${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

let runtime: Promise<void> | undefined;

/** Thrown by a parse in a grammar the engine was created without: load it (loadGrammars) and analyse again. */
export class GrammarNotLoaded extends Error {
  override name = 'GrammarNotLoaded';
  constructor(readonly grammar: GrammarName) {
    super(`the ${grammar} grammar is not loaded`);
  }
}

interface DocumentState {
  grammar: GrammarName;
  language: Language;
  text: string;
  tree: Tree;
  /** Raw (policy-independent) analysis of `text`, kept until the text changes. */
  raw?: RawAnalysis;
  /** Per-statement cache for Python documents, so an edit re-checks only what it can affect. */
  python?: PythonIncremental;
}

export interface AnalyzeOptions {
  /** The file's path or name: `.tsx` selects the TSX grammar. */
  path?: string;
  /**
   * Findings the caller made outside the parser (a notebook's shell escapes and magics, see
   * src/notebook/): judged with the analyzer's own, so severities, thresholds and suppressions apply alike.
   */
  extraFindings?: readonly RawFinding[];
  /** Python: module code may be run again after the code below it (a notebook's cells). */
  moduleCodeRepeats?: boolean;
}

export class PolicyEngine {
  private readonly documents = new Map<string, DocumentState>();
  /** Analyses of constant code run by exec/eval, by code: editing elsewhere does not re-parse them. */
  private readonly embeddedCache = new Map<string, RawAnalysis>();
  private disposed = false;

  private constructor(private readonly parsers: Map<GrammarName, Parser>) {}

  /**
   * Loads the tree-sitter runtime and the grammars (from dist/ or node_modules, see src/assets.ts): all four,
   * or only `grammars` (`check` compiles only what its files need; a parse in another throws GrammarNotLoaded).
   */
  static async create(grammars: readonly GrammarName[] = GRAMMARS): Promise<PolicyEngine> {
    runtime ??= TreeSitter.Parser.init({ locateFile: () => treeSitterRuntimeWasm() });
    await runtime;
    const engine = new PolicyEngine(new Map());
    await engine.loadGrammars(grammars);
    return engine;
  }

  /** Loads the grammars among `grammars` not loaded yet. */
  async loadGrammars(grammars: readonly GrammarName[]): Promise<void> {
    for (const name of grammars) {
      if (this.parsers.has(name)) continue;
      const language = await TreeSitter.Language.load(grammarWasm(name));
      if (this.parsers.has(name)) continue;
      const parser = new TreeSitter.Parser();
      parser.setLanguage(language);
      this.parsers.set(name, parser);
    }
  }

  /** Whether `grammar` is loaded (tests, and check's workers). */
  hasGrammar(grammar: GrammarName): boolean {
    return this.parsers.has(grammar);
  }

  /** One-shot analysis of a text (the CLI, the run gate). */
  analyze(
    text: string,
    language: Language,
    policy: ResolvedPolicy,
    options: AnalyzeOptions = {},
  ): AnalysisResult {
    const unreadable = unreadableResult(text);
    if (unreadable) return unreadable;
    try {
      return this.analyzeReadable(text, language, policy, options);
    } catch (error) {
      if (error instanceof ParseBudgetExceeded) return parseGaveUp(error);
      throw error;
    }
  }

  private analyzeReadable(
    text: string,
    language: Language,
    policy: ResolvedPolicy,
    options: AnalyzeOptions,
  ): AnalysisResult {
    const grammar = grammarFor(language, options.path);
    const tree = this.parse(grammar, text);
    try {
      // One parent index for the analyzer and for suppressions and custom patterns: one walk, not two.
      const index = new ParentIndex(tree.rootNode);
      let raw = this.rawAnalysis(language, text, tree, 0, index, options.moduleCodeRepeats);
      if (options.extraFindings?.length)
        raw = { ...raw, findings: [...raw.findings, ...options.extraFindings] };
      return this.judge(language, text, tree, raw, policy, options.path, index);
    } finally {
      tree.delete();
    }
  }

  /** Whether the parser has to recover from syntax errors in `text` (nothing is analysed). */
  hasSyntaxErrors(text: string, language: Language, path?: string): boolean {
    let tree: Tree;
    try {
      tree = this.parse(grammarFor(language, path), text);
    } catch (error) {
      if (error instanceof ParseBudgetExceeded) return true;
      throw error;
    }
    try {
      return tree.rootNode.hasError;
    } finally {
      tree.delete();
    }
  }

  /**
   * Analysis of an open document. With `edits` (VS Code's content changes since the previous call, applied
   * in order) the tree is edited and re-parsed incrementally, and only what the edit can affect is re-checked;
   * without them (or if they do not reproduce `text`) the document is parsed afresh.
   */
  update(
    docId: string,
    text: string,
    language: Language,
    policy: ResolvedPolicy,
    edits?: readonly TextEdit[],
  ): AnalysisResult {
    this.assertAlive();
    const unreadable = unreadableResult(text);
    if (unreadable) {
      this.close(docId);
      return unreadable;
    }
    try {
      return this.updateReadable(docId, text, language, policy, edits);
    } catch (error) {
      if (!(error instanceof ParseBudgetExceeded)) throw error;
      // The next text of this document is parsed afresh, not from a tree this one never got.
      this.close(docId);
      return parseGaveUp(error);
    }
  }

  private updateReadable(
    docId: string,
    text: string,
    language: Language,
    policy: ResolvedPolicy,
    edits?: readonly TextEdit[],
  ): AnalysisResult {
    const grammar = grammarFor(language, docId);
    let doc = this.documents.get(docId);
    if (doc && (doc.grammar !== grammar || doc.language !== language)) {
      this.close(docId);
      doc = undefined;
    }
    if (!doc) {
      doc = { grammar, language, text, tree: this.parse(grammar, text) };
      this.documents.set(docId, doc);
    }
    let change: Change | undefined;
    if (doc.text !== text) {
      const edited = edits && edits.length > 0 ? applyEdits(doc.tree, doc.text, edits) : undefined;
      const previous = doc.tree;
      doc.tree = this.parse(grammar, text, edited === text ? previous : undefined);
      previous.delete();
      if (edited === text && edits!.length === 1) {
        const [edit] = edits!;
        change = {
          start: edit.rangeOffset,
          oldEnd: edit.rangeOffset + edit.rangeLength,
          newEnd: edit.rangeOffset + edit.text.length,
        };
      }
      doc.text = text;
      doc.raw = undefined;
    }
    if (!doc.raw) {
      if (language === 'python') {
        doc.python ??= new PythonIncremental({ parse: this.parsePython });
        doc.raw = this.withEmbedded(doc.python.analyze(text, doc.tree.rootNode, change), 0);
      } else doc.raw = this.rawAnalysis(language, text, doc.tree);
    }
    return this.judge(language, text, doc.tree, doc.raw, policy, docId);
  }

  /**
   * How the last `update` of a document re-checked it: `focused` (only the edited function) or `full`.
   * Diagnostics for tests and the benchmark.
   */
  lastUpdateMode(docId: string): 'focused' | 'full' | undefined {
    const doc = this.documents.get(docId);
    return doc ? (doc.python?.lastMode ?? 'full') : undefined;
  }

  close(docId: string): void {
    const doc = this.documents.get(docId);
    if (!doc) return;
    doc.tree.delete();
    this.documents.delete(docId);
  }

  dispose(): void {
    if (this.disposed) return;
    for (const docId of [...this.documents.keys()]) this.close(docId);
    for (const parser of this.parsers.values()) parser.delete();
    this.parsers.clear();
    this.disposed = true;
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error('the policy engine has been disposed');
  }

  /** Python code an analysis reads as code (a string run by exec): parsed, released once read. */
  private readonly parsePython = (code: string): ParsedCode => {
    const tree = this.parse('python', code);
    return { root: tree.rootNode, dispose: () => tree.delete() };
  };

  private parse(grammar: GrammarName, text: string, previous?: Tree): Tree {
    this.assertAlive();
    const parser = this.parsers.get(grammar);
    if (!parser) throw new GrammarNotLoaded(grammar);
    return parseWithinBudget(parser, grammar, text, previous);
  }

  /** A one-shot analysis: no incremental bookkeeping (statement units), which only `update` uses. */
  private rawAnalysis(
    language: Language,
    text: string,
    tree: Tree,
    depth = 0,
    index?: ParentIndex,
    moduleCodeRepeats = false,
  ): RawAnalysis {
    const raw =
      language === 'python'
        ? analyzePython(text, tree.rootNode, index, undefined, { moduleCodeRepeats, parse: this.parsePython })
        : analyzeScript(text, tree.rootNode, index);
    return this.withEmbedded(raw, depth);
  }

  /**
   * Analyses constant code passed to exec/eval/new Function (a base64 payload decoded by the analyzer, say)
   * and reports what it does at the call that runs it. Bounded in depth and size.
   */
  private withEmbedded(raw: RawAnalysis, depth: number): RawAnalysis {
    if (!raw.embedded?.length || depth >= MAX_EMBEDDED_DEPTH) return raw;
    const findings = [...raw.findings];
    const imports = [...raw.imports];
    let truncated = raw.truncated;
    for (const embedded of raw.embedded.slice(0, MAX_EMBEDDED)) {
      if (embedded.code.length > MAX_EMBEDDED_LENGTH) continue;
      const key = `${depth}:${embedded.language}:${embedded.code}`;
      let inner = this.embeddedCache.get(key);
      if (!inner) {
        const grammar: GrammarName = embedded.language === 'python' ? 'python' : 'javascript';
        const tree = this.parse(grammar, embedded.code);
        try {
          inner = this.rawAnalysis(embedded.language, embedded.code, tree, depth + 1);
        } finally {
          tree.delete();
        }
        if (this.embeddedCache.size >= 256) this.embeddedCache.clear();
        this.embeddedCache.set(key, inner);
      }
      {
        const where = `in the code run by ${embedded.via}`;
        for (const finding of inner.findings) {
          findings.push({
            ...finding,
            start: embedded.start,
            end: embedded.end,
            message: `${finding.message} (${where})`,
          });
        }
        for (const event of inner.imports)
          imports.push({ ...event, start: embedded.start, end: embedded.end, dynamic: true });
        truncated ||= inner.truncated;
      }
    }
    return { findings: dedupeFindings(findings), imports, truncated };
  }

  private judge(
    language: Language,
    text: string,
    tree: Tree,
    raw: RawAnalysis,
    policy: ResolvedPolicy,
    path: string | undefined,
    index = new ParentIndex(tree.rootNode),
  ): AnalysisResult {
    const root = tree.rootNode;
    const lines = new LineIndex(text);
    const custom = customMatches(text, index, policy.customPatterns, language);
    const suppressions = policy.inlineSuppressions ? findSuppressions(text, index, lines) : NO_SUPPRESSIONS;
    const findings = applyPolicy(raw, custom, policy, lines, suppressions);
    if (!isDeclarationFile(path))
      findings.push(...unreadableRegions(language, text, root, lines, suppressions));
    const result: AnalysisResult = {
      findings,
      safe: !raw.truncated && !findings.some((finding) => finding.violation && !finding.suppressed),
      syntaxErrors: root.hasError,
    };
    if (raw.truncated) result.truncated = true;
    return result;
  }
}

/** Text that cannot be source (NUL bytes) is never analysed as if it were: it gets its own finding. */
function unreadableResult(text: string): AnalysisResult | undefined {
  const problem = textProblem(text);
  return problem ? unreadableAnalysis(problem, false) : undefined;
}

/**
 * Applies content changes to the tree (`tree.edit`) and returns the resulting text, which the caller
 * compares with the document's text before trusting the edited tree.
 */
function applyEdits(tree: Tree, original: string, edits: readonly TextEdit[]): string | undefined {
  let text = original;
  for (const edit of edits) {
    const start = edit.rangeOffset;
    const oldEnd = start + edit.rangeLength;
    if (!Number.isInteger(start) || start < 0 || oldEnd > text.length || edit.rangeLength < 0)
      return undefined;
    const lines = new LineIndex(text);
    const startPosition = toPoint(lines.position(start));
    const oldEndPosition = toPoint(lines.position(oldEnd));
    const inserted = edit.text;
    const newlines = inserted.split('\n');
    const newEndPosition =
      newlines.length === 1
        ? { row: startPosition.row, column: startPosition.column + inserted.length }
        : { row: startPosition.row + newlines.length - 1, column: newlines[newlines.length - 1].length };
    tree.edit({
      startIndex: start,
      oldEndIndex: oldEnd,
      newEndIndex: start + inserted.length,
      startPosition,
      oldEndPosition,
      newEndPosition,
    });
    text = text.slice(0, start) + inserted + text.slice(oldEnd);
  }
  return text;
}

function toPoint(position: { line: number; column: number }): { row: number; column: number } {
  return { row: position.line, column: position.column };
}
