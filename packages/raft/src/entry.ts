import { s, type NodeId, type Schema } from "@synod/core";
import { MAX_ENTRY_BYTES_WIRE, MAX_INDEX, MAX_MEMBERS, MAX_TERM } from "./limits.js";

export { MAX_ENTRY_BYTES_WIRE, MAX_MEMBERS };

/** A configuration change carried by a log entry; it takes effect when the entry is APPLIED. */
export type ConfChange =
  /** Enter the joint configuration C(old, new): `voters` is C(new); the current voters become the outgoing half. */
  | { readonly kind: "enter-joint"; readonly voters: readonly NodeId[]; readonly learners: readonly NodeId[] }
  /** Leave the joint configuration: only C(new) remains. */
  | { readonly kind: "leave-joint" };

/**
 * One Raft log entry. `normal` entries carry application data (an empty payload is the no-op a new
 * leader appends); `conf` entries carry a membership change.
 */
export type Entry =
  | { readonly type: "normal"; readonly term: number; readonly index: number; readonly data: Uint8Array }
  | { readonly type: "conf"; readonly term: number; readonly index: number; readonly change: ConfChange };

const memberList = s.array(s.nodeId(), { maxLength: MAX_MEMBERS });

/** Schema of a {@link ConfChange}. */
export const confChangeSchema: Schema<ConfChange> = s.variant("kind", {
  "enter-joint": { voters: memberList, learners: memberList },
  "leave-joint": {},
});

const entryTerm = s.uint(MAX_TERM);
const entryIndex = s.int({ min: 1, max: MAX_INDEX });

/** Schema of an {@link Entry}: term ≤ MAX_TERM, 1 ≤ index ≤ MAX_INDEX. */
export const entrySchema: Schema<Entry> = s.variant("type", {
  normal: { term: entryTerm, index: entryIndex, data: s.bytes({ maxLength: MAX_ENTRY_BYTES_WIRE }) },
  conf: { term: entryTerm, index: entryIndex, change: confChangeSchema },
});

/** @returns the payload size an entry counts for in message-size limits */
export function entryBytes(entry: Entry): number {
  return entry.type === "normal" ? entry.data.length : 64;
}
