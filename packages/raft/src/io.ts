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
  /** A committed entry, in log order, exactly once per node lifetime; `result` for normal entries with data. */
  | { readonly type: "apply"; readonly entry: Entry; readonly result: R | undefined }
  /** The state was replaced by a snapshot up to `index` (entries up to it are not output one by one). */
  | { readonly type: "restored"; readonly index: number; readonly term: number }
  /** A proposal was appended to the leader's log at `index` (it is not committed yet). */
  | { readonly type: "proposed"; readonly tag: number; readonly index: number; readonly count: number }
  /** A read completed: `result` reflects every write committed before the read was requested. */
  | { readonly type: "read"; readonly tag: number; readonly result: R }
  /**
   * A request could not be served (it was not applied). `retryAt` is where a client should retry:
   * the known leader, else (no leader known, or this node halted) another member, round-robin.
   */
  | { readonly type: "refused"; readonly tag: number; readonly error: NotLeaderError | RequestRefusedError; readonly retryAt: NodeId }
  /** The applied configuration changed (or an applied change was invalid and ignored). */
  | { readonly type: "conf"; readonly index: number; readonly conf: ConfState; readonly rejected?: string }
  /** This node's role or known leader changed. */
  | { readonly type: "role"; readonly role: RaftRole; readonly term: number; readonly leader: NodeId | undefined }
  /** Something is wrong that an operator must see (e.g. corrupted storage: the node refuses to run). */
  | { readonly type: "alarm"; readonly reason: string }
  /**
   * The adaptive election timeout changed (config `adaptiveElectionTimeout`): the base of the
   * randomized timeout is now `ticks`; `rttTicks` is the smoothed heartbeat round trip it came from.
   */
  | { readonly type: "election-timeout"; readonly ticks: number; readonly rttTicks: number; readonly source: "measured" | "leader" | "backoff" };

/** A node's role. */
export type RaftRole = "follower" | "pre-candidate" | "candidate" | "leader";
