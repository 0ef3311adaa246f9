import { FRAME_HEADER_BYTES, frameRecord, frameRecordInto } from "@synod/core";
import { constants } from "node:fs";
import { mkdir, open, readdir, readFile, rm, stat, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { MAX_WAL_FILE_BYTES, MAX_WAL_RECORD_BYTES, WAL_SEGMENT_BYTES } from "../limits.js";
import { removeTemporary, syncDirectory, writeFileAtomically } from "./atomic-file.js";
import { scanFrames } from "./scan-frames.js";
import { WalError } from "./wal-error.js";
import { checkFileHeader, fileHeader, FILE_HEADER_BYTES, parseWalFileName, walFileName } from "./wal-format.js";

/** Options of {@link SegmentedWal.open}. */
export interface WalOptions {
  /** Bytes a segment grows to before the next sync rolls to a new one (default {@link WAL_SEGMENT_BYTES}). */
  readonly segmentBytes?: number;
}

/** What {@link SegmentedWal.open} read back. */
export interface WalRecovery {
  /** Intact frames (`frameRecord` layout), oldest first: the latest checkpoint's, then every segment's after it. */
  readonly frames: readonly Uint8Array[];
  /** 0, or 1 when reading stopped at damage (a corrupted middle): the node must raise an alarm and halt. */
  readonly corrupted: number;
  /** Whether a torn tail was found (and truncated away: it was never synced). */
  readonly tornTail: boolean;
  /** Bytes cut off the last segment by the torn-tail rule. */
  readonly truncatedBytes: number;
  /** What the damage was, when `corrupted > 0`. */
  readonly problem?: string;
}

/** What one {@link SegmentedWal.sync} made durable. */
export interface SyncResult {
  readonly records: number;
  readonly bytes: number;
  readonly checkpoint: boolean;
}

/**
 * A segmented write-ahead log of opaque records, each framed with CRCs (`frameRecord`).
 *
 * Writes are group-committed: {@link append} and {@link replaceAll} only buffer; {@link sync}
 * writes everything buffered since the last sync with one write on a segment opened with
 * O_DSYNC, durable when it returns (as write + `fdatasync`, in one call). A `replaceAll` (a
 * protocol's compaction) becomes a checkpoint file written atomically (temp, fsync, rename, fsync
 * the directory) that starts a new segment; the segments and checkpoints before it are then deleted.
 *
 * Recovery ({@link open}) applies the torn-tail rule of {@link scanFrames}: a torn tail of the last
 * segment is truncated (it was never synced); damage anywhere else stops reading and is reported as
 * `corrupted` — never silently dropped. A WAL opened with damage refuses every write, so the
 * evidence stays on disk for an operator.
 */
export class SegmentedWal {
  /**
   * The frames buffered for the next sync, back to back in `pending[0, pendingBytes)`; `spare` is
   * the buffer of the sync being written (never touched until that write returned), then the next
   * one filled. Framing into one buffer allocates once per sync, not once per record.
   */
  private pending = new Uint8Array(INITIAL_BUFFER_BYTES);
  private spare = new Uint8Array(INITIAL_BUFFER_BYTES);
  private pendingBytes = 0;
  private pendingRecords = 0;
  private pendingCheckpoint: Uint8Array[] | undefined;
  private syncing = false;
  private failed: WalError | undefined;

  private constructor(
    /** The WAL's directory. */
    readonly dir: string,
    private readonly segmentBytes: number,
    private segment: FileHandle | undefined,
    private segmentSeq: number,
    private segmentSize: number,
    private readonly damaged: string | undefined,
  ) {}

  /**
   * Open (creating it if needed) the WAL in `dir` and read back what it holds.
   * @throws {WalError} when a file is from a newer format or not a WAL file, or the directory cannot be used
   */
  static async open(dir: string, options: WalOptions = {}): Promise<{ wal: SegmentedWal; recovery: WalRecovery }> {
    const segmentBytes = options.segmentBytes ?? WAL_SEGMENT_BYTES;
    await mkdir(dir, { recursive: true });
    const names = await readdir(dir);
    await removeTemporary(dir, names);
    const files = names.map((name) => ({ name, parsed: parseWalFileName(name) })).filter((f) => f.parsed !== undefined);
    const checkpoints = files.filter((f) => f.parsed?.kind === "checkpoint").map((f) => f.parsed?.seq as number).sort((a, b) => a - b);
    const checkpointSeq = checkpoints.at(-1) ?? 0;
    const segments = files.filter((f) => f.parsed?.kind === "segment").map((f) => f.parsed?.seq as number).sort((a, b) => a - b);
    // Files made obsolete by the latest checkpoint (a crash between its rename and their deletion).
    for (const seq of checkpoints.slice(0, -1)) await rm(join(dir, walFileName(seq, "checkpoint")), { force: true });
    for (const seq of segments.filter((s) => s < checkpointSeq)) await rm(join(dir, walFileName(seq, "segment")), { force: true });
    const live = segments.filter((s) => s >= checkpointSeq);

    const frames: Uint8Array[] = [];
    let damage: string | undefined;
    let tornTail = false;
    let truncatedBytes = 0;
    if (checkpointSeq > 0) {
      const name = walFileName(checkpointSeq, "checkpoint");
      const bytes = await readWalFile(join(dir, name));
      if (checkFileHeader(bytes, "checkpoint", name) === "short") damage = `${name}: shorter than its header`;
      else {
        const scan = scanFrames(bytes, FILE_HEADER_BYTES);
        frames.push(...scan.frames);
        if (scan.tail !== "clean") damage = `${name}: ${scan.problem ?? "incomplete"} (checkpoints are written atomically)`;
      }
    }
    let writeSeq = Math.max(checkpointSeq, 1);
    let writeSize = -1; // -1: create a new segment at writeSeq
    for (let i = 0; i < live.length && damage === undefined; i++) {
      const seq = live[i] as number;
      const name = walFileName(seq, "segment");
      const isLast = i === live.length - 1;
      if (i > 0 && seq !== (live[i - 1] as number) + 1) {
        damage = `segment ${walFileName((live[i - 1] as number) + 1, "segment")} is missing`;
        break;
      }
      if (i === 0 && checkpointSeq > 0 && seq !== checkpointSeq) {
        damage = `segment ${walFileName(checkpointSeq, "segment")} (the checkpoint's) is missing`;
        break;
      }
      const bytes = await readWalFile(join(dir, name));
      if (checkFileHeader(bytes, "segment", name) === "short") {
        if (!isLast) damage = `${name}: shorter than its header`;
        else {
          tornTail = bytes.length > 0;
          truncatedBytes = bytes.length;
          writeSeq = seq;
          writeSize = -2; // rewrite this segment from its header
        }
        continue;
      }
      const scan = scanFrames(bytes, FILE_HEADER_BYTES);
      frames.push(...scan.frames);
      if (scan.tail === "damaged" || (scan.tail === "torn" && !isLast)) damage = `${name}: ${scan.problem ?? "torn record before the last segment"}`;
      else if (scan.tail === "torn") {
        tornTail = true;
        truncatedBytes = bytes.length - scan.goodEnd;
      }
      writeSeq = seq;
      writeSize = scan.goodEnd;
    }

    let handle: FileHandle | undefined;
    if (damage === undefined) {
      if (writeSize >= 0) {
        handle = await open(join(dir, walFileName(writeSeq, "segment")), SEGMENT_FLAGS);
        if (tornTail) {
          await handle.truncate(writeSize);
          await handle.sync();
        }
      } else {
        ({ handle, size: writeSize } = await createSegment(dir, writeSeq));
      }
    }
    const wal = new SegmentedWal(dir, segmentBytes, handle, writeSeq, Math.max(writeSize, 0), damage);
    const recovery: WalRecovery = damage === undefined ? { frames, corrupted: 0, tornTail, truncatedBytes } : { frames, corrupted: 1, tornTail: false, truncatedBytes: 0, problem: damage };
    return { wal, recovery };
  }

  /** Records and bytes buffered for the next {@link sync}. */
  get buffered(): { records: number; bytes: number; checkpoint: boolean } {
    return { records: this.pendingRecords, bytes: this.pendingBytes, checkpoint: this.pendingCheckpoint !== undefined };
  }

  /** Sequence number of the segment being written. */
  get currentSegment(): number {
    return this.segmentSeq;
  }

  /**
   * Buffer one record for the next {@link sync}.
   * @throws {WalError} when the WAL is damaged or failed, or the record exceeds {@link MAX_WAL_RECORD_BYTES}
   */
  append(payload: Uint8Array): void {
    this.checkWritable();
    if (payload.length > MAX_WAL_RECORD_BYTES) throw new WalError(`record of ${payload.length} bytes exceeds ${MAX_WAL_RECORD_BYTES}`);
    const needed = this.pendingBytes + FRAME_HEADER_BYTES + payload.length;
    if (needed > this.pending.length) {
      const grown = new Uint8Array(Math.max(needed, 2 * this.pending.length));
      grown.set(this.pending.subarray(0, this.pendingBytes));
      this.pending = grown;
    }
    this.pendingBytes = frameRecordInto(payload, this.pending, this.pendingBytes);
    this.pendingRecords++;
  }

  /** Buffer a checkpoint: after the next {@link sync}, these records replace everything before them. */
  replaceAll(payloads: readonly Uint8Array[]): void {
    this.checkWritable();
    this.pendingCheckpoint = payloads.map((p) => frameRecord(p));
    this.pendingBytes = 0;
    this.pendingRecords = 0;
  }

  /**
   * Make everything buffered durable: one synchronized write (O_DSYNC: write + fdatasync in one
   * call), plus the checkpoint's own files when one is buffered. Calls must not overlap.
   * @throws {WalError} when a write or fsync fails (the WAL then refuses every later call)
   */
  async sync(): Promise<SyncResult> {
    this.checkWritable();
    if (this.syncing) throw new WalError("sync called while another sync is in progress");
    const buffer = this.pending;
    const bytes = this.pendingBytes;
    const records = this.pendingRecords;
    const checkpoint = this.pendingCheckpoint;
    this.pendingBytes = 0;
    this.pendingRecords = 0;
    this.pendingCheckpoint = undefined;
    if (bytes === 0 && checkpoint === undefined) return { records: 0, bytes: 0, checkpoint: false };
    // Appends made while this sync runs fill the spare buffer; this one is the spare after it.
    this.pending = this.spare;
    this.spare = buffer.length > MAX_KEPT_BUFFER_BYTES ? new Uint8Array(INITIAL_BUFFER_BYTES) : buffer;
    this.syncing = true;
    try {
      if (checkpoint !== undefined) await this.writeCheckpoint(checkpoint);
      else if (this.segmentSize >= this.segmentBytes) await this.roll();
      if (bytes > 0) {
        const handle = this.segment as FileHandle;
        // One pwrite on a file opened with O_DSYNC: it returns once the bytes and the metadata
        // needed to read them back (the file size) are durable, as write + fdatasync would, in
        // one threadpool round trip instead of two (each costs a thread wake-up and an event-loop
        // turn: several milliseconds on a loaded machine).
        const { bytesWritten } = await handle.write(buffer, 0, bytes, this.segmentSize);
        if (bytesWritten !== bytes) throw new WalError(`short WAL write: ${bytesWritten} of ${bytes} bytes`);
        this.segmentSize += bytes;
        if (O_DSYNC === undefined) await handle.datasync();
      }
      return { records: records + (checkpoint?.length ?? 0), bytes, checkpoint: checkpoint !== undefined };
    } catch (cause) {
      this.failed = cause instanceof WalError ? cause : new WalError(`WAL write failed: ${(cause as Error).message}; the node must stop (an fsync error may have lost data)`, { cause: String(cause) });
      throw this.failed;
    } finally {
      this.syncing = false;
    }
  }

  /** Close the segment being written (buffered records are not written). */
  async close(): Promise<void> {
    await this.segment?.close();
    this.segment = undefined;
  }

  private checkWritable(): void {
    if (this.damaged !== undefined) throw new WalError(`WAL in ${this.dir} is damaged (${this.damaged}); refusing to write`);
    if (this.failed !== undefined) throw this.failed;
    if (this.segment === undefined) throw new WalError(`WAL in ${this.dir} is closed`);
  }

  private async roll(): Promise<void> {
    await this.segment?.close();
    this.segmentSeq++;
    const created = await createSegment(this.dir, this.segmentSeq);
    this.segment = created.handle;
    this.segmentSize = created.size;
  }

  private async writeCheckpoint(frames: readonly Uint8Array[]): Promise<void> {
    const seq = this.segmentSeq + 1;
    await writeFileAtomically(this.dir, walFileName(seq, "checkpoint"), [fileHeader("checkpoint"), ...frames]);
    await this.roll();
    for (const name of await readdir(this.dir)) {
      const parsed = parseWalFileName(name);
      if (parsed !== undefined && parsed.seq < seq) await rm(join(this.dir, name), { force: true });
    }
  }
}

/** Size of a fresh buffer of pending frames (it grows to the largest sync's bytes). */
const INITIAL_BUFFER_BYTES = 64 * 1024;
/** A buffer grown past this is dropped once written, so one large sync does not pin its size for good. */
const MAX_KEPT_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * Segments are opened for synchronized data writes: every write is durable when it returns (see
 * {@link SegmentedWal.sync}). Where the platform has no O_DSYNC (Windows), sync() calls fdatasync.
 */
const O_DSYNC: number | undefined = constants.O_DSYNC;
const SEGMENT_FLAGS = constants.O_RDWR | (O_DSYNC ?? 0);

async function createSegment(dir: string, seq: number): Promise<{ handle: FileHandle; size: number }> {
  const handle = await open(join(dir, walFileName(seq, "segment")), SEGMENT_FLAGS | constants.O_CREAT | constants.O_TRUNC);
  const header = fileHeader("segment");
  await handle.write(header, 0, header.length, 0);
  await handle.sync();
  await syncDirectory(dir);
  return { handle, size: header.length };
}

async function readWalFile(path: string): Promise<Uint8Array> {
  const { size } = await stat(path);
  if (size > MAX_WAL_FILE_BYTES) throw new WalError(`${path}: ${size} bytes exceeds ${MAX_WAL_FILE_BYTES}`);
  const bytes = await readFile(path);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
