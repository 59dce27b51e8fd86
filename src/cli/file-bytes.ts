// Reads files into one reused buffer. A warm `check` reads every file only to hash it; a fresh buffer per
// file (readFileSync) costs more than the read itself on a large tree (allocation, page faults, GC).
import fs from 'node:fs';

export class ReusedBuffer {
  private buffer = Buffer.allocUnsafe(1 << 20);

  /** The file's bytes, valid until the next read; throws as fs does when the file cannot be read. */
  read(file: string): Buffer {
    const fd = fs.openSync(file, 'r');
    try {
      let length = 0;
      for (;;) {
        if (length === this.buffer.length) {
          const grown = Buffer.allocUnsafe(this.buffer.length * 2);
          this.buffer.copy(grown);
          this.buffer = grown;
        }
        const read = fs.readSync(fd, this.buffer, length, this.buffer.length - length, null);
        if (read === 0) return this.buffer.subarray(0, length);
        length += read;
      }
    } finally {
      fs.closeSync(fd);
    }
  }
}
