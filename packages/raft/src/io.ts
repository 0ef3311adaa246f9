import type { NodeId } from "@synod/core";
import type { ConfState } from "./conf-state.js";
import type { Entry } from "./entry.js";
import type { NotLeaderError, RequestRefusedError } from "./errors.js";

/**
 * What an application (or the simulator) asks of a node. `tag` is the caller's correlation number,
 * echoed in the outputs that answer the request.
 */
export type RaftInput =
  /** Append `data` to the log (leader only). */
  | { readonly type: "propose"; readonly data: Uint8Array; readonly tag: number }
  /** Append many payloads in one step: one entry each, replicated in the same messages (batching). */
  | { readonly type: "propose-batch"; readonly items: readonly Uint8Array[]; readonly tag: number }
  /** A linearizable read of `query` (ReadIndex, or the lease when configured). */
  | { readonly type: "read"; readonly query: Uint8Array; readonly tag: number }
  /** Start an election now (as if the election timeout fired). */
  | { readonly type: "campaign" }
  /** Hand leadership to `to` (leader only; `to` must be a voter). */
  | { readonly type: "transfer-leadership"; readonly to: NodeId; readonly tag: number }
  /** Move to the configuration with these voters and learners, by joint consensus (leader only). */
  | { readonly type: "change-membership"; readonly voters: readonly NodeId[]; readonly learners: readonly NodeId[]; readonly tag: number }
  /** Take a snapshot of the applied state now and compact the log. */
  | { readonly type: "compact" };

/**
 * What a node reports to its application.
 * @typeParam R - the state machine's result type
 */
export type RaftOutput<R> =
  /**
   * A committed entry, in log order, exactly once per node lifetime; `result` for normal entries
   * with data. `tag` is the tag of the `propose` request that created the entry, on the node that
   * accepted it as leader, when the entry applied is that very one (same index and term).
   */
  | { readonly type: "apply"; readonly entry: Entry; readonly result: R | undefined; readonly tag?: number }
  /** The state was replaced by a snapshot up to `index` (entries up to it are not output one by one). */
  | { readonly type: "restored"; readonly index: number; readonly term: number }
  /** A proposal was appended to the leader's log at `index` (it is not committed yet). */
  | { readonly type: "proposed"; readonly tag: number; readonly index: number; readonly count: number }
  /**
   * The leader that accepted this proposal stepped down before its entries (`count` of them from
   * `index`) applied here: they may still commit under another leader, or be overwritten. No more is
   * reported about `tag`. To learn the outcome, retry with the same client session: the KV state
   * machine answers a retry of an applied command with its recorded result and applies it at most once.
   */
  | { readonly type: "unknown"; readonly tag: number; readonly index: number; readonly count: number }
  /**
   * A read completed: `result` reflects every write committed before the read was requested.
   * `index` is its read index (the commit index it was linearized at, as etcd's ReadState): the
   * state machine had applied every entry up to it when it answered.
   */
  | { readonly type: "read"; readonly tag: number; readonly result: R; readonly index: number }
  /**
   * A request could not be served: it was not applied, and never will be (a definite failure).
   * `leader` is the leader this node knows (itself, when it refuses as leader), absent when it knows
   * none. `retryAt` is where a client should retry: the leader, the target of a leadership transfer
   * in progress, or — when `leader` is absent (no leader known, or this node halted) — another
   * member picked round-robin, a guess.
   */
  | { readonly type: "refused"; readonly tag: number; readonly error: NotLeaderError | RequestRefusedError; readonly retryAt: NodeId; readonly leader?: NodeId }
  /** The applied configuration changed (or an applied change was invalid and ignored). */
  | { readonly type: "conf"; readonly index: number; readonly conf: ConfState; readonly rejected?: string }
  /** This node's role or known leader changed. */
  | { readonly type: "role"; readonly role: RaftRole; readonly term: number; readonly leader: NodeId | undefined }
  /**
   * Something is wrong that an operator must see (e.g. corrupted storage: the node refuses to run).
   * `limit` is set when a fixed limit was hit (see {@link RaftLimitAlarm}).
   */
  | { readonly type: "alarm"; readonly reason: string; readonly limit?: RaftLimitAlarm }
  /**
   * The adaptive election timeout changed (config `adaptiveElectionTimeout`): the base of the
   * randomized timeout is now `ticks`; `rttTicks` is the smoothed heartbeat round trip it came from.
   */
  | { readonly type: "election-timeout"; readonly ticks: number; readonly rttTicks: number; readonly source: "measured" | "leader" | "backoff" }
  /**
   * Adaptive batching (config `adaptiveBatching`): the leader now holds proposals back from a
   * follower with a message in flight until `entries` are unsent; `depth` is the smoothed queue depth it came from.
   */
  | { readonly type: "batch-target"; readonly entries: number; readonly depth: number };

/**
 * A limit of limits.ts that the node hit: `actual` is what exceeded `max`; `retrying` says whether
 * the node will try again by itself (a snapshot over MAX_SNAPSHOT_BYTES: with back-off, until it
 * stops after MAX_SNAPSHOT_ATTEMPTS).
 */
export interface RaftLimitAlarm {
  readonly name: "MAX_SNAPSHOT_BYTES";
  readonly max: number;
  readonly actual: number;
  readonly retrying: boolean;
}

/** A node's role. */
export type RaftRole = "follower" | "pre-candidate" | "candidate" | "leader";
