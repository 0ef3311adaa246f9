import { frameRecord, readLogFile, type Codec, type RecoveredState, type Rng } from "@synod/core";

/**
 * One node's simulated disk: a log of framed, checksummed records (`frameRecord`). The driver syncs
 * every step's records before its sends, so writes are only ever unsynced when a crash falls inside
 * a step; those are lost, except possibly a torn partial frame left at the tail. The disk is a file:
 * a torn tail stays until the driver truncates it ({@link truncate}); records written after it
 * follow its bytes, as with a naive driver, and cannot be read back.
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
      // A compaction writes a new log file in place of the old one (torn tail included).
      this.pending = [];
      this.frames = [];
      this.firstCorrupted = -1;
      this.tornTail = undefined;
    } else if (this.tornTail !== undefined) {
      // Appending after a torn tail the driver did not truncate: its bytes stay in the file.
      this.framed().push(this.tornTail);
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
   * Read the log file back at restart with `readLogFile`, as a driver would. Nothing is changed: the
   * driver truncates a torn tail itself ({@link truncate}); corrupted frames stay.
   * @returns what the node recovers; `validLength`: bytes of the valid prefix; `acceptedCorrupted`:
   * a corrupted record was read as good
   */
  recover<P>(codec: Codec<P>): { state: RecoveredState<P>; validLength: number; acceptedCorrupted: boolean; corruptedOnDisk: boolean } {
    const { validLength, ...state } = readLogFile(this.fileBytes(), codec);
    const corruptedOnDisk = this.firstCorrupted >= 0;
    return { state, validLength, acceptedCorrupted: corruptedOnDisk && state.records.length > this.firstCorrupted, corruptedOnDisk };
  }

  /**
   * Truncate the log file to its first `length` bytes, which must end on a frame boundary (the
   * `validLength` of a recovery).
   * @throws {Error} when `length` falls inside a frame (a driver bug)
   */
  truncate(length: number): void {
    const frames = this.framed();
    let kept = 0;
    let at = 0;
    while (kept < frames.length && at + (frames[kept] as Uint8Array).length <= length) at += (frames[kept++] as Uint8Array).length;
    if (at !== length) throw new Error(`truncate(${length}) falls inside a frame`);
    frames.length = kept;
    this.tornTail = undefined;
    if (this.firstCorrupted >= kept) this.firstCorrupted = -1;
  }

  /** The log file's bytes: every frame, then the torn tail. */
  private fileBytes(): Uint8Array {
    const frames = this.framed();
    const tail = this.tornTail;
    let size = tail?.length ?? 0;
    for (let i = 0; i < frames.length; i++) size += (frames[i] as Uint8Array).length;
    const bytes = new Uint8Array(size);
    let at = 0;
    for (let i = 0; i < frames.length; i++) {
      bytes.set(frames[i] as Uint8Array, at);
      at += (frames[i] as Uint8Array).length;
    }
    if (tail !== undefined) bytes.set(tail, at);
    return bytes;
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
