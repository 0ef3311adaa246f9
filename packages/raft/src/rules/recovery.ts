import type { Entry } from "../entry.js";
import type { RaftState } from "../raft-state.js";
import type { RaftRecord } from "../records.js";

/**
 * Recovery from durable records: the latest hard state (term, vote, commit), the snapshot, then
 * the entries after it. A node whose storage is corrupted or inconsistent halts rather than run
 * with a forgotten vote or entry: it could then break Election Safety or lose a committed write.
 */
export function recover<R>(r: RaftState<R>, records: readonly RaftRecord[], corrupted: number): void {
  if (corrupted > 0) {
    halt(r, `storage holds ${corrupted} corrupted record(s): this node may have forgotten a vote or an acknowledged entry. Wipe its storage and re-add it to the cluster as a new member.`);
    return;
  }
  const log = r.log;
  let commit = 0;
  for (const record of records) {
    switch (record.type) {
      case "hardState":
        r.term = record.term;
        r.vote = record.vote ?? undefined;
        commit = record.commit;
        break;
      case "snapshot":
        log.restore(record.snapshot);
        r.conf = record.snapshot.conf;
        commit = Math.max(commit, record.snapshot.index);
        break;
      case "entries": {
        const first = (record.entries[0] as Entry).index;
        if (first <= log.snapshotIndex || first > log.lastIndex + 1) {
          halt(r, `storage is inconsistent: entries from ${first} do not follow the log (snapshot ${log.snapshotIndex}, last ${log.lastIndex}). Wipe this node's storage and re-add it.`);
          return;
        }
        log.truncateAndAppend(record.entries);
        break;
      }
    }
  }
  if (commit > log.lastIndex) {
    halt(r, `storage is inconsistent: commit index ${commit} beyond the last entry ${log.lastIndex}. Wipe this node's storage and re-add it.`);
    return;
  }
  if (log.snapshotIndex > 0) r.sm.restore(log.snapshot.data);
  log.committed = Math.max(log.committed, commit);
  r.persisted = { term: r.term, vote: r.vote, commit: log.committed };
}

/** Refuse to run from now on, for `reason` (reported once as an alarm). */
export function halt<R>(r: RaftState<R>, reason: string): void {
  r.haltReason = reason;
  r.haltedError = undefined;
}
