// The Python side of the stand-in's "Jupyter kernel": runs one cell with the local python3 the way the
// E2B code-interpreter server reports it. stdout and stderr stream through the process's own pipes;
// structured outputs (display results, the cell's last expression, the error) go as JSON lines to fd 3.
// `display(obj)` mirrors IPython's: an object with `_repr_png_` becomes a png result.
export const HARNESS_PY = String.raw`
import ast, base64, builtins, json, os, sys, traceback

_events = os.fdopen(3, "w", encoding="utf-8", buffering=1)


def _emit(event):
    sys.stdout.flush()
    sys.stderr.flush()
    _events.write(json.dumps(event) + "\n")
    _events.flush()


def display(*objects):
    for obj in objects:
        result = {"type": "result", "is_main_result": False, "text": repr(obj)}
        repr_png = getattr(obj, "_repr_png_", None)
        if callable(repr_png):
            png = repr_png()
            if isinstance(png, (bytes, bytearray)):
                png = base64.b64encode(png).decode("ascii")
            if png:
                result["png"] = png
        _emit(result)


builtins.display = display


def _shell(command):
    # IPython's !cmd: the command runs in a shell and its output is the cell's.
    import subprocess

    done = subprocess.run(command, shell=True, capture_output=True, text=True)
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)


builtins._standin_shell = _shell


def _ipython_lines(source):
    lines = []
    for line in source.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith("!"):
            line = line[: len(line) - len(stripped)] + f"_standin_shell({stripped[1:]!r})"
        lines.append(line)
    return "\n".join(lines)


def _run_cell(cell_path, namespace=None):
    with open(cell_path, encoding="utf-8") as cell_file:
        source = _ipython_lines(cell_file.read())
    if namespace is None:
        namespace = {"__name__": "__main__", "__builtins__": builtins}
    try:
        tree = ast.parse(source, "<cell>")
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        exec(compile(tree, "<cell>", "exec"), namespace)
        if last is not None:
            value = eval(compile(last, "<cell>", "eval"), namespace)
            if value is not None:
                _emit({"type": "result", "is_main_result": True, "text": repr(value)})
    except BaseException as error:
        # Like Jupyter: the user's frames, not the kernel's own, coloured with ANSI escapes as IPython does.
        lines = traceback.format_exception(type(error), error, error.__traceback__.tb_next)
        _emit({
            "type": "error",
            "name": type(error).__name__,
            "value": str(error),
            "traceback": "".join("\x1b[0;31m" + line + "\x1b[0m" for line in lines),
        })


class _KernelStream:
    # The kernel's streams go through fd 3 with the rest, so that they stay in order with "done".
    encoding = "utf-8"

    def __init__(self, name):
        self.name = name

    def write(self, text):
        if text:
            _events.write(json.dumps({"type": self.name, "text": text}) + "\n")
            _events.flush()
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False


def _kernel():
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    sys.stdout = _KernelStream("stdout")
    sys.stderr = _KernelStream("stderr")
    for line in sys.stdin:
        _run_cell(line.rstrip("\n"), namespace)
        _emit({"type": "done"})


if sys.argv[1] == "--kernel":
    _kernel()
else:
    _run_cell(sys.argv[1])
`;
