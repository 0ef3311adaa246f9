import { InvariantError } from "@synod/core";
import type { RaftRole } from "./io.js";
import type { RaftState } from "./raft-state.js";
import { resetRandomizedElectionTimeout, tickElection } from "./rules/election.js";
import { resetBatching } from "./rules/adaptive-batching.js";
import { tickHeartbeat } from "./rules/heartbeat.js";
import { appendEntries } from "./rules/proposals.js";
import { failPendingReads } from "./rules/reads.js";
import { addProgress, bcastAppend } from "./rules/replication.js";
import { stepCandidate } from "./step-candidate.js";
import { stepFollower } from "./step-follower.js";
import { stepLeader } from "./step-leader.js";

const EMPTY_BYTES = new Uint8Array(0);

/**
 * The role transitions (etcd's `becomeX`): each sets the role, the step function and the tick
 * function the node uses from now on, and asserts the transition is one Raft allows:
 *
 *   follower ──timeout──▶ pre-candidate ──pre-votes won──▶ candidate ──votes won──▶ leader
 *   (without Pre-Vote, or on TimeoutNow, a follower becomes candidate directly)
 *   any role ──higher term, lost vote, lost quorum──▶ follower
 */
function assertTransition(from: RaftRole, to: RaftRole, allowed: boolean): void {
  if (!allowed) throw new InvariantError(`invalid role transition ${from} -> ${to}`, { from, to });
}

/** Clear what belongs to one term (and adopt `term`; a new term has no vote yet). */
function reset<R>(r: RaftState<R>, term: number): void {
  if (term !== r.term) {
    r.term = term;
    r.vote = undefined;
    // A snapshot being received came from the leader of the old term: the new one sends its own.
    r.snapshotAssembly = undefined;
  }
  r.lead = undefined;
  r.electionElapsedTicks = 0;
  r.heartbeatElapsedTicks = 0;
  resetRandomizedElectionTimeout(r);
  r.leadTransferee = undefined;
  r.timeoutNowSent = false;
  r.transferAbandonedAfterTimeoutNow = false;
  r.votes.clear();
  r.progress.clear();
  r.pendingConfIndex = 0;
  failPendingReads(r);
  reportUnknownProposals(r);
}

/**
 * A leader stepping down can no longer tell what becomes of the proposals it accepted and has not
 * applied: they may still commit under another leader, or be overwritten. Say so, once per proposal.
 */
function reportUnknownProposals<R>(r: RaftState<R>): void {
  if (r.proposals.size === 0) return;
  for (const span of r.proposals.drain()) r.out.output({ type: "unknown", tag: span.tag, index: span.index, count: span.count });
}

/** Become a follower of `leader` (undefined: not known yet) in `term` (any role may). */
export function becomeFollower<R>(r: RaftState<R>, term: number, leader: string | undefined): void {
  reset(r, term);
  r.role = "follower";
  r.step = stepFollower;
  r.tick = tickElection;
  r.lead = leader;
}

/** Start a pre-campaign (Pre-Vote): it changes neither the term nor the vote, so a failed one leaves no trace. */
export function becomePreCandidate<R>(r: RaftState<R>): void {
  assertTransition(r.role, "pre-candidate", r.role !== "leader");
  r.role = "pre-candidate";
  r.step = stepCandidate;
  r.tick = tickElection;
  resetRandomizedElectionTimeout(r);
  r.votes.clear();
  r.lead = undefined;
  failPendingReads(r);
}

/** Start a campaign: the next term, voting for itself. */
export function becomeCandidate<R>(r: RaftState<R>): void {
  assertTransition(r.role, "candidate", r.role !== "leader");
  reset(r, r.term + 1);
  r.vote = r.id;
  r.role = "candidate";
  r.step = stepCandidate;
  r.tick = tickElection;
}

/** Lead the current term: track every member's progress and append this term's first (empty) entry. */
export function becomeLeader<R>(r: RaftState<R>): void {
  assertTransition(r.role, "leader", r.role === "candidate");
  reset(r, r.term);
  r.role = "leader";
  r.step = stepLeader;
  r.tick = tickHeartbeat;
  r.lead = r.id;
  r.metrics.leaderElections++;
  resetBatching(r);
  for (const id of r.confMemberIds) addProgress(r, id);
  // Conf changes proposed before this term may still be in the log: wait until they are applied.
  r.pendingConfIndex = r.log.lastIndex;
  appendEntries(r, [{ type: "normal", data: EMPTY_BYTES }]);
  bcastAppend(r);
}
