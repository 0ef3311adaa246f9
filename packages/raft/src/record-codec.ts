import { ByteWriter, DecodeError, EncodeError, err, internedNodeId, isNodeId, ok, type Codec, type NodeId, type Result } from "@synod/core";
import type { ConfState } from "./conf-state.js";
import type { ConfChange, Entry } from "./entry.js";
import {
  MAX_ENTRIES_PER_RECORD,
  MAX_ENTRY_BYTES_WIRE,
  MAX_INDEX,
  MAX_INTERNED_IDS,
  MAX_MEMBERS,
  MAX_RECORD_BYTES,
  MAX_SNAPSHOT_BYTES,
  MAX_TERM,
  SNAPSHOT_RECORD_CHUNK_BYTES,
} from "./limits.js";
import type { SnapshotHeader } from "./messages.js";
import type { RaftRecord } from "./records.js";
import { asciiLength, readUtf8, utf8Encoder } from "./utf8.js";

/**
 * The binary layout of durable records (format version 2; version 1 stored a snapshot's data in
 * its tag-3 record, which held at most 1 MiB). A node's records are encoded when they
 * are written and decoded at every restart; a layout of our own is several times cheaper than
 * msgpack with field names, and smaller, so framing checksums cover fewer bytes.
 *
 * ```
 * record     = version:u8(=1) tag:u8 body
 *   tag 1 hardState: term:uint commit:uint vote:(uint 0 = null | uint len ≥ 1, then len UTF-8 bytes)
 *   tag 2 entries:   count:uint(1 … MAX_ENTRIES_PER_RECORD) entry{count}
 *   tag 3 snapshot:  index:uint term:uint voters:ids outgoing:ids learners:ids size:uint(≤ MAX_SNAPSHOT_BYTES)
 *   tag 4 snapshotChunk: index:uint term:uint offset:uint(≤ MAX_SNAPSHOT_BYTES) len:uint(1 … SNAPSHOT_RECORD_CHUNK_BYTES) data{len}
 * entry      = kind:u8 term:uint index:uint(≥ 1)
 *   kind 1 normal: len:uint data{len}
 *   kind 2 conf:   change:u8 (1 enter-joint: voters:ids learners:ids | 2 leave-joint)
 * ids        = count:uint(≤ MAX_MEMBERS) id{count}
 * id         = len:uint(≥ 1) UTF-8 bytes{len} (a NodeId: 1 … 64 UTF-16 code units)
 * uint       = unsigned LEB128, minimal (no trailing zero group), at most 2^53 − 1;
 *              terms at most MAX_TERM and indexes at most MAX_INDEX (limits.ts)
 * ```
 *
 * Decoding is strict and canonical: any bytes it accepts are exactly what encoding the decoded
 * record writes (no overlong integer, no invalid UTF-8, no trailing byte), so one record has one
 * encoding. Decoded byte fields are copies, never views of the input.
 */
export const RECORD_FORMAT_VERSION = 2;

const TAG_HARD_STATE = 1;
const TAG_ENTRIES = 2;
const TAG_SNAPSHOT = 3;
const TAG_SNAPSHOT_CHUNK = 4;
const KIND_NORMAL = 1;
const KIND_CONF = 2;
const CHANGE_ENTER_JOINT = 1;
const CHANGE_LEAVE_JOINT = 2;


// ---- encoding: into one growing buffer, copied out at the end (no size pass) ------------------

/** Refuse to encode what the decoder would reject (a caller's bug). */
function refuse(why: string, path: string): never {
  throw new EncodeError(why, path);
}

/**
 * Writes records in the layout above with core's {@link ByteWriter}, one buffer reused from record
 * to record (a record's size is not known before it is written; the result is a copy of the
 * buffer's prefix). Checks each field against what the decoder accepts, with the field's path.
 * Not re-entrant: {@link encode} starts over at byte 0.
 */
class RecordWriter {
  private readonly out = new ByteWriter(1 << 12);

