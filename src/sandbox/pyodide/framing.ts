// Length-prefixed frames over the dedicated pipe between the host and a sandbox process. The child's
// stdout and stderr are never parsed, so nothing the program prints can pose as a message, and every
// frame has a size cap so a misbehaving child cannot make the host buffer without bound.
//
// Frame: [u32 big-endian length of what follows][u8 kind][payload]

export const FRAME_JSON = 0;
export const FRAME_BINARY = 1;
export type FrameKind = typeof FRAME_JSON | typeof FRAME_BINARY;

const PREFIX_BYTES = 5;

export class FrameError extends Error {
  override name = 'FrameError';
}

export function encodeFrame(kind: FrameKind, payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(PREFIX_BYTES + payload.length);
  frame.writeUInt32BE(payload.length + 1, 0);
  frame[4] = kind;
  frame.set(payload, PREFIX_BYTES);
  return frame;
}

/**
 * Writes a frame as its 5-byte prefix followed by the payload itself, without copying the payload
 * (a 31 MB snapshot in 1 MB frames would otherwise be copied once more on its way to the pipe).
 * The payload must not change until the stream has written it.
 */
export function writeFrame(
  stream: { write(chunk: Uint8Array, callback?: () => void): unknown },
  kind: FrameKind,
  payload: Uint8Array,
  onWritten?: () => void,
): void {
  const prefix = Buffer.allocUnsafe(PREFIX_BYTES);
  prefix.writeUInt32BE(payload.length + 1, 0);
  prefix[4] = kind;
  stream.write(prefix);
  stream.write(payload, onWritten);
}

export function encodeMessage(message: object): Buffer {
  return encodeFrame(FRAME_JSON, Buffer.from(JSON.stringify(message), 'utf8'));
}

/** Splits a byte stream into frames; refuses (once, then ignores input) a frame over the cap. */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private failed = false;

  constructor(
    private readonly maxPayloadBytes: number,
    private readonly onFrame: (kind: FrameKind, payload: Buffer) => void,
    private readonly onError: (error: FrameError) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.failed) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    while (!this.failed && this.pendingBytes >= PREFIX_BYTES) {
      const head = this.peek(PREFIX_BYTES);
      const length = head.readUInt32BE(0);
      const kind = head[4];
      if (length < 1 || length - 1 > this.maxPayloadBytes) {
        return this.fail(`a frame of ${length - 1} bytes exceeds the ${this.maxPayloadBytes}-byte limit`);
      }
      if (kind !== FRAME_JSON && kind !== FRAME_BINARY) return this.fail(`unknown frame kind ${kind}`);
      if (this.pendingBytes < 4 + length) return;
      const frame = this.take(4 + length);
      this.onFrame(kind, frame.subarray(PREFIX_BYTES));
    }
  }

  private fail(message: string): void {
    this.failed = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.onError(new FrameError(message));
  }

  private peek(bytes: number): Buffer {
    if (this.pending[0].length < bytes) this.pending = [Buffer.concat(this.pending)];
    return this.pending[0].subarray(0, bytes);
  }

  private take(bytes: number): Buffer {
    const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    const frame = all.subarray(0, bytes);
    const rest = all.subarray(bytes);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return frame;
  }
}

/** Parses a JSON frame's payload into a plain object, or undefined if it is not one. */
export function parseMessage(payload: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
