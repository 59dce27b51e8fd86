// JavaScript that runs INSIDE the jail (part of the prelude): makes the program's steps that the driver
// queues in its `_STEP` list (the script, a notebook cell, what follows a task) with CPython's C API,
// called from JavaScript. No Python frame of the driver surrounds the program's code, so no line of the
// driver runs between the program's end and the moment the program's trace, profile and sys.monitoring
// hooks are turned off: a hook that fired on the driver's lines there replaced the program's exception
// (or its success) with its own. Pyodide's own call path was no way round that: it formats a raised
// exception with the traceback module, Python code that the hooks see, before JavaScript gets it.

/**
 * `(module, maybeFatal, driver, stopHooks, reportAgain) => (reported, failed) => void`: built once at boot
 * (the C functions are captured before any program runs), then called with the run's state.
 */
export const STEP_RUNNER = String.raw`(M, maybeFatal, driver, stopHooks, reportAgain) => {
  const call0 = M._PyObject_CallNoArgs;
  const call1 = M._PyObject_CallOneArg;
  const takeRaised = M._PyErr_GetRaisedException;
  const size = M._PyList_Size;
  const item = M._PyList_GetItem;
  const setSlice = M._PyList_SetSlice;
  const isTrue = M._PyObject_IsTrue;
  const isNone = M._Py_IsNone;
  const incRef = M._Py_IncRef;
  const decRef = M._Py_DecRef;
  // The proxies stay referenced for the interpreter's life, so the pointers stay valid.
  const held = [driver._STEP, driver.step_raised];
  const steps = M.PyProxy_getPtr(held[0]);
  const stepRaised = M.PyProxy_getPtr(held[1]);
  const dropRaised = () => {
    const exc = takeRaised();
    if (exc !== 0) decRef(exc);
  };
  const take = (index) => {
    const pointer = item(steps, index);
    incRef(pointer);
    return pointer;
  };
  // A step raised: the hooks go off before the driver (step_raised) sees what it raised.
  const raisedStep = (reported) => {
    const exc = takeRaised();
    stopHooks();
    if (exc !== 0) {
      const done = call1(stepRaised, exc);
      decRef(exc);
      if (done === 0) dropRaised();
      else decRef(done);
    }
    // Describing the exception runs the program's code, which may install hooks again that raise.
    if (!reported()) {
      stopHooks();
      try {
        reportAgain();
      } catch {
        // A Python error thrown to JavaScript: Pyodide's fatal-error path must not see it.
      }
    }
  };
  return (reported, failed) => {
    try {
      while (!reported() && size(steps) === 3) {
        const call = take(0);
        const then = take(1);
        const ends = isTrue(item(steps, 2));
        if (ends < 0) dropRaised();
        setSlice(steps, 0, 3, 0);
        const result = call0(call);
        decRef(call);
        if (result === 0) {
          decRef(then);
          raisedStep(reported);
          return;
        }
        if (ends === 1 && isNone(result)) stopHooks();
        const next = isNone(then) ? -1 : call1(then, result);
        decRef(then);
        decRef(result);
        if (next === 0) {
          raisedStep(reported);
          return;
        }
        if (next !== -1) decRef(next);
      }
    } catch (error) {
      // A JavaScript error through the interpreter (its exit, a fatal error): as Pyodide's own calls do.
      try {
        maybeFatal(error);
      } catch {}
      if (!reported()) failed(error);
    }
  };
}`;
