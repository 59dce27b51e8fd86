// `sandbox-policy server` and dist/server.js (src/server/entry.ts): the language server over stdio (the default), Node IPC
// (`--node-ipc`, what the VS Code extension uses) or a socket (`--socket=PORT`), as
// vscode-languageclient passes them.
import net from 'node:net';
import {
  ProposedFeatures,
  SocketMessageReader,
  SocketMessageWriter,
  createConnection,
  type Connection,
} from 'vscode-languageserver/node';
import { UsageError } from '../cli/io';
import { startServer } from './server';

export const SERVER_USAGE = `Usage: sandbox-policy server [--stdio | --node-ipc | --socket=PORT]

The policy engine as a language server (LSP): diagnostics, quick fixes and hover for Python, JavaScript
and TypeScript in any editor with an LSP client. stdio is the default. --socket=PORT connects to a client
listening on 127.0.0.1:PORT (as vscode-languageclient's TransportKind.socket sets it up).
`;

type Transport =
  { kind: 'stdio' } | { kind: 'node-ipc' } | { kind: 'socket'; port: number } | { kind: 'pipe' };

/** Options that take a value, as `--name=VALUE` or `--name VALUE` (vscode-languageserver reads both). */
const VALUED = ['--socket', '--pipe', '--clientProcessId'] as const;

/** The transport the arguments ask for; anything else is a usage error that names the argument. */
export function parseServerArgs(argv: readonly string[]): Transport {
  let transport: Transport | undefined;
  const choose = (next: Transport, arg: string) => {
    if (transport) throw new UsageError(`server: "${arg}": choose one of --stdio, --node-ipc, --socket=PORT`);
    transport = next;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--stdio') choose({ kind: 'stdio' }, arg);
    else if (arg === '--node-ipc') choose({ kind: 'node-ipc' }, arg);
    else {
      const name = VALUED.find((option) => arg === option || arg.startsWith(`${option}=`));
      if (!name) throw new UsageError(`server: unknown option "${arg}"\n\n${SERVER_USAGE}`);
      const value = arg === name ? argv[++i] : arg.slice(name.length + 1);
      if (value === undefined || value === '') throw new UsageError(`server: ${name} needs a value`);
      if (name === '--socket') {
        const port = /^\d+$/.test(value) ? Number(value) : NaN;
        if (!(port >= 1 && port <= 65535))
          throw new UsageError(`server: --socket needs a port number from 1 to 65535, not "${value}"`);
        choose({ kind: 'socket', port }, arg);
      } else if (name === '--pipe') choose({ kind: 'pipe' }, arg);
      else if (!/^\d+$/.test(value))
        throw new UsageError(`server: --clientProcessId needs a process id, not "${value}"`);
    }
  }
  return transport ?? { kind: 'stdio' };
}

function connect(transport: Transport): Connection {
  switch (transport.kind) {
    case 'stdio':
      return createConnection(ProposedFeatures.all, process.stdin, process.stdout);
    case 'socket': {
      // Connected here rather than by vscode-languageserver, so that a client that is not listening is
      // an error that says so instead of a silent exit.
      const socket = net.createConnection(transport.port, '127.0.0.1');
      const refused = (error: Error) => {
        process.stderr.write(
          `sandbox-policy server: could not connect to the client at 127.0.0.1:${transport.port} (${error.message}). ` +
            '--socket=PORT connects to a client that listens on that port.\n',
        );
        process.exit(1);
      };
      socket.once('error', refused);
      socket.once('connect', () => socket.off('error', refused));
      return createConnection(
        ProposedFeatures.all,
        new SocketMessageReader(socket),
        new SocketMessageWriter(socket),
      );
    }
    default:
      // Node IPC and named pipes: vscode-languageserver reads them (and --clientProcessId) from process.argv.
      return createConnection(ProposedFeatures.all);
  }
}

/** Starts the server; the process then lives until the client sends `exit` (or goes away). */
export function runServer(argv: readonly string[]): void {
  startServer(connect(parseServerArgs(argv)));
}
