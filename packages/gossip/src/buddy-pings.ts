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

  /** @param ttl - ticks a ping waits for its ack */
  constructor(private readonly ttl: number) {}

  /** Buddy pings awaiting their ack. */
  get size(): number {
    return this.deadlines.size;
  }

  /** Remember the ping `seq` sent at tick `now` (a key awaited again moves to the back, keeping deadline order). */
  add(seq: number, now: number): void {
    this.deadlines.delete(seq); // Map.set on a present key keeps its old place: a later deadline in front would stall expiry
    this.deadlines.set(seq, now + this.ttl);
  }

  /** @returns whether `seq` is a buddy ping's (then forgotten) */
  answered(seq: number): boolean {
    return this.deadlines.delete(seq);
  }

  /** Forget the pings whose deadline passed at tick `now`. */
  expire(now: number): void {
    if (this.deadlines.size === 0) return; // every tick of every member: no iterator when there is nothing to expire
    for (const [seq, deadline] of this.deadlines) {
      if (deadline > now) return;
      this.deadlines.delete(seq);
    }
  }
}
