/**
 * The in-flight AppendEntries messages to one follower, by the last index each carried: a bounded
 * FIFO (flow control, as in etcd-raft's tracker/inflights.go).
 */
export class Inflights {
  private readonly buffer: number[];
  private start = 0;
  private count = 0;

  /** @param capacity - the most messages in flight (≥ 1) */
  constructor(readonly capacity: number) {
    this.buffer = new Array<number>(capacity).fill(0);
  }

  /** @returns whether no more messages may be sent */
  full(): boolean {
    return this.count === this.capacity;
  }

  /** Number of messages in flight. */
  get size(): number {
    return this.count;
  }

  /** Record a message whose last entry is `lastIndex` (callers check {@link full} first). */
  add(lastIndex: number): void {
    if (this.full()) return;
    this.buffer[(this.start + this.count) % this.capacity] = lastIndex;
    this.count++;
  }

  /** Forget every message whose last index is ≤ `index` (they were acknowledged). */
  freeLE(index: number): void {
    while (this.count > 0 && (this.buffer[this.start] as number) <= index) {
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
  }

  /** Forget everything. */
  reset(): void {
    this.start = 0;
    this.count = 0;
  }
}
