// The runner's own last-line input check (size cap, NUL bytes), used until the shared
// `checkRunInput` in src/sandbox/gate.ts is available; same contract: a message, or undefined if fine.
import type { RunLimits } from '../run-types';

export function checkInput(code: string, limits: RunLimits): string | undefined {
  const bytes = Buffer.byteLength(code, 'utf8');
  if (bytes > limits.maxCodeBytes) {
    return `The program is ${bytes} bytes, over the ${limits.maxCodeBytes}-byte cap on code size; split it or raise the cap.`;
  }
  if (code.includes('\0')) return 'The program contains a NUL byte, which Python source cannot; remove it.';
  return undefined;
}
