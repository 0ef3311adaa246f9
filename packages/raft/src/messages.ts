import { createCodec, s, type Codec, type Schema } from "@synod/core";
import { confStateSchema, type ConfState } from "./conf-state.js";
import { entrySchema, type Entry } from "./entry.js";

import { MAX_COUNTER, MAX_ENTRIES_PER_MESSAGE_WIRE, MAX_INDEX, MAX_MESSAGE_BYTES, MAX_SNAPSHOT_BYTES, MAX_TERM, SNAPSHOT_CHUNK_BYTES } from "./limits.js";

export { MAX_ENTRIES_PER_MESSAGE_WIRE, MAX_SNAPSHOT_BYTES, SNAPSHOT_CHUNK_BYTES };

/** Metadata and data of a snapshot: the state after applying every entry up to `index`. */
export interface SnapshotPayload {
  readonly index: number;
  readonly term: number;
  /** The configuration applied at `index`. */
  readonly conf: ConfState;
  /** The application state machine's snapshot. */
  readonly data: Uint8Array;
}

/** What identifies a snapshot and what it restores, without its data: `size` is its data's length in bytes. */
export interface SnapshotHeader {
  readonly index: number;
  readonly term: number;
  readonly conf: ConfState;
  readonly size: number;
}

/**
 * Every Raft message. Each carries the sender's term. `preVote` carries the term the sender WOULD
 * campaign for (its term + 1) without having adopted it.
 */
export type RaftMessage =
  | { readonly type: "preVote"; readonly term: number; readonly lastIndex: number; readonly lastTerm: number }
  | { readonly type: "preVoteResponse"; readonly term: number; readonly granted: boolean }
  /** `transfer` marks a campaign started by TimeoutNow: voters skip the leader-lease check. */
  | { readonly type: "vote"; readonly term: number; readonly lastIndex: number; readonly lastTerm: number; readonly transfer: boolean }
  | { readonly type: "voteResponse"; readonly term: number; readonly granted: boolean }
  | { readonly type: "append"; readonly term: number; readonly prevIndex: number; readonly prevTerm: number; readonly entries: readonly Entry[]; readonly commit: number }
  /**
   * Success: `index` is the follower's last index matching the leader. Rejection: `index` is the
   * rejected prevIndex and (`hintIndex`, `hintTerm`) the follower's best guess of where the logs
   * may agree (fast backtracking).
   */
  | { readonly type: "appendResponse"; readonly term: number; readonly index: number; readonly reject: boolean; readonly hintIndex: number; readonly hintTerm: number }
  /**
   * `context` is non-zero when the heartbeat confirms leadership for ReadIndex requests;
   * `electionTimeout`: the timeout (ticks) the leader advertises (config `adaptiveElectionTimeout` only).
   */
  | { readonly type: "heartbeat"; readonly term: number; readonly commit: number; readonly context: number; readonly electionTimeout?: number }
  | { readonly type: "heartbeatResponse"; readonly term: number; readonly context: number }
  /**
   * One chunk of an InstallSnapshot: the bytes of `snapshot`'s data from `offset` (at most
   * SNAPSHOT_CHUNK_BYTES of them); the chunk that reaches `snapshot.size` is the last. A snapshot
   * of no bytes is one empty chunk.
   */
  | { readonly type: "snapshot"; readonly term: number; readonly snapshot: SnapshotHeader; readonly offset: number; readonly data: Uint8Array }
  /** A follower holds the first `received` bytes of the snapshot at `index` (the leader sends what follows). */
  | { readonly type: "snapshotResponse"; readonly term: number; readonly index: number; readonly received: number }
  /** Leadership transfer: the leader tells a caught-up follower to campaign now. */
  | { readonly type: "timeoutNow"; readonly term: number };

/** The message kinds, as in {@link RaftMessage}'s `type`. */
export type RaftMessageType = RaftMessage["type"];

const term = s.uint(MAX_TERM);
const index = s.uint(MAX_INDEX);
const counter = s.uint(MAX_COUNTER);

const snapshotBytes = s.uint(MAX_SNAPSHOT_BYTES);

/** Schema of a {@link SnapshotHeader}. */
export const snapshotHeaderSchema: Schema<SnapshotHeader> = s.object({ index, term, conf: confStateSchema, size: snapshotBytes });

/** Schema of a {@link RaftMessage}: shapes and ranges only (the node checks the rest against its state). */
export const raftMessageSchema: Schema<RaftMessage> = s.variant("type", {
  preVote: { term, lastIndex: index, lastTerm: term },
  preVoteResponse: { term, granted: s.boolean() },
  vote: { term, lastIndex: index, lastTerm: term, transfer: s.boolean() },
  voteResponse: { term, granted: s.boolean() },
  append: { term, prevIndex: index, prevTerm: term, entries: s.array(entrySchema, { maxLength: MAX_ENTRIES_PER_MESSAGE_WIRE }), commit: index },
  appendResponse: { term, index, reject: s.boolean(), hintIndex: index, hintTerm: term },
  heartbeat: { term, commit: index, context: counter, electionTimeout: s.optional(s.uint()) },
  heartbeatResponse: { term, context: counter },
  snapshot: { term, snapshot: snapshotHeaderSchema, offset: snapshotBytes, data: s.bytes({ maxLength: SNAPSHOT_CHUNK_BYTES }) },
  snapshotResponse: { term, index, received: snapshotBytes },
  timeoutNow: { term },
});

/** The validating codec of Raft messages (2 MiB limit: a full AppendEntries or snapshot chunk plus framing). */
export const raftMessageCodec: Codec<RaftMessage> = createCodec(raftMessageSchema, { maxBytes: MAX_MESSAGE_BYTES });
