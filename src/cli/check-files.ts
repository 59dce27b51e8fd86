// Finding the files `sandbox-policy check` looks at: directories walked iteratively, .gitignore honoured
// (the `ignore` package), .git, node_modules and virtual environments skipped. A path named on the command
// line is always checked, whatever an ignore file says (as Ruff does); a named file the engine cannot check
// is refused, and so is a walk that finds nothing to check, saying why.
import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { languageForPath } from '../policy/language';
import type { Language } from '../policy/types';
import { UsageError } from './io';

const NAMED_EXTENSIONS = '.py, .pyw, .pyi, .ipynb, .js, .mjs, .cjs, .jsx, .ts, .mts, .cts, .tsx';
/** Jupyter notebooks: their code cells are Python, checked as one program (src/notebook/). */
const NOTEBOOK = /\.ipynb$/i;

/** What a walk passed over, so that "nothing to check" can say why. */
export interface WalkExclusions {
  /** Files and directories excluded by a .gitignore. */
  ignored: number;
  /** Files whose extension the engine does not check, by extension. */
  otherExtensions: Map<string, number>;
  /** .git, node_modules, __pycache__ and virtual environments. */
  skippedDirectories: number;
  /** Symbolic links to directories: not followed, as git does not (and a link can make a cycle). */
  linkedDirectories: number;
}

export interface CheckTarget {
  /** Absolute path. */
  file: string;
  language: Language;
  /** A Jupyter notebook (`.ipynb`): `language` is its cells' (Python). */
  notebook?: true;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

const SKIPPED_DIRECTORIES = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '__pycache__',
  '.sandbox-policy-cache',
  '.ipynb_checkpoints', // Jupyter's autosaved copies of the notebooks next to it
]);

interface IgnoreLayer {
  base: string;
  rules: Ignore;
}

