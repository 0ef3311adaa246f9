import { s, type NodeId, type Schema } from "@synod/core";
import { entrySchema, type Entry } from "./entry.js";
import { MAX_ENTRIES_PER_RECORD, MAX_INDEX, MAX_SNAPSHOT_BYTES, MAX_TERM, SNAPSHOT_RECORD_CHUNK_BYTES } from "./limits.js";
import { snapshotHeaderSchema, type SnapshotHeader } from "./messages.js";

/**
 * A durable record. Replaying a node's records in order rebuilds its durable state:
 * - `hardState`: the current term, the vote cast in it, and the commit index known at the time;
 * - `entries`: entries to write starting at `entries[0].index`, truncating whatever followed;
 * - `snapshotChunk`: the bytes of the data of the snapshot at (`index`, `term`) from `offset`;
 * - `snapshot`: the log up to `snapshot.index` is replaced by this snapshot, whose data are the
 *   `snapshotChunk` records just before it, in order from offset 0 to `snapshot.size` (the commit
 *   record: chunks not followed by it are a snapshot whose writing was cut short, and recovery
 *   ignores them). A snapshot is written in chunk records of at most SNAPSHOT_RECORD_CHUNK_BYTES
 *   because a record is at most MAX_RECORD_BYTES and a snapshot up to MAX_SNAPSHOT_BYTES.
 */
export type RaftRecord =
  | { readonly type: "hardState"; readonly term: number; readonly vote: NodeId | null; readonly commit: number }
  | { readonly type: "entries"; readonly entries: readonly Entry[] }
  | { readonly type: "snapshotChunk"; readonly index: number; readonly term: number; readonly offset: number; readonly data: Uint8Array }
  | { readonly type: "snapshot"; readonly snapshot: SnapshotHeader };

export { MAX_ENTRIES_PER_RECORD };

/**
 * Schema of a {@link RaftRecord}: the shape and ranges every record has. The durable bytes are
 * written and read by `raftRecordCodec` (record-codec.ts), whose decoder checks exactly these.
 */
export const raftRecordSchema: Schema<RaftRecord> = s.variant("type", {
  hardState: { term: s.uint(MAX_TERM), vote: s.nullable(s.nodeId()), commit: s.uint(MAX_INDEX) },
  entries: { entries: s.array(entrySchema, { minLength: 1, maxLength: MAX_ENTRIES_PER_RECORD }) },
  snapshotChunk: {
    index: s.uint(MAX_INDEX),
    term: s.uint(MAX_TERM),
    offset: s.uint(MAX_SNAPSHOT_BYTES),
    data: s.bytes({ minLength: 1, maxLength: SNAPSHOT_RECORD_CHUNK_BYTES }),
  },
  snapshot: { snapshot: snapshotHeaderSchema },
});
