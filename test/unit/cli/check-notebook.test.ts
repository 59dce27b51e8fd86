// `sandbox-policy check` on Jupyter notebooks: walked and named, positions as `cell N:line:col` in all three
// formats, malformed notebooks fail closed, and the worker pool and the cache treat them like any file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ipynb } from '../notebook/helpers';
import { makeDir, runCheck } from './check-helpers';

/** Cell 1 imports, cell 2 is markdown, cell 3 uses the import: a finding only the whole notebook shows. */
const CROSS_CELL = ipynb([
  'import os\n',
  ['markdown', '## Clean up'],
  'print("cleaning")\nos.system("rm -rf build")\n',
]);

describe('sandbox-policy check: notebooks', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeDir({
      'analysis.ipynb': CROSS_CELL,
      'clean.ipynb': ipynb(['x = 1', ['markdown', 'import os\nos.system("ls")']]),
      'broken.ipynb': '{"nbformat": 4, "cells": [',
      'old.ipynb': JSON.stringify({ nbformat: 3, worksheets: [] }),
      '.ipynb_checkpoints/analysis-checkpoint.ipynb': CROSS_CELL,
    });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('text: path:cell N:line:col, as Ruff writes it, found through an import in an earlier cell', async () => {
    const { code, stdout } = await runCheck(['--no-cache', 'analysis.ipynb'], dir);
    assert.equal(code, 1);
    assert.match(
      stdout,
      /^analysis\.ipynb:cell 3:2:1: HIGH command-execution os\.system runs a shell command/m,
    );
    assert.match(stdout, /Checked 1 file with the production policy/);
  });

  it('JSON: {cell, line, column} with the cell numbered among all cells', async () => {
    const { stdout } = await runCheck(['--no-cache', '--format', 'json', 'analysis.ipynb'], dir);
    const [file] = JSON.parse(stdout).files;
    assert.equal(file.path, 'analysis.ipynb');
    assert.equal(file.safe, false);
    assert.deepEqual(file.findings[0].range, {
      start: { cell: 3, line: 2, column: 1 },
      end: { cell: 3, line: 2, column: 10 },
    });
  });

  it('SARIF: a region within the cell and the cell in the message', async () => {
    const { stdout } = await runCheck(['--no-cache', '--format', 'sarif', 'analysis.ipynb'], dir);
    const [result] = JSON.parse(stdout).runs[0].results;
    assert.equal(result.ruleId, 'command-execution');
    assert.match(result.message.text, /\(cell 3\)$/);
    assert.equal(result.properties.cell, 3);
    assert.deepEqual(result.locations[0].physicalLocation.region, {
      startLine: 2,
      startColumn: 1,
      endLine: 2,
      endColumn: 10,
    });
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'analysis.ipynb');
  });

  it('walks directories for notebooks, skipping .ipynb_checkpoints; malformed ones fail closed', async () => {
    const { code, stdout } = await runCheck(['--no-cache', '--format', 'json', '.'], dir);
    assert.equal(code, 1);
    const files = JSON.parse(stdout).files as Array<{
      path: string;
      safe: boolean;
      findings: Array<{ ruleId: string; message: string; violation: boolean }>;
    }>;
    assert.deepEqual(
      files.map((file) => `${file.path}:${file.safe}`),
      ['analysis.ipynb:false', 'broken.ipynb:false', 'clean.ipynb:true', 'old.ipynb:false'],
    );
    const broken = files.find((file) => file.path === 'broken.ipynb')!;
    assert.equal(broken.findings[0].ruleId, 'unreadable-source');
    assert.match(
      broken.findings[0].message,
      /not a readable notebook: not valid JSON .*repair or re-save it/,
    );
    const old = files.find((file) => file.path === 'old.ipynb')!;
    assert.match(old.findings[0].message, /nbformat 3: only nbformat 4 notebooks are checked; convert it/);
    assert.equal(old.findings[0].violation, true);
  });

  it('a notebook that is not UTF-8 is unreadable, never safe', async () => {
    fs.writeFileSync(
      path.join(dir, 'latin.ipynb'),
      Buffer.from('{"nbformat": 4, "cells": [], "x": "caf\xe9"}', 'latin1'),
    );
    const { code, stdout } = await runCheck(['--no-cache', 'latin.ipynb'], dir);
    assert.equal(code, 1);
    assert.match(stdout, /latin\.ipynb:1:1: HIGH unreadable-source cannot be checked: not valid UTF-8/);
  });

  it('reports magics with their command in the text format', async () => {
    fs.writeFileSync(path.join(dir, 'magic.ipynb'), ipynb(['%pip install requests', 'files = !ls -la ~']));
    const { stdout } = await runCheck(['--no-cache', 'magic.ipynb'], dir);
    assert.match(stdout, /^magic\.ipynb:cell 1:1:1: HIGH package-install %pip installs packages/m);
    assert.match(
      stdout,
      /^magic\.ipynb:cell 2:1:9: HIGH command-execution ! runs a shell command: "ls -la ~"/m,
    );
  });

  it('the worker pool reports notebooks exactly as the main thread does', async () => {
    const one = await runCheck(['--no-cache', '--threads', '1', '--format', 'json', '.'], dir);
    const two = await runCheck(['--no-cache', '--threads', '2', '--format', 'json', '.'], dir);
    assert.equal(two.stdout, one.stdout);
  });

  it('the cache answers a notebook it has seen, and any change to the notebook misses', async () => {
    const cache = path.join(dir, 'cache');
    const first = await runCheck(
      ['--cache-dir', cache, '--threads', '1', '--format', 'json', 'analysis.ipynb'],
      dir,
    );
    const packs = fs.readdirSync(cache).filter((file) => file.endsWith('.json'));
    assert.equal(packs.length, 1);
    const { entries } = JSON.parse(fs.readFileSync(path.join(cache, packs[0]), 'utf8')) as {
      entries: object;
    };
    assert.equal(Object.keys(entries).length, 1);
    const second = await runCheck(
      ['--cache-dir', cache, '--threads', '1', '--format', 'json', 'analysis.ipynb'],
      dir,
    );
    assert.equal(second.stdout, first.stdout);
    // Cell 3 no longer uses the import: the verdict changes, so the cached one was not reused.
    fs.writeFileSync(
      path.join(dir, 'analysis.ipynb'),
      ipynb(['import os\n', ['markdown', 'x'], 'print(1)\n']),
    );
    const third = await runCheck(
      ['--cache-dir', cache, '--threads', '1', '--format', 'json', 'analysis.ipynb'],
      dir,
    );
    assert.equal(JSON.parse(third.stdout).files[0].safe, true);
  });
});