/** `dir`'s entry `name`: what path.join gives for an absolute, normalized `dir`, without normalizing again. */
function childPath(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
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

/** The language a script without an extension names in its shebang (`#!/usr/bin/env python3`, `node`). */
function shebangLanguage(file: string): Language | undefined {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(128);
      const n = fs.readSync(fd, head, 0, head.length, 0);
      const line = /^#!(.*)/.exec(head.subarray(0, n).toString('latin1'))?.[1] ?? '';
      if (/\bnode\b/.test(line)) return 'javascript';
      if (/\bpython[\d.]*\b/.test(line)) return 'python';
      return undefined;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

function extensionOf(file: string): string {
  const base = path.basename(file);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

/** A file named on the command line: checked if the engine knows its language, else refused (exit 2). */
function namedFile(given: string, file: string): CheckTarget {
  if (NOTEBOOK.test(file)) return { file, language: 'python', notebook: true };
  const language = languageForPath(file) ?? (extensionOf(file) === '' ? shebangLanguage(file) : undefined);
  if (language) return { file, language };
  const ext = extensionOf(file);
  throw new UsageError(
    `${given}: not a file the engine can check (${
      ext ? `extension "${ext}"` : 'no extension and no python or node shebang'
    }); it checks ${NAMED_EXTENSIONS} files`,
  );
}

/**
 * The .gitignore files from the repository root (or the filesystem root) down to `root`. A file whose rules
 * exclude `root` itself is dropped: the user named the directory, so it is checked (pyenv's checkout, for
 * one, ignores the `versions/` that holds every installed Python).
 */
function ancestorLayers(root: string): IgnoreLayer[] {
  const chain: string[] = [];
  for (let current = root; ; current = path.dirname(current)) {
    chain.unshift(current);
    if (fs.existsSync(path.join(current, '.git')) || path.dirname(current) === current) break;
  }
  const layers: IgnoreLayer[] = [];
  for (const base of chain) {
    const rules = readGitignore(base);
    if (!rules) continue;
    const layer = { base, rules };
    if (base !== root && isIgnored([layer], root, true)) continue;
    layers.push(layer);
  }
  return layers;
}

export function collectTargets(
  paths: readonly string[],
  cwd: string,
): { targets: CheckTarget[]; skipped: SkippedFile[]; excluded: WalkExclusions } {
  const targets = new Map<string, CheckTarget>();
  const skipped: SkippedFile[] = [];
  const excluded: WalkExclusions = {
    ignored: 0,
    otherExtensions: new Map(),
    skippedDirectories: 0,
    linkedDirectories: 0,
  };
  for (const given of paths) {
    const root = path.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(root);
    } catch {
      throw new UsageError(`${given}: no such file or directory`);
    }
    if (!stat.isDirectory()) {
      targets.set(root, namedFile(given, root));
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
      // Read only where the listing shows one: a failed read per directory costs an exception each.
      const own =
        dir !== root && entries.some((entry) => entry.name === '.gitignore') ? readGitignore(dir) : undefined;
      const here = own ? [...layers, { base: dir, rules: own }] : layers;
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const full = childPath(dir, entry.name);
        if (entry.isDirectory()) {
          if (SKIPPED_DIRECTORIES.has(entry.name) || isEnvironment(full)) excluded.skippedDirectories++;
          else if (isIgnored(here, full, true)) excluded.ignored++;
          else stack.push({ dir: full, layers: here });
        } else if (entry.isFile() || entry.isSymbolicLink()) {
          const language = languageForPath(entry.name);
          if (entry.name.startsWith('.')) continue; // .gitignore and friends: not source, not worth a mention
          // A link by the name of a source file is checked as one: what it points at is read when it is
          // checked, and a link that leads nowhere (dangling, a cycle) is then unreadable, never safe.
          if (entry.isSymbolicLink() && !language && !NOTEBOOK.test(entry.name) && isDirectoryLink(full)) {
            excluded.linkedDirectories++;
          } else if (NOTEBOOK.test(entry.name)) {
            if (isIgnored(here, full, false)) excluded.ignored++;
            else targets.set(full, { file: full, language: 'python', notebook: true });
          } else if (!language) {
            const ext = extensionOf(entry.name) || '(none)';
            excluded.otherExtensions.set(ext, (excluded.otherExtensions.get(ext) ?? 0) + 1);
          } else if (isIgnored(here, full, false)) excluded.ignored++;
          else targets.set(full, { file: full, language });
        }
      }
    }
  }
  return {
    targets: [...targets.values()].sort((a, b) => (a.file < b.file ? -1 : 1)),
    skipped,
    excluded,
  };
}

function isDirectoryLink(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Why a walk found nothing to check, for the exit-2 message. */
export function describeExclusions(excluded: WalkExclusions): string {
  const parts: string[] = [];
  if (excluded.ignored) parts.push(`${excluded.ignored} excluded by .gitignore`);
  const others = [...excluded.otherExtensions].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const otherCount = others.reduce((sum, [, n]) => sum + n, 0);
  if (otherCount) {
    const shown = others
      .slice(0, 5)
      .map(([ext, n]) => `${ext} ×${n}`)
      .join(', ');
    parts.push(
      `${otherCount} file${otherCount === 1 ? '' : 's'} with an extension it does not check (${shown}${
        others.length > 5 ? ', ...' : ''
      })`,
    );
  }
  if (excluded.skippedDirectories)
    parts.push(
      `${excluded.skippedDirectories} director${excluded.skippedDirectories === 1 ? 'y' : 'ies'} skipped (.git, node_modules, __pycache__, virtual environments)`,
    );
  if (excluded.linkedDirectories)
    parts.push(
      `${excluded.linkedDirectories} symbolic link${excluded.linkedDirectories === 1 ? '' : 's'} to a directory not followed (name the directory itself to check it)`,
    );
  return parts.length ? parts.join('; ') : 'the directories are empty';
}
