// A single-producer, single-consumer byte ring in shared memory that carries the program's stdout and
// stderr out of the jail's thread. The jail thread is blocked while Python runs, so it cannot answer
// messages; the parent drains this ring on its own event loop instead, which keeps output streaming
// while Python computes or sleeps. The output cap is enforced by the writer, so bytes past the cap
// never leave the jail's thread, and a full ring makes the writer wait: a flood is throttled at the
// source rather than queued in the host.

export const STDOUT = 1;
export const STDERR = 2;
export type StreamId = typeof STDOUT | typeof STDERR;

export interface OutputRingBuffers {
  control: SharedArrayBuffer;
  data: SharedArrayBuffer;
}

// control: Int32Array slots. Positions count bytes modulo 2^32.
const WRITE_POS = 0;
const READ_POS = 1;
const FLAGS = 2;
const CONTROL_SLOTS = 4;

const FLAG_CAPPED = 1;

const HEADER_BYTES = 4; // [stream, length (3 bytes, little-endian)]
const MAX_RECORD_BYTES = 0xffffff;
/** How long the writer sleeps at a time while the ring is full (it re-checks after each wait). */
const FULL_WAIT_MS = 50;

export const DEFAULT_RING_BYTES = 1 << 20;

export function createOutputRing(capacity = DEFAULT_RING_BYTES): OutputRingBuffers {
  if (!Number.isInteger(Math.log2(capacity)) || capacity < 64 || capacity > 1 << 30) {
    throw new RangeError(`ring capacity must be a power of two from 64 bytes to 1 GiB, got ${capacity}`);
  }
  return {
    control: new SharedArrayBuffer(CONTROL_SLOTS * Int32Array.BYTES_PER_ELEMENT),
    data: new SharedArrayBuffer(capacity),
  };
}

/** Checks that a value received from another thread is a ring this module can use. */
export function isOutputRingBuffers(value: unknown): value is OutputRingBuffers {
  if (typeof value !== 'object' || value === null) return false;
  const { control, data } = value as Record<string, unknown>;
  return (
    control instanceof SharedArrayBuffer &&
    control.byteLength === CONTROL_SLOTS * Int32Array.BYTES_PER_ELEMENT &&
    data instanceof SharedArrayBuffer &&
    data.byteLength >= 64 &&
    Number.isInteger(Math.log2(data.byteLength))
  );
}

class RingView {
  protected readonly control: Int32Array;
  protected readonly data: Uint8Array;
  protected readonly mask: number;

  constructor(buffers: OutputRingBuffers) {
    this.control = new Int32Array(buffers.control);
    this.data = new Uint8Array(buffers.data);
    this.mask = this.data.length - 1;
  }

  protected position(slot: number): number {
    return Atomics.load(this.control, slot) >>> 0;
  }

  get capped(): boolean {
    return (Atomics.load(this.control, FLAGS) & FLAG_CAPPED) !== 0;
  }
}

export class OutputRingWriter extends RingView {
  private written = 0;

  /** @param maxBytes cap on stdout + stderr bytes; the rest is dropped and the capped flag raised. */
  constructor(
    buffers: OutputRingBuffers,
    private readonly maxBytes: number,
  ) {
    super(buffers);
  }

  /** Bytes accepted so far (never more than the cap). */
  get bytesWritten(): number {
    return this.written;
  }

  /** What is left of the budget. */
  get remainingBytes(): number {
    return Math.max(0, this.maxBytes - this.written);
  }

  /**
   * Counts bytes that leave the jail some other way (the error record) against the same budget.
   * Past the budget the capped flag is raised, as for output, so that the run ends as `output`.
   */
  spend(bytes: number): void {
    const allowed = Math.min(bytes, this.remainingBytes);
    this.written += allowed;
    if (allowed < bytes && !this.capped) {
      Atomics.or(this.control, FLAGS, FLAG_CAPPED);
      Atomics.notify(this.control, WRITE_POS);
    }
  }

  write(stream: StreamId, bytes: Uint8Array): void {
    const allowed = Math.min(bytes.length, Math.max(0, this.maxBytes - this.written));
    let offset = 0;
    while (offset < allowed) {
      const write = this.position(WRITE_POS);
      const read = this.position(READ_POS);
      const free = this.data.length - ((write - read) >>> 0);
      if (free <= HEADER_BYTES) {
        Atomics.wait(this.control, READ_POS, read | 0, FULL_WAIT_MS);
        continue;
      }
      const length = Math.min(allowed - offset, free - HEADER_BYTES, MAX_RECORD_BYTES);
      this.put(write, Uint8Array.of(stream, length & 0xff, (length >>> 8) & 0xff, (length >>> 16) & 0xff));
      this.put(write + HEADER_BYTES, bytes.subarray(offset, offset + length));
      Atomics.store(this.control, WRITE_POS, (write + HEADER_BYTES + length) | 0);
      Atomics.notify(this.control, WRITE_POS);
      offset += length;
    }
    this.written += allowed;
    if (allowed < bytes.length && !this.capped) {
      Atomics.or(this.control, FLAGS, FLAG_CAPPED);
      Atomics.notify(this.control, WRITE_POS);
    }
  }

  private put(position: number, bytes: Uint8Array): void {
    const start = position & this.mask;
    const first = Math.min(bytes.length, this.data.length - start);
    this.data.set(bytes.subarray(0, first), start);
    if (first < bytes.length) this.data.set(bytes.subarray(first), 0);
  }
}

interface WaitAsyncResult {
  async: boolean;
  value: Promise<'ok' | 'timed-out'> | 'not-equal' | 'timed-out';
}
type WaitAsync = (array: Int32Array, index: number, value: number, timeout?: number) => WaitAsyncResult;

export class OutputRingReader extends RingView {
  /** Reads every complete record and hands each one over (a copy), oldest first. */
  drain(onRecord: (stream: StreamId, bytes: Uint8Array) => void): void {
    let read = this.position(READ_POS);
    const write = this.position(WRITE_POS);
    while (read !== write) {
      const header = this.take(read, HEADER_BYTES);
      const stream: StreamId = header[0] === STDERR ? STDERR : STDOUT;
      const length = header[1] | (header[2] << 8) | (header[3] << 16);
      const bytes = this.take(read + HEADER_BYTES, length);
      read = (read + HEADER_BYTES + length) >>> 0;
      Atomics.store(this.control, READ_POS, read | 0);
      Atomics.notify(this.control, READ_POS);
      onRecord(stream, bytes);
    }
  }

  /** True when there are bytes the reader has not drained yet. */
  get pending(): boolean {
    return this.position(WRITE_POS) !== this.position(READ_POS);
  }

  /**
   * Resolves as soon as there is something to drain (at once if there already is), when the writer
   * raises the capped flag, when `wake()` is called, or after `timeoutMs`.
   */
  async waitForWrite(timeoutMs: number): Promise<void> {
    const read = this.position(READ_POS);
    const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
    const result = waitAsync(this.control, WRITE_POS, read | 0, timeoutMs);
    if (result.async) await result.value;
  }

  /** Wakes a pending `waitForWrite` (used when the reader stops). */
  wake(): void {
    Atomics.notify(this.control, WRITE_POS);
  }

  private take(position: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    const start = position & this.mask;
    const first = Math.min(length, this.data.length - start);
    out.set(this.data.subarray(start, start + first));
    if (first < length) out.set(this.data.subarray(0, length - first), first);
    return out;
  }
}
