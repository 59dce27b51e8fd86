// JavaScript that runs INSIDE the jail's `node:vm` context, before Pyodide and before any untrusted
// code. It supplies the few globals Emscripten's shell mode and Pyodide need, each backed by a host
// callback that takes and returns primitives only, and returns a "bridge": the only jail functions the
// host ever calls. The host never reads a property of a jail object after `install` returns.
//
// Rules this code keeps (each was a real escape in an earlier design):
// - a host callback is only ever called through `guard`, so a host-realm error (for example the
//   RangeError V8 raises in the callee's realm when the stack runs out on entry) never reaches jail code;
// - `Error.prepareStackTrace` and the `Error` global are locked: Node formats stack traces through
//   `globalThis.Error.prepareStackTrace`, and CallSite objects expose functions and receivers;
// - `WebAssembly.compileStreaming`/`instantiateStreaming` are removed: Node implements them and rejects
//   with host-realm errors;
// - `import()` in any jail script is answered by the host with an error created here, in the jail.

import { INTRINSICS_REPLACED, INTRINSICS_WATCH } from './jail-intrinsics';
import { STEP_RUNNER } from './jail-steps';

/** Jail paths the host serves while the interpreter boots (refused afterwards). */
export const PRELUDE_SNAPSHOT_PATH = '/pyodide/snapshot.bin';

/**
 * Wraps a host callback for jail code: whatever the host function throws (it never throws on purpose,
 * but V8 raises a stack overflow on entry in the callee's realm) is swallowed here, in the jail, so
 * that no host-realm error object ever reaches jail code.
 */
export const HOST_CALL_GUARD = String.raw`(fn) => function (a, b, c, d, e) {
  try {
    return fn(a, b, c, d, e);
  } catch {
    return undefined;
  }
}`;

