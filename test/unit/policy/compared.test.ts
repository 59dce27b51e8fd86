// Where regex engines (LLM Sandbox), Ruff's flake8-bandit rules (S) and Bandit fall short, measured on
// tricky code: what we must catch that they miss, and their false positives we must not repeat.
import assert from 'node:assert/strict';
import { check, expectFinding, expectNoFinding, rulesOf } from './helpers';

describe('compared with Ruff (S rules), Bandit and regex engines', () => {
  describe('obfuscated forms Ruff and regex engines miss', () => {
    it('__import__("os").system(...)', async () => {
      await expectFinding('__import__("os").system("id")', 'command-execution', 1);
    });

    it('__import__ with a concatenated name, through a variable', async () => {
      const finding = await expectFinding(
        'm = __import__("o" + "s")\nm.system("id")',
        'command-execution',
        2,
      );
      assert.match(finding.message, /os\.system/);
    });

    it('importlib.import_module("subprocess")', async () => {
      await expectFinding(
        'import importlib\nimportlib.import_module("subprocess").call("id")',
        'command-execution',
        2,
      );
    });

    it('getattr(os, "sys" + "tem")', async () => {
      await expectFinding('import os\ngetattr(os, "sys" + "tem")("id")', 'command-execution', 2);
    });

    it('getattr with a reversed name held in a variable', async () => {
      await expectFinding(
        'import os\nname = "metsys"[::-1]\ngetattr(os, name)("id")',
        'command-execution',
        3,
      );
    });

    it('a base64-encoded module name', async () => {
      await expectFinding(
        'import base64\nm = __import__(base64.b64decode("c3VicHJvY2Vzcw==").decode())\nm.run(["id"])',
        'command-execution',
        3,
      );
    });

    it('a name built with chr() and join', async () => {
      await expectFinding(
        'n = "".join(chr(c) for c in [111, 115])\n__import__(n).system("id")',
        'command-execution',
        2,
      );
    });

    it('an f-string built name', async () => {
      await expectFinding('a = "o"\n__import__(f"{a}s").popen("id")', 'command-execution', 2);
    });

    it('rot13 through codecs', async () => {
      await expectFinding(
        'import codecs\n__import__(codecs.decode("bf", "rot13")).system("x")',
        'command-execution',
        2,
      );
    });

    it('sys.modules["os"]', async () => {
      await expectFinding('import sys\nsys.modules["os"].system("id")', 'command-execution', 2);
    });

    it('the builtins namespace by a computed key', async () => {
      await expectFinding('globals()["__builtins__"]["ev" + "al"]("1")', 'dynamic-code', 1);
    });

    it('import sys, os and aliases (which regex presets miss)', async () => {
      await expectFinding('import sys, os as o\no.system("id")', 'command-execution', 2);
    });

    it('subprocess reached through a local alias of the module', async () => {
      await expectFinding(
        'import subprocess\ndef f():\n    s = subprocess\n    s.run(["id"])',
        'command-execution',
        4,
      );
    });

    it('a getattr name nobody can compute is itself a finding', async () => {
      await expectFinding('import os\ngetattr(os, input())("id")', 'dynamic-attribute', 2);
    });
  });

  describe('false positives of regex engines and Bandit we must not repeat', () => {
    it('docstrings and comments that mention dangerous calls', async () => {
      await expectNoFinding(
        'def helper():\n    """Never call os.system("rm -rf /") or eval(x) here."""\n    # subprocess.run(cmd, shell=True)\n    return 1\n',
      );
    });

    it('model.eval(), re.compile and cursor.execute', async () => {
      assert.deepEqual(
        await rulesOf('import re\nmodel.eval()\npattern = re.compile("x")\ncursor.execute("SELECT 1")\n'),
        [],
      );
    });

    it('names shadowed by definitions, parameters and assignments', async () => {
      await expectNoFinding(
        'import os\ndef run(os, eval):\n    os.system("x")\n    eval("y")\nexec = print\nexec("z")\n',
      );
    });

    it('a dangerous-looking string handed to print', async () => {
      await expectNoFinding('print("subprocess.Popen(\'rm -rf /\', shell=True)")');
    });
  });

  it('reports each call once even when several names lead to it', async () => {
    const findings = await check('import os\ngetattr(os, "system")("x")');
    assert.equal(findings.filter((f) => f.ruleId === 'command-execution').length, 1);
  });
});
