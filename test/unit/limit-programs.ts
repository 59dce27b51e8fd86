// Programs that meet two limits at once, shared by the limit tests that run them on an idle machine
// (sandbox/pyodide/limits-crossing) and under CPU load (redteam/memory-under-load).

/** Catches the time limit's interrupt, prints, then allocates until the memory limit ends it. */
export const CATCH_THE_TIME_LIMIT_THEN_ALLOCATE = `try:
    while True:
        pass
except KeyboardInterrupt:
    print("interrupted")
    chunks = []
    while True:
        chunks.append(bytearray(16 * 1024 * 1024))
`;

/** 300 lines, then a spin; at each interrupt 200 more lines in one write, then a spin until killed. */
export const PRINT_THEN_IGNORE_THE_TIME_LIMIT = `for n in range(300):
    print(f"line {n}")
n = 300
while True:
    try:
        while True:
            pass
    except BaseException:
        print("\\n".join(f"line {i}" for i in range(n, n + 200)))
        n += 200
`;

/** The line numbers PRINT_THEN_IGNORE_THE_TIME_LIMIT printed, which must be 0, 1, 2, … with none missing. */
export function lineNumbers(stdout: string): number[] {
  return [...stdout.matchAll(/^line (\d+)$/gm)].map((match) => Number(match[1]));
}

/**
 * Prints all but `leftBytes` of the output budget, then spins 30 frames deep until the time limit: the
 * interrupt's traceback is longer than what is left of the budget.
 */
export function spendTheBudgetThenSpin(maxOutputBytes: number, leftBytes: number): string {
  return [
    'import sys',
    `sys.stdout.write("x" * ${maxOutputBytes - leftBytes})`,
    'sys.stdout.flush()',
    'def deep(n):',
    '    if n == 0:',
    '        while True:',
    '            pass',
    '    deep(n - 1)',
    'deep(30)',
  ].join('\n');
}
