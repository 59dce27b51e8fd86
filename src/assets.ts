// Finds the runtime files (tree-sitter and grammar .wasm, Pyodide's runtime) wherever the code runs:
// next to the bundle in dist/ (the extension, the CLI) or in node_modules (tests run from out/).
import fs from 'node:fs';
import path from 'node:path';

export type GrammarName = 'python' | 'javascript' | 'typescript' | 'tsx';

/** The folder that holds the bundled assets, if this code runs from a bundle in dist/. */
function bundledAssetDir(): string | undefined {
  return fs.existsSync(path.join(__dirname, 'tree-sitter.wasm')) ? __dirname : undefined;
}

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

/** Absolute path of web-tree-sitter's own runtime wasm. */
export function treeSitterRuntimeWasm(): string {
  const bundled = bundledAssetDir();
  return bundled
    ? path.join(bundled, 'tree-sitter.wasm')
    : require.resolve('web-tree-sitter/tree-sitter.wasm');
}

/** Absolute path of a grammar from tree-sitter-wasms. */
export function grammarWasm(grammar: GrammarName): string {
  const file = `tree-sitter-${grammar}.wasm`;
  const bundled = bundledAssetDir();
  return bundled ? path.join(bundled, file) : path.join(packageDir('tree-sitter-wasms'), 'out', file);
}

/** Folder holding pyodide.asm.mjs, pyodide.asm.wasm, pyodide.js, pyodide-lock.json and python_stdlib.zip. */
export function pyodideDir(): string {
  const bundled = bundledAssetDir();
  return bundled ? path.join(bundled, 'pyodide') : packageDir('pyodide');
}

/** The Pyodide worker script: dist/pyodide-worker.js from the bundle, or the transpiled file under out/. */
export function pyodideWorkerScript(): string {
  const bundled = bundledAssetDir();
  return bundled
    ? path.join(bundled, 'pyodide-worker.js')
    : path.join(__dirname, 'sandbox', 'pyodide', 'pyodide-worker.js');
}
