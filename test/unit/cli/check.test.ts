// `sandbox-policy check` in-process through main() (and once through node dist/cli.js): each format,
// each exit code, configuration errors, missing paths, and the directory walk.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileChecker } from '../../../src/cli/check-one';
import { runCheck } from './check-helpers';
import { resolvePolicy } from '../../../src/policy';

const root = path.resolve(__dirname, '../../../..');
const examples = path.join(root, 'test/fixtures/examples');
const policies = path.join(root, 'test/fixtures/policy');

const run = (args: string[], cwd = root) => runCheck(args, cwd);

/** A throwaway project tree with everything the walker must skip or report. */
function makeTree(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-policy-check-'));
  const write = (file: string, content: string | Buffer): void => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  };
  write('.gitignore', 'ignored.py\nbuild/\n');
  write('ignored.py', 'import os\nos.system("ignored")\n');
  write('build/gen.py', 'import os\nos.system("build")\n');
  write('node_modules/pkg/index.js', 'require("child_process").exec("npm");\n');
  write('.venv/pyvenv.cfg', 'home = /usr\n');
  write('.venv/lib/site.py', 'import os\nos.system("venv")\n');
  write('env/conda-meta/history', '');
  write('env/lib/x.py', 'import os\nos.system("conda")\n');
  write('.git/hooks/pre-commit.py', 'import os\nos.system("git")\n');
  write('src/binary.py', Buffer.from([0x78, 0x3d, 0x31, 0x00, 0x01, 0x0a]));
  write('src/latin1.py', Buffer.from('# caf\xe9\nx = 1\n', 'latin1'));
  write('src/syntax_error.py', 'def broken(:\n    pass\neval(code)\n');
  write('src/ok.py', 'print(sum(range(10)))\n');
  write('src/suppressed.py', 'eval(x)  # sandbox-policy: ignore[dynamic-code]\n');
  write('src/sub/.gitignore', 'local.py\n');
  write('src/sub/local.py', 'exec(x)\n');
  write('src/app.mjs', 'import fs from "node:fs";\nfs.rmSync("x");\n');
  write('notes.txt', 'os.system("not a source file")\n');
  return dir;
}