  /**
   * @returns the bytes of `record` in the layout above
   * @throws {EncodeError} when the decoder would reject the record (a field out of range or of the
   * wrong type, no entries, too large): never a record a node writes
   */
  encode(record: RaftRecord): Uint8Array {
    if (record === null || typeof record !== "object") refuse("expected a record", "");
    const out = this.out;
    out.reset();
    out.writeByte(RECORD_FORMAT_VERSION);
    switch (record.type) {
      case "hardState":
        out.writeByte(TAG_HARD_STATE);
        this.uint(record.term, MAX_TERM, "term");
        this.uint(record.commit, MAX_INDEX, "commit");
        if (record.vote === null) out.writeUint(0);
        else this.id(record.vote, "vote");
        break;
      case "entries": {
        out.writeByte(TAG_ENTRIES);
        const entries = record.entries;
        if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES_PER_RECORD) {
          refuse(`expected 1 to ${MAX_ENTRIES_PER_RECORD} entries`, "entries");
        }
        out.writeUint(entries.length);
        for (let i = 0; i < entries.length; i++) this.entry(entries[i] as Entry, i);
        break;
      }
      case "snapshot": {
        out.writeByte(TAG_SNAPSHOT);
        const { index, term, conf, size } = record.snapshot;
        this.uint(index, MAX_INDEX, "snapshot.index");
        this.uint(term, MAX_TERM, "snapshot.term");
        this.ids(conf.voters, "snapshot.conf.voters");
        this.ids(conf.outgoing, "snapshot.conf.outgoing");
        this.ids(conf.learners, "snapshot.conf.learners");
        this.uint(size, MAX_SNAPSHOT_BYTES, "snapshot.size");
        break;
      }
      case "snapshotChunk": {
        out.writeByte(TAG_SNAPSHOT_CHUNK);
        this.uint(record.index, MAX_INDEX, "index");
        this.uint(record.term, MAX_TERM, "term");
        this.uint(record.offset, MAX_SNAPSHOT_BYTES, "offset");
        if (record.data instanceof Uint8Array && record.data.length === 0) refuse("expected at least 1 byte", "data");
        this.bytes(record.data, SNAPSHOT_RECORD_CHUNK_BYTES, "data");
        break;
      }
      default:
        refuse(`unknown record type ${String((record as { type: unknown }).type)}`, "type");
    }
    if (out.length > MAX_RECORD_BYTES) refuse(`${out.length} bytes exceed the limit of ${MAX_RECORD_BYTES}`, "");
    return out.finish();
  }

  private uint(x: number, max: number, path: string): void {
    if (!Number.isSafeInteger(x) || x < 0 || x > max) refuse(`expected an integer in [0, ${max}], got ${String(x)}`, path);
    this.out.writeUint(x);
  }

  private bytes(bytes: Uint8Array, max: number, path: string): void {
    if (!(bytes instanceof Uint8Array) || bytes.length > max) refuse(`expected at most ${max} bytes`, path);
    this.out.writeBytes(bytes);
  }

  private id(id: NodeId, path: string): void {
    if (!isNodeId(id)) refuse("expected a node id", path);
    const length = asciiLength(id);
    if (length < 0) return this.out.writeBytes(utf8Encoder.encode(id));
    this.out.writeUint(length);
    this.out.writeAscii(id);
  }

  private ids(ids: readonly NodeId[], path: string): void {
    if (!Array.isArray(ids) || ids.length > MAX_MEMBERS) refuse(`expected at most ${MAX_MEMBERS} ids`, path);
    this.out.writeUint(ids.length);
    for (let i = 0; i < ids.length; i++) this.id(ids[i] as NodeId, path);
  }

  // Entry fields are checked before their path is built (`entries[i].term`): building every
  // field's path up front cost a few strings per entry, on every entries record encoded.
  private entry(e: Entry, i: number): void {
    if (e === null || typeof e !== "object" || (e.type !== "normal" && e.type !== "conf")) refuse("expected a normal or conf entry", `entries[${i}]`);
    const out = this.out;
    out.writeByte(e.type === "normal" ? KIND_NORMAL : KIND_CONF);
    const { term, index } = e;
    if (Number.isSafeInteger(term) && term >= 0 && term <= MAX_TERM) out.writeUint(term);
    else this.uint(term, MAX_TERM, `entries[${i}].term`);
    if (!(index >= 1)) refuse("expected an index ≥ 1", `entries[${i}].index`);
    if (Number.isSafeInteger(index) && index <= MAX_INDEX) out.writeUint(index);
    else this.uint(index, MAX_INDEX, `entries[${i}].index`);
    if (e.type === "normal") {
      const data = e.data;
      if (data instanceof Uint8Array && data.length <= MAX_ENTRY_BYTES_WIRE) return out.writeBytes(data);
      return this.bytes(data, MAX_ENTRY_BYTES_WIRE, `entries[${i}].data`);
    }
    if (e.change?.kind === "leave-joint") return this.out.writeByte(CHANGE_LEAVE_JOINT);
    if (e.change?.kind !== "enter-joint") refuse("expected an enter-joint or leave-joint change", `entries[${i}].change`);
    this.out.writeByte(CHANGE_ENTER_JOINT);
    this.ids(e.change.voters, `entries[${i}].change.voters`);
    this.ids(e.change.learners, `entries[${i}].change.learners`);
  }
}

