import { s, type NodeId, type Schema } from "@synod/core";
import { entrySchema, type Entry } from "./entry.js";
import { MAX_ENTRIES_PER_RECORD, MAX_INDEX, MAX_TERM } from "./limits.js";
import { snapshotPayloadSchema, type SnapshotPayload } from "./messages.js";

/**
 * A durable record. Replaying a node's records in order rebuilds its durable state:
 * - `hardState`: the current term, the vote cast in it, and the commit index known at the time;
 * - `entries`: entries to write starting at `entries[0].index`, truncating whatever followed;
 * - `snapshot`: the log up to `snapshot.index` is replaced by this snapshot.
 */
export type RaftRecord =
  | { readonly type: "hardState"; readonly term: number; readonly vote: NodeId | null; readonly commit: number }
  | { readonly type: "entries"; readonly entries: readonly Entry[] }
  | { readonly type: "snapshot"; readonly snapshot: SnapshotPayload };

export { MAX_ENTRIES_PER_RECORD };

/**
 * Schema of a {@link RaftRecord}: the shape and ranges every record has. The durable bytes are
 * written and read by `raftRecordCodec` (record-codec.ts), whose decoder checks exactly these.
 */
export const raftRecordSchema: Schema<RaftRecord> = s.variant("type", {
  hardState: { term: s.uint(MAX_TERM), vote: s.nullable(s.nodeId()), commit: s.uint(MAX_INDEX) },
  entries: { entries: s.array(entrySchema, { minLength: 1, maxLength: MAX_ENTRIES_PER_RECORD }) },
  snapshot: { snapshot: snapshotPayloadSchema },
});
