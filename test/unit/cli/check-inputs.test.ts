// `sandbox-policy check` fails closed on what it is given: named paths are checked whatever .gitignore says,
// a walk that finds nothing (or a named file of an unknown kind) is a usage error saying why, and a file
// that cannot be decoded as its runtime would is an unreadable-source violation in every preset.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { main } from '../../../src/cli';
import { formatText, type CheckReport } from '../../../src/cli/check-format';
import { PRESET_NAMES, resolvePolicy } from '../../../src/policy';
import { makeDir, runCheck } from './check-helpers';

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('sandbox-policy check: inputs fail closed', () => {
  const dirs: string[] = [];
  const tmp = (files: Record<string, string | Buffer>): string => {
    const dir = makeDir(files);
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('checks a named directory that an ancestor .gitignore excludes (a pyenv checkout)', async () => {
    const pyenv = tmp({
      '.git/HEAD': 'ref: refs/heads/master\n',
      '.gitignore': '/versions/\n*.pyc\n',
      'versions/3.12.0/lib/python3.12/os_helpers.py': 'import os\nos.system("id")\n',
      'versions/3.12.0/lib/python3.12/cached.pyc': 'x',
    });
    const { code, stdout } = await runCheck(['--no-cache', 'versions/3.12.0/lib/python3.12'], pyenv);
    assert.equal(code, 1);
    assert.match(stdout, /os_helpers\.py:2:1: HIGH command-execution/);
    assert.match(stdout, /Checked 1 file /);
    // A named file is checked whatever excludes it.
    const named = await runCheck(['--no-cache', 'versions/3.12.0/lib/python3.12/os_helpers.py'], pyenv);
    assert.equal(named.code, 1);
  });

  it('still honours the ignore files that do not exclude the named directory itself', async () => {
    const repo = tmp({
      '.git/HEAD': 'x',
      '.gitignore': 'generated_*.py\n',
      'src/app.py': 'print(1)\n',
      'src/generated_api.py': 'eval(x)\n',
    });
    const { code, stdout } = await runCheck(['--no-cache', '--format', 'json', 'src'], repo);
    assert.equal(code, 0);
    assert.deepEqual(
      JSON.parse(stdout).files.map((f: { path: string }) => f.path),
      ['src/app.py'],
    );
  });

  it('walks every kind of file the engine checks, not only the common extensions', async () => {
    // A repository's .tsx or .mts file is code too: a walk that passed over it would call it safe unseen.
    const files: Record<string, string> = {
      'app.jsx': 'const cp = require("child_process");\ncp.exec(cmd);\n',
      'view.tsx': 'const el = <div onClick={() => eval(code)} />;\n',
      'tool.mts': 'import { exec } from "node:child_process";\nexec(cmd);\n',
      'tool.cts': 'const cp = require("child_process");\ncp.execSync(cmd);\n',
      'gui.pyw': 'import os\nos.system(cmd)\n',
      'stub.pyi': 'import os\nos.system(cmd)\n',
    };
    const { code, stdout } = await runCheck(['--no-cache', '--format', 'json', '.'], tmp(files));
    assert.equal(code, 1);
    const report = JSON.parse(stdout) as { files: Array<{ path: string; safe: boolean }> };
    assert.deepEqual(
      report.files.map((file) => [file.path, file.safe]),
      Object.keys(files)
        .sort()
        .map((name) => [name, false]),
    );
  });

  it('exits 2 when a walk finds nothing to check, saying why', async () => {
    const dir = tmp({
      '.gitignore': 'skip.py\n',
      'skip.py': 'eval(x)\n',
      'notes.txt': 'eval(x)\n',
      'data.json': '{}',
      'README.md': '# x\n',
      'node_modules/a/index.js': 'eval(x)\n',
    });
    const { code, stdout, stderr } = await runCheck(['.'], dir);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /no checkable file found under \.: 1 excluded by \.gitignore/);
    assert.match(stderr, /3 files with an extension it does not check \(\.json ×1, \.md ×1, \.txt ×1\)/);
    assert.match(stderr, /1 directory skipped/);
  });

  it('refuses a named file with an extension it does not know (exit 2), never calling it safe', async () => {
    const dir = tmp({
      'notes.txt': 'import os\nos.system("id")\n',
      tool: 'echo hi\n',
      script: '#!/usr/bin/env python3\nimport os\nos.system("id")\n',
    });
    const txt = await runCheck(['notes.txt'], dir);
    assert.equal(txt.code, 2);
    assert.match(
      txt.stderr,
      /notes\.txt: not a file the engine can check \(extension "\.txt"\); it checks \.py/,
    );
    const bare = await runCheck(['tool'], dir);
    assert.equal(bare.code, 2);
    assert.match(
      bare.stderr,
      /tool: not a file the engine can check \(no extension and no python or node shebang\)/,
    );
    // An extensionless script that says it is Python is checked as Python.
    assert.equal((await runCheck(['--no-cache', 'script'], dir)).code, 1);
  });

  it('decodes a Latin-1 file by its declaration and reports what it does', async () => {
    const dir = tmp({
      'legacy.py': latin1('# -*- coding: latin-1 -*-\n# r\xe9sum\xe9\nimport os\nos.system("id")\n'),
    });
    const { code, stdout } = await runCheck(['--no-cache', 'legacy.py'], dir);
    assert.equal(code, 1);
    assert.match(stdout, /legacy\.py:4:1: HIGH command-execution/);
  });

  it('makes an undecodable file a HIGH violation in every preset, in text, JSON and SARIF', async () => {
    const dir = tmp({
      'cp1252.py': Buffer.concat([latin1('s = "'), Buffer.from([0x93, 0x80, 0x94]), latin1('"\n')]),
      'unknown.py': '# coding: klingon-8\nprint(1)\n',
      'nul.py': 'print(1)  # sandbox-policy: ignore[unreadable-source]\n\0\n',
    });
    for (const preset of PRESET_NAMES) {
      const { code, stdout } = await runCheck(
        ['--no-cache', '--preset', preset, '--threshold', 'HIGH', '--format', 'json', '.'],
        dir,
      );
      assert.equal(code, 1, preset);
      const files = JSON.parse(stdout).files as Array<{
        path: string;
        safe: boolean;
        findings: Array<{ ruleId: string; severity: string; violation: boolean; suppressed: boolean }>;
      }>;
      assert.equal(files.length, 3);
      for (const file of files) {
        assert.equal(file.safe, false, file.path);
        assert.deepEqual(
          file.findings.map((f) => [f.ruleId, f.severity, f.violation, f.suppressed]),
          [['unreadable-source', 'HIGH', true, false]],
        );
      }
    }
    const text = await runCheck(['--no-cache', 'unknown.py'], dir);
    assert.match(
      text.stdout,
      /unknown\.py:1:1: HIGH unreadable-source cannot be checked: unknown encoding "klingon-8"/,
    );
    const sarif = JSON.parse((await runCheck(['--no-cache', '--format', 'sarif', 'cp1252.py'], dir)).stdout);
    assert.equal(sarif.runs[0].results[0].ruleId, 'unreadable-source');
    assert.equal(sarif.runs[0].results[0].level, 'error');
  });

  it('run refuses a program it cannot decode, even with --no-gate, naming the reason', async () => {
    const dir = tmp({ 'prog.py': '# coding: klingon-8\nprint(1)\n' });
    let stderr = '';
    const code = await main(['run', '--no-gate', 'prog.py'], {
      stdout: () => undefined,
      stderr: (text) => (stderr += text),
      env: {},
      cwd: dir,
      signal: new AbortController().signal,
    });
    assert.equal(code, 1);
    assert.match(stderr, /prog\.py:1:1: HIGH unreadable-source/);
    assert.match(stderr, /not run: unknown encoding "klingon-8"/);
    assert.ok(!fs.existsSync(path.join(dir, '.sandbox-policy-cache')), 'run never touches the cache');
  });

  it('checks a symbolic link named like a source file, and a link that leads nowhere is not safe', async () => {
    const dir = tmp({ 'real/tool.py': 'import os\nos.system("id")\n', 'ok.py': 'print(1)\n' });
    fs.symlinkSync(path.join(dir, 'real/tool.py'), path.join(dir, 'linked.py'));
    fs.symlinkSync(path.join(dir, 'missing.py'), path.join(dir, 'dangling.py'));
    fs.symlinkSync(path.join(dir, 'loop-b.py'), path.join(dir, 'loop-a.py'));
    fs.symlinkSync(path.join(dir, 'loop-a.py'), path.join(dir, 'loop-b.py'));
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'elsewhere'));
    const { code, stdout } = await runCheck(['--no-cache', '.'], dir);
    assert.equal(code, 1);
    assert.match(stdout, /^linked\.py:2:1: HIGH command-execution/m);
    assert.match(stdout, /^dangling\.py:1:1: HIGH unreadable-source .*ENOENT/m);
    assert.match(stdout, /^loop-a\.py:1:1: HIGH unreadable-source .*ELOOP/m);
    assert.match(stdout, /^loop-b\.py:1:1: HIGH unreadable-source .*ELOOP/m);
    // The link to a directory is not followed (git does not either); the directory itself is walked.
    assert.doesNotMatch(stdout, /elsewhere/);
    assert.match(stdout, /^real\/tool\.py:2:1: HIGH command-execution/m);
  });

  it('says why a walk of nothing but a link to a directory checked nothing', async () => {
    const dir = tmp({ 'real/tool.py': 'import os\n' });
    const walked = tmp({});
    fs.symlinkSync(path.join(dir, 'real'), path.join(walked, 'elsewhere'));
    const { code, stderr } = await runCheck(['--no-cache', '.'], walked);
    assert.equal(code, 2);
    assert.match(
      stderr,
      /1 symbolic link to a directory not followed \(name the directory itself to check it\)/,
    );
  });

  it('never calls a run safe when a directory in it could not be listed', () => {
    const report: CheckReport = {
      policy: resolvePolicy({}),
      files: [{ path: 'ok.py', safe: true, syntaxErrors: false, truncated: false, findings: [] }],
      skipped: [{ file: '/x/private', path: 'private', reason: 'cannot list the directory (EACCES)' }],
    };
    const { stdout, stderr } = formatText(report);
    assert.match(stderr, /private: skipped: cannot list the directory \(EACCES\)/);
    assert.match(stdout, /1 directory could not be read, so not safe\.$/m);
    assert.doesNotMatch(stdout, /all files are safe/);
  });
});
