import type { RaftState } from "../raft-state.js";

/**
 * The commit rule (Raft §5.4.2, Figure 8): the leader advances the commit index to the highest
 * index a quorum of the configuration holds (joint configurations need a quorum of both halves),
 * but only if that entry is of the leader's current term. An entry of an older term, even on a
 * majority, may still be overwritten by a leader that never saw it (Figure 8); it commits only
 * indirectly, when an entry of the current term after it does.
 * @returns whether the commit index moved
 */
export function maybeCommit<R>(r: RaftState<R>): boolean {
  const ci = r.quorum.committedIndex(r.matchOf);
  if (ci > r.log.committed && r.log.term(ci) === r.term) {
    r.log.commitTo(ci);
    return true;
  }
  return false;
}
