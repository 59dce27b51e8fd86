import assert from 'node:assert/strict';
import { AnsiParser, ansiClasses, stripAnsi } from '../../../src/vscode/panel/ansi';

describe('ANSI output', () => {
  it('turns SGR colours into styles and drops the escapes', () => {
    const segments = new AnsiParser().push('plain \u001b[1;31mred bold\u001b[0m back');
    assert.deepEqual(segments, [
      { text: 'plain ', style: {} },
      { text: 'red bold', style: { bold: true, fg: 1 } },
      { text: ' back', style: {} },
    ]);
    assert.deepEqual(ansiClasses({ bold: true, fg: 1 }), ['ansi-fg-1', 'ansi-bold']);
  });

  it('removes cursor movement, screen clearing, OSC titles and hyperlinks, and bare control characters', () => {
    const text =
      '\u001b[2J\u001b[H\u001b]0;pwned title\u0007\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\ ok\u0007\u0008\r\n';
    assert.equal(stripAnsi(text), 'link ok\n');
  });

  it('keeps markup as text: there is nothing here that could become HTML', () => {
    assert.equal(stripAnsi('<img src=x onerror=alert(1)>'), '<img src=x onerror=alert(1)>');
  });

  it('completes a sequence split across chunks', () => {
    const parser = new AnsiParser();
    assert.deepEqual(parser.push('a\u001b[3'), [{ text: 'a', style: {} }]);
    assert.ok(parser.hasPending);
    assert.deepEqual(parser.push('2mgreen'), [{ text: 'green', style: { fg: 2 } }]);
  });

  it('does not buffer an unterminated sequence without bound', () => {
    const parser = new AnsiParser();
    parser.push(`\u001b]${'x'.repeat(10_000)}`);
    assert.equal(parser.hasPending, false);
    assert.deepEqual(parser.push('after'), [{ text: 'after', style: {} }]);
  });

  it('handles 256-colour and true-colour arguments without misreading them', () => {
    const segments = new AnsiParser().push('\u001b[38;2;255;0;0;4mu\u001b[38;5;9mb');
    assert.deepEqual(segments, [
      { text: 'u', style: { underline: true } },
      { text: 'b', style: { underline: true, fg: 9 } },
    ]);
  });
});
