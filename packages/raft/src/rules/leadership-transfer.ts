import type { NodeId } from "@synod/core";
import { isVoter } from "../conf-state.js";
import type { Progress } from "../progress.js";
import type { RaftState } from "../raft-state.js";
import { hup } from "./election.js";
import { refuse, refuseNotLeader } from "./refusals.js";
import { maybeSendAppend } from "./replication.js";

/**
 * Leadership transfer (thesis §3.10): the leader stops taking proposals, brings the target's log up
 * to date, then sends it TimeoutNow; the target campaigns at once (skipping Pre-Vote and the vote
 * lease, see vote-granting.ts) and, with the most up-to-date log, wins. A transfer that does not
 * finish within an election timeout is abandoned.
 */

/** Leader: start moving leadership to voter `to`. */
export function handleTransferLeadership<R>(r: RaftState<R>, tag: number, to: NodeId): void {
  if (r.role !== "leader") return refuseNotLeader(r, tag);
  if (to === r.id || r.leadTransferee === to) return;
  const pr = r.progress.get(to);
  if (pr === undefined || !isVoter(r.conf, to)) return refuse(r, tag, "invalid-config", `${to} is not a voter; only voters can lead`);
  r.leadTransferee = to;
  r.electionElapsedTicks = 0;
  if (pr.match === r.log.lastIndex) sendTimeoutNow(r, to);
  else maybeSendAppend(r, to, true);
}

function sendTimeoutNow<R>(r: RaftState<R>, to: NodeId): void {
  r.timeoutNowSent = true;
  r.send(to, { type: "timeoutNow", term: r.term });
}

/** Leader: once the transfer target holds the whole log, tell it to campaign. */
export function maybeFinishTransfer<R>(r: RaftState<R>, from: NodeId, pr: Progress): void {
  if (from === r.leadTransferee && pr.match === r.log.lastIndex) sendTimeoutNow(r, from);
}

/**
 * Leader, once per election timeout: a transfer still running is abandoned (proposals resume). If a
 * TimeoutNow went out, its target may still campaign — whenever it arrives — with a vote request
 * that skips the followers' vote leases: the read lease stays void for the rest of this leadership
 * (reads confirm leadership by ReadIndex rounds instead).
 */
export function abandonTransfer<R>(r: RaftState<R>): void {
  if (r.leadTransferee !== undefined && r.timeoutNowSent) r.transferAbandonedAfterTimeoutNow = true;
  r.leadTransferee = undefined;
}

/** Follower: TimeoutNow from our leader starts a campaign now; from anyone else it is dropped. */
export function handleTimeoutNow<R>(r: RaftState<R>, from: NodeId): void {
  if (from === r.lead) hup(r, true);
  else r.reject("unexpected");
}
