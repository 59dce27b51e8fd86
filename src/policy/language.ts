// Which language (and grammar) a file is checked as.
import type { GrammarName } from '../assets';
import type { Language } from './types';
import { lookupTable } from './shared/lookup';

const BY_EXTENSION = lookupTable<Language>({
  '.py': 'python',
  '.pyw': 'python',
  '.pyi': 'python',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'typescript',
});

function extension(path: string): string {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

/** The language of a file by its extension, or undefined for files the engine does not check. */
export function languageForPath(path: string): Language | undefined {
  return BY_EXTENSION[extension(path)];
}

/** The tree-sitter grammar for a language; TypeScript files ending in .tsx use the TSX grammar. */
export function grammarFor(language: Language, path?: string): GrammarName {
  if (language === 'typescript') return path && extension(path) === '.tsx' ? 'tsx' : 'typescript';
  return language;
}
