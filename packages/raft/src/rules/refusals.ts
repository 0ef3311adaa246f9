import type { NodeId } from "@synod/core";
import { NotLeaderError, RequestRefusedError, type RefusalReason } from "../errors.js";
import { MAX_CACHED_ERRORS } from "../limits.js";
import type { RaftState } from "../raft-state.js";

/**
 * Refusals: a request a node cannot serve is answered with a typed error and where to retry, and
 * nothing of it is applied. Errors are immutable values reused while they say the same thing
 * (building an Error captures a stack trace, the main cost of a refusal).
 */

/** Refuse request `tag` as the leader for `reason`; retry at the transfer target if one is set, else here. */
export function refuse<R>(r: RaftState<R>, tag: number, reason: RefusalReason, message: string): void {
  r.out.output({ type: "refused", tag, error: refusedError(r, reason, message), retryAt: r.leadTransferee ?? r.id, leader: r.id });
}

/** @returns a RequestRefusedError saying this, the previous one when it says the same */
function refusedError<R>(r: RaftState<R>, reason: RefusalReason, message: string): RequestRefusedError {
  const last = r.lastRefusedError;
  if (last !== undefined && last.reason === reason && last.message === message) return last;
  return (r.lastRefusedError = new RequestRefusedError(reason, message));
}

/**
 * @returns the error this node reports when refusing as a non-leader that knows `leader`: one
 * immutable value per known leader, reused across requests
 */
function notLeaderError<R>(r: RaftState<R>, leader: NodeId | undefined): NotLeaderError {
  const known = r.notLeaderErrors.get(leader);
  if (known !== undefined) return known;
  if (r.notLeaderErrors.size >= MAX_CACHED_ERRORS) r.notLeaderErrors.clear();
  const error = new NotLeaderError(r.id, leader);
  r.notLeaderErrors.set(leader, error);
  return error;
}

/** Refuse request `tag` as a non-leader: retry at the known leader, else at another member. */
export function refuseNotLeader<R>(r: RaftState<R>, tag: number): void {
  const error = notLeaderError(r, r.lead);
  if (r.lead !== undefined) r.out.output({ type: "refused", tag, error, retryAt: r.lead, leader: r.lead });
  else r.out.output({ type: "refused", tag, error, retryAt: otherMember(r) });
}

/** Refuse as a leader that is leaving the configuration (`leaderIsLeaving`): retry at an incoming voter. */
export function refuseLeaving<R>(r: RaftState<R>, tag: number): void {
  const voters = r.conf.voters;
  const message = `${r.id} is not a voter of the configuration being entered and steps down once it is applied; retry at ${voters.join(" or ")}`;
  r.out.output({ type: "refused", tag, error: refusedError(r, "leader-leaving", message), retryAt: voters[0] ?? otherMember(r) });
}

/** Another member for a client to try, round-robin (when no leader is known). */
export function otherMember<R>(r: RaftState<R>): NodeId {
  const ids = r.members;
  r.retryCursor = (r.retryCursor + 1) % ids.length;
  const pick = ids[r.retryCursor] as NodeId;
  return pick === r.id && ids.length > 1 ? (ids[(r.retryCursor + 1) % ids.length] as NodeId) : pick;
}

/** Refuse every request to a node halted by corrupted storage (one error value: the reason never changes). */
export function refuseHalted<R>(r: RaftState<R>, tag: number): void {
  r.out.output({ type: "refused", tag, error: (r.haltedError ??= new RequestRefusedError("halted", `${r.id} refuses to run: ${r.haltReason}`)), retryAt: otherMember(r) });
}
