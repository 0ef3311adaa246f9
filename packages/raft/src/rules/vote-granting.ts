import type { NodeId } from "@synod/core";
import type { Msg, RaftState } from "../raft-state.js";

/**
 * Vote granting (Raft §5.2, §5.4.1; thesis §9.6 for Pre-Vote, §4.2.3 for the lease guard).
 */

/**
 * The lease guard: a voter that heard from a leader within the last election timeout refuses to
 * help depose it, and does not even adopt the higher term of the request (so a node that rejoins
 * from a partition with a bumped term cannot disrupt a healthy leader). Applies with CheckQuorum
 * (which makes a leader that lost its quorum step down, so the lease means something), and not to
 * a campaign started by leadership transfer (TimeoutNow), which the leader itself asked for.
 * @returns whether a (pre-)vote request of a higher term must be ignored
 */
export function voteBlockedByLease<R>(r: RaftState<R>, m: Msg<"vote"> | Msg<"preVote">): boolean {
  const force = m.type === "vote" && m.transfer;
  const inLease = r.config.checkQuorum && r.lead !== undefined && r.electionElapsedTicks < r.config.electionTimeoutTicks;
  return !force && (inLease || inRestartLease(r));
}

/**
 * The restart lease: a node that restarted (it recovered a term) may have acknowledged a leader's
 * heartbeat just before it went down, and forgot whom it heard; for its first election timeout it
 * refuses (pre-)votes as if it still heard that leader — a restart must not cut a leader's read
 * lease short (the vote lease a voter gave is what the lease counts on). With CheckQuorum, as the lease.
 * @returns whether the node is in its restart lease
 */
function inRestartLease<R>(r: RaftState<R>): boolean {
  return r.config.checkQuorum && r.restarted && r.nowTicks < r.config.electionTimeoutTicks;
}

/**
 * Whether this node may vote for `from` in the request's term, log aside (etcd's `canVote`):
 * - we already voted for it (a repeated request: answer the same),
 * - or we have not voted in this term and know of no leader in it,
 * - or it is a pre-vote for a later term: a pre-vote promises nothing, so it may be granted to
 *   several candidates, and our own vote of the current term does not count against it.
 */
export function canVote<R>(r: RaftState<R>, from: NodeId, m: Msg<"vote"> | Msg<"preVote">): boolean {
  return r.vote === from || (r.vote === undefined && r.lead === undefined) || (m.type === "preVote" && m.term > r.term);
}

/**
 * Answer a (pre-)vote request of the current term (or of a later one, for a pre-vote). Granted
 * when {@link canVote} and the candidate's log is at least as up to date as ours (§5.4.1: last
 * term, then last index) — the rule that makes every leader hold every committed entry. A real
 * vote is recorded (persisted by this step, before the answer leaves) and restarts the election
 * timer; a refusal carries our term, so a stale candidate learns it.
 */
export function handleVoteRequest<R>(r: RaftState<R>, from: NodeId, m: Msg<"vote"> | Msg<"preVote">): void {
  if (canVote(r, from, m) && r.log.isUpToDate(m.lastIndex, m.lastTerm)) {
    if (m.type === "vote") {
      r.electionElapsedTicks = 0;
      r.vote = from;
      r.send(from, { type: "voteResponse", term: m.term, granted: true });
    } else {
      r.send(from, { type: "preVoteResponse", term: m.term, granted: true });
    }
  } else {
    r.send(from, m.type === "vote" ? { type: "voteResponse", term: r.term, granted: false } : { type: "preVoteResponse", term: r.term, granted: false });
  }
}
