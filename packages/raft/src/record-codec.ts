import { DecodeError, EncodeError, err, internedNodeId, isNodeId, ok, type Codec, type NodeId, type Result } from "@synod/core";
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
} from "./limits.js";
import type { SnapshotPayload } from "./messages.js";
import type { RaftRecord } from "./records.js";
import { asciiLength, readUtf8, utf8Encoder, writeAscii } from "./utf8.js";

/**
 * The binary layout of durable records (format version 1). A node's records are encoded when they
 * are written and decoded at every restart; a layout of our own is several times cheaper than
 * msgpack with field names, and smaller, so framing checksums cover fewer bytes.
 *
 * ```
 * record     = version:u8(=1) tag:u8 body
 *   tag 1 hardState: term:uint commit:uint vote:(uint 0 = null | uint len ≥ 1, then len UTF-8 bytes)
 *   tag 2 entries:   count:uint(1 … MAX_ENTRIES_PER_RECORD) entry{count}
 *   tag 3 snapshot:  index:uint term:uint voters:ids outgoing:ids learners:ids len:uint data{len}
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
export const RECORD_FORMAT_VERSION = 1;

const TAG_HARD_STATE = 1;
const TAG_ENTRIES = 2;
const TAG_SNAPSHOT = 3;
const KIND_NORMAL = 1;
const KIND_CONF = 2;
const CHANGE_ENTER_JOINT = 1;
const CHANGE_LEAVE_JOINT = 2;


// ---- encoding: into one growing scratch buffer, copied out at the end (no size pass) ----------

let out = new Uint8Array(1 << 12);
let at = 0;

function ensure(extra: number): void {
  if (at + extra <= out.length) return;
  let size = out.length * 2;
  while (size < at + extra) size *= 2;
  const bigger = new Uint8Array(size);
  bigger.set(out.subarray(0, at));
  out = bigger;
}

/** Refuse to encode what the decoder would reject (a caller's bug). */
function refuse(why: string, path: string): never {
  throw new EncodeError(why, path);
}

function writeUint(x: number, max = Number.MAX_SAFE_INTEGER, path = ""): void {
  if (!Number.isSafeInteger(x) || x < 0 || x > max) refuse(`expected an integer in [0, ${max}], got ${String(x)}`, path);
  ensure(8);
  while (x > 0x7fffffff) {
    out[at++] = (x % 0x80) | 0x80;
    x = Math.floor(x / 0x80);
  }
  while (x >= 0x80) {
    out[at++] = (x & 0x7f) | 0x80;
    x >>>= 7;
  }
  out[at++] = x;
}

function writeBytes(bytes: Uint8Array, max: number, path: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length > max) refuse(`expected at most ${max} bytes`, path);
  writeUint(bytes.length);
  ensure(bytes.length);
  out.set(bytes, at);
  at += bytes.length;
}

function writeId(id: NodeId, path: string): void {
  if (!isNodeId(id)) refuse("expected a node id", path);
  const length = asciiLength(id);
  if (length < 0) return writeBytes(utf8Encoder.encode(id), Number.MAX_SAFE_INTEGER, path);
  writeUint(length);
  ensure(length);
  writeAscii(out, at, id);
  at += length;
}

function writeIds(ids: readonly NodeId[], path: string): void {
  if (!Array.isArray(ids) || ids.length > MAX_MEMBERS) refuse(`expected at most ${MAX_MEMBERS} ids`, path);
  writeUint(ids.length);
  for (let i = 0; i < ids.length; i++) writeId(ids[i] as NodeId, path);
}

function writeEntry(e: Entry, i: number): void {
  if (e === null || typeof e !== "object" || (e.type !== "normal" && e.type !== "conf")) refuse("expected a normal or conf entry", `entries[${i}]`);
  ensure(1);
  out[at++] = e.type === "normal" ? KIND_NORMAL : KIND_CONF;
  writeUint(e.term, MAX_TERM, `entries[${i}].term`);
  if (!(e.index >= 1)) refuse("expected an index ≥ 1", `entries[${i}].index`);
  writeUint(e.index, MAX_INDEX, `entries[${i}].index`);
  if (e.type === "normal") return writeBytes(e.data, MAX_ENTRY_BYTES_WIRE, `entries[${i}].data`);
  ensure(1);
  if (e.change?.kind === "leave-joint") {
    out[at++] = CHANGE_LEAVE_JOINT;
    return;
  }
  if (e.change?.kind !== "enter-joint") refuse("expected an enter-joint or leave-joint change", `entries[${i}].change`);
  out[at++] = CHANGE_ENTER_JOINT;
  writeIds(e.change.voters, `entries[${i}].change.voters`);
  writeIds(e.change.learners, `entries[${i}].change.learners`);
}

/**
 * @returns the bytes of `record` in the layout above
 * @throws {EncodeError} when the decoder would reject the record (a field out of range or of the
 * wrong type, no entries, too large): never a record a node writes
 */
