import { SynodError, type NodeId } from "@synod/core";

/**
 * A proposal, read or administrative request reached a node that is not the leader. `leader` is the
 * leader this node knows of (retry there), or undefined during an election (retry later).
 */
export class NotLeaderError extends SynodError {
  /** The known leader, if any. */
  readonly leader: NodeId | undefined;

  /**
   * @param node - the node that refused
   * @param leader - the leader it knows, if any
   */
  constructor(node: NodeId, leader: NodeId | undefined) {
    super("not-leader", leader === undefined ? `${node} is not the leader and knows no leader; retry after an election` : `${node} is not the leader; retry at ${leader}`, { node, leader });
    this.name = "NotLeaderError";
    this.leader = leader;
  }
}

/** Why a request was refused although this node may be the leader. */
export type RefusalReason = "transfer-in-progress" | "too-many-uncommitted" | "entry-too-large" | "batch-too-large" | "config-change-pending" | "invalid-config" | "too-many-reads" | "leadership-lost" | "halted";

/** A request was refused for a reason other than leadership (backpressure, limits, a change in progress). */
export class RequestRefusedError extends SynodError {
  /** Machine-readable reason. */
  readonly reason: RefusalReason;

  /**
   * @param reason - why
   * @param message - what to do about it
   */
  constructor(reason: RefusalReason, message: string) {
    super(reason === "halted" ? "storage" : reason === "invalid-config" ? "usage" : "limit", message, { reason });
    this.name = "RequestRefusedError";
    this.reason = reason;
  }
}
