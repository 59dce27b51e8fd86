// Parameters typed by where their function sits: `self` in a subclass of a setuptools or distutils
// Command (whose spawn runs a program), and the context a task runner passes to a function decorated as
// an invoke or fabric task (whose run/sudo run commands, judged for destructive commands as SSH's are).
import assert from 'node:assert/strict';
import { resolvePolicy } from '../../../src/policy';
import { itFlags, itQuiet, sharedEngine } from './helpers';

describe('python: parameters typed by class base and decorator', () => {
  describe('self in a Command subclass', () => {
    itFlags([
      [
        'self.spawn in a setuptools Command',
        'from setuptools import Command\nclass BuildDocs(Command):\n    def run(self):\n        self.spawn(["make", "html"])',
        'command-execution',
        4,
      ],
      [
        'an aliased distutils base reached through its module',
        'import distutils.cmd as dc\nclass Gen(dc.Command):\n    def run(me):\n        me.spawn(cmd)',
        'command-execution',
        4,
      ],
      [
        'a subclass of a setuptools command class',
        'from setuptools.command.build_py import build_py as _build_py\nclass build_py(_build_py):\n    def run(self):\n        self.spawn(["protoc", "x.proto"])\n        super().run()',
        'command-execution',
        4,
      ],
      [
        'a class derived in the file from a Command subclass',
        'from distutils.core import Command\nclass Base(Command):\n    pass\nclass Clean(Base):\n    def run(self):\n        self.spawn(["rm", "-rf", "/"])',
        'destructive-command',
        6,
      ],
      [
        'a method with a typed self',
        'import setuptools\nclass C(setuptools.Command):\n    def run(self: "C") -> None:\n        self.spawn(argv)',
        'command-execution',
        4,
      ],
    ]);
    itQuiet([
      [
        'self.spawn in an unrelated class',
        'class Pool:\n    def run(self):\n        self.spawn(["make"])',
        'command-execution',
      ],
      [
        'a Command subclass that does not spawn',
        'from setuptools import Command\nclass Info(Command):\n    def run(self):\n        self.announce("hi")\n        self.run_command("build")',
        'command-execution',
      ],
      [
        'a static method whose first parameter is not self',
        'from setuptools import Command\nclass C(Command):\n    @staticmethod\n    def helper(pool):\n        pool.spawn(job)',
        'command-execution',
      ],
      [
        'a Command class of another library',
        'from cliff.command import Command\nclass Show(Command):\n    def take_action(self, args):\n        self.spawn(x)',
        'command-execution',
      ],
    ]);
  });

  describe('the context of an invoke or fabric task', () => {
    itFlags([
      [
        'c.run in an invoke task',
        'from invoke import task\n@task\ndef build(c):\n    c.run("make")',
        'command-execution',
        4,
      ],
      [
        'a task decorator with arguments',
        'from invoke import task\n@task(help={"env": "target"})\ndef deploy(ctx, env):\n    ctx.sudo("systemctl restart " + env)',
        'command-execution',
        4,
      ],
      [
        'an aliased import of the decorator',
        'from invoke import task as t\n@t(pre=[clean])\ndef release(c):\n    c.run(cmd)',
        'command-execution',
        4,
      ],
      [
        'the decorator through its module',
        'import invoke\n@invoke.task\ndef test(c):\n    c.run("pytest")',
        'command-execution',
        4,
      ],
      [
        'a destructive command in a fabric task',
        'from fabric import task\n@task\ndef wipe(c):\n    c.sudo("rm -rf /")',
        'destructive-command',
        4,
      ],
      [
        'the context handed on to a helper',
        'from invoke import task\ndef sh(c, cmd):\n    c.run(cmd)\n@task\ndef lint(c):\n    sh(c, "flake8")',
        'command-execution',
        3,
      ],
    ]);
    itQuiet([
      [
        'a task that does not run anything',
        'from invoke import task\n@task\ndef hello(c):\n    print("hello")',
      ],
      [
        'a function with another decorator',
        'import functools\n@functools.lru_cache\ndef get(c):\n    c.run("x")',
        'command-execution',
      ],
      [
        'a task decorator of another library',
        'from celery import task\n@task\ndef job(c):\n    c.run("x")',
        'command-execution',
      ],
      ['a run method on an ordinary parameter', 'def go(c):\n    c.run("make")', 'command-execution'],
    ]);
  });

  it('an edit inside a typed method gives what a full analysis gives', async () => {
    const engine = await sharedEngine();
    const policy = resolvePolicy({});
    const code =
      'from setuptools import Command\nclass Build(Command):\n    def run(self):\n        self.announce("x")\n';
    engine.update('doc://typed-edit', code, 'python', policy);
    const edit = { rangeOffset: code.indexOf('announce("x")'), rangeLength: 13, text: 'spawn(["make"])' };
    const text =
      code.slice(0, edit.rangeOffset) + edit.text + code.slice(edit.rangeOffset + edit.rangeLength);
    const result = engine.update('doc://typed-edit', text, 'python', policy, [edit]);
    assert.ok(result.findings.some((f) => f.ruleId === 'command-execution' && f.range.start.line === 3));
    assert.deepEqual(result, engine.analyze(text, 'python', policy));
    engine.close('doc://typed-edit');
  });
});