function encodeRecord(record: RaftRecord): Uint8Array {
  if (record === null || typeof record !== "object") refuse("expected a record", "");
  at = 0;
  ensure(2);
  out[at++] = RECORD_FORMAT_VERSION;
  switch (record.type) {
    case "hardState":
      out[at++] = TAG_HARD_STATE;
      writeUint(record.term, MAX_TERM, "term");
      writeUint(record.commit, MAX_INDEX, "commit");
      if (record.vote === null) writeUint(0);
      else writeId(record.vote, "vote");
      break;
    case "entries": {
      out[at++] = TAG_ENTRIES;
      const entries = record.entries;
      if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES_PER_RECORD) {
        refuse(`expected 1 to ${MAX_ENTRIES_PER_RECORD} entries`, "entries");
      }
      writeUint(entries.length);
      for (let i = 0; i < entries.length; i++) writeEntry(entries[i] as Entry, i);
      break;
    }
    case "snapshot": {
      out[at++] = TAG_SNAPSHOT;
      const { index, term, conf, data } = record.snapshot;
      writeUint(index, MAX_INDEX, "snapshot.index");
      writeUint(term, MAX_TERM, "snapshot.term");
      writeIds(conf.voters, "snapshot.conf.voters");
      writeIds(conf.outgoing, "snapshot.conf.outgoing");
      writeIds(conf.learners, "snapshot.conf.learners");
      writeBytes(data, MAX_SNAPSHOT_BYTES, "snapshot.data");
      break;
    }
    default:
      refuse(`unknown record type ${String((record as { type: unknown }).type)}`, "type");
  }
  if (at > MAX_RECORD_BYTES) refuse(`${at} bytes exceed the limit of ${MAX_RECORD_BYTES}`, "");
  return out.slice(0, at);
}

// ---- decoding: a cursor over the input; the first problem ends it, with the field's path -------

/** Why the input is not a record (set by the reader that found the problem, with its field path). */
let problem: string | undefined;
let problemPath = "";
const EMPTY = new Uint8Array(0);
let input: Uint8Array = EMPTY;
let pos = 0;

function fail(why: string, path: string): void {
  if (problem !== undefined) return;
  problem = why;
  problemPath = path;
}

/** @returns the next unsigned integer (−1 after recording a problem) */
function readUint(path: string): number {
  let x = 0;
  let scale = 1;
  for (let shift = 0; shift < 56; shift += 7) {
    if (pos >= input.length) {
      fail("truncated integer", path);
      return -1;
    }
    const b = input[pos++] as number;
    x += (b & 0x7f) * scale;
    if (b < 0x80) {
      if (b === 0 && shift > 0) {
        fail("overlong integer", path);
        return -1;
      }
      if (x > Number.MAX_SAFE_INTEGER) {
        fail("integer above 2^53 − 1", path);
        return -1;
      }
      return x;
    }
    scale *= 0x80;
  }
  fail("integer above 2^53 − 1", path);
  return -1;
}

/** @returns the next unsigned integer if it is at most `max` (−1 after recording a problem) */
function readUintAtMost(max: number, path: string): number {
  const x = readUint(path);
  if (x > max) {
    fail(`integer above ${max}`, path);
    return -1;
  }
  return x;
}

function readByte(path: string): number {
  if (pos >= input.length) {
    fail("truncated", path);
    return -1;
  }
  return input[pos++] as number;
}

/** @returns a copy of the next length-prefixed bytes (at most `max`), or undefined after recording a problem */
function readBytes(max: number, path: string): Uint8Array | undefined {
  const length = readUint(path);
  if (length < 0) return undefined;
  if (length > max) {
    fail(`${length} bytes exceed the limit of ${max}`, path);
    return undefined;
  }
  if (pos + length > input.length) {
    fail("truncated bytes", path);
    return undefined;
  }
  const bytes = input.slice(pos, pos + length);
  pos += length;
  return bytes;
}

/** @returns the next node id, or undefined after recording a problem */
function readId(path: string): NodeId | undefined {
  const length = readUint(path);
  return length < 0 ? undefined : readIdBytes(length, path);
}

/** @returns the node id in the next `length` bytes (its length prefix read), or undefined after recording a problem */
function readIdBytes(length: number, path: string): NodeId | undefined {
  if (length === 0 || length > 4 * 64 || pos + length > input.length) {
    fail(length === 0 ? "empty node id" : "node id out of range", path);
    return undefined;
  }
  let id: string;
  try {
    id = readUtf8(input, pos, length);
  } catch {
    fail("invalid UTF-8", path);
    return undefined;
  }
  pos += length;
  if (!isNodeId(id)) {
    fail("not a node id (1 to 64 characters)", path);
    return undefined;
  }
  return interned(id);
}

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

/** @returns the next list of node ids, or undefined after recording a problem */
function readIds(path: string): NodeId[] | undefined {
  const count = readUint(path);
  if (count < 0) return undefined;
  if (count > MAX_MEMBERS) {
    fail(`${count} ids exceed the limit of ${MAX_MEMBERS}`, path);
    return undefined;
  }
  const ids = new Array<NodeId>(count);
  for (let i = 0; i < count; i++) {
    const id = readId(`${path}[${i}]`);
    if (id === undefined) return undefined;
    ids[i] = id;
  }
  return ids;
}

