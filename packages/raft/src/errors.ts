import { SynodError, type NodeId } from "@synod/core";

/** V8's limit on captured stack frames (absent elsewhere; setting it there is harmless). */
const ErrorWithLimit = Error as { stackTraceLimit?: number };

/**
 * Refusals are returned as values, never thrown, and a node builds one for every request it refuses
 * (clients probing for the leader cause many): their constructors capture no stack trace, which
 * would be most of their cost and say nothing (always the node's own refusal path).
 * @returns the limit to restore with {@link restoreStackTraces}
 */
function suspendStackTraces(): number | undefined {
  const limit = ErrorWithLimit.stackTraceLimit;
  ErrorWithLimit.stackTraceLimit = 0;
  return limit;
}

function restoreStackTraces(limit: number | undefined): void {
  if (limit === undefined) delete ErrorWithLimit.stackTraceLimit;
  else ErrorWithLimit.stackTraceLimit = limit;
}

/**
 * A proposal, read or administrative request reached a node that is not the leader. `leader` is the
 * leader this node knows of (retry there), or undefined during an election (retry later). Returned
 * as a value: it carries no stack trace.
 */
export class NotLeaderError extends SynodError {
  /** The known leader, if any. */
  readonly leader: NodeId | undefined;

  /**
   * @param node - the node that refused
   * @param leader - the leader it knows, if any
   */
  constructor(node: NodeId, leader: NodeId | undefined) {
    const limit = suspendStackTraces();
    super("not-leader", leader === undefined ? `${node} is not the leader and knows no leader; retry after an election` : `${node} is not the leader; retry at ${leader}`, { node, leader });
    restoreStackTraces(limit);
    this.name = "NotLeaderError";
    this.leader = leader;
  }
}

/** Why a request was refused although this node may be the leader. */
export type RefusalReason = "transfer-in-progress" | "too-many-uncommitted" | "entry-too-large" | "batch-too-large" | "config-change-pending" | "invalid-config" | "too-many-reads" | "leadership-lost" | "halted" | "log-full" | "leader-leaving";

/** A request was refused for a reason other than leadership (backpressure, limits, a change in progress). Returned as a value: it carries no stack trace. */
export class RequestRefusedError extends SynodError {
  /** Machine-readable reason. */
  readonly reason: RefusalReason;

  /**
   * @param reason - why
   * @param message - what to do about it
   */
  constructor(reason: RefusalReason, message: string) {
    const limit = suspendStackTraces();
    super(reason === "halted" ? "storage" : reason === "invalid-config" ? "usage" : "limit", message, { reason });
    restoreStackTraces(limit);
    this.name = "RequestRefusedError";
    this.reason = reason;
  }
}
