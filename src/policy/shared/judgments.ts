// Judgments both analyzers make on constants: destructive commands, paths outside the working directory,
// sizes big enough to exhaust the machine.

/** A string, array, buffer or allocation of more elements (or bytes) than this exhausts memory. */
export const HUGE_SIZE = 100_000_000n;
/** A loop over a range of more items than this does not finish. */
export const HUGE_RANGE = 1_000_000_000n;

const DESTRUCTIVE_COMMANDS: RegExp[] = [
  /\brm\s+(?:-{1,2}[\w-]+\s+)*(?:\/|\/\*|~|~\/|\*|\$HOME|\/home|\/etc|\/usr|\/var|\/boot)(?:\s|$|;|&|\|)/,
  /\bmkfs(?:\.\w+)?\b/,
  /\bdd\s+[^|;&]*\bof=\/dev\//,
  /:\s*\(\s*\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:/,
  /\bformat\s+[a-z]:/i,
  /\b(?:shutdown|reboot|halt|poweroff)\b/,
  />\s*\/dev\/(?:sd|nvme|hd|xvd)\w*/,
  /\bchmod\s+(?:-R\s+)?0?777\s+\/(?:\s|$)/,
  /\bdel\s+\/[sfq]\b/i,
  // Downloading a script and piping it to a shell runs whatever the server sends.
  /\b(?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b/,
];

/** A command line that wipes, formats, fork-bombs or shuts down the machine. */
export function isDestructiveCommand(command: string): boolean {
  return DESTRUCTIVE_COMMANDS.some((pattern) => pattern.test(command));
}

const ROOT_PATHS =
  /^(?:\/|\/\*|~|~\/|\/home\/?|\/etc\/?|\/usr\/?|\/var\/?|\/boot\/?|[A-Za-z]:[\\/]?|\$HOME)$/;

/** A directory whose recursive deletion destroys the system or the user's home. */
export function isRootPath(path: string): boolean {
  return ROOT_PATHS.test(path.trim());
}

/** A constant path that leaves the working directory: absolute, home-relative, or climbing with "..". */
export function isOutsideWorkdir(path: string): boolean {
  return /^(?:\/|~|[A-Za-z]:[\\/]|\\\\)/.test(path) || /(?:^|[\\/])\.\.(?:[\\/]|$)/.test(path);
}

export function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}
