// Finding and reading the files `sandbox-policy check` looks at: directories walked iteratively,
// .gitignore honoured (the `ignore` package), .git, node_modules and virtual environments skipped;
// binary, non-UTF-8 and unreadable files reported and skipped.
import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { languageForPath, type Language } from '../policy';
import { UsageError } from './io';

export interface CheckTarget {
  /** Absolute path. */
  file: string;
  language: Language;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

const SKIPPED_DIRECTORIES = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__']);

interface IgnoreLayer {
  base: string;
  rules: Ignore;
}

function readGitignore(dir: string): Ignore | undefined {
  try {
    return ignore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'));
  } catch {
    return undefined;
  }
}

function isIgnored(layers: readonly IgnoreLayer[], file: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const rel = path.relative(layer.base, file).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (layer.rules.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/** A Python virtual environment (pyvenv.cfg) or a conda environment (conda-meta/). */
function isEnvironment(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'pyvenv.cfg')) || fs.existsSync(path.join(dir, 'conda-meta'));
}

/** The language of an explicitly named file without a known extension: a node shebang, else Python. */
function guessLanguage(file: string): Language {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(128);
      const n = fs.readSync(fd, head, 0, head.length, 0);
      return /^#!.*\bnode\b/.test(head.subarray(0, n).toString('latin1')) ? 'javascript' : 'python';
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return 'python';
  }
}

/** The .gitignore files from the filesystem root (or the repository root) down to `dir`. */
function ancestorLayers(dir: string): IgnoreLayer[] {
  const chain: string[] = [];
  for (let current = dir; ; current = path.dirname(current)) {
    chain.unshift(current);
    if (fs.existsSync(path.join(current, '.git')) || path.dirname(current) === current) break;
  }
  const layers: IgnoreLayer[] = [];
  for (const base of chain) {
    const rules = readGitignore(base);
    if (rules) layers.push({ base, rules });
  }
  return layers;
}

export function collectTargets(
  paths: readonly string[],
  cwd: string,
): { targets: CheckTarget[]; skipped: SkippedFile[] } {
  const targets = new Map<string, CheckTarget>();
  const skipped: SkippedFile[] = [];
  for (const given of paths) {
    const root = path.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(root);
    } catch {
      throw new UsageError(`${given}: no such file or directory`);
    }
    if (!stat.isDirectory()) {
      targets.set(root, { file: root, language: languageForPath(root) ?? guessLanguage(root) });
      continue;
    }
    // Iterative walk: deep trees cannot overflow the stack.
    const stack: Array<{ dir: string; layers: IgnoreLayer[] }> = [
      { dir: root, layers: ancestorLayers(root) },
    ];
    while (stack.length > 0) {
      const { dir, layers } = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch (error) {
        skipped.push({
          file: dir,
          reason: `cannot list the directory (${(error as NodeJS.ErrnoException).code ?? error})`,
        });
        continue;
      }
      const own = dir === root ? undefined : readGitignore(dir);
      const here = own ? [...layers, { base: dir, rules: own }] : layers;
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (SKIPPED_DIRECTORIES.has(entry.name) || isIgnored(here, full, true) || isEnvironment(full))
            continue;
          stack.push({ dir: full, layers: here });
        } else if (entry.isFile()) {
          const language = languageForPath(entry.name);
          if (!language || !/\.(py|js|mjs|cjs|ts)$/i.test(entry.name) || isIgnored(here, full, false))
            continue;
          targets.set(full, { file: full, language });
        }
      }
    }
  }
  return { targets: [...targets.values()].sort((a, b) => (a.file < b.file ? -1 : 1)), skipped };
}

export type ReadResult = { text: string } | { skip: string };

/** Reads a file as UTF-8 text, or says why it is skipped (unreadable, binary, not UTF-8). */
export function readSource(file: string): ReadResult {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    return { skip: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  if (bytes.subarray(0, 8192).includes(0)) return { skip: 'binary file (contains NUL bytes)' };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.startsWith('\uFEFF') ? text.slice(1) : text };
  } catch {
    return { skip: 'not valid UTF-8 text' };
  }
}
