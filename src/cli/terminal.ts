// What the CLI writes to a terminal: a sandboxed program's output, its traceback, file names. A terminal acts
// on the control sequences in what it prints (OSC 52 writes the clipboard, OSC 8 makes links, others set the
// title, clear the screen, move the cursor, or in some terminals answer with text that lands as typed
// input), so untrusted text could reach the host through them. On a terminal they are shown escaped
// (`\x1b]52;…`), as git does for a remote's messages; colours (SGR) stay. Piped output is left byte-exact.

/** A colour/style sequence (SGR), kept; or a control character other than tab, newline and carriage return. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /\x1b\[[0-9;:]{0,32}m|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g;

/** The text with every terminal control sequence but colours shown as `\xNN` escapes. */
export function forTerminal(text: string): string {
  return text.replace(CONTROL, (match) =>
    match.length > 1 ? match : `\\x${match.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** A writer for one of the process's streams: escaped when it is a terminal, byte-exact when piped. */
export function streamWriter(stream: {
  isTTY?: boolean;
  write(text: string): unknown;
}): (text: string) => void {
  return stream.isTTY ? (text) => void stream.write(forTerminal(text)) : (text) => void stream.write(text);
}
