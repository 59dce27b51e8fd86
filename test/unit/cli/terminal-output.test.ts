// A sandboxed program's output, and file names, reach the user's terminal: a terminal acts on control sequences
// (OSC 52 writes the clipboard, OSC 8 makes links, CSI clears the screen...), so on a terminal the CLI shows
// them escaped, and keeps them byte-exact when piped. End to end under a real pseudo-terminal (util-linux
// `script`, in Debian's essential set).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { forTerminal, streamWriter } from '../../../src/cli/terminal';

const root = path.resolve(__dirname, '../../../..');
const cli = path.join(root, 'dist', 'cli.js');

/** Prints sequences a terminal would act on, on stdout and on stderr (as an exception's message too). */
const PROGRAM = [
  'import sys',
  'print("clip\\x1b]52;c;Y3VybCBldmlsfHNo\\x07 title\\x1b]0;pwned\\x07 link\\x1b]8;;file:///etc\\x1b\\\\x\\x1b]8;;\\x1b\\\\")',
  'print("clear\\x1b[2J\\x1b[H c1\\x9b31m bs\\x08 del\\x7f colour\\x1b[1;31mred\\x1b[0m tab\\tend")',
  'sys.stderr.write("err\\x1b]52;c;eA==\\x07\\n")',
  'raise ValueError("msg\\x1b]0;again\\x07")',
  '',
].join('\n');

/** Every escape character in the text that does not start a colour sequence. */
function rawControls(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- control characters are what is checked
  return [...text.replace(/\x1b\[[0-9;]*m/g, '').matchAll(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g)].map(
    (m) => m[0],
  );
}

describe('terminal output of the CLI', function () {
  this.timeout(180_000);

  describe('forTerminal', () => {
    it('shows OSC, CSI, C1 and other control characters as \\xNN escapes', () => {
      assert.equal(forTerminal('a\x1b]52;c;eA==\x07b'), 'a\\x1b]52;c;eA==\\x07b');
      assert.equal(forTerminal('\x1b[2J\x1b[H'), '\\x1b[2J\\x1b[H');
      assert.equal(forTerminal('\x9b31m\x08\x7f\x00\x0b\x0c'), '\\x9b31m\\x08\\x7f\\x00\\x0b\\x0c');
      assert.equal(forTerminal('\x1bP+q\x1b\\'), '\\x1bP+q\\x1b\\');
    });

    it('keeps newlines, tabs, carriage returns, colours and all other text', () => {
      const text = 'line\n\ttab\rover \x1b[1;31mred\x1b[0m é 中 \u{1F600}';
      assert.equal(forTerminal(text), text);
    });

    it('does not keep a colour sequence whose parameters are too long to be one', () => {
      assert.equal(forTerminal(`\x1b[${'1;'.repeat(20)}m`), `\\x1b[${'1;'.repeat(20)}m`);
    });

    it('escapes only for a terminal', () => {
      const written: string[] = [];
      const sink = (isTTY: boolean) => ({ isTTY, write: (text: string) => written.push(text) });
      streamWriter(sink(true))('a\x1b]0;t\x07');
      streamWriter(sink(false))('a\x1b]0;t\x07');
      assert.deepEqual(written, ['a\\x1b]0;t\\x07', 'a\x1b]0;t\x07']);
    });
  });

  describe('through the built CLI', () => {
    let dir: string;
    let env: NodeJS.ProcessEnv;

    before(function () {
      if (process.platform !== 'linux') this.skip();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-policy-terminal-'));
      fs.writeFileSync(path.join(dir, 'escapes.py'), PROGRAM);
      env = { ...process.env, XDG_CACHE_HOME: path.join(dir, 'cache') };
    });

    after(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    /** The command's output as a terminal receives it (stdout and stderr both on the pseudo-terminal). */
    function onTerminal(args: string[]): string {
      const command = ['node', cli, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
      try {
        return execFileSync('script', ['-qec', command, '/dev/null'], { cwd: dir, env, encoding: 'utf8' });
      } catch (error) {
        // A failed run exits 1; its output is what is checked.
        return String((error as { stdout?: string }).stdout ?? '');
      }
    }

    it('a sandboxed program cannot send control sequences to the terminal, on stdout, stderr or in its traceback', () => {
      const shown = onTerminal(['run', '--preset', 'minimal', 'escapes.py']);
      assert.deepEqual(rawControls(shown), [], JSON.stringify(shown));

      assert.match(shown, /clip\\x1b\]52;c;Y3VybCBldmlsfHNo\\x07 title\\x1b\]0;pwned\\x07/);
      // eslint-disable-next-line no-control-regex -- control characters are what is checked
      assert.match(shown, /c1\\x9b31m bs\\x08 del\\x7f colour\x1b\[1;31mred\x1b\[0m tab\tend/);

      assert.match(shown, /err\\x1b\]52;c;eA==\\x07/);

      assert.match(shown, /ValueError: msg\\x1b\]0;again\\x07/);
    });

    it('piped, the output is the program’s bytes exactly', () => {
      let stdout = '';
      try {
        execFileSync('node', [cli, 'run', '--preset', 'minimal', 'escapes.py'], {
          cwd: dir,
          env,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      } catch (error) {
        stdout = String((error as { stdout?: string }).stdout);
      }
      assert.ok(
        stdout.includes('clip\x1b]52;c;Y3VybCBldmlsfHNo\x07 title\x1b]0;pwned\x07'),
        JSON.stringify(stdout),
      );
      assert.ok(stdout.includes('c1\x9b31m bs\x08 del\x7f colour\x1b[1;31mred\x1b[0m tab\tend'));
    });

    it('a reader that goes away ends the CLI as SIGPIPE would, without a stack trace', () => {
      fs.writeFileSync(path.join(dir, 'lines.py'), 'for i in range(60000):\n    print(i, flush=True)\n');
      const script = `set -o pipefail; node '${cli}' run --preset minimal lines.py 2> stderr.txt | head -c 10 > /dev/null`;
      let status = 0;
      try {
        execFileSync('bash', ['-c', script], { cwd: dir, env, stdio: 'ignore' });
      } catch (error) {
        status = (error as { status: number }).status;
      }
      const stderr = fs.readFileSync(path.join(dir, 'stderr.txt'), 'utf8');
      assert.equal(status, 141, stderr);
      assert.doesNotMatch(stderr, /EPIPE|at .*\(node:/);
    });

    it('a file name with control characters is shown escaped by check', () => {
      const name = 'evil\x1b]0;title\x07.py';
      fs.writeFileSync(path.join(dir, name), 'import os\nos.system("x")\n');
      const shown = onTerminal(['check', '--no-cache', name]);
      assert.deepEqual(rawControls(shown), [], JSON.stringify(shown));

      assert.match(shown, /evil\\x1b\]0;title\\x07\.py:2:1: \w+ command-execution/);
    });
  });
});
