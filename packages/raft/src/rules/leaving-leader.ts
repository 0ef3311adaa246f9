import { isJoint } from "../conf-state.js";
import type { RaftState } from "../raft-state.js";

/**
 * A leader that is not a voter of the configuration being entered (a joint configuration whose
 * incoming voters leave it out) appends no new entries: it only finishes the change, then steps
 * down when the change is applied (`setConf`).
 *
 * Why: once the leader steps down, only the incoming voters can campaign, and every other member
 * grants a vote only to a log at least as up to date as its own. Entries the leader appended after
 * the configuration change, replicated only to members that are leaving or learners, would leave
 * every incoming voter behind them and so unelectable — a cluster with no possible leader, for good.
 * Found by the simulator (raft swarm seed 1037, 3 nodes: voters {n1}, n3 a learner and the old
 * leader, n2 removed; n1 restarted with the change unapplied and was refused by both).
 */
export function leaderIsLeaving<R>(r: RaftState<R>): boolean {
  return r.role === "leader" && isJoint(r.conf) && !r.conf.voters.includes(r.id);
}
