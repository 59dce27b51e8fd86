// Collects a run's stdout/stderr as it streams and hands it to the panel in batches (one message per
// interval instead of one per print), merging consecutive chunks of the same stream. The panel is sent
// at most `maxChars` of a run's output: past that, output is counted but not sent, and the panel shows a
// marker, so a program printing without end cannot flood the webview or freeze the editor. The full
// output the runner kept (up to its own cap) stays available to Copy Output.

import type { OutputChunk } from './messages';

export interface OutputBatch {
  chunks: OutputChunk[];
  droppedChars: number;
}

export interface BatcherTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const nodeTimers: BatcherTimers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class OutputBatcher {
  private pending: OutputChunk[] = [];
  private sentChars = 0;
  private droppedSinceFlush = 0;
  private timer: unknown;
  private disposed = false;

  constructor(
    private readonly send: (batch: OutputBatch) => void,
    private readonly options: { intervalMs: number; maxChars: number },
    private readonly timers: BatcherTimers = nodeTimers,
  ) {}

  push(stream: OutputChunk['stream'], text: string): void {
    if (this.disposed || text.length === 0) return;
    const room = this.options.maxChars - this.sentChars;
    const kept = room > 0 ? text.slice(0, room) : '';
    this.droppedSinceFlush += text.length - kept.length;
    if (kept.length > 0) {
      this.sentChars += kept.length;
      const last = this.pending[this.pending.length - 1];
      if (last && last.stream === stream) last.text += kept;
      else this.pending.push({ stream, text: kept });
    }
    if (this.timer === undefined) {
      this.timer = this.timers.set(() => {
        this.timer = undefined;
        this.flush();
      }, this.options.intervalMs);
    }
  }

  /** Sends whatever is pending now (call before a run's final message so ordering is kept). */
  flush(): void {
    if (this.timer !== undefined) {
      this.timers.clear(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0 && this.droppedSinceFlush === 0) return;
    const batch = { chunks: this.pending, droppedChars: this.droppedSinceFlush };
    this.pending = [];
    this.droppedSinceFlush = 0;
    if (!this.disposed) this.send(batch);
  }

  dispose(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.disposed = true;
  }
}
