// The test host's polling helper and its error filters: plain Node, no VS Code.
import * as assert from 'node:assert/strict';
import { expectedErrors, expectError, isExpected } from '../../host/expected-errors';
import { describeValue, waitFor, WaitTimeoutError } from '../../host/wait';

describe('test host: waitFor', () => {
  it('returns the first truthy value the check gives', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), 5000, 'three calls', {
      intervalMs: 1,
    });
    assert.deepEqual(value, { calls: 3 });
  });

  it('fails after the deadline, naming what it expected and what it saw last', async () => {
    const started = Date.now();
    await assert.rejects(
      waitFor(() => 'not yet'.length === 0, 200, 'the impossible', { intervalMs: 20 }),
      (error: unknown) => {
        assert.ok(error instanceof WaitTimeoutError);
        assert.match(error.message, /Timed out after 200 ms waiting for the impossible/);
        assert.match(error.message, /Expected: the impossible\n {2}Saw: false/);
        return true;
      },
    );
    assert.ok(Date.now() - started >= 200, 'gave up before its deadline');
  });

  it('counts a check that throws as "not yet", and shows its error as what was seen', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        if (++calls < 3) throw new Error('element not there');
        return 'there';
      },
      5000,
      'the element',
      { intervalMs: 1 },
    );
    assert.equal(value, 'there');
    await assert.rejects(
      waitFor(
        () => {
          throw new Error('element not there');
        },
        50,
        'the element',
        { intervalMs: 10 },
      ),
      /Saw: Error: element not there/,
    );
  });

  it('describes the state with `seen` when given', async () => {
    await assert.rejects(
      waitFor(() => undefined, 30, 'a diagnostic', { intervalMs: 10, seen: () => 'no diagnostics' }),
      /Expected: a diagnostic\n {2}Saw: no diagnostics/,
    );
  });

  it('renders what a check gave readably', () => {
    assert.equal(describeValue(undefined), 'nothing (undefined)');
    assert.equal(describeValue('text'), '"text"');
    assert.equal(describeValue([1, 2]), '[1,2]');
    assert.equal(describeValue(new TypeError('bad')), 'TypeError: bad');
  });
});

describe('test host: expected errors', () => {
  it('matches only the errors a test declared', () => {
    const before = expectedErrors().length;
    expectError(/Invalid setting: sandboxPolicy\.preset/g, 'a test sets an invalid preset');
    const declared = expectedErrors();
    assert.equal(declared.length, before + 1);
    assert.equal(declared[declared.length - 1].flags, '', 'a global flag would make matching stateful');
    assert.equal(isExpected('[error] Invalid setting: sandboxPolicy.preset: "paranoid"', declared), true);
    assert.equal(isExpected('[error] Invalid setting: sandboxPolicy.run.timeoutSeconds', declared), false);
  });
});
