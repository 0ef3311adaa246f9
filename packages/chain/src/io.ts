import type { NodeId } from "@synod/core";
import type { KvResult } from "@synod/raft";

/**
 * How a strong read may be answered:
 * - `strong`: linearizable (at the tail, or CRAQ: clean locally, dirty by asking the tail's version);
 * - `eventual`: the newest version this node holds, committed or not (CRAQ's eventual consistency);
 * - `bounded`: like eventual, but never more than `maxVersionsAhead` versions of the key beyond
 *   its committed version (CRAQ's maximum-bounded eventual consistency, bounded in versions).
 */
export type ReadConsistency = "strong" | "eventual" | "bounded";

/**
 * A client's request at a node (its origin). `tag` is the caller's correlation number, echoed in
 * the output that completes the request.
 * - write: a KV command (`encodeKvCommand`: client session, sequence number, operation), ordered by the head;
 * - read: the value under `key`.
 */
export type ChainInput =
  | { readonly type: "write"; readonly command: Uint8Array; readonly tag: number }
  | { readonly type: "read"; readonly key: string; readonly tag: number; readonly consistency?: ReadConsistency; readonly maxVersionsAhead?: number };

/**
 * What a node reports to its application and to checkers:
 * - reply: the result of request `tag` made at this node (a write's session result, or a read's value);
 * - refused: request `tag` was not served (definitely not applied); `redirect` suggests another node;
 * - served: this node answered a read of `key` from the version written at sequence `version`
 *   (`committed` says whether that version was committed here when it answered);
 * - configured: this node adopted the configuration of `epoch` (`members` from head to tail);
 * - accepted: it appended writes up to `last` received from `from` in `epoch`;
 * - committed: its commit point advanced to `seq`;
 * - alarm: something an operator must see (the configuration group's node halted).
 */
export type ChainOutput =
  | { readonly type: "reply"; readonly tag: number; readonly result: KvResult }
  | { readonly type: "refused"; readonly tag: number; readonly reason: string; readonly redirect?: NodeId }
  | { readonly type: "served"; readonly key: string; readonly version: number; readonly consistency: ReadConsistency; readonly committed: boolean }
  | { readonly type: "configured"; readonly epoch: number; readonly members: readonly NodeId[]; readonly member: boolean }
  | { readonly type: "accepted"; readonly epoch: number; readonly from: NodeId; readonly last: number }
  | { readonly type: "committed"; readonly seq: number }
  | { readonly type: "alarm"; readonly reason: string };
