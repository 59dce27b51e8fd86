// The lane runner's side of the slots (test/lanes.mjs; the tests' side is lane-slot.ts): a readers-writer
// lock over every lane's tests, first come first served, so that an exclusive request (a limit test)
// holds back shared ones that come after it and starts once those before it are given back.
export type SlotRequestKind = 'shared' | 'exclusive';

interface Request {
  key: string;
  kind: SlotRequestKind;
  grant: () => void;
}

export class LaneSlots {
  private readonly holders = new Map<string, SlotRequestKind>();
  private queue: Request[] = [];

  /** `key` is `<lane>:<id>`; `grant` is called once the slot is held. */
  acquire(key: string, kind: SlotRequestKind, grant: () => void): void {
    this.queue.push({ key, kind, grant });
    this.pump();
  }

  release(key: string): void {
    this.holders.delete(key);
    this.pump();
  }

  /** A lane that ended (or died) gives back whatever it held or waited for. */
  releaseLane(lane: string): void {
    for (const key of [...this.holders.keys()]) if (key.startsWith(`${lane}:`)) this.holders.delete(key);
    this.queue = this.queue.filter((request) => !request.key.startsWith(`${lane}:`));
    this.pump();
  }

  /** What is held now, for tests and diagnostics. */
  held(): Array<[string, SlotRequestKind]> {
    return [...this.holders.entries()];
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0];
      const kinds = [...this.holders.values()];
      const free = head.kind === 'exclusive' ? kinds.length === 0 : !kinds.includes('exclusive');
      if (!free) return;
      this.queue.shift();
      this.holders.set(head.key, head.kind);
      head.grant();
    }
  }
}