describe('sandbox-policy check', () => {
  let tree: string;
  before(() => {
    tree = makeTree();
  });
  after(() => {
    fs.rmSync(tree, { recursive: true, force: true });
  });

  it('prints one Ruff-like line per finding and exits 1 on the examples', async () => {
    const { code, stdout } = await run(['test/fixtures/examples']);
    assert.equal(code, 1);
    const lines = stdout.split('\n').filter((line) => /^\S+:\d+:\d+: /.test(line));
    assert.ok(lines.length >= 10);
    for (const line of lines)
      assert.match(line, /^test\/fixtures\/examples\/\S+\.(py|js|ts):\d+:\d+: (LOW|MEDIUM|HIGH) [a-z-]+ \S/);
    assert.ok(
      stdout.includes('test/fixtures/examples/cleanup_helper.py:11:5: HIGH command-execution os.system'),
    );
    assert.match(stdout, /Checked 14 files with the production policy: .* 8 files not safe\./);
  });

  it('flags exactly the dangerous examples', async () => {
    const { stdout } = await run(['--format', 'json', examples]);
    const report = JSON.parse(stdout) as { files: Array<{ path: string; safe: boolean }> };
    const unsafe = report.files.filter((f) => !f.safe).map((f) => path.basename(f.path));
    assert.deepEqual(unsafe.sort(), [
      'cleanup_helper.py',
      'env_report.py',
      'miner.py',
      'model_loader.py',
      'plugin_runner.py',
      'postinstall.js',
      'sandbox_escape.py',
      'telemetry.ts',
    ]);
  });

  it('writes JSON version 1 with 1-based lines and columns', async () => {
    const { code, stdout } = await run(['--format=json', 'test/fixtures/examples/cleanup_helper.py']);
    assert.equal(code, 1);
    const report = JSON.parse(stdout);
    assert.equal(report.version, 1);
    assert.equal(report.preset, 'production');
    assert.equal(report.threshold, 'MEDIUM');
    assert.equal(report.files.length, 1);
    const [file] = report.files;
    assert.equal(file.path, 'test/fixtures/examples/cleanup_helper.py');
    assert.equal(file.safe, false);
    const system = file.findings.find((f: { ruleId: string }) => f.ruleId === 'command-execution');
    assert.deepEqual(Object.keys(system).sort(), [
      'message',
      'range',
      'ruleId',
      'severity',
      'suppressed',
      'violation',
    ]);
    assert.deepEqual(system.range, { start: { line: 11, column: 5 }, end: { line: 11, column: 11 } });
    assert.equal(system.violation, true);
    assert.equal(system.suppressed, false);
  });

  it('writes SARIF 2.1.0 with rules, help URIs, levels and suppressions', async () => {
    const { code, stdout } = await run(['--format', 'sarif', path.join(tree, 'src')], tree);
    assert.equal(code, 1);
    const sarif = JSON.parse(stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    const run0 = sarif.runs[0];
    assert.equal(run0.tool.driver.name, 'sandbox-policy');
    const ids = run0.tool.driver.rules.map((r: { id: string }) => r.id);
    assert.ok(ids.includes('dynamic-code') && ids.includes('file-delete'));
    for (const rule of run0.tool.driver.rules) {
      assert.match(rule.helpUri, new RegExp(`/docs/rules/${rule.id}\\.md$`));
      assert.ok(['error', 'warning', 'note', 'none'].includes(rule.defaultConfiguration.level));
    }
    const results = run0.results as Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      locations: Array<{
        physicalLocation: {
          artifactLocation: { uri: string };
          region: { startLine: number; startColumn: number };
        };
      }>;
      suppressions?: unknown[];
    }>;
    const suppressed = results.find(
      (r) => r.locations[0].physicalLocation.artifactLocation.uri === 'src/suppressed.py',
    );
    assert.ok(suppressed?.suppressions?.length === 1);
    const deletion = results.find((r) => r.ruleId === 'file-delete')!;
    assert.equal(deletion.level, 'error');
    assert.equal(ids[deletion.ruleIndex], 'file-delete');
    assert.deepEqual(deletion.locations[0].physicalLocation.region, {
      startLine: 2,
      startColumn: 1,
      endLine: 2,
      endColumn: 10,
    });
    const unreadable = results.find(
      (r) => r.locations[0].physicalLocation.artifactLocation.uri === 'src/binary.py',
    )!;
    assert.equal(unreadable.ruleId, 'unreadable-source');
    assert.equal(unreadable.level, 'error');
    assert.equal(ids[unreadable.ruleIndex], 'unreadable-source');
  });

  it('walks directories: .gitignore (nested too), .git, node_modules and virtualenvs are skipped', async () => {
    const { stdout } = await run(['--format', 'json', '.'], tree);
    const files = (JSON.parse(stdout).files as Array<{ path: string }>).map((f) => f.path).sort();
    assert.deepEqual(files, [
      'src/app.mjs',
      'src/binary.py',
      'src/latin1.py',
      'src/ok.py',
      'src/suppressed.py',
      'src/syntax_error.py',
    ]);
  });

  it('reports binary and undecodable files as unreadable-source (never safe) and notes syntax errors', async () => {
    const { stdout, stderr } = await run(['src'], tree);
    assert.match(
      stdout,
      /src\/binary\.py:1:1: HIGH unreadable-source cannot be checked: the file holds a NUL byte/,
    );
    assert.match(
      stdout,
      /src\/latin1\.py:1:1: HIGH unreadable-source cannot be checked: not valid UTF-8 and no coding declaration/,
    );
    assert.match(stderr, /src\/syntax_error\.py: note: syntax errors/);
    assert.match(stdout, /src\/syntax_error\.py:3:1: HIGH dynamic-code/);
    assert.ok(!stdout.includes('suppressed.py:'), 'suppressed findings are not printed in text output');
    assert.match(stdout, /1 suppressed/);
  });

  it('reports a file it cannot read as unreadable-source, not a crash', async () => {
    const checker = new FileChecker({ policy: resolvePolicy({}) });
    const { verdict } = await checker.check({ file: tree, language: 'python' });
    await checker.dispose();
    assert.equal(verdict.safe, false);
    assert.equal(verdict.findings[0].ruleId, 'unreadable-source');
    assert.match(verdict.findings[0].message, /cannot read the file \(EISDIR\)/);
  });

  it('exits 0 when nothing violates the policy', async () => {
    const { code, stdout } = await run(['src/ok.py', 'src/suppressed.py'], tree);
    assert.equal(code, 0);
    assert.match(stdout, /all files are safe/);
  });

  it('judges by --preset, --threshold and --config', async () => {
    const file = 'test/fixtures/examples/telemetry.ts';
    assert.equal((await run([file])).code, 1);
    // development: new Function is MEDIUM, writes, network and environment LOW, under its HIGH threshold.
    assert.equal((await run(['--preset', 'development', file])).code, 0);
    assert.equal(
      (await run(['--preset', 'development', 'test/fixtures/examples/cleanup_helper.py'])).code,
      1,
    );
    assert.equal(
      (await run(['--preset', 'development', '--threshold', 'high', 'test/fixtures/examples/env_report.py']))
        .code,
      0,
    );
    assert.equal(
      (await run(['--config', path.join(policies, 'lenient.json'), 'test/fixtures/examples/model_loader.py']))
        .code,
      0,
    );
    const strict = await run([
      '--config',
      path.join(policies, 'strict-plus.json'),
      '--format',
      'json',
      'test/fixtures/examples/sales_report.py',
    ]);
    assert.equal(strict.code, 1);
    assert.equal(JSON.parse(strict.stdout).preset, 'strict');
  });

  it('exits 2 with a message for a configuration error naming key and value', async () => {
    const bad = await run(['--config', path.join(policies, 'bad-severity.json'), 'test/fixtures/examples']);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /bad-severity\.json: invalid policy: threshold: "SEVERE" is not allowed; expected one of "SAFE", "LOW", "MEDIUM", "HIGH"/,
    );
    assert.equal(bad.stdout, '');
    const notJson = await run(['--config', path.join(policies, 'not-json.json'), 'x']);
    assert.equal(notJson.code, 2);
    assert.match(notJson.stderr, /not valid JSON/);
    const missingConfig = await run(['--config', 'nope.json', 'x']);
    assert.match(missingConfig.stderr, /nope\.json: cannot read the policy file \(no such file\)/);
  });

  it('exits 2 for usage errors: missing path, no path, bad option values', async () => {
    const missing = await run(['does/not/exist.py']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /does\/not\/exist\.py: no such file or directory/);
    assert.equal((await run([])).code, 2);
    assert.match(
      (await run(['--format', 'xml', 'x'])).stderr,
      /"xml" is not a format; expected one of text, json, sarif/,
    );
    assert.match((await run(['--preset', 'paranoid', 'x'])).stderr, /"paranoid" is not a preset/);
    assert.match((await run(['--threshold', 'urgent', 'x'])).stderr, /"urgent" is not a severity/);
    assert.match((await run(['--frobnicate', 'x'])).stderr, /unknown option "--frobnicate"/);
  });

  it('prints its help', async () => {
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--format FORMAT/);
  });

  it('works as the built binary: node dist/cli.js check', () => {
    const cli = path.join(root, 'dist/cli.js');
    assert.ok(fs.existsSync(cli), 'dist/cli.js is missing: run `npm run build` first');
    let status = 0;
    let stdout: string;
    try {
      stdout = execFileSync(
        process.execPath,
        [cli, 'check', '--format', 'json', 'test/fixtures/examples/miner.py'],
        {
          cwd: root,
          encoding: 'utf8',
        },
      );
    } catch (error) {
      const failed = error as { status: number; stdout: string };
      status = failed.status;
      stdout = failed.stdout;
    }
    assert.equal(status, 1);
    const report = JSON.parse(stdout);
    assert.equal(report.files[0].safe, false);
    assert.ok(report.files[0].findings.some((f: { ruleId: string }) => f.ruleId === 'resource-exhaustion'));
  });
});
