// Reads VS Code's own logs after a run: copies them next to the run's other logs and returns the
// error lines that are not known noise (an extension that throws while activating, a failed
// command, a crashed extension host).
import fs from 'node:fs';
import path from 'node:path';
import { isNoise } from './noise.mjs';

function logFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...logFiles(file));
    else if (entry.name.endsWith('.log')) found.push(file);
  }
  return found;
}

/** One log entry per element: a line starting with a timestamp and the lines that follow it. */
function entries(text) {
  const result = [];
  for (const line of text.split('\n')) {
    if (/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d/.test(line) || result.length === 0) result.push(line);
    else result[result.length - 1] += `\n${line}`;
  }
  return result;
}

/** Error entries of the server-side logs of `run` (extension host, server), minus noise. */
export function extensionHostErrors(run) {
  const source = path.join(run.userDataDir, 'logs');
  const copy = path.join(run.logsDir, 'server');
  const errors = [];
  for (const file of logFiles(source)) {
    const relative = path.relative(source, file);
    fs.mkdirSync(path.dirname(path.join(copy, relative)), { recursive: true });
    fs.copyFileSync(file, path.join(copy, relative));
    for (const entry of entries(fs.readFileSync(file, 'utf8'))) {
      if (/\[error\]/.test(entry.split('\n')[0]) && !isNoise(entry)) {
        // The message and the top of its stack; the whole entry is in the copied log.
        const lines = entry.trim().split('\n');
        const shown = lines.slice(0, 3).join('\n');
        errors.push(
          `error in ${relative}: ${shown}${lines.length > 3 ? `\n  … (${lines.length - 3} more lines)` : ''}`,
        );
      }
    }
  }
  return errors;
}
