// `npm run check` runs this: the policy engine's layout rules, which a type checker cannot see.
//   - no import cycle among src/policy's modules (type-only imports count: they couple the files too);
//   - src/policy/javascript/ and src/policy/shared/ import nothing from src/policy/python/, and
//     src/policy/shared/ nothing from either language;
//   - no file over MAX_LINES lines, except those listed in OVERSIZE (still to be split), which may not grow.
// Usage: node test/layout/check.mjs [policy-dir]   (exit code 1 with one line per problem)
import fs from 'node:fs';
import path from 'node:path';

const MAX_LINES = 500;
/** Files not yet split, with the size they may not exceed (README, "Architecture"). */
const OVERSIZE = {
  'javascript/analyzer.ts': 1628,
};
/** Folders that must not import from another folder. */
const FORBIDDEN = [
  { from: 'javascript/', to: 'python/' },
  { from: 'shared/', to: 'python/' },
  { from: 'shared/', to: 'javascript/' },
];

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]*)['"]/gm;

function tsFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function resolve(from, specifier) {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Every problem with the layout of the folder, as lines to print. */
export function layoutProblems(root) {
  const problems = [];
  const rel = (file) => path.relative(root, file).split(path.sep).join('/');
  const files = tsFiles(root);
  const edges = new Map();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    const cap = OVERSIZE[rel(file)] ?? MAX_LINES;
    if (lines > cap)
      problems.push(`${rel(file)}: ${lines} lines, over ${cap}: split it by role (CONTRIBUTING.md)`);
    const targets = [];
    for (const match of text.matchAll(IMPORT)) {
      const target = resolve(file, match[1]);
      if (!target || !target.startsWith(root + path.sep)) continue;
      targets.push(target);
      for (const rule of FORBIDDEN) {
        if (rel(file).startsWith(rule.from) && rel(target).startsWith(rule.to))
          problems.push(`${rel(file)} imports ${rel(target)}: ${rule.from} must not import from ${rule.to}`);
      }
    }
    edges.set(file, targets);
  }
  // Depth-first search; a back edge to a file on the stack closes a cycle.
  const state = new Map();
  const stack = [];
  const seen = new Set();
  const visit = (file) => {
    state.set(file, 'open');
    stack.push(file);
    for (const target of edges.get(file) ?? []) {
      if (state.get(target) === 'open') {
        const cycle = [...stack.slice(stack.indexOf(target)), target].map(rel).join(' -> ');
        if (!seen.has(cycle)) problems.push(`import cycle: ${cycle}`);
        seen.add(cycle);
      } else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(
    process.argv[2] ?? path.join(path.dirname(new URL(import.meta.url).pathname), '../../src/policy'),
  );
  const problems = layoutProblems(root);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) process.exit(1);
  console.log(
    `src/policy layout: no import cycle, no file over its line limit (${path.relative(process.cwd(), root) || '.'})`,
  );
}
