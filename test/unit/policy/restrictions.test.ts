// runtimeRestrictions: what the Pyodide runner enforces, from the same policy.
import assert from 'node:assert/strict';
import { resolvePolicy, runtimeRestrictions } from '../../../src/policy';

describe('runtime restrictions', () => {
  it('production blocks dynamic code, imports of process and socket modules, and file writes', () => {
    const r = runtimeRestrictions(resolvePolicy({}));
    assert.deepEqual(r.blockedBuiltins, ['__import__', 'compile', 'eval', 'exec']);
    for (const name of ['subprocess', 'socket', 'ctypes', 'pty'])
      assert.ok(r.blockedModules.includes(name), name);
    assert.ok(!r.blockedModules.includes('child_process'), 'JavaScript modules are not Python modules');
    assert.equal(r.allowFileWrites, false);
  });

  it('development keeps eval and file writes', () => {
    const r = runtimeRestrictions(resolvePolicy({ preset: 'development' }));
    assert.deepEqual(r.blockedBuiltins, []);
    assert.equal(r.allowFileWrites, true);
    assert.ok(r.blockedModules.includes('subprocess'));
  });

  it('follows overrides and allowed modules', () => {
    const r = runtimeRestrictions(
      resolvePolicy({
        preset: 'data_science',
        allowedModules: ['ctypes'],
        restrictedModules: [{ name: 'psutil', severity: 'HIGH' }],
      }),
    );
    assert.ok(r.blockedModules.includes('psutil'));
    assert.ok(!r.blockedModules.includes('ctypes'));
    assert.equal(r.allowFileWrites, true);
  });
});
