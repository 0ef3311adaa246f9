import type { NodeId } from "@synod/core";
import type { RaftMessage } from "../messages.js";
import type { RaftState } from "../raft-state.js";
import { becomeFollower } from "../roles.js";

/**
 * CheckQuorum (thesis §6.2): a leader that has not heard from a quorum within an election timeout
 * steps down, so a leader cut off by a partition stops serving (and stops believing it leads)
 * within a bounded time. It is what makes the vote lease (vote-granting.ts) and lease reads
 * (leader-lease.ts) safe.
 */

/**
 * Called by the leader once per election timeout: steps down unless a quorum (counting itself) was
 * active since the last check, then starts a new observation period.
 * @returns whether this node still leads
 */
export function checkQuorum<R>(r: RaftState<R>): boolean {
  if (!r.config.checkQuorum) return true;
  const active = new Set<NodeId>();
  for (const [id, pr] of r.progress) if (id === r.id || pr.recentActive) active.add(id);
  if (!r.quorum.isQuorum(active)) {
    becomeFollower(r, r.term, undefined);
    return false;
  }
  for (const [id, pr] of r.progress) if (id !== r.id) pr.recentActive = false;
  return true;
}

/**
 * A message of an older term is dropped, but some deserve an answer (etcd's Step does the same):
 * - an AppendEntries or heartbeat from a stale leader, with CheckQuorum or Pre-Vote: our term, so it
 *   steps down. Without the answer, a leader cut off and then reconnected never learns of the new
 *   term when our pre-votes (or our lease) keep us from adopting its term.
 * - a pre-vote of an older term: a refusal, so the pre-candidate does not wait for a timeout.
 */
export function answerStaleMessage<R>(r: RaftState<R>, from: NodeId, m: RaftMessage): void {
  const type = m.type;
  if ((r.config.checkQuorum || r.config.preVote) && (type === "append" || type === "heartbeat")) {
    r.send(from, { type: "appendResponse", term: r.term, index: 0, reject: false, hintIndex: 0, hintTerm: 0 });
  } else if (type === "preVote") {
    r.send(from, { type: "preVoteResponse", term: r.term, granted: false });
  }
}
