import type { Entry } from "../entry.js";
import type { RaftState } from "../raft-state.js";
import type { RaftRecord } from "../records.js";
import { SnapshotAssembly } from "../snapshot-assembly.js";

const WIPE = "Wipe this node's storage and re-add it.";

/**
 * Recovery from durable records: the latest hard state (term, vote, commit), the snapshot, then
 * the entries after it. A snapshot's data are the chunk records before its `snapshot` record;
 * chunks that no `snapshot` record follows (a write cut short) are ignored: the snapshot before
 * them stays the one recovered. A node whose storage is corrupted or inconsistent halts rather than run
 * with a forgotten vote or entry: it could then break Election Safety or lose a committed write.
 */
export function recover<R>(r: RaftState<R>, records: readonly RaftRecord[], corrupted: number): void {
  if (corrupted > 0) {
    halt(r, `storage holds ${corrupted} corrupted record(s): this node may have forgotten a vote or an acknowledged entry. Wipe its storage and re-add it to the cluster as a new member.`);
    return;
  }
  const log = r.log;
  let commit = 0;
  let chunks: SnapshotAssembly | undefined;
  for (const record of records) {
    switch (record.type) {
      case "hardState":
        r.term = record.term;
        r.vote = record.vote ?? undefined;
        commit = record.commit;
        break;
      case "snapshotChunk":
        if (record.offset === 0) chunks = new SnapshotAssembly(record.index, record.term, Infinity);
        if (chunks === undefined || chunks.index !== record.index || chunks.term !== record.term || chunks.received !== record.offset) {
          halt(r, `storage is inconsistent: a chunk of snapshot ${record.term}/${record.index} at offset ${record.offset} does not follow the chunks before it. ${WIPE}`);
          return;
        }
        chunks.add(record.offset, record.data);
        break;
      case "snapshot": {
        const { index, term, conf, size } = record.snapshot;
        const held = chunks !== undefined && chunks.index === index && chunks.term === term ? chunks.received : 0;
        if (held !== size) {
          halt(r, `storage is inconsistent: snapshot ${term}/${index} of ${size} bytes follows ${held} bytes of its data. ${WIPE}`);
          return;
        }
        log.restore({ index, term, conf, data: size === 0 || chunks === undefined ? new Uint8Array(0) : chunks.data() });
        chunks = undefined;
        r.conf = conf;
        commit = Math.max(commit, index);
        break;
      }
      case "entries": {
        const first = (record.entries[0] as Entry).index;
        if (first <= log.snapshotIndex || first > log.lastIndex + 1) {
          halt(r, `storage is inconsistent: entries from ${first} do not follow the log (snapshot ${log.snapshotIndex}, last ${log.lastIndex}). ${WIPE}`);
          return;
        }
        log.truncateAndAppend(record.entries);
        break;
      }
    }
  }
  if (commit > log.lastIndex) {
    halt(r, `storage is inconsistent: commit index ${commit} beyond the last entry ${log.lastIndex}. ${WIPE}`);
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
