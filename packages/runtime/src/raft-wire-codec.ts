import { ByteReader, ByteWriter, DecodeError, EncodeError, err, ok, type Codec, type Result } from "@synod/core";
import {
  MAX_ENTRIES_PER_MESSAGE_WIRE,
  MAX_INDEX,
  MAX_MESSAGE_BYTES,
  MAX_TERM,
  raftMessageCodec,
  raftRecordCodec,
  type Entry,
  type RaftMessage,
  type RaftRecord,
} from "@synod/raft";

/**
 * The runtime's wire codec of Raft messages: the two messages of replication in a binary layout of
 * their own, every other message in `raftMessageCodec`'s msgpack.
 *
 * ```
 * message = 0xC1 kind:u8 body     (0xC1 is never a msgpack byte: a msgpack message cannot start with it)
 *         | msgpack                (raftMessageCodec: every other message)
 *   kind 1 append:         term prevIndex prevTerm commit [entries]
 *                          entries: absent when there are none, else one `entries` record of
 *                          raftRecordCodec (1 … MAX_ENTRIES_PER_MESSAGE_WIRE entries) up to the end
 *   kind 2 appendResponse: term index reject:u8(0 | 1) hintIndex hintTerm
 * uint    = unsigned LEB128, minimal; terms ≤ MAX_TERM, indexes ≤ MAX_INDEX
 * ```
 *
 * Why: under load the msgpack codec's schema walk over every entry of every AppendEntries, once
 * to encode (per follower) and once to decode, was a third of the CPU of a replicating cluster
 * (bench `runtime`, issue 17); the record layout writes and checks an entry in a few byte copies.
 * Decoding accepts exactly what the schema accepts for these two messages (the same ranges; the
 * record decoder checks each entry as `entrySchema` does) and, like every codec, never throws.
 */
const BINARY = 0xc1;
const KIND_APPEND = 1;
const KIND_APPEND_RESPONSE = 2;

const header = new ByteWriter(64);

/**
 * The bytes of `entries` as one `entries` record of raftRecordCodec, encoded once per list of
 * entries: the leader writes the same entries to its WAL and to every follower, and a follower
 * writes to its WAL the entries it just decoded. Two ways to find bytes already made, both sound
 * because entries, records and messages are never mutated once a step returned them:
 * - the list last decoded from a message maps to the record's bytes in that message (the record
 *   decoder is canonical: the bytes it accepts are exactly what encoding its result writes). A
 *   follower persists the list it received in the step that receives it, before the next message
 *   is decoded; one that persists a suffix of it (a conflict) encodes that suffix. Only the last
 *   list is remembered: a WeakMap of every decoded list cost an ephemeron-table insert per
 *   message and its processing at every garbage collection;
 * - the last list encoded, compared entry by entry (by identity: the leader's WAL record and its
 *   messages to each follower are different lists of the same entry objects).
 */
let lastDecodedEntries: readonly Entry[] | undefined;
let lastDecodedRecord: Uint8Array | undefined;
let lastEntries: readonly Entry[] = [];
let lastRecord: Uint8Array | undefined;

