// What is uploaded to the sandbox: the script (the editor's text), and the sibling files the user listed,
// each resolved inside the script's folder (no "..", no symlink leading out of it) and size-capped.
import fs from 'node:fs/promises';
import path from 'node:path';

/** The sandbox user's home, the code-interpreter kernel's working directory. */
export const SANDBOX_WORKDIR = '/home/user';

export interface UploadFile {
  /** Absolute path inside the sandbox. */
  sandboxPath: string;
  /** Path shown to the user, relative to the script's folder. */
  displayName: string;
  data: Uint8Array;
}

export interface UploadPlan {
  script: UploadFile;
  files: UploadFile[];
  totalBytes: number;
}

/** A file name safe to use inside the sandbox: the display name's base name, or `main.py`. */
export function sandboxScriptName(filename: string): string {
  const base = filename.split(/[/\\]/).pop() ?? '';
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(base) ? base : 'main.py';
}

export class UploadError extends Error {
  override name = 'E2BUploadError';
}

/** "512 bytes", "2 KB", "1.5 MB" (powers of 1024), worded as the Pyodide runner words them. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024)
    return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KB`;
  return `${bytes} bytes`;
}

/**
 * Collects the upload. `sourcePath` is the script's absolute path on disk (needed only when sibling files
 * are listed). Throws `UploadError` with a message naming the file and what to change.
 */
export async function planUploads(
  code: string,
  filename: string,
  sourcePath: string | undefined,
  uploadFiles: readonly string[],
  maxUploadBytes: number,
): Promise<UploadPlan> {
  const scriptName = sandboxScriptName(filename);
  const script: UploadFile = {
    sandboxPath: `${SANDBOX_WORKDIR}/${scriptName}`,
    displayName: scriptName,
    data: new TextEncoder().encode(code),
  };
  let total = script.data.byteLength;
  const overCap = (what: string): UploadError =>
    new UploadError(
      `The upload to E2B would exceed its cap of ${formatBytes(maxUploadBytes)} at ${what}; ` +
        'raise maxUploadBytes or list fewer files in uploadFiles.',
    );
  if (total > maxUploadBytes) throw overCap(`the script itself (${formatBytes(total)})`);
  if (uploadFiles.length === 0) return { script, files: [], totalBytes: total };

  if (!sourcePath || !path.isAbsolute(sourcePath)) {
    throw new UploadError(
      'uploadFiles lists files to send with the script, but the script is not saved to disk, so they cannot ' +
        'be found; save the file first, or clear uploadFiles.',
    );
  }
  const folder = await fs.realpath(path.dirname(sourcePath));
  const files: UploadFile[] = [];
  const seen = new Set([scriptName]);
  for (const entry of uploadFiles) {
    const relative = entry.replace(/\\/g, '/').replace(/^\.\/+/, '');
    if (path.isAbsolute(entry) || /^[A-Za-z]:/.test(entry) || relative.split('/').includes('..')) {
      throw new UploadError(`uploadFiles entry "${entry}" must be a path inside the script's folder.`);
    }
    if (seen.has(relative)) continue;
    seen.add(relative);
    let real: string;
    try {
      real = await fs.realpath(path.join(folder, relative));
    } catch {
      throw new UploadError(
        `uploadFiles entry "${entry}" does not exist next to ${scriptName} (in ${folder}).`,
      );
    }
    if (!real.startsWith(folder + path.sep)) {
      throw new UploadError(
        `uploadFiles entry "${entry}" leads outside the script's folder (through a link).`,
      );
    }
    const stat = await fs.stat(real);
    if (!stat.isFile()) {
      throw new UploadError(`uploadFiles entry "${entry}" is not a regular file; list the files one by one.`);
    }
    total += stat.size;
    if (total > maxUploadBytes) throw overCap(`"${entry}" (${formatBytes(stat.size)})`);
    let data: Uint8Array;
    try {
      data = new Uint8Array(await fs.readFile(real));
    } catch (error) {
      throw new UploadError(`uploadFiles entry "${entry}" cannot be read: ${(error as Error).message}`, {
        cause: error,
      });
    }
    // Checked again on the bytes read: the file may have grown since it was measured.
    total += data.byteLength - stat.size;
    if (total > maxUploadBytes) throw overCap(`"${entry}" (${formatBytes(data.byteLength)})`);
    files.push({ sandboxPath: `${SANDBOX_WORKDIR}/${relative}`, displayName: relative, data });
  }
  return { script, files, totalBytes: total };
}
