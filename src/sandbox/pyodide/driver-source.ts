// The Python side of the runner, run once in each fresh interpreter before the user's program. It
// prepares a clean `__main__`, applies the policy's builtins mapping to the user's code only, makes a
// top-level `asyncio.run(main())` work on Pyodide's event loop, and reports how the program ended.
//
// None of this is the security boundary (that is the jail around the interpreter): a program can undo
// anything done here, and the red-team suite runs with no restrictions at all to prove it.

/** The file name the driver's own frames carry, so they can be dropped from the user's tracebacks. */
export const DRIVER_FILENAME = '<sandbox-driver>';

/** The most characters of each field of the driver's report (name, message, traceback) the host keeps. */
export const REPORT_FIELD_CHARS = 256 * 1024;

/** Statuses the driver reports (validated by the host, which decides the run's final status). */
export const DRIVER_STATUSES = ['ok', 'error', 'memory', 'fatal'] as const;
export type DriverStatus = (typeof DRIVER_STATUSES)[number];

/**
 * Modules imported while the interpreter boots, so that they are in the memory snapshot every run
 * starts from. `random` is reseeded at the start of each run because the snapshot would otherwise
 * hand every run the same random state.
 */
export const DRIVER_SOURCE = String.raw`
import ast
import asyncio
import builtins
import collections
import collections.abc
import dis
import errno
import functools
import inspect
import json
import linecache
import sys
import time
import traceback
import types

import collections, dataclasses, datetime, decimal, functools, itertools, math, re, typing  # noqa: E401,F401  warm

_DRIVER_FILE = "${DRIVER_FILENAME}"
_REPORT_FIELD_CHARS = ${REPORT_FIELD_CHARS}
_REAL_IMPORT = builtins.__import__
_REAL_OPEN = builtins.open
_IMPORT_NAME = dis.opmap["IMPORT_NAME"]
_SLEEP = time.sleep
_SLEEP_SLICE = 0.05


def _interruptible_sleep(seconds):
    """time.sleep in short slices, so that the runner's interrupt lands while a program sleeps."""
    seconds = float(seconds)
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    deadline = time.monotonic() + seconds
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        _SLEEP(min(remaining, _SLEEP_SLICE))


time.sleep = _interruptible_sleep


def _asyncio_run_unavailable(main, *, debug=None, loop_factory=None):
    if inspect.iscoroutine(main):
        main.close()
    raise RuntimeError(
        "asyncio.run() cannot block inside the local Pyodide sandbox (this runtime has no WebAssembly "
        "stack switching). Call it once at the top level of the script, as its own statement "
        "(asyncio.run(main()), also under if __name__ == '__main__':), where the sandbox runs the "
        "coroutine on Pyodide's event loop; or use Run in E2B."
    )


asyncio.run = _asyncio_run_unavailable


class _TopLevelAsyncioRun(ast.NodeTransformer):
    """Rewrites asyncio.run(X) / loop.run_until_complete(X) at module level into await X."""

    def visit_FunctionDef(self, node):
        return node

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_ClassDef = visit_FunctionDef
    visit_Lambda = visit_FunctionDef

    def visit_Call(self, node):
        self.generic_visit(node)
        func = node.func
        if len(node.args) != 1 or not isinstance(func, ast.Attribute):
            return node
        is_asyncio_run = func.attr == "run" and isinstance(func.value, ast.Name) and func.value.id == "asyncio"
        if is_asyncio_run or func.attr == "run_until_complete":
            return ast.copy_location(ast.Await(value=node.args[0]), node)
        return node


def _compile_program(code, filename):
    tree = ast.parse(code, filename, "exec")
    tree = ast.fix_missing_locations(_TopLevelAsyncioRun().visit(tree))
    return compile(tree, filename, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)


def _no_input(prompt=""):
    if prompt:
        sys.stdout.write(str(prompt))
        sys.stdout.flush()
    raise EOFError("input() has nothing to read: the sandbox gives programs no console, so standard input is empty")


def _refusing(name):
    def refused(*args, **kwargs):
        raise PermissionError(f"{name}() is not allowed by the sandbox policy")

    refused.__name__ = name
    return refused


def _policy_import(blocked_modules, block_direct_calls):
    def __import__(name, globals=None, locals=None, fromlist=(), level=0):
        if block_direct_calls:
            caller = sys._getframe(1)
            if caller.f_code.co_code[caller.f_lasti] != _IMPORT_NAME:
                raise PermissionError("__import__() is not allowed by the sandbox policy; use an import statement")
        if level == 0 and str(name).partition(".")[0] in blocked_modules:
            raise ImportError(f"import of '{name}' is blocked by the sandbox policy", name=name)
        return _REAL_IMPORT(name, globals, locals, fromlist, level)

    return __import__


def _read_only_open(file, mode="r", *args, **kwargs):
    if any(flag in str(mode) for flag in "wax+"):
        raise PermissionError("writing files is not allowed by the sandbox policy")
    return _REAL_OPEN(file, mode, *args, **kwargs)


def _user_builtins(restrictions):
    """The builtins the user's code sees; the standard library keeps the real ones."""
    mapping = dict(builtins.__dict__)
    mapping["input"] = _no_input
    if not restrictions:
        return mapping
    blocked_builtins = set(restrictions.get("blockedBuiltins") or [])
    blocked_modules = frozenset(restrictions.get("blockedModules") or [])
    if not restrictions.get("allowFileWrites", True):
        mapping["open"] = _read_only_open
    for name in blocked_builtins:
        if name != "__import__" and name in mapping:
            mapping[name] = _refusing(name)
    if blocked_modules or "__import__" in blocked_builtins:
        mapping["__import__"] = _policy_import(blocked_modules, "__import__" in blocked_builtins)
    return mapping


# What the traceback module is asked to format. It builds a record of every exception in the chain
# and in every group, with every frame of every traceback, before it formats any: an exception built to
# be huge (a __cause__ chain 10^5 long, a traceback of 10^6 entries, a group of 10^6 members or 10^5
# levels deep) kept the report busy past the time limit or overflowed the native stack, so that the
# program's own error was reported as a timeout or a runtime failure. Past these bounds (far beyond any
# real traceback) the report is a short summary instead.
_MAX_REPORTED_EXCEPTIONS = 200
_MAX_REPORTED_FRAMES = 20_000
_MAX_REPORTED_NOTES = 1_000
_SHOWN_FRAMES = 100


def _type_name(cls):
    """A class's own name: a metaclass can make cls.__name__ run code, raise, or return anything."""
    try:
        return type.__dict__["__name__"].__get__(cls)
    except BaseException:
        return "<exception>"


def _is(obj, cls):
    """isinstance() by the object's real type: isinstance() also reads obj.__class__, which an exception
    class can make a property that raises, and the report raised out of the driver (a runtime failure)."""
    return issubclass(type(obj), cls)


def _note_count(exc):
    # As the traceback module reads them: any sequence (a range of 10^12 notes is one) is written out.
    notes = getattr(exc, "__notes__", None)
    if notes is None or isinstance(notes, (str, bytes)) or not isinstance(notes, collections.abc.Sequence):
        return 1
    return len(notes)


def _within_report_bounds(exc, tb):
    """Whether formatting this exception stays small: counted with a budget, never walked in full."""
    try:
        return _count_within_bounds(exc, tb)
    except Exception:
        return False  # an odd object (a length that overflows, a traceback that is not one): summarise


def _count_within_bounds(exc, tb):
    exceptions = frames = notes = 0
    seen = set()
    pending = [(exc, tb)]
    while pending:
        current, entry = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        exceptions += 1
        notes += _note_count(current)
        if exceptions > _MAX_REPORTED_EXCEPTIONS or notes > _MAX_REPORTED_NOTES:
            return False
        while entry is not None:
            frames += 1
            if frames > _MAX_REPORTED_FRAMES:
                return False
            entry = entry.tb_next
        for linked in (current.__cause__, current.__context__):
            if _is(linked, BaseException):
                pending.append((linked, linked.__traceback__))
        if _is(current, BaseExceptionGroup):
            members = current.exceptions
            if len(members) > _MAX_REPORTED_EXCEPTIONS:
                return False
            pending.extend((member, member.__traceback__) for member in members)
    return True


_TOO_LARGE = "the exception was too large to report in full (its chained exceptions, group members, notes or traceback entries)"
_UNFORMATTED = "the traceback could not be formatted in full (formatting it raised, or ran out of memory)"


def _summary_traceback(exc, tb, name, value, why=_TOO_LARGE):
    """The most recent frames and the exception itself, without its chain, group members or notes."""
    # extract_tb(limit=-n) would still look up positions for every entry: start at the last n instead.
    last = collections.deque(maxlen=_SHOWN_FRAMES)
    while tb is not None:
        last.append(tb)
        tb = tb.tb_next
    recent = traceback.extract_tb(last[0]) if last else []
    lines = ["Traceback (most recent call last):\n", *traceback.format_list(recent)]
    lines.append(f"{name}: {value}\n" if value else f"{name}\n")
    lines.append(f"[{why}: only its own message and its last {_SHOWN_FRAMES} frames are shown]\n")
    return "".join(lines)


def _program_frames(exc):
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == _DRIVER_FILE:
        tb = tb.tb_next
    return tb


def _user_traceback(exc, name, value):
    tb = _program_frames(exc)
    if not _within_report_bounds(exc, tb):
        return _summary_traceback(exc, tb, name, value)
    return "".join(traceback.format_exception(type(exc), exc, tb))


def _missing_module_message(exc):
    name = (exc.name or "").partition(".")[0]
    if not name or exc.name != name:
        return None
    if name in sys.stdlib_module_names:
        return f"No module named '{name}': this standard library module is not available in Pyodide; use Run in E2B"
    return (
        f"No module named '{name}': only the standard library is available in the local sandbox; "
        "use Run in E2B for third-party packages"
    )


def _out_of_memory(exc):
    """The memory limit refused an allocation: MemoryError, or the ENOMEM of a C call that reports an
    errno (mmap.mmap, for one, raises OSError(ENOMEM) when the wasm memory cannot grow)."""
    if _is(exc, MemoryError):
        return True
    try:
        return _is(exc, OSError) and OSError.errno.__get__(exc) == errno.ENOMEM
    except BaseException:
        return False


# Set aside at the start of each run and released when the program runs out of memory, so that its
# report has room. (Clearing the program's globals instead ran its finalizers and freed whatever it
# held, recursively: a deep enough structure overflowed the native stack there, and a run that reached
# the memory limit was reported as a failure of the runtime.)
_REPORT_RESERVE_BYTES = 1 << 20


# How the program ended, recorded before the report runs (see report_again).
_NOT_ENDED = object()
_ENDED_OK = object()


class _Reporter:
    def __init__(self, report):
        self._report = report
        self._reserve = bytearray(_REPORT_RESERVE_BYTES)
        self._done = False
        # Set by the code that saw the program end, with plain stores only (no call a hook could see).
        self.ended = _NOT_ENDED
        # The code object running (the program, or the notebook's current cell).
        self.program = None
        # The jail's function that runs the next step (see _STEP), and what follows the current task.
        self.resume = None
        self.follow = None
        self.follow_ends = True

    def ok(self):
        self._send("ok", "", "", "")

    def exception(self, exc):
        try:
            self._describe(exc)
        except BaseException:
            # Describing it raised past every guard below: the exception's name still goes out.
            self._send("error", _type_name(type(exc)), "", "")

    def _describe(self, exc):
        # Describing the exception runs the program's code (__str__, __eq__, properties): whatever it
        # raises, the report still goes out, as the program's own error.
        if _is(exc, SystemExit):
            try:
                self._exit(exc.code)
            except BaseException:
                self._send("error", "SystemExit", "", "")
            return
        status = "error"
        if _out_of_memory(exc):
            status = "memory"
            self._reserve = None
        name, value, text = _type_name(type(exc)), "", ""
        try:
            value = str(exc)
            if type(value) is not str:
                value = ""
        except BaseException:
            pass  # the traceback says "<exception str() failed>"
        try:
            if _is(exc, ModuleNotFoundError):
                message = _missing_module_message(exc)
                if message:
                    value = message
                    exc.add_note(message)
            text = _user_traceback(exc, name, value)
        except BaseException:
            # A message of hundreds of MB is copied several times over by the traceback module.
            try:
                shown = value if len(value) <= 4096 else value[:4096] + "…"
                text = _summary_traceback(exc, _program_frames(exc), name, shown, _UNFORMATTED)
            except BaseException:
                pass
        self._send(status, name, value, text)

    def _exit(self, code):
        if code is None or (isinstance(code, int) and int.__eq__(code, 0) is True):
            self.ok()
        elif isinstance(code, int):
            try:
                shown = int.__repr__(code)
            except ValueError:
                shown = "(an integer too long to show)"
            self._send("error", "SystemExit", f"exit code {shown}", "")
        else:
            print(code, file=sys.stderr)
            self._send("error", "SystemExit", str(code), "")

    def task_done(self, task):
        self.ended = task
        if task.cancelled():
            self._send("error", "CancelledError", "the program's main coroutine was cancelled", "")
            return
        exc = task.exception()
        if exc is None:
            self.ok()
        else:
            self.exception(exc)

    def _send(self, status, name, value, text):
        if self._done:
            return
        self._done = True
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:
                pass
        # Cut here, before they become JavaScript strings: a 300 MB message was copied into the jail's
        # heap twice (message and traceback), and the process passed its memory watchdog's limit, so the
        # program's ValueError read as the memory limit. The host keeps no more than this anyway.
        bound = _REPORT_FIELD_CHARS
        self._report(status, name[:bound], value[:bound], text[:bound])


_WARM_UP = """
import json, re, math, dataclasses, collections
@dataclasses.dataclass
class Point:
    x: float
    y: float = 0.0
def squares(n):
    return [i * i for i in range(n)]
counts = collections.Counter("abracadabra")
print(squares(10), json.dumps({"a": [1, 2.5, None]}), re.sub(r"\\d", "#", "a1b2"), f"{math.pi:.3f}", Point(1.5))
print(sorted(counts.items()), "-".join(str(i) for i in range(50)), file=__import__("sys").stderr)
def fail(n):
    return 1 / n
fail(0)
"""


def warm_up():
    """Runs a small program once in a fresh interpreter, so that the user's run does not pay for the
    first (lazy) compilation of the interpreter's common paths. Output goes nowhere."""
    import contextlib
    import io

    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        run(_WARM_UP, "<warm-up>", "", lambda *args: None)
    linecache.cache.pop("<warm-up>", None)
    sys.modules["__main__"] = types.ModuleType("__main__")


def _fresh_main(filename, restrictions_json, report):
    restrictions = json.loads(restrictions_json) if restrictions_json else None
    main = types.ModuleType("__main__")
    main.__file__ = filename
    main.__builtins__ = _user_builtins(restrictions)
    sys.modules["__main__"] = main
    sys.argv = [filename]
    if "random" in sys.modules:
        sys.modules["random"].seed()
    return main, _Reporter(report)


_CURRENT_REPORTER = None


def _passed_through(exc, code):
    """Whether exc's traceback holds a frame running code (bounded: an odd traceback is not walked in full)."""
    entry = exc.__traceback__
    for _ in range(_MAX_REPORTED_FRAMES):
        if entry is None:
            return False
        if entry.tb_frame.f_code is code:
            return True
        entry = entry.tb_next
    return False


def _program_exception(escaped, code):
    """The program's own exception among escaped and what it was raised while handling: the first one
    that passed through the program's code (a hook's, raised in the driver after the program ended, did
    not); else escaped."""
    current = escaped
    for _ in range(_MAX_REPORTED_EXCEPTIONS):
        if not _is(current, BaseException):
            break
        if _passed_through(current, code):
            return current
        current = current.__context__
    return escaped


def report_again():
    """Called by the jail when the report raised out of the driver and no report went out: a trace,
    profile or sys.monitoring hook the program installed raised in the driver's own frames (the jail has
    turned those hooks off before calling this). Reports how the program ended, as recorded before the
    report began. A hook on the driver's own lines can raise before that record: then the exception that
    passed through the program's code, found among the one that escaped (sys.last_exc, set by Pyodide)
    and those it was raised while handling."""
    reporter = _CURRENT_REPORTER
    if reporter is None:
        return
    reporter._done = False
    ended = reporter.ended
    if ended is _ENDED_OK:
        reporter.ok()
    elif _is(ended, BaseException):
        reporter.exception(ended)
    elif _is(ended, asyncio.Future):
        if reporter.follow is not None and ended.done() and not ended.cancelled() and ended.exception() is None:
            # A hook raised between the task's end and the next step: the program goes on (hooks off).
            _task_done(ended)
        else:
            reporter.task_done(ended)
    elif ended is _NOT_ENDED:
        escaped = getattr(sys, "last_exc", None)
        if _is(escaped, BaseException):
            reporter.exception(_program_exception(escaped, reporter.program))


# The jail runs the program in steps: each is a call it makes from JavaScript with C calls (no Python
# frame of the driver around it), and it turns the program's trace, profile and sys.monitoring hooks off
# before any line of the driver runs after the program ended. A hook that fired on the driver's lines
# there replaced the program's exception (or its success) with its own.
# _STEP holds [call, then, ends]: the jail calls call(); if it raises, step_raised(exception) with the
# hooks off; else then(result) (when not None), with the hooks off first if ends and the result is None.
_STEP = []


def _step(call, then, ends):
    _STEP[:] = [call, then, ends]


def step_raised(exc):
    """Called by the jail, hooks off, with what a step raised: the program's exception, or one that a hook
    of the program's raised in the driver's code while the program ran (its code too)."""
    reporter = _CURRENT_REPORTER
    if reporter is None:
        return
    ended = reporter.ended
    if _is(ended, asyncio.Future) and ended.cancelled():
        reporter.task_done(ended)
        return
    reporter.ended = exc
    reporter.exception(exc)


def _returned(reporter, result, proceed):
    """The program's code (the script, or a cell) returned: a coroutine runs as a task, else proceed()."""
    if not inspect.iscoroutine(result):
        proceed()
        return
    task = asyncio.ensure_future(result)
    reporter.ended = task
    reporter.follow = proceed
    task.add_done_callback(_task_done)


def _task_done(task):
    reporter = _CURRENT_REPORTER
    if reporter is None or reporter.ended is not task:
        return
    proceed = reporter.follow
    _step(task.result, lambda result: proceed(), reporter.follow_ends)
    (reporter.resume or _run_steps_here)()


def _eval_step(reporter, main, proceed, ends):
    reporter.follow_ends = ends
    program = functools.partial(eval, reporter.program, main.__dict__)
    _step(program, lambda result: _returned(reporter, result, proceed), ends)


def run(code, filename, restrictions_json, report, resume=None):
    global _CURRENT_REPORTER
    main, reporter = _fresh_main(filename, restrictions_json, report)
    _CURRENT_REPORTER = reporter
    reporter.resume = resume
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    try:
        reporter.program = _compile_program(code, filename)
    except BaseException as exc:
        reporter.ended = exc
        reporter.exception(exc)
        return

    def ended_ok():
        reporter.ended = _ENDED_OK
        reporter.ok()

    _eval_step(reporter, main, ended_ok, True)
    if resume is None:  # the warm-up: no jail to make the steps
        _run_steps_here()


def _run_steps_here():
    """The steps, made from Python (the warm-up's program has no hooks)."""
    while _STEP:
        call, then, _ = _STEP
        _STEP.clear()
        try:
            result = call()
        except BaseException as exc:
            step_raised(exc)
            return
        if then is not None:
            then(result)


# ---- notebooks ---------------------------------------------------------------------------------
# A notebook's code cells run in order in the one __main__, as a Jupyter kernel runs them. There is no
# IPython here: its line syntax is rewritten as IPython rewrites it (get_ipython().system(...) and so
# on), and the local shell below refuses what the local sandbox cannot do, with a clear error.

_SHELL_UNAVAILABLE = "shell commands are not available in the local sandbox"
_SHELL_MAGICS = frozenset({"system", "sx", "bash", "sh", "script"})
_INSTALL_MAGICS = frozenset({"pip", "conda", "mamba", "uv"})
# Display settings with nothing to set up here: accepted and ignored, as they change no result.
_NEUTRAL_MAGICS = frozenset({"matplotlib", "config", "precision"})


class _LocalShell:
    """What get_ipython() returns to a notebook run locally."""

    def system(self, command):
        raise RuntimeError(f"{_SHELL_UNAVAILABLE} (!{command}); use Run in E2B, whose kernel runs them")

    getoutput = system

    def run_line_magic(self, name, line):
        return self._magic("%", name, line)

    def run_cell_magic(self, name, line, cell):
        return self._magic("%%", name, line)

    def _magic(self, prefix, name, line):
        shown = f"{prefix}{name} {line}".rstrip()
        if name in _SHELL_MAGICS:
            raise RuntimeError(f"{_SHELL_UNAVAILABLE} ({shown}); use Run in E2B, whose kernel runs them")
        if name in _INSTALL_MAGICS:
            raise RuntimeError(
                f"installing packages is not available in the local sandbox ({shown}): it has the standard "
                "library only; use Run in E2B"
            )
        if name in _NEUTRAL_MAGICS:
            return None
        raise RuntimeError(f"the IPython magic {prefix}{name} is not available in the local sandbox; use Run in E2B")


_LOCAL_SHELL = _LocalShell()


def _magic_call(body):
    name, _, line = body.partition(" ")
    return name.strip(), line.strip()


def _ipython_to_python(source):
    """IPython's line syntax as calls on get_ipython(), one line for one line, so positions stay put."""
    lines = source.split("\n")
    first = lines[0].lstrip() if lines else ""
    if first.startswith("%%"):
        name, line = _magic_call(first[2:])
        body = "\n".join(lines[1:])
        call = f"get_ipython().run_cell_magic({name!r}, {line!r}, {body!r})"
        return call + "\n" * (len(lines) - 1)
    out = []
    for text in lines:
        stripped = text.lstrip()
        indent = text[: len(text) - len(stripped)]
        if stripped.startswith("!"):
            out.append(f"{indent}get_ipython().system({stripped[1:].strip()!r})")
        elif stripped.startswith("%") and not stripped.startswith("%="):
            name, line = _magic_call(stripped[1:])
            out.append(f"{indent}get_ipython().run_line_magic({name!r}, {line!r})")
        else:
            out.append(text)
    return "\n".join(out)


def run_notebook(payload, filename, restrictions_json, report, resume):
    spec = json.loads(payload)
    marker = spec["marker"]
    cells = spec["cells"]
    global _CURRENT_REPORTER
    main, reporter = _fresh_main(filename, restrictions_json, report)
    _CURRENT_REPORTER = reporter
    reporter.resume = resume
    main.__builtins__["get_ipython"] = lambda: _LOCAL_SHELL

    def open_cell(position):
        cell = cells[position]
        source = cell["source"]
        cell_file = f"<cell {cell['index']}>"
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        # The host splits the output at this marker; it goes out after everything the last cell printed.
        sys.stdout.write(f"\x1e{marker}:{cell['index']}\x1e")
        sys.stdout.flush()
        linecache.cache[cell_file] = (len(source), None, source.splitlines(True), cell_file)
        reporter.program = _compile_program(_ipython_to_python(source), cell_file)
        _eval_step(reporter, main, lambda: proceed(position + 1), position + 1 == len(cells))

    def proceed(position):
        if position < len(cells):
            _step(functools.partial(open_cell, position), None, False)
        else:
            reporter.ended = _ENDED_OK
            reporter.ok()

    proceed(0)
`;