function sameEntries(a: readonly Entry[], b: readonly Entry[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function entriesRecord(record: RaftRecord & { type: "entries" }): Uint8Array {
  const entries = record.entries;
  if (entries === lastDecodedEntries && lastDecodedRecord !== undefined) return lastDecodedRecord;
  if (lastRecord !== undefined && Array.isArray(entries) && sameEntries(entries, lastEntries)) return lastRecord;
  const bytes = raftRecordCodec.encode(record);
  lastEntries = entries;
  lastRecord = bytes;
  return bytes;
}

/** raftRecordCodec, with `entries` records encoded once per list of entries (see {@link entriesRecord}). */
export const raftRecordCodecSharingEntries: Codec<RaftRecord> = {
  maxBytes: raftRecordCodec.maxBytes,
  encode: (record) => (record?.type === "entries" ? entriesRecord(record) : raftRecordCodec.encode(record)),
  decode: (bytes) => raftRecordCodec.decode(bytes),
};

function uint(x: number, max: number, path: string): void {
  if (!Number.isSafeInteger(x) || x < 0 || x > max) throw new EncodeError(`expected an integer in [0, ${max}], got ${String(x)}`, path);
  header.writeUint(x);
}

function encode(message: RaftMessage): Uint8Array {
  if (message?.type !== "append" && message?.type !== "appendResponse") return raftMessageCodec.encode(message);
  header.reset();
  header.writeByte(BINARY);
  if (message.type === "appendResponse") {
    header.writeByte(KIND_APPEND_RESPONSE);
    uint(message.term, MAX_TERM, "term");
    uint(message.index, MAX_INDEX, "index");
    if (typeof message.reject !== "boolean") throw new EncodeError("expected a boolean", "reject");
    header.writeByte(message.reject ? 1 : 0);
    uint(message.hintIndex, MAX_INDEX, "hintIndex");
    uint(message.hintTerm, MAX_TERM, "hintTerm");
    return header.finish();
  }
  header.writeByte(KIND_APPEND);
  uint(message.term, MAX_TERM, "term");
  uint(message.prevIndex, MAX_INDEX, "prevIndex");
  uint(message.prevTerm, MAX_TERM, "prevTerm");
  uint(message.commit, MAX_INDEX, "commit");
  const entries = message.entries;
  if (!Array.isArray(entries) || entries.length > MAX_ENTRIES_PER_MESSAGE_WIRE) {
    throw new EncodeError(`expected at most ${MAX_ENTRIES_PER_MESSAGE_WIRE} entries`, "entries");
  }
  if (entries.length === 0) return header.finish();
  const record = entriesRecord({ type: "entries", entries });
  const total = header.length + record.length;
  if (total > MAX_MESSAGE_BYTES) throw new EncodeError(`${total} bytes exceed the limit of ${MAX_MESSAGE_BYTES}`);
  const bytes = new Uint8Array(total);
  bytes.set(header.finish(), 0);
  bytes.set(record, total - record.length);
  return bytes;
}

function readUintAtMost(reader: ByteReader, max: number, path: string): number {
  const x = reader.readUint();
  if (x > max) throw new DecodeError(`expected an integer in [0, ${max}], got ${x}`, path);
  return x;
}

function decodeBinary(bytes: Uint8Array): RaftMessage {
  const reader = new ByteReader(bytes);
  reader.readByte();
  const kind = reader.readByte();
  if (kind === KIND_APPEND_RESPONSE) {
    const term = readUintAtMost(reader, MAX_TERM, "term");
    const index = readUintAtMost(reader, MAX_INDEX, "index");
    const rejectByte = reader.readByte();
    if (rejectByte > 1) throw new DecodeError(`expected 0 or 1, got ${rejectByte}`, "reject");
    const hintIndex = readUintAtMost(reader, MAX_INDEX, "hintIndex");
    const hintTerm = readUintAtMost(reader, MAX_TERM, "hintTerm");
    reader.expectEnd();
    return { type: "appendResponse", term, index, reject: rejectByte === 1, hintIndex, hintTerm };
  }
  if (kind !== KIND_APPEND) throw new DecodeError(`unknown binary message kind ${kind}`, "kind");
  const term = readUintAtMost(reader, MAX_TERM, "term");
  const prevIndex = readUintAtMost(reader, MAX_INDEX, "prevIndex");
  const prevTerm = readUintAtMost(reader, MAX_TERM, "prevTerm");
  const commit = readUintAtMost(reader, MAX_INDEX, "commit");
  let entries: readonly Entry[] = [];
  if (!reader.done) {
    const recordBytes = bytes.subarray(reader.offset);
    const record = raftRecordCodec.decode(recordBytes);
    if (!record.ok) throw new DecodeError(record.error.message, "entries");
    if (record.value.type !== "entries") throw new DecodeError("expected an entries record", "entries");
    entries = record.value.entries;
    if (entries.length > MAX_ENTRIES_PER_MESSAGE_WIRE) throw new DecodeError(`more than ${MAX_ENTRIES_PER_MESSAGE_WIRE} entries`, "entries");
    lastDecodedEntries = entries;
    lastDecodedRecord = recordBytes;
  }
  return { type: "append", term, prevIndex, prevTerm, entries, commit };
}

/** Raft messages on the runtime's wire (layout above). */
export const raftWireCodec: Codec<RaftMessage> = {
  maxBytes: MAX_MESSAGE_BYTES,
  encode,
  decode(bytes: Uint8Array): Result<RaftMessage, DecodeError> {
    if (!(bytes instanceof Uint8Array)) return err(new DecodeError("expected bytes"));
    if (bytes.length > MAX_MESSAGE_BYTES) return err(new DecodeError(`input of ${bytes.length} bytes exceeds the limit of ${MAX_MESSAGE_BYTES}`));
    if (bytes[0] !== BINARY) return raftMessageCodec.decode(bytes);
    try {
      return ok(decodeBinary(bytes));
    } catch (error) {
      return err(error instanceof DecodeError ? error : new DecodeError(String(error)));
    }
  },
};
