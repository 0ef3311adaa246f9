import type { NodeId } from "@synod/core";
import type { Entry } from "../entry.js";
import type { RaftMessage } from "../messages.js";

const distinct = (ids: readonly NodeId[]): boolean => new Set(ids).size === ids.length;

/**
 * Checks a message against what any correct peer could send, beyond what the schema sees: a
 * claimed last term or previous term never exceeds the message's term, entries are consecutive
 * with non-decreasing terms up to the message's, a snapshot has voters and no duplicate ids, and a
 * snapshot chunk lies within its snapshot and is not empty (unless the snapshot is).
 * A message that fails is counted as malformed and dropped (step.ts).
 */
export function wellFormed(m: RaftMessage): boolean {
  switch (m.type) {
    case "vote":
    case "preVote":
      return m.lastTerm <= m.term;
    case "append": {
      if (m.prevTerm > m.term) return false;
      let prevTerm = m.prevTerm;
      for (let i = 0; i < m.entries.length; i++) {
        const e = m.entries[i] as Entry;
        if (e.index !== m.prevIndex + 1 + i || e.term < prevTerm || e.term > m.term) return false;
        prevTerm = e.term;
      }
      return true;
    }
    case "snapshot": {
      const { conf, size } = m.snapshot;
      const end = m.offset + m.data.length;
      const chunkWithin = end <= size && (m.data.length > 0 || size === 0);
      return chunkWithin && m.snapshot.term <= m.term && m.snapshot.index >= 1 && conf.voters.length > 0 && distinct(conf.voters) && distinct(conf.outgoing) && distinct(conf.learners);
    }
    default:
      return true;
  }
}
