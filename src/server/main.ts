// `sandbox-policy server` and dist/server.js (src/server/entry.ts): the language server over stdio (the default), Node IPC
// (`--node-ipc`, what the VS Code extension uses) or a socket (`--socket=PORT`), as
// vscode-languageclient passes them.
import { ProposedFeatures, createConnection, type Connection } from 'vscode-languageserver/node';
import { startServer } from './server';

const TRANSPORT_FLAGS = ['--stdio', '--node-ipc', '--socket=', '--pipe='];

export const SERVER_USAGE = `Usage: sandbox-policy server [--stdio | --node-ipc | --socket=PORT]

The policy engine as a language server (LSP): diagnostics, quick fixes and hover for Python, JavaScript
and TypeScript in any editor with an LSP client. stdio is the default.
`;

function connect(argv: readonly string[]): Connection {
  // vscode-languageserver reads the transport (and --clientProcessId) from process.argv itself.
  const explicit = argv.some((arg) =>
    TRANSPORT_FLAGS.some((flag) => arg === flag || (flag.endsWith('=') && arg.startsWith(flag))),
  );
  return explicit
    ? createConnection(ProposedFeatures.all)
    : createConnection(ProposedFeatures.all, process.stdin, process.stdout);
}

/** Starts the server; the process then lives until the client sends `exit` (or goes away). */
export function runServer(argv: readonly string[]): void {
  startServer(connect(argv));
}
