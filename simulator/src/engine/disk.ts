import { frameRecord, readDurableLog, type Codec, type RecoveredState, type Rng } from "@synod/core";

/**
 * One node's simulated disk: a log of framed, checksummed records (`frameRecord`). The driver syncs
 * every step's records before its sends, so writes are only ever unsynced when a crash falls inside
 * a step; those are lost, except possibly a torn partial frame left at the tail.
 *
 * A protocol never mutates a record after returning it in a Step (records are immutable plain
 * data), so the disk keeps the record objects as written and encodes and frames them (header and
 * CRC) lazily, the first time the bytes are needed (a torn write, a corruption, a restart): the
 * bytes are byte-for-byte what eager encoding would give, and records a compaction replaces before
 * any crash are never encoded. A protocol that broke that rule would see its later mutation on disk.
 */
export class SimulatedDisk {
  /** Synced records not encoded yet; they follow `frames` in log order. */
  private pending: unknown[] = [];
  /** The codec of the records in `pending` (every write of a run passes the same one). */
  private pendingCodec: Codec<unknown> | undefined;
  /** Encoded, framed records: the head of the log. */
  private frames: Uint8Array[] = [];
  /** A torn partial frame after the last payload, if any. */
  private tornTail: Uint8Array | undefined;
  /** Index of the first frame whose bytes were corrupted, or −1. */
  private firstCorrupted = -1;
  /** Records written (synced) over the run. */
  recordsWritten = 0;

  /** @returns the number of complete records on disk (plus one for a torn tail) */
  get frameCount(): number {
    return this.frames.length + this.pending.length + (this.tornTail === undefined ? 0 : 1);
  }

  /** Append (or, when `compact`, replace the log by) the records, synced (encoded when first read). */
  write<P>(records: readonly P[], compact: boolean, codec: Codec<P>): void {
    if (compact) {
      this.pending = [];
      this.frames = [];
      this.firstCorrupted = -1;
    }
    if (this.tornTail !== undefined) {
      // Writing after a torn tail that was never recovered: the tail is overwritten (not a real
      // case in the simulator: a torn write always ends in a crash, and recovery truncates it).
      this.tornTail = undefined;
    }
    if (this.pendingCodec !== codec) {
      this.framed();
      this.pendingCodec = codec as Codec<unknown>;
    }
    const pending = this.pending;
    for (let i = 0; i < records.length; i++) pending.push(records[i]);
    this.recordsWritten += records.length;
  }

  /** A crash during an unsynced write of `record`: a random-length prefix of its frame becomes the tail. */
  tearTail<P>(record: P, codec: Codec<P>, rng: Rng): void {
    const frame = frameRecord(codec.encode(record));
    this.tornTail = frame.slice(0, rng.int(1, frame.length));
  }

  /**
   * Change one byte of a random synced frame (storage corruption), header included: the frame's
   * header checksum tells a damaged length from a torn write.
   * @returns whether a frame was corrupted (false when the log is empty)
   */
  corruptRandomByte(rng: Rng): boolean {
    const frames = this.framed();
    if (frames.length === 0) return false;
    const index = rng.int(0, frames.length);
    const frame = frames[index] as Uint8Array;
    const at = rng.int(0, frame.length);
    frame[at] = (frame[at] as number) ^ (1 + rng.int(0, 255));
    if (this.firstCorrupted < 0 || index < this.firstCorrupted) this.firstCorrupted = index;
    return true;
  }

  /**
   * Read the log back at restart. A torn tail (never synced) is truncated, as a storage layer's
   * recovery would; corrupted frames stay (every later restart sees them again).
   * @returns what the node recovers; `acceptedCorrupted`: a corrupted record was read as good
   */
  recover<P>(codec: Codec<P>): { state: RecoveredState<P>; acceptedCorrupted: boolean; corruptedOnDisk: boolean } {
    const frames = this.framed();
    const state = readDurableLog(this.tornTail === undefined ? frames : [...frames, this.tornTail], codec);
    if (state.tornTail) this.tornTail = undefined;
    const corruptedOnDisk = this.firstCorrupted >= 0;
    return { state, acceptedCorrupted: corruptedOnDisk && state.records.length > this.firstCorrupted, corruptedOnDisk };
  }

  private framed(): Uint8Array[] {
    const pending = this.pending;
    const codec = this.pendingCodec;
    if (pending.length > 0 && codec !== undefined) {
      for (let i = 0; i < pending.length; i++) this.frames.push(frameRecord(codec.encode(pending[i])));
      this.pending = [];
    }
    return this.frames;
  }
}