/** The one writer: encoding is synchronous and never nested, so its buffer is shared by every encode. */
const writer = new RecordWriter();

// ---- decoding: a cursor over the input; the first problem ends it, with the field's path -------

/** Decoded ids, interned (bounded: cleared when full). */
const internedIds = new Map<string, NodeId>();

/**
 * @returns `id` interned: a recovered node compares and looks up the ids of its vote and
 * configuration on every message, which for a string decoded from bytes means comparing characters
 */
function interned(id: string): NodeId {
  const known = internedIds.get(id);
  if (known !== undefined) return known;
  if (internedIds.size >= MAX_INTERNED_IDS) internedIds.clear();
  const fresh = internedNodeId(id);
  internedIds.set(fresh, fresh);
  return fresh;
}

/**
 * Reads one record from untrusted bytes. Readers do not throw: the first problem is recorded with
 * its field's path ({@link problem}, {@link problemPath}) and the readers after it return
 * undefined or −1, so damaged bytes cost no exception. One reader per input.
 */
class RecordReader {
  /** Why the input is not a record (set by the reader that found the problem, with its field path). */
  problem: string | undefined = undefined;
  problemPath = "";
  /** Offset of the next byte to read. */
  pos = 0;
  /**
   * The index of the entry being read (−1 outside entries): its readers pass paths relative to it
   * (`.term`), prefixed with `entries[i]` only when a problem is recorded — building every field's
   * path up front cost a few strings per entry, on every entries record a follower decodes.
   */
  private entryIndex = -1;

  constructor(private readonly input: Uint8Array) {}

  private fail(why: string, path: string): void {
    if (this.problem !== undefined) return;
    this.problem = why;
    this.problemPath = this.entryIndex < 0 ? path : `entries[${this.entryIndex}]${path}`;
  }

