/**
 * The data of one snapshot put back together from its chunks, in order: a follower assembles the
 * chunks of an InstallSnapshot (rules/snapshots.ts), recovery the chunk records before a snapshot
 * record (rules/recovery.ts). The chunks are kept as received (views, never copied) until the data
 * is complete; memory grows with what arrived, never with what a peer claims the size is.
 */
export class SnapshotAssembly {
  private readonly parts: Uint8Array[] = [];
  /** Bytes held: the next chunk must start at this offset. */
  received = 0;

  /**
   * @param index - the snapshot's last index
   * @param term - the snapshot's term
   * @param size - the data's length, in bytes
   */
  constructor(
    readonly index: number,
    readonly term: number,
    readonly size: number,
  ) {}

  /**
   * Add the chunk of `data` at `offset` (the caller checked `offset + data.length <= size`). A chunk
   * wholly before {@link received} is a duplicate (ignored); one overlapping it adds its new tail;
   * one after it leaves a gap (refused: the sender resends from {@link received}).
   * @returns whether the chunk was added or already held (false: a gap)
   */
  add(offset: number, data: Uint8Array): boolean {
    if (offset > this.received) return false;
    const fresh = offset + data.length - this.received;
    if (fresh > 0) {
      this.parts.push(fresh === data.length ? data : data.subarray(data.length - fresh));
      this.received += fresh;
    }
    return true;
  }

  /** @returns whether every byte up to `size` is held */
  get complete(): boolean {
    return this.received === this.size;
  }

  /** @returns the assembled data (one copy; the chunk itself when there is one) */
  data(): Uint8Array {
    const parts = this.parts;
    if (parts.length === 1) return parts[0] as Uint8Array;
    const data = new Uint8Array(this.received);
    let at = 0;
    for (const part of parts) {
      data.set(part, at);
      at += part.length;
    }
    return data;
  }
}
