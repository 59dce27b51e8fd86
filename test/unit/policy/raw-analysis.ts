// The analyzers' raw output (before any policy) for the golden test: the same parse and analyzer calls
// as PolicyEngine.rawAnalysis, with the constant code they hand on (exec, eval, new Function) analysed
// in turn and kept nested, so that the golden files pin what each level reported.
// `import = require` for web-tree-sitter's CommonJS build, as in src/policy/engine.ts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import TreeSitter = require('web-tree-sitter');
import type { Parser } from 'web-tree-sitter';
import { grammarWasm, treeSitterRuntimeWasm, type GrammarName } from '../../../src/assets';
import type { EmbeddedCode, ImportEvent, RawFinding } from '../../../src/policy/findings';
import { analyzeScript } from '../../../src/policy/javascript/analyzer';
import { grammarFor } from '../../../src/policy/language';
import { PythonIncremental } from '../../../src/policy/python/incremental';
import type { Language } from '../../../src/policy/types';

/** Same bounds as the engine's: nested code deeper or longer than this is not analysed. */
const MAX_EMBEDDED_DEPTH = 3;
const MAX_EMBEDDED_LENGTH = 200_000;

export interface GoldenEmbedded extends EmbeddedCode {
  analysis?: GoldenAnalysis;
}

export interface GoldenAnalysis {
  findings: RawFinding[];
  imports: ImportEvent[];
  embedded?: GoldenEmbedded[];
  truncated: boolean;
}

let parsers: Promise<Map<GrammarName, Parser>> | undefined;

async function loadParsers(): Promise<Map<GrammarName, Parser>> {
  await TreeSitter.Parser.init({ locateFile: () => treeSitterRuntimeWasm() });
  const loaded = new Map<GrammarName, Parser>();
  for (const name of ['python', 'javascript', 'typescript', 'tsx'] as const) {
    const parser = new TreeSitter.Parser();
    parser.setLanguage(await TreeSitter.Language.load(grammarWasm(name)));
    loaded.set(name, parser);
  }
  return loaded;
}

/** Loads the grammars once per test process. */
export async function rawAnalyzer(): Promise<
  (code: string, language: Language, path?: string) => GoldenAnalysis
> {
  parsers ??= loadParsers();
  const ready = await parsers;
  // As the engine does: a string exec runs in the module's namespace binds names the module then sees.
  const parsePython = (code: string) => {
    const tree = ready.get('python')!.parse(code);
    return tree ? { root: tree.rootNode, dispose: () => tree.delete() } : undefined;
  };
  const analyze = (code: string, language: Language, path: string | undefined, depth: number) => {
    const tree = ready.get(grammarFor(language, path))!.parse(code);
    if (!tree) throw new Error(`no tree for ${language}`);
    try {
      const raw =
        language === 'python'
          ? new PythonIncremental({ parse: parsePython }).analyze(code, tree.rootNode)
          : analyzeScript(code, tree.rootNode);
      const result: GoldenAnalysis = {
        findings: raw.findings,
        imports: raw.imports,
        truncated: raw.truncated,
      };
      if (raw.embedded) {
        result.embedded = raw.embedded.map((embedded): GoldenEmbedded =>
          depth >= MAX_EMBEDDED_DEPTH || embedded.code.length > MAX_EMBEDDED_LENGTH
            ? { ...embedded }
            : { ...embedded, analysis: analyze(embedded.code, embedded.language, undefined, depth + 1) },
        );
      }
      return result;
    } finally {
      tree.delete();
    }
  };
  return (code, language, path) => analyze(code, language, path, 0);
}
