// Starts code-server for one run: 127.0.0.1 on a free port, no auth, no telemetry, no update
// check, the smoke-test driver on (so the page accepts an extension-tests payload), in its own
// process group so that the server, its extension host and everything they spawned end together.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const live = new Set();

/** Kills every live process group we started; safe to call from an exit handler (synchronous). */
export function killAllGroups(signal = 'SIGKILL') {
  for (const child of live) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  }
}

let handlersInstalled = false;
/** Makes sure no server outlives us: on exit, on Ctrl-C, on SIGTERM, on an uncaught error. */
function installExitHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => killAllGroups('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      console.error(`\n[host] ${signal}: stopping the test host`);
      killAllGroups('SIGKILL');
      process.exit(130);
    });
  }
}

/**
 * Spawns a long-running helper (code-server, the E2B stand-in) detached in its own process group,
 * logs its output to `logFile`, and resolves once a line of its output matches `ready`.
 */
export async function spawnGroup({ name, command, args, env, cwd, logFile, ready, timeoutMs = 60000 }) {
  installExitHandlers();
  const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const log = fs.createWriteStream(logFile);
  const lines = [];
  let readyMatch;
  let onLine = () => {};
  const collect = (stream) => {
    let partial = '';
    stream.on('data', (chunk) => {
      log.write(chunk);
      partial += chunk.toString();
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        onLine(line);
      }
    });
  };
  collect(child.stdout);
  collect(child.stderr);
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    }),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // The leader first, so that it shuts its children down itself (a SIGTERM to the whole group
      // makes the server log its file watcher's death as an error); then the group, for leftovers.
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, 3000);
      await exited;
      clearTimeout(timer);
    }
    // Children that left the leader behind (an extension host waiting for a reconnect) die too.
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The whole group is gone.
    }
    await new Promise((resolve) => log.end(resolve));
  };
  const started = Date.now();
  try {
    readyMatch = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} did not say it was ready within ${timeoutMs} ms`)),
        timeoutMs,
      );
      onLine = (line) => {
        const match = ready.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(match);
        }
      };
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${code ?? signal}) before it was ready`));
      });
    });
  } catch (error) {
    await stop();
    const tail = lines.slice(-30).join('\n');
    throw new Error(`${error.message}. Its last output (full log: ${logFile}):\n${tail}`, { cause: error });
  }
  onLine = () => {};
  return { child, lines, match: readyMatch, stop, exited, readyMs: Date.now() - started };
}

/**
 * Starts code-server for `run` (see isolation.mjs) on a free port of 127.0.0.1.
 * Returns { url, port, stop, lines }.
 */
export async function startCodeServer(
  host,
  run,
  { extraArgs = [], env = {}, openFolder = true, port: fixedPort, workspaceTrust = false } = {},
) {
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    const args = [
      host.codeServerEntry,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      // Everything is trusted unless a run asks for Workspace Trust (the untrusted pass).
      ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--user-data-dir',
      run.userDataDir,
      '--extensions-dir',
      run.extensionsDir,
      '--vscode-option',
      'enable-smoke-test-driver',
      // A browser that went away is not coming back: do not keep its extension host for hours.
      '--reconnection-grace-time',
      '5',
      ...extraArgs,
      ...(openFolder ? [run.workspace] : []),
    ];
    try {
      const server = await spawnGroup({
        name: 'code-server',
        command: host.node,
        args,
        env: { ...run.env, ...env },
        cwd: run.workspace,
        logFile: path.join(run.logsDir, 'code-server.log'),
        ready: /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/,
      });
      return { ...server, port, url: server.match[1].replace(/\/$/, '') };
    } catch (error) {
      // Someone took the port between our check and code-server's listen: try another once.
      if (attempt < 2 && fixedPort === undefined && /EADDRINUSE/.test(error.message)) continue;
      throw error;
    }
  }
}
