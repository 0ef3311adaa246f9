import type { Step } from "@synod/core";
import type { Entry } from "./entry.js";
import type { RaftOutput } from "./io.js";
import { MAX_ENTRIES_PER_MESSAGE_WIRE, MAX_RECORD_ENTRY_BYTES, recordEntryBytes, SNAPSHOT_RECORD_CHUNK_BYTES } from "./limits.js";
import type { RaftMessage, SnapshotPayload } from "./messages.js";
import type { RaftState } from "./raft-state.js";
import type { RaftRecord } from "./records.js";

/**
 * Queue `entries` to be persisted by this step, in records of at most MAX_ENTRIES_PER_MESSAGE_WIRE
 * entries and MAX_RECORD_ENTRY_BYTES bytes (so that the record decoder accepts every record
 * written: see limits.ts).
 */
export function persistEntries<R>(r: RaftState<R>, entries: readonly Entry[]): void {
  const n = entries.length;
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const size = recordEntryBytes(entries[i] as Entry);
    if (i - start === MAX_ENTRIES_PER_MESSAGE_WIRE || (i > start && bytes + size > MAX_RECORD_ENTRY_BYTES)) {
      r.records.push({ type: "entries", entries: entries.slice(start, i) });
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  // The last (usually the only) record shares the list when it is whole: it is never mutated (it
  // comes from a message, a fresh local list or a copy of the log), like every record and message
  // once returned.
  if (start < n) r.records.push({ type: "entries", entries: start === 0 ? entries : entries.slice(start) });
}

/**
 * @returns the records of `snapshot`: its data in `snapshotChunk` records of at most
 * SNAPSHOT_RECORD_CHUNK_BYTES (views of the data, never copies), then the `snapshot` record that
 * commits them (see records.ts)
 */
export function snapshotRecords(snapshot: SnapshotPayload): RaftRecord[] {
  const { index, term, conf, data } = snapshot;
  const records: RaftRecord[] = [];
  for (let offset = 0; offset < data.length; offset += SNAPSHOT_RECORD_CHUNK_BYTES) {
    records.push({ type: "snapshotChunk", index, term, offset, data: data.subarray(offset, offset + SNAPSHOT_RECORD_CHUNK_BYTES) });
  }
  records.push({ type: "snapshot", snapshot: { index, term, conf, size: data.length } });
  return records;
}

/** Replace all durable state by the snapshot and the entries after it (compaction). */
export function persistCompacted<R>(r: RaftState<R>): void {
  r.records = snapshotRecords(r.log.snapshot);
  persistEntries(r, r.log.allEntries());
  r.compactStep = true;
  r.persisted = undefined;
}

/** Close the step: persist the hard state if it changed, report role changes. */
export function finishStep<R>(r: RaftState<R>): Step<RaftMessage, RaftOutput<R>, RaftRecord> {
  // The hard state is written whenever the term or vote changed (synced before any message of the
  // step leaves: Figure 2's persistent state), and with every other record this step writes, which
  // carries the commit index at no extra sync. A commit index that rose in a step writing nothing
  // else (a leader counting acknowledgements, a follower hearing a heartbeat) is not written then:
  // it rides with the next record, and a crash before that recovers an older one, as Raft's
  // volatile commitIndex allows (Raft.tla's Restart; specs/raft/properties.md). What membership
  // needs still holds: a node holding an entry knows, durably, every commit it knew when that entry
  // arrived — a leader proposes leave-joint only once its enter-joint applied, and a follower
  // receiving it learns that commit in the same step, written with the entries — so a restarted
  // node never acts under a configuration older than the one its log's entries came under.
  const p = r.persisted;
  const commit = p === undefined || r.records.length > 0 ? r.log.committed : p.commit;
  if (p === undefined || p.term !== r.term || p.vote !== r.vote || p.commit !== commit) {
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
