// Builds the extension, the CLI, the language server (and its analysis worker), the Pyodide worker and the webview script into dist/, and copies
// the WebAssembly and Pyodide runtime files next to them (found at run time by src/assets.ts).
//   node esbuild.mjs               development build (source maps)
//   node esbuild.mjs --production  minified, no sourcesContent (what `npm run package` ships)
//   node esbuild.mjs --watch       rebuild on change
//   node esbuild.mjs --tests       transpile src/ and test/ file by file into out/ for mocha
//                                  (no type check here: `npm run typecheck` does that)
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');
const root = path.dirname(new URL(import.meta.url).pathname);
const dist = path.join(root, 'dist');

/** Files copied verbatim into dist/ (destination relative to dist/ → source). */
function runtimeAssets() {
  const grammars = path.join(path.dirname(require.resolve('tree-sitter-wasms/package.json')), 'out');
  const pyodide = path.dirname(require.resolve('pyodide/package.json'));
  const assets = { 'tree-sitter.wasm': require.resolve('web-tree-sitter/tree-sitter.wasm') };
  for (const lang of ['python', 'javascript', 'typescript', 'tsx']) {
    assets[`tree-sitter-${lang}.wasm`] = path.join(grammars, `tree-sitter-${lang}.wasm`);
  }
  for (const file of [
    'pyodide.asm.mjs',
    'pyodide.asm.wasm',
    'pyodide.js',
    'pyodide-lock.json',
    'python_stdlib.zip',
    'package.json', // its version keys the on-disk snapshot cache (snapshot-cache.ts)
  ]) {
    assets[`pyodide/${file}`] = path.join(pyodide, file);
  }
  return assets;
}

const copyAssetsPlugin = {
  name: 'copy-assets',
  setup(build) {
    build.onEnd(() => {
      for (const [dest, src] of Object.entries(runtimeAssets())) {
        const target = path.join(dist, dest);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const srcStat = fs.statSync(src);
        const destStat = fs.existsSync(target) ? fs.statSync(target) : undefined;
        if (!destStat || destStat.size !== srcStat.size || destStat.mtimeMs < srcStat.mtimeMs) {
          fs.copyFileSync(src, target);
        }
      }
    });
  },
};

/**
 * The CLI loads the E2B SDK (about a third of its bundle) only for `--backend e2b`, through the runner's
 * dynamic import: that import is pointed at dist/e2b-sdk.js instead of being bundled, so that a local
 * run does not read and compile it.
 */
const e2bSdkApartPlugin = {
  name: 'e2b-sdk-apart',
  setup(build) {
    build.onResolve({ filter: /^@e2b\/code-interpreter$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './e2b-sdk.js', external: true } : undefined,
    );
  },
};

/** Prints errors in the format of VS Code's `$esbuild-watch` problem matcher. */
const problemMatcherPlugin = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const exists = (p) => fs.existsSync(path.join(root, p));

/**
 * The modules src/cli/lazy.ts requires, each bundled on its own (dist/NAME.js) and left out of dist/cli.js, so
 * that starting the CLI parses only the command it runs: a warm-cache `check` never parses the engine.
 */
const LAZY_CLI_BUNDLES = {
  'cli-engine': 'src/cli/check-one.ts',
  'cli-policy': 'src/policy/config.ts',
  'cli-run': 'src/cli/run.ts',
  'cli-run-gate': 'src/cli/run-gate.ts',
  'cli-run-e2b': 'src/cli/run-e2b.ts',
  'cli-server': 'src/server/main.ts',
};

const lazyCliPlugin = {
  name: 'lazy-cli',
  setup(build) {
    const bundleOf = new Map(
      Object.entries(LAZY_CLI_BUNDLES).map(([name, source]) => [path.join(root, source), name]),
    );
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.importer !== path.join(root, 'src/cli/lazy.ts')) return undefined;
      const name = bundleOf.get(`${path.resolve(args.resolveDir, args.path)}.ts`);
      if (!name)
        throw new Error(`src/cli/lazy.ts requires ${args.path}, which has no bundle in LAZY_CLI_BUNDLES`);
      return { path: `./${name}.js`, external: true };
    });
  },
};

function bundleOptions() {
  const node = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
    // The vscode module is provided by the host at run time; src/assets.ts resolves the tree-sitter wasm
    // from node_modules only when it runs unbundled (tests), so the bundle leaves that lookup alone.
    external: ['vscode', 'web-tree-sitter/tree-sitter.wasm'],
    // Bundled libraries (zod, the E2B SDK) probe `navigator` to detect browsers; in VS Code's extension
    // host that access is reported as a pending Node migration error. These bundles only run in Node.
    define: { navigator: 'undefined' },
  };
  const builds = [
    {
      ...node,
      entryPoints: { cli: 'src/cli.ts' },
      outdir: 'dist',
      banner: { js: '#!/usr/bin/env node' },
      plugins: [lazyCliPlugin, copyAssetsPlugin, e2bSdkApartPlugin, ...(watch ? [problemMatcherPlugin] : [])],
    },
    // What dist/cli.js loads only when a command needs it (src/cli/lazy.ts); the run bundle keeps the E2B SDK apart.
    { ...node, entryPoints: LAZY_CLI_BUNDLES, outdir: 'dist', plugins: [lazyCliPlugin, e2bSdkApartPlugin] },
    // The E2B SDK of the CLI, on its own: a local run never parses it (see e2bSdkApartPlugin).
    { ...node, entryPoints: { 'e2b-sdk': require.resolve('@e2b/code-interpreter') }, outdir: 'dist' },
  ];
  // The worker threads of `sandbox-policy check --threads N`, loaded from next to dist/cli.js.
  builds.push({ ...node, entryPoints: { 'check-worker': 'src/cli/check-worker.ts' }, outdir: 'dist' });
  if (exists('src/extension.ts')) {
    builds.push({ ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' });
  }
  if (exists('src/server/entry.ts')) {
    builds.push({
      ...node,
      entryPoints: { server: 'src/server/entry.ts', 'analysis-worker': 'src/server/analysis-worker.ts' },
      outdir: 'dist',
    });
  }
  if (exists('src/sandbox/pyodide/pyodide-worker.ts')) {
    builds.push({
      ...node,
      entryPoints: { 'pyodide-worker': 'src/sandbox/pyodide/pyodide-worker.ts' },
      outdir: 'dist',
    });
  }
  if (exists('src/vscode/panel/webview/main.ts')) {
    builds.push({
      ...node,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      external: [],
      define: {},
      entryPoints: { webview: 'src/vscode/panel/webview/main.ts' },
      outdir: 'dist',
    });
  }
  return builds;
}

function listTs(dir) {
  const out = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'fixtures' && entry.name !== 'node_modules') out.push(...listTs(rel));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

async function main() {
  if (tests) {
    // One file in, one file out, so that mocha and the extension-host runner load plain CommonJS.
    await esbuild.build({
      entryPoints: [...listTs('src'), ...listTs('test')].filter((f) => !f.includes(`webview${path.sep}`)),
      outdir: 'out',
      outbase: '.',
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: true,
      logLevel: 'warning',
    });
    return;
  }
  const contexts = await Promise.all(bundleOptions().map((options) => esbuild.context(options)));
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    return;
  }
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
