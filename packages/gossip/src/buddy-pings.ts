/**
 * The buddy pings in flight: a member whose suspicion, started on another's word, is about to expire
 * pings the accused with the suspicion on it (Lifeguard's buddy system, without waiting for its round
 * robin to reach the accused). The ack carries the accused's incarnation, refuted if it had not heard: that is
 * the whole answer, so a ping is only remembered to recognise its ack (not counted as stale), and
 * forgotten after `ttl` ticks. Deadlines grow with insertion, so expiry pops from the front: O(expired).
 */
export class BuddyPings {
  /** Sequence number → tick after which its ack is no longer expected (insertion order = deadline order). */
  private readonly deadlines = new Map<number, number>();
  /** The first entry in insertion order: its key, and its deadline (Infinity when there is none). */
  private frontKey = 0;
  private front = Infinity;

  /**
   * @param ttl - ticks a ping waits for its ack
   * @param onDue - told the new {@link nextExpiry} whenever an add or an answer may have made it earlier
   */
  constructor(
    private readonly ttl: number,
    private readonly onDue?: (tick: number) => void,
  ) {}

  /** Buddy pings awaiting their ack. */
  get size(): number {
    return this.deadlines.size;
  }

  /** The first tick at which {@link expire} would forget anything (Infinity: nothing held). */
  get nextExpiry(): number {
    return this.front;
  }

  /** Remember the ping `seq` sent at tick `now` (a key awaited again moves to the back, keeping deadline order). */
  add(seq: number, now: number): void {
    const deadline = now + this.ttl;
    // Map.set on a present key keeps its old place: a later deadline in front would stall expiry.
    if (this.deadlines.delete(seq) && seq === this.frontKey) this.findFront();
    this.deadlines.set(seq, deadline);
    if (this.deadlines.size === 1) {
      this.frontKey = seq;
      this.front = deadline;
    }
    this.onDue?.(this.front);
  }

  /** @returns whether `seq` is a buddy ping's (then forgotten) */
  answered(seq: number): boolean {
    if (!this.deadlines.delete(seq)) return false;
    if (seq === this.frontKey) {
      this.findFront();
      this.onDue?.(this.front);
    }
    return true;
  }

  /** Forget the pings whose deadline passed at tick `now`. */
  expire(now: number): void {
    if (now < this.front) return; // every tick of every member: no iterator when the first deadline is ahead
    for (const [seq, deadline] of this.deadlines) {
      if (deadline > now) {
        this.frontKey = seq;
        this.front = deadline;
        return;
      }
      this.deadlines.delete(seq);
    }
    this.front = Infinity;
  }

  private findFront(): void {
    this.front = Infinity;
    for (const [seq, deadline] of this.deadlines) {
      this.frontKey = seq;
      this.front = deadline;
      return;
    }
  }
}
