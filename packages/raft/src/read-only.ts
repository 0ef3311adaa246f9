/** One linearizable read waiting at the leader. */
export interface PendingRead {
  readonly tag: number;
  readonly query: Uint8Array;
  /** The commit index when the read arrived: the read may be served once this is applied. */
  readonly index: number;
  /** The first heartbeat round sent after the read arrived: a quorum acknowledging it confirms leadership. */
  readonly round: number;
}

/**
 * ReadIndex bookkeeping (Raft thesis §6.4): a read records the commit index, the leader confirms it
 * is still leader with a heartbeat round acknowledged by a quorum, then the read is answered once
 * that index is applied. Reads wait in arrival order, and rounds only grow, so a quorum for round r
 * confirms every read of a round ≤ r.
 */
export class ReadOnlyQueue {
  private reads: PendingRead[] = [];

  /** @param maxPending - most reads waiting at once */
  constructor(private readonly maxPending: number) {}

  /** Number of waiting reads. */
  get size(): number {
    return this.reads.length;
  }

  /** @returns whether another read can be queued */
  hasRoom(): boolean {
    return this.reads.length < this.maxPending;
  }

  /** Queue a read at commit index `index`, to be confirmed by heartbeat round `round`. */
  add(read: PendingRead): void {
    this.reads.push(read);
  }

  /** @returns whether some read waits for a round later than `confirmedRound` */
  hasUnconfirmed(confirmedRound: number): boolean {
    const last = this.reads[this.reads.length - 1];
    return last !== undefined && last.round > confirmedRound;
  }

  /**
   * @param confirmedRound - the latest round a quorum acknowledged
   * @param applied - the applied index
   * @returns and removes the reads that are confirmed and whose index is applied, in order
   */
  takeReady(confirmedRound: number, applied: number): PendingRead[] {
    let n = 0;
    while (n < this.reads.length) {
      const read = this.reads[n] as PendingRead;
      if (read.round > confirmedRound || read.index > applied) break;
      n++;
    }
    return n === 0 ? [] : this.reads.splice(0, n);
  }

  /** @returns and removes every waiting read (leadership lost) */
  drain(): PendingRead[] {
    const all = this.reads;
    this.reads = [];
    return all;
  }
}
