/**
 * Anti-replay state for one sender (IPsec-style sliding window over (epoch, sequence number)):
 * accepts each (epoch, seq) at most once, tolerates reordering within `windowSize`, and rejects
 * anything older than the window. Memory is O(windowSize).
 */
export class ReplayWindow {
  private epoch = -1;
  private highest = 0;
  private readonly seen = new Set<number>();

  /** @param windowSize - how far behind the highest sequence number a message may arrive (≥ 1) */
  constructor(private readonly windowSize: number) {}

  /** @returns whether (epoch, seq) would be accepted now (does not record it) */
  isFresh(epoch: number, seq: number): boolean {
    if (epoch > this.epoch) return true;
    if (epoch < this.epoch) return false;
    if (seq > this.highest) return true;
    if (seq <= this.highest - this.windowSize) return false;
    return !this.seen.has(seq);
  }

  /** Record (epoch, seq) as accepted. Call only after {@link isFresh} and signature verification. */
  record(epoch: number, seq: number): void {
    if (epoch > this.epoch) {
      this.epoch = epoch;
      this.highest = 0;
      this.seen.clear();
    }
    if (seq > this.highest) this.highest = seq;
    this.seen.add(seq);
    if (this.seen.size > 2 * this.windowSize) {
      const floor = this.highest - this.windowSize;
      for (const old of this.seen) if (old <= floor) this.seen.delete(old);
    }
  }

  /**
   * @returns the (epoch, seq) pairs that determine this window's answers: the current epoch's
   *   recorded numbers still inside the window. Recording them into an empty window rebuilds it.
   */
  entries(): { epoch: number; seq: number }[] {
    const floor = this.highest - this.windowSize;
    return [...this.seen].filter((seq) => seq > floor).sort((a, b) => a - b).map((seq) => ({ epoch: this.epoch, seq }));
  }
}
