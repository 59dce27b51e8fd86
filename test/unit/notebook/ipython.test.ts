// IPython syntax never breaks analysis, and what it does is reported: shell commands, code runs, installs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { maskIPython } from '../../../src/notebook/ipython';
import { analyze, placesOf } from './helpers';

describe('IPython syntax masked to Python', () => {
  it('keeps the length, the line breaks and the Python around it', () => {
    const source =
      'import os\n%matplotlib inline\n!ls -la\nfiles = !ls\nos?\n??os.path\n  %time x = 1\nprint(1)\n';
    const { python } = maskIPython(source);
    assert.equal(python.length, source.length);
    assert.deepEqual(
      python.split('\n').map((line) => line.trimEnd()),
      ['import os', '0', '0', 'files = 0', '0', '0', '  0', 'print(1)', ''],
    );
  });

  it('leaves escapes inside strings and brackets alone', () => {
    const source = 'text = """\n!rm -rf /\n%pip install x\n"""\nvalues = [\n  1,\n]\n';
    assert.deepEqual(maskIPython(source), { python: source, uses: [] });
  });

  it('keeps a comment after a magic, so that suppressions work on the line', () => {
    assert.equal(maskIPython('!ls  # sandbox-policy: ignore').python, '0    # sandbox-policy: ignore');
  });

  it('masks a cell magic whose body is not Python, and analyses the body of %%time', async () => {
    assert.deepEqual(maskIPython('%%javascript\nalert(1)\n').python, '0           \n        \n');
    assert.deepEqual(await placesOf(['import os', '%%time\nos.system("ls")']), ['command-execution@2:2:1']);
    assert.deepEqual(await placesOf(['%%html\n<script>eval(x)</script>']), []);
  });
});

describe('IPython syntax reported', () => {
  const cases: Array<[string, string, string[], RegExp?]> = [
    [
      '!cmd',
      'x = 1\n!curl example.com/x.sh',
      ['command-execution@1:2:1'],
      /! runs a shell command: "curl example.com\/x.sh"/,
    ],
    ['!!cmd', '!!whoami', ['command-execution@1:1:1'], /!! runs a shell command: "whoami"/],
    ['an assignment from !cmd', 'out = !cat /etc/passwd', ['command-execution@1:1:7'], /"cat \/etc\/passwd"/],
    ['%system', '%system id', ['command-execution@1:1:1'], /%system runs a shell command: "id"/],
    ['%sx in an assignment', 'lines = %sx ls', ['command-execution@1:1:9']],
    ['an indented !cmd in a block', 'for i in range(2):\n    !echo hi\n', ['command-execution@1:2:5']],
    [
      '%%bash',
      '%%bash\nrm -rf build\n',
      ['command-execution@1:1:1'],
      /%%bash runs the cell as a script of another program: "rm -rf build"/,
    ],
    ['%%sh', '%%sh\nls\n', ['command-execution@1:1:1']],
    ['%%script', '%%script bash\nls\n', ['command-execution@1:1:1'], /"bash\\nls"/],
    ['a destructive !cmd', '!rm -rf /', ['command-execution@1:1:1', 'destructive-command@1:1:1']],
    ['%run', '%run helper.py', ['dynamic-code@1:1:1'], /%run runs the Python file "helper.py"/],
    [
      '%pip install',
      '%pip install requests',
      ['package-install@1:1:1'],
      /%pip installs packages \("install requests"\)/,
    ],
    ['%conda install', '%conda install -y numpy', ['package-install@1:1:1']],
    [
      '%load_ext',
      '%load_ext autoreload',
      ['package-install@1:1:1'],
      /%load_ext loads the IPython extension "autoreload"/,
    ],
    ['pip install alone in a one-line cell (automagic)', 'pip install pandas', ['package-install@1:1:1']],
    ['system alone in a one-line cell (automagic)', 'system ls', ['command-execution@1:1:1']],
    [
      '%%writefile',
      '%%writefile setup.py\nprint(1)\n',
      ['file-write@1:1:1'],
      /%%writefile writes the cell to "setup.py"/,
    ],
    ['an autocall escape', '/exec "import os"', ['dynamic-code@1:1:1'], /IPython autocall/],
  ];
  for (const [what, cell, expected, message] of cases) {
    it(what, async () => {
      assert.deepEqual(await placesOf([cell]), expected);
      if (message) {
        const findings = (await analyze([cell])).findings;
        assert.ok(
          findings.some((f) => message.test(f.message)),
          findings.map((f) => f.message).join('\n'),
        );
      }
    });
  }

  const neutral: Array<[string, string]> = [
    ['%matplotlib', '%matplotlib inline'],
    ['%pip list', '%pip list'],
    ['%timeit', '%timeit sum(range(10))'],
    ['%env', '%env DEBUG=1'],
    ['help', 'len?'],
    ['help on a dotted name', 'import os\nos.path.join??'],
    ['a variable named pip', 'pip = 3'],
    ['pip in a multi-line cell (no automagic)', 'x = 1\npip'],
    ['get_ipython() calls parse as Python', 'ip = get_ipython()\nip.user_ns["x"] = 1'],
  ];
  for (const [what, cell] of neutral) {
    it(`${what} is neutral`, async () => {
      const result = await analyze([cell]);
      assert.deepEqual(
        result.findings.map((f) => f.ruleId),
        [],
      );
      assert.equal(result.syntaxErrors, false);
    });
  }

  it('package-install follows the preset: reported under data_science, a violation under production', async () => {
    const lenient = (await analyze(['%pip install requests'], { preset: 'data_science' })).findings[0];
    assert.equal(lenient.severity, 'LOW');
    assert.equal(lenient.violation, false);
    const strict = (await analyze(['%pip install requests'], { preset: 'production' })).findings[0];
    assert.equal(strict.severity, 'HIGH');
    assert.equal(strict.violation, true);
  });

  it('suppression comments work on magic lines', async () => {
    const result = await analyze(['%pip install requests  # sandbox-policy: ignore[package-install]']);
    assert.equal(result.findings[0].suppressed, true);
    assert.equal(result.safe, true);
  });
});

describe('package-install documentation', () => {
  /** The `ipython` blocks of a `## Heading` section of the rule's page: each one a notebook cell. */
  function cells(heading: string): string[] {
    const page = fs.readFileSync(
      path.resolve(__dirname, '../../../../docs/rules/package-install.md'),
      'utf8',
    );
    const start = page.indexOf(`## ${heading}\n`);
    const section = page.slice(start, page.indexOf('\n## ', start + 3));
    return [...section.matchAll(/```ipython\n([\s\S]*?)```/g)].map((m) => m[1]);
  }

  it('flags every "Flagged" cell and none of the "Not flagged" ones', async () => {
    assert.ok(cells('Flagged').length >= 3);
    for (const cell of cells('Flagged'))
      assert.deepEqual(
        (await placesOf([cell])).map((place) => place.split('@')[0]),
        ['package-install'],
        cell,
      );
    for (const cell of cells('Not flagged')) assert.deepEqual(await placesOf([cell]), [], cell);
  });
});