function readEntry(path: string): Entry | undefined {
  const kind = readByte(`${path}.type`);
  const term = readUintAtMost(MAX_TERM, `${path}.term`);
  const index = readUintAtMost(MAX_INDEX, `${path}.index`);
  if (problem !== undefined) return undefined;
  if (index < 1) {
    fail("expected an index ≥ 1", `${path}.index`);
    return undefined;
  }
  if (kind === KIND_NORMAL) {
    const data = readBytes(MAX_ENTRY_BYTES_WIRE, `${path}.data`);
    return data === undefined ? undefined : { type: "normal", term, index, data };
  }
  if (kind !== KIND_CONF) {
    fail(`unknown entry kind ${kind}`, `${path}.type`);
    return undefined;
  }
  const change = readByte(`${path}.change.kind`);
  if (change === CHANGE_LEAVE_JOINT) return { type: "conf", term, index, change: { kind: "leave-joint" } };
  if (change !== CHANGE_ENTER_JOINT) {
    fail(`unknown change kind ${change}`, `${path}.change.kind`);
    return undefined;
  }
  const voters = readIds(`${path}.change.voters`);
  const learners = voters === undefined ? undefined : readIds(`${path}.change.learners`);
  if (voters === undefined || learners === undefined) return undefined;
  const entered: ConfChange = { kind: "enter-joint", voters, learners };
  return { type: "conf", term, index, change: entered };
}

function readRecord(): RaftRecord | undefined {
  const version = readByte("");
  if (version !== RECORD_FORMAT_VERSION) {
    fail(`unknown record format version ${version}`, "");
    return undefined;
  }
  const tag = readByte("type");
  switch (tag) {
    case TAG_HARD_STATE: {
      const term = readUintAtMost(MAX_TERM, "term");
      const commit = readUintAtMost(MAX_INDEX, "commit");
      const voteLength = readUint("vote"); // 0: no vote, else the id's length
      if (problem !== undefined) return undefined;
      if (voteLength === 0) return { type: "hardState", term, vote: null, commit };
      const vote = readIdBytes(voteLength, "vote");
      return vote === undefined ? undefined : { type: "hardState", term, vote, commit };
    }
    case TAG_ENTRIES: {
      const count = readUint("entries");
      if (count < 0) return undefined;
      if (count < 1 || count > MAX_ENTRIES_PER_RECORD) {
        fail(`expected 1 to ${MAX_ENTRIES_PER_RECORD} entries, got ${count}`, "entries");
        return undefined;
      }
      const entries = new Array<Entry>(count);
      for (let i = 0; i < count; i++) {
        const entry = readEntry(`entries[${i}]`);
        if (entry === undefined) return undefined;
        entries[i] = entry;
      }
      return { type: "entries", entries };
    }
    case TAG_SNAPSHOT: {
      const index = readUintAtMost(MAX_INDEX, "snapshot.index");
      const term = readUintAtMost(MAX_TERM, "snapshot.term");
      if (problem !== undefined) return undefined;
      const voters = readIds("snapshot.conf.voters");
      const outgoing = voters === undefined ? undefined : readIds("snapshot.conf.outgoing");
      const learners = outgoing === undefined ? undefined : readIds("snapshot.conf.learners");
      const data = learners === undefined ? undefined : readBytes(MAX_SNAPSHOT_BYTES, "snapshot.data");
      if (voters === undefined || outgoing === undefined || learners === undefined || data === undefined) return undefined;
      const conf: ConfState = { voters, outgoing, learners };
      const snapshot: SnapshotPayload = { index, term, conf, data };
      return { type: "snapshot", snapshot };
    }
    default:
      if (problem === undefined) fail(`unknown record type ${tag}`, "type");
      return undefined;
  }
}

/** @returns the record `bytes` encode, or why they do not (never throws) */
function decodeRecord(bytes: Uint8Array): Result<RaftRecord, DecodeError> {
  if (!(bytes instanceof Uint8Array)) return err(new DecodeError("expected bytes"));
  if (bytes.length === 0) return err(new DecodeError("empty input"));
  if (bytes.length > MAX_RECORD_BYTES) return err(new DecodeError(`input of ${bytes.length} bytes exceeds the limit of ${MAX_RECORD_BYTES}`));
  input = bytes;
  pos = 0;
  problem = undefined;
  problemPath = "";
  const record = readRecord();
  const trailing = bytes.length - pos;
  input = EMPTY; // drop the reference to the caller's bytes
  if (record === undefined || problem !== undefined) return err(new DecodeError(problem ?? "malformed record", problemPath));
  if (trailing > 0) return err(new DecodeError(`${trailing} trailing bytes`));
  return ok(record);
}

/** The codec of durable records: the binary layout of {@link RECORD_FORMAT_VERSION}, strictly validated. */
export const raftRecordCodec: Codec<RaftRecord> = {
  maxBytes: MAX_RECORD_BYTES,
  encode: encodeRecord,
  decode: decodeRecord,
};
