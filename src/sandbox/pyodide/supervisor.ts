'use strict';
// The main thread of a sandbox process. It speaks framed messages with the host over a dedicated pipe
// (fd 3; stdout and stderr are never read as messages), hosts the jail in a worker thread, relays the
// program's output, raises the interrupt while Python is busy, and watches the process's memory.
// If the jail's thread takes the whole process down (JavaScript heap exhaustion), only this process
// dies; the host sees the pipe close and reports it.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { FRAME_BINARY, FrameDecoder, encodeMessage, parseMessage, writeFrame } from './framing';
import { installHostHygiene } from './jail-worker';
import {
  MAX_OUTPUT_TEXT_CHARS,
  SNAPSHOT_FD,
  parseHostMessage,
  type HostToSupervisor,
  type SupervisorToHost,
} from './protocol';
import type { Sandbox } from './sandbox';
import { MAX_CACHED_SNAPSHOT_BYTES, verifySnapshotFile, type SnapshotFileCheck } from './snapshot-cache';
import { ThreadSandbox } from './thread-sandbox';

/** The argument that starts pyodide-worker.js as a sandbox process rather than as the jail thread. */
export const SUPERVISOR_ARG = '--sandbox-policy-supervisor';
/** Frames from the host carry the program (bounded by the code-size limit) and snapshot chunks. */
const MAX_HOST_FRAME_BYTES = 256 * 1024 * 1024;
export const SNAPSHOT_CHUNK_BYTES = 1024 * 1024;
const WATCHDOG_INTERVAL_MS = 100;
const EXIT_FLUSH_MS = 2000;

type BootMessage = Extract<HostToSupervisor, { type: 'boot' }>;

/** Splits text into pieces a frame accepts, never between the halves of a surrogate pair. */
export function splitText(text: string, max = MAX_OUTPUT_TEXT_CHARS / 2): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + max);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/** The snapshot in a cache file the host located, once the whole file matches what the host checked. */
async function readCheckedSnapshot(ref: SnapshotFileCheck): Promise<Uint8Array> {
  // Through the descriptor the host opened: this process has no right to open files in the cache folder.
  // Closed once read, before any program runs (its path would tell where the user's cache is).
  const bytes = await new Promise<Buffer>((resolve, reject) => {
    const size = fs.fstatSync(SNAPSHOT_FD).size;
    if (size > MAX_CACHED_SNAPSHOT_BYTES) {
      fs.closeSync(SNAPSHOT_FD);
      return reject(new Error(`the snapshot file has ${size} bytes`));
    }
    fs.readFile(SNAPSHOT_FD, (error, data) => {
      fs.close(SNAPSHOT_FD, () => {});
      if (error) reject(new Error(`cannot read the snapshot file (${error.code ?? 'error'})`));
      else resolve(data);
    });
  });
  const snapshot = verifySnapshotFile(bytes, ref);
  if (typeof snapshot === 'string') throw new Error(`the snapshot file was refused: ${snapshot}`);
  return snapshot;
}

/** The folder given with --cpu-prof-dir when the host asked for CPU profiles (cpuProfileDir). */
function cpuProfileDir(execArgv: readonly string[]): string | undefined {
  if (!execArgv.includes('--cpu-prof')) return undefined;
  const flag = execArgv.find((arg) => arg.startsWith('--cpu-prof-dir='));
  return flag?.slice('--cpu-prof-dir='.length);
}

