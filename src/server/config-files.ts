// `sandbox-policy.toml` and `.sandbox-policy.json`: a policy kept in the project, for editors without a
// settings UI. Found like Ruff finds `ruff.toml`: the nearest one to the file, walking up to the workspace
// folder that holds it (or to the file system's root outside any folder). When both are in the same
// folder the TOML file wins. The file has the `--config` shape (preset, threshold, restrictedModules,
// allowedModules, rules, customPatterns) and is validated by the same schema. Read once per change of the
// file (its size and mtime are checked on each look-up).
import fs from 'node:fs';
import path from 'node:path';
import { PolicyConfigError, resolvePolicy, type PolicyConfig } from '../policy';

// smol-toml ships CommonJS next to its ES module, but its types only describe the latter.
type SmolToml = typeof import('smol-toml', { with: { 'resolution-mode': 'import' } });
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse: parseToml } = require('smol-toml') as SmolToml;

export const CONFIG_FILE_NAMES = ['sandbox-policy.toml', '.sandbox-policy.json'] as const;

export type ConfigFile =
  | { path: string; stamp: string; ok: true; config: PolicyConfig }
  | { path: string; stamp: string; ok: false; message: string };

interface Cached {
  stamp: string;
  file: ConfigFile;
}

function stampOf(stat: fs.Stats): string {
  return `${stat.size}:${stat.mtimeMs}`;
}

export class ConfigFiles {
  private readonly cache = new Map<string, Cached>();

  /** The config file that governs `filePath`, if any; `roots` are the workspace folders' paths. */
  find(filePath: string, roots: readonly string[]): ConfigFile | undefined {
    const root = roots
      .filter((r) => filePath === r || filePath.startsWith(r.endsWith(path.sep) ? r : r + path.sep))
      .sort((a, b) => b.length - a.length)[0];
    let dir = path.dirname(filePath);
    for (;;) {
      for (const name of CONFIG_FILE_NAMES) {
        const candidate = path.join(dir, name);
        const file = this.read(candidate);
        if (file) return file;
      }
      const parent = path.dirname(dir);
      if (dir === root || parent === dir) return undefined;
      dir = parent;
    }
  }

  private read(candidate: string): ConfigFile | undefined {
    let stat: fs.Stats | undefined;
    try {
      // Most folders have no config file: no exception for that (a thrown ENOENT costs more than the stat).
      stat = fs.statSync(candidate, { throwIfNoEntry: false });
    } catch {
      stat = undefined;
    }
    if (!stat) {
      this.cache.delete(candidate);
      return undefined;
    }
    if (!stat.isFile()) return undefined;
    const stamp = stampOf(stat);
    const cached = this.cache.get(candidate);
    if (cached?.stamp === stamp) return cached.file;
    const file = parseConfigFile(candidate, stamp);
    this.cache.set(candidate, { stamp, file });
    return file;
  }
}

/** Reads and validates one config file; a problem names the file and what is wrong. */
export function parseConfigFile(filePath: string, stamp = ''): ConfigFile {
  let data: unknown;
  try {
    const text = fs.readFileSync(filePath, 'utf8');
    // TOML tables come back with null prototypes: made plain, like JSON's.
    data = filePath.endsWith('.toml') ? JSON.parse(JSON.stringify(parseToml(text))) : JSON.parse(text);
  } catch (error) {
    const what = filePath.endsWith('.toml') ? 'TOML' : 'JSON';
    return {
      path: filePath,
      stamp,
      ok: false,
      message: `${filePath} is not valid ${what}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    };
  }
  try {
    resolvePolicy(data);
  } catch (error) {
    if (!(error instanceof PolicyConfigError)) throw error;
    return {
      path: filePath,
      stamp,
      ok: false,
      message: `${filePath}: ${error.message.replace(/^invalid policy: /, '')}`,
    };
  }
  const { $schema: _schema, ...config } = data as PolicyConfig;
  return { path: filePath, stamp, ok: true, config };
}

/** Keys of a config file that can only tighten the policy: an untrusted workspace keeps these alone. */
const TIGHTENING_KEYS: readonly (keyof PolicyConfig)[] = ['customPatterns'];

/**
 * The editor's policy config with a config file's keys on top (the project's file is a workspace-level
 * setting, so it wins, as a workspace setting wins over a user setting). Custom patterns add up. In an
 * untrusted workspace only the file's tightening keys count; the rest is returned as `ignored`.
 */
export function mergeConfigFile(
  editor: PolicyConfig,
  file: PolicyConfig,
  trusted: boolean,
): { config: PolicyConfig; ignored: string[] } {
  const merged: Record<string, unknown> = { ...editor };
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(file)) {
    if (value === undefined) continue;
    // Turning suppression comments off only tightens; turning them on would let the code waive its findings.
    const tightens =
      TIGHTENING_KEYS.includes(key as keyof PolicyConfig) ||
      (key === 'inlineSuppressions' && value === false);
    if (!trusted && !tightens) {
      ignored.push(key);
      continue;
    }
    merged[key] =
      key === 'customPatterns' ? [...(editor.customPatterns ?? []), ...(value as unknown[])] : value;
  }
  return { config: merged as PolicyConfig, ignored };
}
