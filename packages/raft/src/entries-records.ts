import type { ConfChange, Entry } from "./entry.js";
import { ENTRIES_RECORD_BUDGET_BYTES, MAX_ENTRIES_PER_RECORD, RECORD_ENTRY_OVERHEAD_BYTES, RECORD_ID_BYTES } from "./limits.js";
import type { RaftRecord } from "./records.js";

function changeBytes(change: ConfChange): number {
  return change.kind === "leave-joint" ? 1 : 1 + 4 + (change.voters.length + change.learners.length) * RECORD_ID_BYTES;
}

/** @returns an upper bound of the bytes `entry` takes in an `entries` durable record */
export function recordEntryBytes(entry: Entry): number {
  return RECORD_ENTRY_OVERHEAD_BYTES + (entry.type === "normal" ? entry.data.length : changeBytes(entry.change));
}

/**
 * The entries-record rule: entries are persisted in `entries` records of at most
 * {@link MAX_ENTRIES_PER_RECORD} entries and {@link ENTRIES_RECORD_BUDGET_BYTES} bytes of entries
 * each (one entry always fits, see `checkLimits`), so every record a node writes decodes again.
 * A list that fits one record is shared, not copied (records and messages are never mutated).
 * @param entries - consecutive entries, in order
 * @param push - receives each record, in order
 */
export function pushEntriesRecords(entries: readonly Entry[], push: (record: RaftRecord) => void): void {
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < entries.length; i++) {
    const size = recordEntryBytes(entries[i] as Entry);
    if (i > start && (bytes + size > ENTRIES_RECORD_BUDGET_BYTES || i - start >= MAX_ENTRIES_PER_RECORD)) {
      push({ type: "entries", entries: entries.slice(start, i) });
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (entries.length > start) push({ type: "entries", entries: start === 0 ? entries : entries.slice(start) });
}
