import { assert } from "@synod/core";
import type { Entry } from "./entry.js";
import { entryBytes } from "./entry.js";
import type { SnapshotPayload } from "./messages.js";

/** The shared empty list of entries (lists handed out are never mutated). */
const NO_ENTRIES: readonly Entry[] = Object.freeze([]);

/**
 * The in-memory Raft log: a snapshot (everything up to `snapshotIndex`, compacted away) followed by
 * the entries `snapshotIndex + 1 … lastIndex`. It also tracks the commit and apply indexes.
 * Invariants: snapshotIndex ≤ applied ≤ committed ≤ lastIndex; entries[i].index = snapshotIndex + 1 + i.
 * Every change made here is also written to the node's durable records by the node (the log itself
 * does no I/O).
 */
export class RaftLog {
  private entries: Entry[] = [];
  private snapshotMeta: SnapshotPayload;
  /** Highest index known to be committed. */
  committed = 0;
  /** Highest index handed to the state machine. */
  applied = 0;

  /** @param snapshot - the initial snapshot (index 0, term 0 for a fresh node) */
  constructor(snapshot: SnapshotPayload) {
    this.snapshotMeta = snapshot;
    this.committed = snapshot.index;
    this.applied = snapshot.index;
  }

  /** The latest snapshot (index 0 for a log never compacted). */
  get snapshot(): SnapshotPayload {
    return this.snapshotMeta;
  }

  /** Index of the last entry covered by the snapshot. */
  get snapshotIndex(): number {
    return this.snapshotMeta.index;
  }

  /** First index held as an entry. */
  get firstIndex(): number {
    return this.snapshotMeta.index + 1;
  }

  /** Index of the last entry (the snapshot's index when there are no entries). */
  get lastIndex(): number {
    return this.snapshotMeta.index + this.entries.length;
  }

  /** Term of the last entry. */
  get lastTerm(): number {
    return this.entries.length === 0 ? this.snapshotMeta.term : (this.entries[this.entries.length - 1] as Entry).term;
  }

  /** @returns the term of entry `index`, or undefined when compacted away (below the snapshot) or beyond the end */
  term(index: number): number | undefined {
    if (index === this.snapshotMeta.index) return this.snapshotMeta.term;
    if (index < this.snapshotMeta.index || index > this.lastIndex) return undefined;
    return (this.entries[index - this.snapshotMeta.index - 1] as Entry).term;
  }

  /** @returns the entry at `index`, or undefined when not held */
  entry(index: number): Entry | undefined {
    if (index <= this.snapshotMeta.index || index > this.lastIndex) return undefined;
    return this.entries[index - this.snapshotMeta.index - 1];
  }

  /** @returns whether the log holds an entry (or the snapshot point) at `index` with term `term` */
  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /**
   * Entries `lo … hi - 1`, at most `maxCount` of them and at most `maxBytes` of payload (at least
   * one entry when any is available).
   * @returns undefined when `lo` is compacted away
   */
  slice(lo: number, hi: number, maxCount: number, maxBytes: number): readonly Entry[] | undefined {
    const offset = this.snapshotMeta.index + 1; // the index of entries[0]
    if (lo < offset) return undefined;
    const limit = Math.min(hi, this.lastIndex + 1, lo + maxCount);
    if (lo >= limit) return NO_ENTRIES; // (most appends: a heartbeat-like probe with nothing new)
    // Find the end first, then copy once (an exact-size list, not one grown by pushes).
    let end = lo + 1;
    let bytes = entryBytes(this.entries[lo - offset] as Entry);
    while (end < limit) {
      bytes += entryBytes(this.entries[end - offset] as Entry);
      if (bytes > maxBytes) break;
      end++;
    }
    return this.entries.slice(lo - offset, end - offset);
  }

  /**
   * Whether a candidate whose log ends at (lastIndex, lastTerm) is at least as up to date as this
   * log (Raft §5.4.1): higher last term, or equal last term and at least as long.
   */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    return lastTerm > this.lastTerm || (lastTerm === this.lastTerm && lastIndex >= this.lastIndex);
  }

  /**
   * The first entry of `entries` that this log does not already hold with the same term.
   * @returns its position in `entries`, or entries.length when every entry is already held
   */
  findConflict(entries: readonly Entry[]): number {
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i] as Entry;
      if (!this.matchTerm(e.index, e.term)) return i;
    }
    return entries.length;
  }

  /**
   * Fast backtracking: the largest index ≤ `index` whose term is ≤ `term` (the snapshot index when
   * every held entry is newer). Used by both sides of a rejected AppendEntries.
   */
  findConflictByTerm(index: number, term: number): number {
    let i = Math.min(index, this.lastIndex);
    while (i > this.snapshotMeta.index) {
      const t = this.term(i) as number;
      if (t <= term) return i;
      i--;
    }
    return this.snapshotMeta.index;
  }

  /**
   * Write `entries` (contiguous) starting at entries[0].index, truncating every entry from there on.
   * Never truncates committed entries.
   */
  truncateAndAppend(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = (entries[0] as Entry).index;
    assert(first > this.committed, "truncating committed entries", { first, committed: this.committed });
    assert(first <= this.lastIndex + 1, "gap in the log", { first, lastIndex: this.lastIndex });
    const keep = first - this.snapshotMeta.index - 1;
    const held = this.entries;
    if (held.length !== keep) held.length = keep; // (setting the length is a runtime call: skip it when appending)
    for (let i = 0; i < entries.length; i++) held.push(entries[i] as Entry);
  }

  /** Append one entry at lastIndex + 1. */
  append(entry: Entry): void {
    assert(entry.index === this.lastIndex + 1, "append out of order", { index: entry.index, lastIndex: this.lastIndex });
    this.entries.push(entry);
  }

  /** Advance the commit index (never backwards, never beyond the last entry). */
  commitTo(index: number): boolean {
    if (index <= this.committed) return false;
    assert(index <= this.lastIndex, "commit beyond the last entry", { index, lastIndex: this.lastIndex });
    this.committed = index;
    return true;
  }

  /**
   * Drop every entry up to `snapshot.index` (which must be applied) and remember the snapshot.
   */
  compact(snapshot: SnapshotPayload): void {
    assert(snapshot.index <= this.applied && snapshot.index > this.snapshotMeta.index, "compacting to an index not applied", { index: snapshot.index, applied: this.applied });
    this.entries = this.entries.slice(snapshot.index - this.snapshotMeta.index);
    this.snapshotMeta = snapshot;
  }

  /** Replace the whole log by a snapshot received from the leader (committed and applied up to it). */
  restore(snapshot: SnapshotPayload): void {
    this.entries = [];
    this.snapshotMeta = snapshot;
    this.committed = snapshot.index;
    this.applied = snapshot.index;
  }

  /** @returns a copy of the entries after the snapshot */
  allEntries(): Entry[] {
    return this.entries.slice();
  }
}