export function runSupervisor(): void {
  const profileDir = cpuProfileDir(process.execArgv);
  const channel = new net.Socket({ fd: 3, readable: true, writable: true });
  let exiting = false;
  const exit = (code: number): void => {
    if (exiting) return;
    exiting = true;
    channel.end(() => process.exit(code));
    setTimeout(() => process.exit(code), EXIT_FLUSH_MS).unref();
  };
  installHostHygiene(() => exit(70));
  const send = (message: SupervisorToHost): void => {
    if (!channel.destroyed) channel.write(encodeMessage(message));
  };

  let sandbox: Sandbox | undefined;
  /** The watchdog's check, run at once (true when it ended the process). */
  let checkMemoryNow = (): boolean => false;
  let pendingBoot: { boot: BootMessage; snapshot: Uint8Array; received: number } | undefined;

  const start = (
    boot: BootMessage,
    snapshot: Uint8Array | Promise<Uint8Array> | undefined,
    snapshotRejected = (): boolean => false,
  ): void => {
    let started: ThreadSandbox;
    try {
      started = new ThreadSandbox({
        workerScript: path.resolve(process.argv[1]),
        pyodideDir: boot.pyodideDir,
        memoryMb: boot.memoryMb,
        heapMb: boot.heapMb,
        makeSnapshot: boot.makeSnapshot,
        warmUp: boot.warmUp,
        snapshot,
        cpuProfileDir: profileDir,
      });
    } catch (error) {
      // For example a Node build that refuses the worker's --experimental-vm-modules.
      send({
        type: 'boot-failed',
        message: `cannot start the jail's thread: ${error instanceof Error ? error.message : 'unknown error'}`,
      });
      return exit(1);
    }
    sandbox = started;
    let snapshotSent: Promise<void> = Promise.resolve();
    const rssLimit = boot.rssLimitMb * 1024 * 1024;
    const checkMemory = (): boolean => {
      if (process.memoryUsage.rss() <= rssLimit) return false;
      clearInterval(watchdog);
      checkMemoryNow = () => true;
      send({
        type: 'exit',
        kind: 'out-of-memory',
        detail: `the sandbox process used more than ${boot.rssLimitMb} MB`,
      });
      started.kill();
      exit(0);
      return true;
    };
    const watchdog = setInterval(checkMemory, WATCHDOG_INTERVAL_MS);
    checkMemoryNow = checkMemory;
    started.ready.then(
      (info) => {
        if (!info.snapshot) {
          send({ type: 'ready', bootMs: info.bootMs });
          return;
        }
        send({ type: 'snapshot', bootMs: info.bootMs, bytes: info.snapshot.length });
        const snapshot = info.snapshot;
        snapshotSent = new Promise((resolve) => {
          for (let offset = 0; offset < snapshot.length; offset += SNAPSHOT_CHUNK_BYTES) {
            const end = offset + SNAPSHOT_CHUNK_BYTES;
            writeFrame(channel, FRAME_BINARY, snapshot.subarray(offset, end), () => {
              if (end >= snapshot.length) resolve();
            });
          }
        });
        started.kill();
      },
      (error: unknown) => {
        send({
          type: 'boot-failed',
          message: error instanceof Error ? error.message : 'the runtime failed to start',
          ...(snapshotRejected() ? { snapshotRejected: true } : {}),
        });
        started.kill();
      },
    );
    void started.exited.then(async (gone) => {
      clearInterval(watchdog);
      // The exit's own flush waits only EXIT_FLUSH_MS, which a busy machine can spend on a 31 MB snapshot.
      await snapshotSent;
      send({ type: 'exit', kind: gone.kind, detail: gone.detail });
      exit(0);
    });
  };

  const onMessage = (message: HostToSupervisor): void => {
    switch (message.type) {
      case 'boot':
        if (sandbox || pendingBoot) return exit(2);
        if (message.snapshotFile) {
          // Read and checked here while the jail's thread starts (it waits for the bytes before it boots).
          let rejected = false;
          const snapshot = readCheckedSnapshot(message.snapshotFile);
          snapshot.catch(() => {
            rejected = true;
          });
          start(message, snapshot, () => rejected);
        } else if (message.snapshotBytes > 0) {
          pendingBoot = { boot: message, snapshot: new Uint8Array(message.snapshotBytes), received: 0 };
        } else start(message, undefined);
        return;
      case 'run': {
        if (!sandbox) return exit(2);
        const { type: _type, ...program } = message;
        sandbox.start(program, (event) => {
          switch (event.type) {
            case 'output':
              for (const text of splitText(event.text)) send({ type: 'output', stream: event.stream, text });
              break;
            case 'output-capped':
              send({ type: 'output-capped' });
              break;
            case 'finished':
              send({ type: 'finished', outcome: event.outcome });
              break;
            case 'exit':
              break; // reported once, from `exited`
          }
        });
        return;
      }
      case 'interrupt':
        // The time limit: a memory limit already passed, which a starved watchdog timer has not seen
        // yet, is what ends the run.
        if (checkMemoryNow()) return;
        sandbox?.interrupt();
        return;
    }
  };

  const decoder = new FrameDecoder(
    MAX_HOST_FRAME_BYTES,
    (kind, payload) => {
      if (kind === FRAME_BINARY) {
        if (!pendingBoot || pendingBoot.received + payload.length > pendingBoot.snapshot.length)
          return exit(2);
        pendingBoot.snapshot.set(payload, pendingBoot.received);
        pendingBoot.received += payload.length;
        if (pendingBoot.received === pendingBoot.snapshot.length) {
          const { boot, snapshot } = pendingBoot;
          pendingBoot = undefined;
          start(boot, snapshot);
        }
        return;
      }
      const fields = parseMessage(payload);
      const message = fields && parseHostMessage(fields);
      if (!message) return exit(2);
      onMessage(message);
    },
    () => exit(2),
  );
  channel.on('data', (chunk: Buffer) => decoder.push(chunk));
  // The host went away: nothing left to do. A profiled process first ends its jail thread, whose
  // profile Node writes as the thread stops.
  const hostGone = (): void => {
    if (!profileDir || !sandbox) process.exit(0);
    sandbox.kill();
    void sandbox.exited.then(() => process.exit(0));
  };
  channel.on('close', hostGone);
  channel.on('error', hostGone);
}