  /** @returns the next unsigned integer (−1 after recording a problem) */
  private uint(path: string): number {
    const input = this.input;
    let x = 0;
    let scale = 1;
    for (let shift = 0; shift < 56; shift += 7) {
      if (this.pos >= input.length) {
        this.fail("truncated integer", path);
        return -1;
      }
      const b = input[this.pos++] as number;
      x += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (b === 0 && shift > 0) {
          this.fail("overlong integer", path);
          return -1;
        }
        if (x > Number.MAX_SAFE_INTEGER) {
          this.fail("integer above 2^53 − 1", path);
          return -1;
        }
        return x;
      }
      scale *= 0x80;
    }
    this.fail("integer above 2^53 − 1", path);
    return -1;
  }

  /** @returns the next unsigned integer if it is at most `max` (−1 after recording a problem) */
  private uintAtMost(max: number, path: string): number {
    const x = this.uint(path);
    if (x > max) {
      this.fail(`integer above ${max}`, path);
      return -1;
    }
    return x;
  }

  private byte(path: string): number {
    if (this.pos >= this.input.length) {
      this.fail("truncated", path);
      return -1;
    }
    return this.input[this.pos++] as number;
  }

  /** @returns a copy of the next length-prefixed bytes (at most `max`), or undefined after recording a problem */
  private bytes(max: number, path: string): Uint8Array | undefined {
    const length = this.uint(path);
    if (length < 0) return undefined;
    if (length > max) {
      this.fail(`${length} bytes exceed the limit of ${max}`, path);
      return undefined;
    }
    if (this.pos + length > this.input.length) {
      this.fail("truncated bytes", path);
      return undefined;
    }
    const bytes = this.input.slice(this.pos, this.pos + length);
    this.pos += length;
    return bytes;
  }

  /** @returns the next node id, or undefined after recording a problem */
  private id(path: string): NodeId | undefined {
    const length = this.uint(path);
    return length < 0 ? undefined : this.idBytes(length, path);
  }

  /** @returns the node id in the next `length` bytes (its length prefix read), or undefined after recording a problem */
  private idBytes(length: number, path: string): NodeId | undefined {
    if (length === 0 || length > 4 * 64 || this.pos + length > this.input.length) {
      this.fail(length === 0 ? "empty node id" : "node id out of range", path);
      return undefined;
    }
    let id: string;
    try {
      id = readUtf8(this.input, this.pos, length);
    } catch {
      this.fail("invalid UTF-8", path);
      return undefined;
    }
    this.pos += length;
    if (!isNodeId(id)) {
      this.fail("not a node id (1 to 64 characters)", path);
      return undefined;
    }
    return interned(id);
  }

  /** @returns the next list of node ids, or undefined after recording a problem */
  private ids(path: string): NodeId[] | undefined {
    const count = this.uint(path);
    if (count < 0) return undefined;
    if (count > MAX_MEMBERS) {
      this.fail(`${count} ids exceed the limit of ${MAX_MEMBERS}`, path);
      return undefined;
    }
    const ids = new Array<NodeId>(count);
    for (let i = 0; i < count; i++) {
      const id = this.id(`${path}[${i}]`);
      if (id === undefined) return undefined;
      ids[i] = id;
    }
    return ids;
  }

  /** @returns the next entry (paths relative to it: see {@link entryIndex}), or undefined after recording a problem */
  private entry(): Entry | undefined {
    const kind = this.byte(".type");
    const term = this.uintAtMost(MAX_TERM, ".term");
    const index = this.uintAtMost(MAX_INDEX, ".index");
    if (this.problem !== undefined) return undefined;
    if (index < 1) {
      this.fail("expected an index ≥ 1", ".index");
      return undefined;
    }
    if (kind === KIND_NORMAL) {
      const data = this.bytes(MAX_ENTRY_BYTES_WIRE, ".data");
      return data === undefined ? undefined : { type: "normal", term, index, data };
    }
    if (kind !== KIND_CONF) {
      this.fail(`unknown entry kind ${kind}`, ".type");
      return undefined;
    }
    const change = this.byte(".change.kind");
    if (change === CHANGE_LEAVE_JOINT) return { type: "conf", term, index, change: { kind: "leave-joint" } };
    if (change !== CHANGE_ENTER_JOINT) {
      this.fail(`unknown change kind ${change}`, ".change.kind");
      return undefined;
    }
    const voters = this.ids(".change.voters");
    const learners = voters === undefined ? undefined : this.ids(".change.learners");
    if (voters === undefined || learners === undefined) return undefined;
    const entered: ConfChange = { kind: "enter-joint", voters, learners };
    return { type: "conf", term, index, change: entered };
  }

  /** @returns the record at the start of the input, or undefined after recording a problem */
  record(): RaftRecord | undefined {
    const version = this.byte("");
    if (version !== RECORD_FORMAT_VERSION) {
      this.fail(`unknown record format version ${version}`, "");
      return undefined;
    }
    const tag = this.byte("type");
    switch (tag) {
      case TAG_HARD_STATE:
        return this.hardState();
      case TAG_ENTRIES:
        return this.entries();
      case TAG_SNAPSHOT:
        return this.snapshot();
      case TAG_SNAPSHOT_CHUNK:
        return this.snapshotChunk();
      default:
        if (this.problem === undefined) this.fail(`unknown record type ${tag}`, "type");
        return undefined;
    }
  }

  private hardState(): RaftRecord | undefined {
    const term = this.uintAtMost(MAX_TERM, "term");
    const commit = this.uintAtMost(MAX_INDEX, "commit");
    const voteLength = this.uint("vote"); // 0: no vote, else the id's length
    if (this.problem !== undefined) return undefined;
    if (voteLength === 0) return { type: "hardState", term, vote: null, commit };
    const vote = this.idBytes(voteLength, "vote");
    return vote === undefined ? undefined : { type: "hardState", term, vote, commit };
  }

  private entries(): RaftRecord | undefined {
    const count = this.uint("entries");
    if (count < 0) return undefined;
    if (count < 1 || count > MAX_ENTRIES_PER_RECORD) {
      this.fail(`expected 1 to ${MAX_ENTRIES_PER_RECORD} entries, got ${count}`, "entries");
      return undefined;
    }
    const entries = new Array<Entry>(count);
    for (let i = 0; i < count; i++) {
      this.entryIndex = i;
      const entry = this.entry();
      if (entry === undefined) return undefined;
      entries[i] = entry;
    }
    this.entryIndex = -1;
    return { type: "entries", entries };
  }

  private snapshot(): RaftRecord | undefined {
    const index = this.uintAtMost(MAX_INDEX, "snapshot.index");
    const term = this.uintAtMost(MAX_TERM, "snapshot.term");
    if (this.problem !== undefined) return undefined;
    const voters = this.ids("snapshot.conf.voters");
    const outgoing = voters === undefined ? undefined : this.ids("snapshot.conf.outgoing");
    const learners = outgoing === undefined ? undefined : this.ids("snapshot.conf.learners");
    const size = learners === undefined ? -1 : this.uintAtMost(MAX_SNAPSHOT_BYTES, "snapshot.size");
    if (voters === undefined || outgoing === undefined || learners === undefined || size < 0) return undefined;
    const conf: ConfState = { voters, outgoing, learners };
    const snapshot: SnapshotHeader = { index, term, conf, size };
    return { type: "snapshot", snapshot };
  }

  private snapshotChunk(): RaftRecord | undefined {
    const index = this.uintAtMost(MAX_INDEX, "index");
    const term = this.uintAtMost(MAX_TERM, "term");
    const offset = this.uintAtMost(MAX_SNAPSHOT_BYTES, "offset");
    if (this.problem !== undefined) return undefined;
    const data = this.bytes(SNAPSHOT_RECORD_CHUNK_BYTES, "data");
    if (data === undefined) return undefined;
    if (data.length === 0) {
      this.fail("expected at least 1 byte", "data");
      return undefined;
    }
    return { type: "snapshotChunk", index, term, offset, data };
  }
}

/** @returns the record `bytes` encode, or why they do not (never throws) */
function decodeRecord(bytes: Uint8Array): Result<RaftRecord, DecodeError> {
  if (!(bytes instanceof Uint8Array)) return err(new DecodeError("expected bytes"));
  if (bytes.length === 0) return err(new DecodeError("empty input"));
  if (bytes.length > MAX_RECORD_BYTES) return err(new DecodeError(`input of ${bytes.length} bytes exceeds the limit of ${MAX_RECORD_BYTES}`));
  const reader = new RecordReader(bytes);
  const record = reader.record();
  const { problem, problemPath } = reader;
  if (record === undefined || problem !== undefined) return err(new DecodeError(problem ?? "malformed record", problemPath));
  const trailing = bytes.length - reader.pos;
  if (trailing > 0) return err(new DecodeError(`${trailing} trailing bytes`));
  return ok(record);
}

/** The codec of durable records: the binary layout of {@link RECORD_FORMAT_VERSION}, strictly validated. */
export const raftRecordCodec: Codec<RaftRecord> = {
  maxBytes: MAX_RECORD_BYTES,
  encode: (record) => writer.encode(record),
  decode: decodeRecord,
};
