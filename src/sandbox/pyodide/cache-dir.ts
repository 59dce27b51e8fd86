// Where Sandbox Policy keeps files it can always rebuild (the interpreter's memory snapshot): the
// platform's per-user cache folder. A pure function of its inputs, so that each platform is tested
// on any machine.
import path from 'node:path';

export const CACHE_FOLDER_NAME = 'sandbox-policy';

export interface CacheDirInput {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  homedir: string;
}

/**
 * Linux and other Unix: `$XDG_CACHE_HOME/sandbox-policy` (the XDG spec ignores a relative value),
 * else `~/.cache/sandbox-policy`. macOS: `~/Library/Caches/sandbox-policy`. Windows:
 * `%LOCALAPPDATA%\sandbox-policy\Cache`, else `~\AppData\Local\sandbox-policy\Cache`.
 */
export function userCacheDir({ platform, env, homedir }: CacheDirInput): string {
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA && path.win32.isAbsolute(env.LOCALAPPDATA) ? env.LOCALAPPDATA : undefined;
    return path.win32.join(local ?? path.win32.join(homedir, 'AppData', 'Local'), CACHE_FOLDER_NAME, 'Cache');
  }
  if (platform === 'darwin') return path.posix.join(homedir, 'Library', 'Caches', CACHE_FOLDER_NAME);
  const xdg =
    env.XDG_CACHE_HOME && path.posix.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : undefined;
  return path.posix.join(xdg ?? path.posix.join(homedir, '.cache'), CACHE_FOLDER_NAME);
}