export const JAIL_PRELUDE = String.raw`"use strict";
(function () {
  Object.defineProperty(Error, "prepareStackTrace", { value: undefined, writable: false, configurable: false });
  Object.defineProperty(globalThis, "Error", { value: Error, writable: false, configurable: false });
  delete WebAssembly.compileStreaming;
  delete WebAssembly.instantiateStreaming;

  const JailTypeError = TypeError;
  const JailError = Error;
  const JailUint8Array = Uint8Array;
  const JailInt32Array = Int32Array;
  const JailSharedArrayBuffer = SharedArrayBuffer;
  const atomicExchange = Atomics.exchange;
  const isView = ArrayBuffer.isView;
  const defineProperty = Object.defineProperty;
  const apply = Reflect.apply;
  const JailMap = Map;
  const jailString = String;
  // Emscripten grows the interpreter's memory through Memory.prototype.grow, which throws past the
  // cap: a refusal during a run goes with its report (memory-outcome.ts).
  const memoryGrow = WebAssembly.Memory.prototype.grow;
  let growthRefused = false;
  defineProperty(WebAssembly.Memory.prototype, "grow", {
    value: function grow(delta) {
      try {
        return apply(memoryGrow, this, [delta]);
      } catch (error) {
        growthRefused = true;
        throw error;
      }
    },
    writable: true,
    configurable: true,
  });

  return function install(host) {
    const guard = ${HOST_CALL_GUARD};
    const h = {
      fileSize: guard(host.fileSize),
      readFile: guard(host.readFile),
      write: guard(host.writeOutput),
      log: guard(host.log),
      now: guard(host.now),
      random: guard(host.randomFill),
      setTimer: guard(host.setTimer),
      clearTimer: guard(host.clearTimer),
      decode: guard(host.decode),
      booted: guard(host.booted),
      finished: guard(host.finished),
    };
    const G = globalThis;
    const define = (name, value) => defineProperty(G, name, { value, writable: true, configurable: true });

    // Shell-environment file access (Emscripten ENVIRONMENT_IS_SHELL, Pyodide IN_SHELL): copies into
    // jail buffers; the host answers only while the interpreter boots.
    const readbuffer = (name) => {
      const path = jailString(name).replace(/^file:\/\//, "");
      const size = h.fileSize(path);
      if (typeof size !== "number" || size < 0) throw new JailError("the sandbox cannot read " + path);
      const bytes = new JailUint8Array(size);
      if (h.readFile(path, bytes) !== 1) throw new JailError("the sandbox cannot read " + path);
      return bytes.buffer;
    };
    define("readbuffer", readbuffer);
    define("read", (name, kind) => {
      const bytes = new JailUint8Array(readbuffer(name));
      if (kind === "binary") return bytes;
      return new TextDecoder().decode(bytes);
    });
    define("load", () => {
      throw new JailError("load() is disabled in the sandbox");
    });
    // Makes Emscripten take its worker branch (crypto.getRandomValues) and Pyodide its shell branch.
    define("WorkerGlobalScope", function WorkerGlobalScope() {});
    define("print", (text) => void h.log(1, jailString(text)));
    define("printErr", (text) => void h.log(2, jailString(text)));

    // Timers live on the host's event loop; the host only ever sees a number and calls fireTimer(id).
    const timers = new JailMap();
    let nextTimer = 1;
    const schedule = (callback, ms, args, repeat) => {
      if (typeof callback !== "function") return 0; // a string callback would need eval
      const id = nextTimer++;
      const delay = Math.max(0, Number(ms) || 0);
      timers.set(id, { callback, args, delay, repeat });
      if (h.setTimer(id, delay) !== 1) timers.delete(id);
      return id;
    };
    const cancel = (id) => {
      if (timers.delete(id)) h.clearTimer(id);
    };
    const fireTimer = (id) => {
      const timer = timers.get(id);
      if (timer === undefined) return;
      if (!timer.repeat) timers.delete(id);
      else if (h.setTimer(id, timer.delay) !== 1) timers.delete(id);
      try {
        apply(timer.callback, undefined, timer.args);
      } catch {}
    };
    define("setTimeout", (callback, ms, ...args) => schedule(callback, ms, args, false));
    define("setInterval", (callback, ms, ...args) => schedule(callback, ms, args, true));
    define("clearTimeout", cancel);
    define("clearInterval", cancel);
    define("queueMicrotask", (callback) => {
      Promise.resolve().then(() => callback());
    });
    define("performance", { now: () => h.now(), timeOrigin: 0 });
    define("crypto", {
      getRandomValues: (view) => {
        if (!isView(view)) throw new JailTypeError("getRandomValues expects a typed array");
        if (view.byteLength > 65536) throw new JailError("getRandomValues: at most 65536 bytes at a time");
        h.random(new JailUint8Array(view.buffer, view.byteOffset, view.byteLength));
        return view;
      },
    });

    const utf8Into = (input, dest) => {
      const s = jailString(input);
      let read = 0;
      let written = 0;
      while (read < s.length) {
        let code = s.charCodeAt(read);
        let units = 1;
        if (code >= 0xd800 && code <= 0xdbff && read + 1 < s.length) {
          const low = s.charCodeAt(read + 1);
          if (low >= 0xdc00 && low <= 0xdfff) {
            code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
            units = 2;
          }
        }
        if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
        const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
        if (dest !== null) {
          if (written + size > dest.length) break;
          if (size === 1) dest[written] = code;
          else if (size === 2) {
            dest[written] = 0xc0 | (code >> 6);
            dest[written + 1] = 0x80 | (code & 63);
          } else if (size === 3) {
            dest[written] = 0xe0 | (code >> 12);
            dest[written + 1] = 0x80 | ((code >> 6) & 63);
            dest[written + 2] = 0x80 | (code & 63);
          } else {
            dest[written] = 0xf0 | (code >> 18);
            dest[written + 1] = 0x80 | ((code >> 12) & 63);
            dest[written + 2] = 0x80 | ((code >> 6) & 63);
            dest[written + 3] = 0x80 | (code & 63);
          }
        }
        written += size;
        read += units;
      }
      return { read, written };
    };
    class TextEncoder {
      get encoding() {
        return "utf-8";
      }
      encode(input = "") {
        const out = new JailUint8Array(utf8Into(input, null).written);
        utf8Into(input, out);
        return out;
      }
      encodeInto(input, dest) {
        return utf8Into(input, dest);
      }
    }
    class TextDecoder {
      constructor(label = "utf-8", options = undefined) {
        this.label = jailString(label);
        this.fatal = !!(options && options.fatal);
        this.ignoreBOM = !!(options && options.ignoreBOM);
      }
      get encoding() {
        return this.label;
      }
      decode(input = undefined) {
        if (input === undefined) return "";
        const bytes = isView(input)
          ? new JailUint8Array(input.buffer, input.byteOffset, input.byteLength)
          : new JailUint8Array(input);
        const text = h.decode(this.label, this.fatal, this.ignoreBOM, bytes);
        if (typeof text !== "string") throw new JailTypeError("the data is not valid " + this.label);
        return text;
      }
    }
    define("TextEncoder", TextEncoder);
    define("TextDecoder", TextDecoder);

    const describe = (values) => {
      const parts = [];
      for (const value of values) {
        try {
          parts.push(typeof value === "object" && value !== null && typeof value.stack === "string" ? value.stack : jailString(value));
        } catch {
          parts.push("?");
        }
      }
      return parts.join(" ");
    };
    const toStderr = (...values) => void h.log(2, describe(values));
    define("console", { log: toStderr, info: toStderr, warn: toStderr, error: toStderr, debug: () => {}, trace: () => {} });

    // Emscripten's /dev/tty and /dev/tty1 keep a line in a JavaScript array until a newline: a plain
    // os.write() of a long line with no newline grew the jail thread's heap until V8 aborted the process
    // (redteam 58). Hand a line on to the output (counted and capped there) every MAX_TTY_LINE bytes,
    // between UTF-8 sequences.
    // A line still held when the program ends (no newline yet) was lost: Emscripten hands it on only at
    // its own exit, which a run never reaches (redteam 80). The report hands it on first.
    const MAX_TTY_LINE = 65536;
    const heldLines = new JailMap();
    const boundTtyLines = (tty) => {
      for (const ops of [tty.default_tty_ops, tty.default_tty1_ops]) {
        const putChar = ops.put_char;
        const fsync = ops.fsync;
        ops.put_char = (stream, value) => {
          if (stream.output.length >= MAX_TTY_LINE && (value & 0xc0) !== 0x80) fsync(stream);
          putChar(stream, value);
          heldLines.set(stream, fsync);
        };
      }
    };
    const flushTtyLines = () => {
      try {
        for (const [stream, fsync] of heldLines) fsync(stream);
        heldLines.clear();
      } catch {}
    };

    // The in-memory file system keeps names and symlink targets as JavaScript strings, and POSIX limits
    // them; Emscripten does not: os.symlink() with a 16 MB target, 64 times over, exhausted the jail
    // thread's JavaScript heap with no FFI (redteam 59). ENAMETOOLONG past NAME_MAX and PATH_MAX.
    const NAME_MAX = 255;
    const PATH_MAX = 4096;
    const ENAMETOOLONG = 37;
    const tooLong = (path) => {
      if (typeof path !== "string" || path.length <= NAME_MAX) return false;
      if (path.length >= PATH_MAX) return true;
      for (const part of path.split("/")) if (part.length > NAME_MAX) return true;
      return false;
    };
    const boundFsNames = (FS) => {
      const lookupPath = FS.lookupPath;
      const symlink = FS.symlink;
      FS.lookupPath = (path, options) => {
        if (tooLong(path)) throw new FS.ErrnoError(ENAMETOOLONG);
        return lookupPath(path, options);
      };
      FS.symlink = (target, path) => {
        if (typeof target === "string" && target.length >= PATH_MAX) throw new FS.ErrnoError(ENAMETOOLONG);
        return symlink(target, path);
      };
    };

    // MEMFS keeps a file in one JavaScript typed array, outside the wasm cap, and allocates it eagerly:
    // os.ftruncate() to 3 GiB costs nothing until a write past the end copies the whole file into a
    // larger array, in one call that makes all of it resident (a terminated worker finishes that call
    // first), and a size past what a typed array can hold threw a RangeError that Pyodide treats as a
    // fatal error (redteam 76). No file may be larger than the program's memory limit: past it, ENOMEM,
    // which the driver reports as the memory limit.
    const ENOMEM = 48;
    const boundFileSizes = (FS, maxBytes) => {
      const MEMFS = FS.filesystems.MEMFS;
      const expand = MEMFS.expandFileStorage;
      const resize = MEMFS.resizeFileStorage;
      MEMFS.expandFileStorage = (node, capacity) => {
        if (!(capacity <= maxBytes)) throw new FS.ErrnoError(ENOMEM);
        const previous = node.contents.length;
        if (previous < capacity && previous * 1.125 > maxBytes) {
          // Emscripten's growth step would pass the bound: grow to the bound instead.
          const old = MEMFS.getFileDataAsTypedArray(node);
          node.contents = new JailUint8Array(maxBytes);
          node.contents.set(old);
          return;
        }
        expand(node, capacity);
      };
      MEMFS.resizeFileStorage = (node, size) => {
        if (!(size <= maxBytes)) throw new FS.ErrnoError(ENOMEM);
        resize(node, size);
      };
    };

    // Pyodide polls its interrupt buffer with a plain read and then a plain write of 0: a signal the
    // host stores between the two is overwritten and lost, and the program runs on until it is killed
    // (2% of the interrupts sent into a busy loop, measured). Pyodide gets a buffer whose element 0
    // takes the signal and clears it in one atomic step; its write of 0 does nothing.
    const takingSignals = (flag) => {
      const source = Object.create(null);
      defineProperty(source, 0, { get: () => atomicExchange(flag, 0, 0), set: () => {} });
      return source;
    };

    let pyodide = null;
    let runDriver = null;
    let reportAgain = null;
    let runSteps = null;
    let intrinsicsChanged = () => false;
    let stopHooks = () => {};
    let mainTaskDone = () => false;
    // A jail promise was rejected with no handler (the host says so, and no more): Pyodide calls the
    // event loop's callbacks as async functions, so an error that escapes asyncio's own Python (a hook of
    // the program's raising in its frames) ends there. If the program's main task has ended and nothing
    // was reported, its report failed that way: hooks off, report again (redteam 82).
    let afterEscape = () => {};
    let runFailed = () => {};
    let runNotebook = null;
    let interrupt = null;

    const boot = async (lockFile, restoreSnapshot, makeSnapshot, driverSource, driverFilename, warmUp, maxFileBytes) => {
      const config = {
        indexURL: "/pyodide/",
        packageBaseUrl: "/pyodide/",
        lockFileContents: lockFile,
        createPyodideModule: G.__createPyodideModule,
        jsglobals: Object.create(null),
        env: { HOME: "/home/pyodide" },
        args: [],
        stdout: (text) => void h.log(1, jailString(text)),
        stderr: (text) => void h.log(2, jailString(text)),
        stdin: () => null,
      };
      if (makeSnapshot) config._makeSnapshot = true;
      if (restoreSnapshot) config._loadSnapshot = new JailUint8Array(readbuffer("${PRELUDE_SNAPSHOT_PATH}"));
      pyodide = await G.loadPyodide(config);
      G.__createPyodideModule = undefined;
      G.loadPyodide = undefined;
      boundTtyLines(pyodide._module.TTY);
      boundFsNames(pyodide._module.FS);
      boundFileSizes(pyodide._module.FS, maxFileBytes);
      if (!restoreSnapshot) {
        const sys = pyodide.pyimport("sys");
        const types = pyodide.pyimport("types");
        const driver = types.ModuleType("_sandbox_driver");
        sys.modules.set("_sandbox_driver", driver);
        pyodide.runPython(driverSource, { globals: driver.__dict__, filename: driverFilename });
      }
      if (makeSnapshot) return;
      interrupt = new JailInt32Array(new JailSharedArrayBuffer(4));
      pyodide.setInterruptBuffer(takingSignals(interrupt));
      const writer = (fd) => ({
        isatty: false,
        write: (bytes) => {
          h.write(fd, bytes);
          return bytes.length;
        },
      });
      // Pyodide calls this when the interpreter exits (os._exit, a signal's default action) or fails
      // fatally, wherever that happens. In async code it happens in a timer callback or a promise job,
      // where nothing reported it: the dead interpreter waited for the time limit (redteam 81).
      pyodide._api.on_fatal = (error) => runFailed(error);
      pyodide.setStdout(writer(1));
      pyodide.setStderr(writer(2));
      const driver = pyodide.pyimport("_sandbox_driver");
      if (warmUp === true) driver.warm_up();
      runDriver = driver.run;
      runNotebook = driver.run_notebook;
      reportAgain = driver.report_again;
      const maybeFatal = pyodide._api.maybe_fatal_error;
      runSteps = (${STEP_RUNNER})(pyodide._module, maybeFatal, driver, () => stopHooks(), () => reportAgain());
      // The main task's state, read by C code only (operator.attrgetter, the Task's _state getter) and
      // handed back as a string: no Python frame runs, so no hook of the program's (handing a Python
      // object to JavaScript would: Pyodide's conversion runs ABCMeta.__subclasscheck__).
      const endedState = pyodide.pyimport("operator").attrgetter("_CURRENT_REPORTER.ended._state");
      mainTaskDone = () => {
        const state = endedState(driver);
        return state === "FINISHED" || state === "CANCELLED";
      };
      // The program's trace, profile and sys.monitoring hooks, turned off from here (C calls made from
      // JavaScript, which no Python hook sees) when one of them raised in the driver's report: the
      // program's own error then read as a failure of the runtime (redteam 82).
      const sys = pyodide.pyimport("sys");
      const settrace = sys.settrace;
      const setprofile = sys.setprofile;
      const clearTool = sys.monitoring.clear_tool_id;
      intrinsicsChanged = (${INTRINSICS_WATCH})();
      stopHooks = () => {
        for (const stop of [() => settrace(undefined), () => setprofile(undefined)]) {
          try {
            stop();
          } catch {}
        }
        for (let tool = 0; tool < 6; tool++) {
          try {
            clearTool(tool);
          } catch {}
        }
      };
    };

    const describeError = (error) => {
      try {
        return jailString(error && error.message ? error.message : error).slice(0, 2000);
      } catch {
        return "";
      }
    };

    return {
      fireTimer,
      unhandledRejection: () => afterEscape(),
      importError: () => new JailTypeError("import() is disabled in the sandbox"),
      boot: (lockFile, restoreSnapshot, makeSnapshot, driverSource, driverFilename, warmUp, maxFileBytes) => {
        boot(lockFile, restoreSnapshot, makeSnapshot, driverSource, driverFilename, warmUp, maxFileBytes).then(
          () => void h.booted(true, ""),
          (error) => void h.booted(false, describeError(error)),
        );
      },
      interruptBuffer: () => interrupt,
      snapshot: () => pyodide.makeMemorySnapshot(),
      run: (kind, code, filename, restrictions) => {
        let reported = false;
        const report = (status, name, value, traceback) => {
          reported = true;
          flushTtyLines();
          h.finished(
            jailString(status),
            jailString(name),
            jailString(value),
            jailString(traceback),
            growthRefused === true,
          );
        };
        const failed = (error) => {
          reported = true;
          flushTtyLines();
          let exitCode;
          try {
            // Emscripten's exit() (os._exit, the default action of a signal) throws its ExitStatus, which
            // Pyodide hands on as an Error named Exit with the same status.
            const name = error !== null && typeof error === "object" ? error.name : undefined;
            if (name === "Exit" || name === "ExitStatus") exitCode = error.status;
          } catch {}
          if (exitCode === 0) h.finished("ok", "", "", "", false);
          else if (typeof exitCode === "number" && Number.isInteger(exitCode))
            h.finished("error", "SystemExit", "exit code " + exitCode, "", false);
          else {
            const replaced = intrinsicsChanged() ? ${JSON.stringify(INTRINSICS_REPLACED)} : "";
            h.finished("fatal", "PyodideFatalError", replaced + describeError(error), "", growthRefused === true);
          }
        };
        runFailed = failed;
        const resume = () => runSteps(() => reported, failed);
        afterEscape = () => {
          if (reported) return;
          try {
            if (!mainTaskDone()) return;
            stopHooks();
            reportAgain();
          } catch {}
          resume();
        };
        growthRefused = false;
        try {
          (kind === "notebook" ? runNotebook : runDriver)(code, filename, restrictions, report, resume);
          resume();
        } catch (error) {
          if (!reported) {
            // The report itself raised out of the driver (nothing went out, the interpreter is alive):
            // a hook of the program's raised in the driver's frames. Hooks off, and report again.
            try {
              stopHooks();
              reportAgain();
            } catch {}
          }
          failed(error);
        }
      },
    };
  };
})()`;
