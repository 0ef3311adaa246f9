import type { NodeId } from "@synod/core";
import type { Entry } from "../entry.js";
import { persistEntries } from "../persistence.js";
import type { Msg, RaftState } from "../raft-state.js";

/**
 * Log matching on the follower (Raft §5.3): an AppendEntries is accepted only when this log holds
 * the entry just before the new ones with the same term (then, by induction, the logs agree up to
 * there). Conflicting entries after it are replaced; committed ones never are. A rejection carries
 * a hint (the last index of ours that may match, and its term) so the leader skips a whole term of
 * mismatches per round trip instead of one entry (fast backtracking, as etcd's
 * `findConflictByTerm`).
 */
export function handleAppend<R>(r: RaftState<R>, from: NodeId, m: Msg<"append">): void {
  const log = r.log;
  if (m.prevIndex < log.committed) {
    // Older than what we know committed: tell the leader where we are.
    r.send(from, { type: "appendResponse", term: r.term, index: log.committed, reject: false, hintIndex: 0, hintTerm: 0 });
    return;
  }
  if (log.matchTerm(m.prevIndex, m.prevTerm)) {
    const lastNew = m.prevIndex + m.entries.length;
    const conflict = log.findConflict(m.entries);
    if (conflict < m.entries.length) {
      const first = m.entries[conflict] as Entry;
      if (first.index <= log.committed) {
        // A correct leader never contradicts a committed entry.
        r.reject("out-of-range");
        return;
      }
      const fresh = conflict === 0 ? m.entries : m.entries.slice(conflict);
      log.truncateAndAppend(fresh);
      persistEntries(r, fresh);
    }
    // Commit only what this message proved to match (entries beyond lastNew may still differ).
    log.commitTo(Math.min(m.commit, lastNew));
    r.send(from, { type: "appendResponse", term: r.term, index: lastNew, reject: false, hintIndex: 0, hintTerm: 0 });
    return;
  }
  const hintIndex = log.findConflictByTerm(Math.min(m.prevIndex, log.lastIndex), m.prevTerm);
  const hintTerm = log.term(hintIndex) ?? 0;
  r.send(from, { type: "appendResponse", term: r.term, index: m.prevIndex, reject: true, hintIndex, hintTerm });
}
