import type { Step } from "@synod/core";
import type { Entry } from "./entry.js";
import type { RaftOutput } from "./io.js";
import { MAX_ENTRIES_PER_MESSAGE_WIRE } from "./messages.js";
import type { RaftMessage } from "./messages.js";
import type { RaftState } from "./raft-state.js";
import type { RaftRecord } from "./records.js";

/**
 * Queue `entries` to be persisted by this step, in records of at most MAX_ENTRIES_PER_MESSAGE_WIRE
 * entries (what one record may hold).
 */
export function persistEntries<R>(r: RaftState<R>, entries: readonly Entry[]): void {
  if (entries.length <= MAX_ENTRIES_PER_MESSAGE_WIRE) {
    // One record, sharing the list: it is never mutated (it comes from a message, a fresh
    // local list or a copy of the log), like every record and message once returned.
    if (entries.length > 0) r.records.push({ type: "entries", entries });
    return;
  }
  for (let i = 0; i < entries.length; i += MAX_ENTRIES_PER_MESSAGE_WIRE) {
    r.records.push({ type: "entries", entries: entries.slice(i, i + MAX_ENTRIES_PER_MESSAGE_WIRE) });
  }
}

/** Replace all durable state by the snapshot and the entries after it (compaction). */
export function persistCompacted<R>(r: RaftState<R>): void {
  r.records = [{ type: "snapshot", snapshot: r.log.snapshot }];
  persistEntries(r, r.log.allEntries());
  r.compactStep = true;
  r.persisted = undefined;
}

/** Close the step: persist the hard state if it changed, report role changes. */
export function finishStep<R>(r: RaftState<R>): Step<RaftMessage, RaftOutput<R>, RaftRecord> {
  // The hard state is written whenever term, vote or commit index changed. Persisting the commit
  // index matters for membership: a restarted node applies every configuration change it knew
  // committed before it acts, instead of acting under an older configuration.
  const p = r.persisted;
  if (p === undefined || p.term !== r.term || p.vote !== r.vote || p.commit !== r.log.committed) {
    r.records.push({ type: "hardState", term: r.term, vote: r.vote ?? null, commit: r.log.committed });
    if (p === undefined) r.persisted = { term: r.term, vote: r.vote, commit: r.log.committed };
    else {
      // In place: the object is private (the record pushed above is a separate, immutable value).
      p.term = r.term;
      p.vote = r.vote;
      p.commit = r.log.committed;
    }
  }
  const records = r.records;
  if (r.compactStep) r.out.compact(records);
  else for (let k = 0; k < records.length; k++) r.out.persist(records[k] as RaftRecord);
  if (records.length > 0) r.records = [];
  r.compactStep = false;
  const rep = r.reported;
  if (rep.role !== r.role || rep.term !== r.term || rep.leader !== r.lead) {
    if (rep.role !== r.role || rep.leader !== r.lead) {
      r.out.output({ type: "role", role: r.role, term: r.term, leader: r.lead });
    }
    r.reported = { role: r.role, term: r.term, leader: r.lead };
  }
  return r.out.finish();
}
