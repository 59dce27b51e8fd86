// Fail closed on input: Python source decoded as CPython decodes it (BOM, PEP 263 declarations), JS/TS as
// UTF-8, and everything that cannot be read that way reported as unreadable-source, never as safe: by the
// decoder, the engine (editor text) and the run gate.
import assert from 'node:assert/strict';
import { decodeSource, pythonCodingDeclaration, resolvePolicy } from '../../../src/policy';
import { gateRun } from '../../../src/sandbox/gate';
import { DEFAULT_LIMITS } from '../../../src/sandbox/run-types';
import { sharedEngine } from './helpers';

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');
/** cp1252 bytes: 0x80 is €, 0x93/0x94 are curly quotes (C1 controls in Latin-1). */
const cp1252 = (head: string, tail: string): Buffer =>
  Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from([0x93, 0x80, 0x94]), Buffer.from(tail, 'latin1')]);

function text(result: ReturnType<typeof decodeSource>): string {
  assert.ok('text' in result, `expected text, got: ${'problem' in result ? result.problem : ''}`);
  return result.text;
}

function problem(result: ReturnType<typeof decodeSource>): string {
  assert.ok('problem' in result, 'expected a problem, got text');
  return result.problem;
}

describe('source decoding (fail closed)', () => {
  it('decodes Latin-1 with a PEP 263 declaration, on line 1 or after a shebang on line 2', () => {
    assert.equal(
      text(decodeSource(latin1('# -*- coding: latin-1 -*-\ns = "caf\xe9"\n'), 'python')),
      '# -*- coding: latin-1 -*-\ns = "café"\n',
    );
    assert.equal(
      text(
        decodeSource(
          latin1('#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-1 :\nx = "\xe9\x85"\n'),
          'python',
        ),
      ).split('\n')[2],
      'x = "é\u0085"', // true Latin-1: 0x85 is U+0085, not cp1252's ellipsis
    );
    assert.deepEqual(pythonCodingDeclaration(latin1('# coding=latin_1\n')), { codec: 'latin_1', line: 1 });
  });

  it('refuses Latin-1 without a declaration, as Python does', () => {
    assert.match(
      problem(decodeSource(latin1('s = "caf\xe9"\n'), 'python')),
      /not valid UTF-8 and no coding declaration/,
    );
  });

  it('decodes cp1252 with its declaration and refuses it without', () => {
    assert.equal(
      text(decodeSource(cp1252('# coding: cp1252\ns = "', '"\n'), 'python')),
      '# coding: cp1252\ns = "“€”"\n',
    );
    assert.match(problem(decodeSource(cp1252('s = "', '"\n'), 'python')), /not valid UTF-8/);
  });

  it('ignores a declaration on line 2 when line 1 is code, and one on line 3', () => {
    assert.equal(pythonCodingDeclaration(latin1('x = 1\n# coding: latin-1\n')), undefined);
    assert.equal(pythonCodingDeclaration(latin1('#!/usr/bin/python\n\n# coding: latin-1\n')), undefined);
    assert.match(
      problem(decodeSource(latin1('x = 1\n# coding: latin-1\ns = "\xe9"\n'), 'python')),
      /not valid UTF-8/,
    );
  });

  it('refuses an unknown codec, naming it', () => {
    assert.match(
      problem(decodeSource(latin1('# -*- coding: klingon-8 -*-\nimport os\n'), 'python')),
      /unknown encoding "klingon-8" declared on line 1/,
    );
  });

  it('refuses a codec Python runs but the checker cannot decode, without saying Python refuses it', () => {
    // UTF-7 spells `s` as `+AHM-`: CPython runs this file's os.system.
    const message = problem(
      decodeSource(latin1('# coding: utf-7\nimport os\nos.+AHM-ystem("id")\n'), 'python'),
    );
    assert.match(message, /"utf-7" declared on line 1: the checker cannot decode it/);
    assert.doesNotMatch(message, /Python refuses to run the file/);
  });

  it('refuses bytes that are invalid in the declared codec', () => {
    assert.match(
      problem(decodeSource(Buffer.from('# coding: ascii\ns = "\xe9"\n', 'latin1'), 'python')),
      /not valid ascii text, the encoding declared on line 1/,
    );
  });

  it('strips a UTF-8 BOM (Python and JS/TS) and refuses a BOM with another declared codec', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    assert.equal(
      text(decodeSource(Buffer.concat([bom, Buffer.from('import os\n')]), 'python')),
      'import os\n',
    );
    assert.equal(
      text(decodeSource(Buffer.concat([bom, Buffer.from('eval(x)\n')]), 'javascript')),
      'eval(x)\n',
    );
    assert.match(
      problem(decodeSource(Buffer.concat([bom, latin1('# coding: latin-1\n')]), 'python')),
      /byte order mark but declares "latin-1"/,
    );
  });

  it('refuses a binary file named .py and any NUL byte, and non-UTF-8 JS/TS', () => {
    const binary = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]);
    assert.match(problem(decodeSource(binary, 'python')), /NUL byte/);
    assert.match(
      problem(decodeSource(Buffer.from('x = 1\ny = "\0"\nimport os\n'), 'python')),
      /NUL byte \(line 2\)/,
    );
    assert.match(problem(decodeSource(Buffer.from('eval(x)\0'), 'typescript')), /NUL byte/);
    assert.match(problem(decodeSource(latin1('// caf\xe9\n'), 'javascript')), /not valid UTF-8/);
    // A declaration means nothing to JavaScript.
    assert.match(
      problem(decodeSource(latin1('// coding: latin-1\n"\xe9"\n'), 'javascript')),
      /not valid UTF-8/,
    );
  });

  it('the engine and the run gate report text with a NUL byte as unreadable-source', async () => {
    const engine = await sharedEngine();
    const policy = resolvePolicy({ preset: 'minimal', threshold: 'HIGH' });
    const result = engine.analyze('print(1)\0\n', 'python', policy);
    assert.equal(result.safe, false);
    assert.deepEqual(
      result.findings.map((f) => [f.ruleId, f.severity, f.violation, f.suppressed]),
      [['unreadable-source', 'HIGH', true, false]],
    );
    const edited = engine.update(
      'doc://nul',
      'x = 1\0  # sandbox-policy: ignore[unreadable-source]\n',
      'python',
      policy,
    );
    assert.equal(edited.safe, false);
    engine.close('doc://nul');
    const decision = gateRun(engine, 'print(1)\0\n', 'x.py', policy, DEFAULT_LIMITS);
    assert.equal(decision.allowed, false);
    assert.equal(decision.findings[0]?.ruleId, 'unreadable-source');
  });

  it('a policy cannot switch unreadable-source off', () => {
    assert.throws(() => resolvePolicy({ rules: { 'unreadable-source': 'off' } }), /rules: unknown key/);
  });
});
