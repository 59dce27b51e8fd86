// `sandbox-policy`: the policy engine and the runners without VS Code.
import { runCheckCommand } from './cli/check';
import { EXIT_USAGE, UsageError, isUsageError, type CliIO } from './cli/io';
import { loadRunCommand, loadServer } from './cli/lazy';
import { streamWriter } from './cli/terminal';
import { errorMessage } from './error-message';

// Written out rather than built from each command's usage, which would load the lazy bundles (cli/lazy.ts);
// test/unit/cli/usage.test.ts keeps it naming every option they name.
const USAGE = `Usage:
  sandbox-policy check [--preset NAME] [--config FILE] [--threshold LEVEL] [--ignore-suppressions]
                       [--format text|json|sarif] [--threads N] [--cache-dir DIR | --no-cache] [--trace] PATH...
  sandbox-policy server [--stdio | --node-ipc | --socket=PORT]
  sandbox-policy run [--backend pyodide|e2b] [--preset NAME] [--config FILE] [--threshold LEVEL]
                     [--ignore-suppressions] [--timeout SECONDS] [--memory MB] [--os-sandbox auto|required|off] [--no-gate] [--json] FILE

Exit codes: 0 clean, 1 violations or a failed run, 2 usage or configuration error.
Run "sandbox-policy <command> --help" for a command's options.
`;

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await runCheckCommand(rest, io);
      case 'run':
        return await loadRunCommand().runRunCommand(rest, io);
      case 'server': {
        const server = loadServer();
        if (rest.includes('--help') || rest.includes('-h')) {
          io.stdout(server.SERVER_USAGE);
          return 0;
        }
        server.runServer(rest);
        // The server ends the process itself (on the client's `exit`, or when its input closes).
        return await new Promise<number>(() => undefined);
      }
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(USAGE);
        return command === undefined ? EXIT_USAGE : 0;
      default:
        throw new UsageError(`unknown command "${command}": expected "check", "run" or "server"`);
    }
  } catch (error) {
    if (isUsageError(error)) {
      io.stderr(`sandbox-policy: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

if (require.main === module) {
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    // First Ctrl-C cancels cleanly; a second one exits at once.
    if (++interrupts > 1) process.exit(130);
    controller.abort();
  });
  // `sandbox-policy run x.py | head`: the reader went away. End as a program killed by SIGPIPE would (a
  // sandbox dies with its parent), not with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(141);
    });
  }
  const io: CliIO = {
    stdout: streamWriter(process.stdout),
    stderr: streamWriter(process.stderr),
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = controller.signal.aborted && code !== 0 ? 130 : code;
    },
    (error: unknown) => {
      streamWriter(process.stderr)(`sandbox-policy: internal error: ${errorMessage(error)}\n`);
      process.exitCode = 70;
    },
  );
}
