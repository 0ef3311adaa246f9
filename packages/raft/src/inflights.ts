import { InvariantError } from "@synod/core";

/**
 * The in-flight AppendEntries messages to one follower, by the last index each carried: a bounded
 * FIFO (flow control, as in etcd-raft's tracker/inflights.go). The ring buffer grows on demand up
 * to `capacity` (a leader builds one per follower at every election; most never fill it).
 */
export class Inflights {
  private buffer: number[] = [];
  private start = 0;
  private count = 0;

  /** @param capacity - the most messages in flight (≥ 1) */
  constructor(readonly capacity: number) {}

  /** @returns whether no more messages may be sent */
  full(): boolean {
    return this.count === this.capacity;
  }

  /** Number of messages in flight. */
  get size(): number {
    return this.count;
  }

  /** The last index of the oldest message in flight (the lowest: indexes are sent in order), or undefined when none is. */
  get oldest(): number | undefined {
    return this.count === 0 ? undefined : this.buffer[this.start];
  }

  /**
   * Record a message whose last entry is `lastIndex`.
   * @throws {InvariantError} when the window is full: the caller must check {@link full} first (a
   * message sent beyond the window would escape flow control unnoticed)
   */
  add(lastIndex: number): void {
    if (this.count === this.capacity) throw new InvariantError("in-flight window is full", { capacity: this.capacity, lastIndex });
    let buffer = this.buffer;
    if (this.count === buffer.length) {
      // Grow (double, at most to capacity), unrolling the ring so it starts at 0.
      const grown = new Array<number>(Math.min(this.capacity, Math.max(4, buffer.length * 2))).fill(0);
      for (let i = 0; i < this.count; i++) grown[i] = buffer[(this.start + i) % buffer.length] as number;
      this.buffer = buffer = grown;
      this.start = 0;
    }
    buffer[(this.start + this.count) % buffer.length] = lastIndex;
    this.count++;
  }

  /** Forget every message whose last index is ≤ `index` (they were acknowledged). */
  freeLE(index: number): void {
    const buffer = this.buffer;
    while (this.count > 0 && (buffer[this.start] as number) <= index) {
      this.start = (this.start + 1) % buffer.length;
      this.count--;
    }
  }

  /**
   * Forget the oldest message (etcd's FreeFirstOne): called when the follower answers a heartbeat
   * while the window is full, so appends that were lost cannot stall it for the rest of the term.
   */
  freeFirstOne(): void {
    if (this.count === 0) return;
    this.start = (this.start + 1) % this.buffer.length;
    this.count--;
  }

  /** Forget everything. */
  reset(): void {
    this.start = 0;
    this.count = 0;
  }
}
