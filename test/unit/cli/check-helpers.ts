// Shared by the `sandbox-policy check` tests: run the CLI in-process, build throwaway trees.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli';
import type { CliIO } from '../../../src/cli/io';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCheck(args: string[], cwd: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: {},
    cwd,
    signal: new AbortController().signal,
  };
  const code = await main(['check', ...args], io);
  return { code, stdout, stderr };
}

/** A temporary directory with `files` (path → content) written into it. */
export function makeDir(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-policy-check-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}
