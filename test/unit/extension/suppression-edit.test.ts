import assert from 'node:assert/strict';
import {
  findLineComment,
  linesOf,
  suppressFileEdit,
  suppressLineEdit,
  type LineEdit,
} from '../../../src/server/suppression-edit';

/** Applies an edit to text, the way the editor would. */
function apply(text: string, edit: LineEdit | null): string {
  if (!edit) return text;
  const lines = text.split('\n');
  const line = lines[edit.line];
  lines[edit.line] = line.slice(0, edit.start) + edit.text + line.slice(edit.end);
  return lines.join('\n');
}

function suppress(
  text: string,
  line: number,
  rule: string,
  language: 'python' | 'javascript' = 'python',
): string {
  return apply(text, suppressLineEdit(linesOf(text), line, rule, language));
}

describe('suppression quick fix edits', () => {
  it('inserts a comment above the line with the same indentation', () => {
    const text = 'def f():\n    os.system("ls")\n';
    assert.equal(
      suppress(text, 1, 'os-command'),
      'def f():\n    # sandbox-policy: ignore[os-command]\n    os.system("ls")\n',
    );
  });

  it('keeps tab indentation', () => {
    assert.equal(
      suppress('if x:\n\teval(y)', 1, 'eval'),
      'if x:\n\t# sandbox-policy: ignore[eval]\n\teval(y)',
    );
  });

  it('uses // for JavaScript', () => {
    assert.equal(
      suppress('  eval(code);', 0, 'js-eval', 'javascript'),
      '  // sandbox-policy: ignore[js-eval]\n  eval(code);',
    );
  });

  it('merges into the directive on the line above instead of adding a second one', () => {
    const text = '# sandbox-policy: ignore[os-command]\nos.system(x); eval(y)';
    assert.equal(
      suppress(text, 1, 'eval'),
      '# sandbox-policy: ignore[os-command, eval]\nos.system(x); eval(y)',
    );
  });

  it('merges into a trailing directive on the line itself', () => {
    const text = 'import os, pickle  # sandbox-policy: ignore[os-import]';
    assert.equal(
      suppress(text, 0, 'pickle'),
      'import os, pickle  # sandbox-policy: ignore[os-import, pickle]',
    );
  });

  it('merges into a JavaScript directive, keeping the other rules and normalising spacing', () => {
    const text = 'run(); // sandbox-policy: ignore[ a ,b ]';
    assert.equal(suppress(text, 0, 'c', 'javascript'), 'run(); // sandbox-policy: ignore[a, b, c]');
  });

  it('changes nothing when the rule is already listed or a bare ignore covers the line', () => {
    assert.equal(suppressLineEdit(linesOf('x()  # sandbox-policy: ignore[eval]'), 0, 'eval', 'python'), null);
    assert.equal(suppressLineEdit(linesOf('# sandbox-policy: ignore\nx()'), 1, 'eval', 'python'), null);
  });

  it('does not mistake a # inside a string for a comment', () => {
    const text = 'os.system("echo # sandbox-policy: ignore[eval]")';
    assert.equal(
      suppress(text, 0, 'os-command'),
      '# sandbox-policy: ignore[os-command]\nos.system("echo # sandbox-policy: ignore[eval]")',
    );
  });

  it('adds a directive after an unrelated comment rather than editing it', () => {
    const text = '# compute things\nexec(code)';
    assert.equal(suppress(text, 1, 'exec'), '# compute things\n# sandbox-policy: ignore[exec]\nexec(code)');
  });

  it('appends to the line when the line above continues with a backslash', () => {
    const text = 'x = 1 + \\\n    eval(y)';
    assert.equal(suppress(text, 1, 'eval'), 'x = 1 + \\\n    eval(y)  # sandbox-policy: ignore[eval]');
  });

  it('rejects a line outside the document', () => {
    assert.throws(() => suppressLineEdit(linesOf('x'), 3, 'eval', 'python'), RangeError);
  });

  it('finds comments after strings with escaped quotes', () => {
    assert.equal(findLineComment('s = "a\\"#b"  # c', 'python'), 13);
    assert.equal(findLineComment('const u = "http://x"; // c', 'javascript'), 22);
    assert.equal(findLineComment('const t = `//`;', 'javascript'), undefined);
  });
});

describe('file-level suppression edits', () => {
  function suppressFile(text: string, rule: string, language: 'python' | 'javascript' = 'python'): string {
    const edit = suppressFileEdit(linesOf(text), rule, language);
    if (!edit) return text;
    const lines = text.split('\n');
    const line = lines[edit.line];
    lines[edit.line] = line.slice(0, edit.start) + edit.text + line.slice(edit.end);
    return lines.join('\n');
  }

  it('adds an ignore-file comment at the top', () => {
    assert.equal(
      suppressFile('import os\nos.system(x)\n', 'command-execution'),
      '# sandbox-policy: ignore-file[command-execution]\nimport os\nos.system(x)\n',
    );
    assert.equal(
      suppressFile('eval(x)', 'dynamic-code', 'javascript'),
      '// sandbox-policy: ignore-file[dynamic-code]\neval(x)',
    );
  });

  it('keeps a shebang and a coding declaration first', () => {
    assert.equal(
      suppressFile('#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\neval(x)', 'dynamic-code'),
      '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# sandbox-policy: ignore-file[dynamic-code]\neval(x)',
    );
    assert.equal(
      suppressFile('#!/usr/bin/env node', 'x', 'javascript'),
      '#!/usr/bin/env node\n// sandbox-policy: ignore-file[x]',
    );
  });

  it('merges into an existing ignore-file comment, and not into a line directive', () => {
    const text =
      '"""Doc."""\n# sandbox-policy: ignore-file[network-http]\n# sandbox-policy: ignore[eval]\neval(x)';
    assert.equal(
      suppressFile(text, 'dynamic-code'),
      '"""Doc."""\n# sandbox-policy: ignore-file[network-http, dynamic-code]\n# sandbox-policy: ignore[eval]\neval(x)',
    );
    assert.equal(suppressFileEdit(linesOf('# sandbox-policy: ignore-file\nx'), 'eval', 'python'), null);
  });

  it('does not take an ignore-file comment for a bare line ignore', () => {
    const text = 'os.system(x)  # sandbox-policy: ignore-file[eval]';
    assert.equal(
      suppress(text, 0, 'command-execution'),
      '# sandbox-policy: ignore[command-execution]\n' + text,
    );
  });
});
