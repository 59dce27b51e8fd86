// The one cell the runner sends to the sandbox's kernel: it runs the uploaded script as `__main__` from
// the sandbox's working directory, so tracebacks name the file, `__file__` works and sibling files open
// by relative path. The script itself never travels inside this cell.
import { SANDBOX_WORKDIR } from './uploads';

/** A Python string literal for a path made only of safe characters (see `sandboxScriptName`). */
function pythonString(value: string): string {
  if (!/^[A-Za-z0-9._/-]+$/.test(value)) throw new Error(`unsafe path for the bootstrap cell: ${value}`);
  return `'${value}'`;
}

export function bootstrapCell(scriptPath: string): string {
  return [
    'def __sandbox_policy_main():',
    '    import os, sys',
    `    path = ${pythonString(scriptPath)}`,
    `    os.chdir(${pythonString(SANDBOX_WORKDIR)})`,
    `    if ${pythonString(SANDBOX_WORKDIR)} not in sys.path:`,
    `        sys.path.insert(0, ${pythonString(SANDBOX_WORKDIR)})`,
    '    sys.argv = [path]',
    "    with open(path, encoding='utf-8') as source:",
    "        code = compile(source.read(), path, 'exec')",
    "    exec(code, {'__name__': '__main__', '__file__': path, '__builtins__': __builtins__})",
    '__sandbox_policy_main()',
    '',
  ].join('\n');
}
