'use strict';
// The worker thread that hosts the jail: boots one interpreter (or makes a snapshot), runs one
// program, copies its output into the shared ring and reports how it ended. Nothing here ever
// inspects a jail value: what the jail produces reaches this code as bytes and primitives only.
import { parentPort, workerData } from 'node:worker_threads';
import { JAIL_SNAPSHOT_PATH, readPyodideArtifacts } from './artifacts';
import { Jail, type JailHooks } from './jail';
import { outcomeBytes, outcomeWithinBudget } from './output-budget';
import { OutputRingWriter } from './output-ring';
import {
  parseJailWorkerData,
  parseRunMessage,
  parseSnapshotMessage,
  type JailWorkerMessage,
} from './protocol';

/**
 * Process-wide handlers that never look at the value: Node's default handling formats the reason
 * with util.inspect, which calls a jail object's `Symbol.for('nodejs.util.inspect.custom')` hook
 * with host objects (redteam 14).
 */
export function installHostHygiene(onUncaught: () => void, onRejection: () => void = () => {}): void {
  // The reason and the promise are never looked at: onRejection is told that one happened, no more.
  process.on('unhandledRejection', () => onRejection());
  process.on('uncaughtException', () => onUncaught());
  Object.defineProperty(Error, 'prepareStackTrace', {
    value: undefined,
    writable: false,
    configurable: false,
  });
}

function describe(error: unknown): string {
  // Only host-realm errors (file system, JailError) reach here: Jail.create never rethrows a jail value.
  return (error instanceof Error ? error.message : 'unknown error').slice(0, 1000);
}

export async function runJailWorker(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('the jail worker must run in a worker thread');
  const post = (message: JailWorkerMessage, transfer: ArrayBuffer[] = []): void =>
    port.postMessage(message, transfer);
  let jail: Jail | undefined;
  installHostHygiene(
    () => post({ type: 'fatal', message: 'an uncaught exception in the sandbox worker' }),
    () => jail?.unhandledRejection(),
  );

  const data = parseJailWorkerData(workerData);
  if (!data) {
    post({ type: 'boot-failed', message: 'the sandbox worker was started with invalid data' });
    return;
  }
  let writer: OutputRingWriter | undefined;
  const hooks: JailHooks = {
    output: (stream, bytes) => writer?.write(stream, bytes),
    log: (stream, text) => writer?.write(stream, Buffer.from(text, 'utf8')),
    finished: (outcome) => {
      if (!writer) return post({ type: 'finished', outcome });
      // Charged before it is posted: past the budget the capped flag is up before the host sees the outcome.
      const bounded = outcomeWithinBudget(outcome, writer.remainingBytes);
      writer.spend(bounded.overBudget ? Number.MAX_SAFE_INTEGER : outcomeBytes(outcome));
      post({ type: 'finished', outcome: bounded.outcome });
    },
  };
  // A snapshot that follows is the first message; listening before anything else, so none is missed.
  const followingSnapshot = data.snapshotFollows
    ? new Promise<Uint8Array | undefined>((resolve) =>
        port.once('message', (raw: unknown) => resolve(parseSnapshotMessage(raw)?.bytes)),
      )
    : undefined;
  try {
    const artifacts = readPyodideArtifacts({
      pyodideDir: data.pyodideDir,
      memoryMb: data.memoryMb,
      snapshot: data.snapshot,
    });
    if (followingSnapshot) {
      const snapshot = await followingSnapshot;
      if (!snapshot) throw new Error('the sandbox worker received an invalid snapshot message');
      artifacts.files.set(JAIL_SNAPSHOT_PATH, snapshot);
    }
    jail = await Jail.create({
      artifacts,
      restoreSnapshot: data.snapshot !== undefined || data.snapshotFollows,
      makeSnapshot: data.makeSnapshot,
      warmUp: data.warmUp,
      maxFileBytes: data.memoryMb * 1024 * 1024,
      hooks,
    });
  } catch (error) {
    post({ type: 'boot-failed', message: describe(error) });
    return;
  }
  if (data.makeSnapshot) {
    const bytes = jail.snapshot();
    jail.dispose();
    post({ type: 'snapshot', bootMs: jail.bootMs, bytes }, [bytes.buffer as ArrayBuffer]);
    return;
  }
  if (!jail.interruptBuffer) {
    post({ type: 'boot-failed', message: 'the jail has no interrupt buffer' });
    return;
  }
  port.once('message', (raw: unknown) => {
    const run = parseRunMessage(raw);
    if (!run) {
      post({ type: 'fatal', message: 'the sandbox worker received an invalid run request' });
      return;
    }
    writer = new OutputRingWriter(data.ring, run.maxOutputBytes);
    jail.run(run.kind, run.code, run.filename, run.restrictions);
  });
  post({ type: 'ready', bootMs: jail.bootMs, interruptBuffer: jail.interruptBuffer });
}
