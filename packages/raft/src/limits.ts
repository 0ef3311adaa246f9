import { assert } from "@synod/core";

/**
 * The ceilings of every number that grows in a Raft node, in one place. JavaScript numbers are exact
 * integers only up to 2^53 − 1, so each ceiling sits far below it: arithmetic near a ceiling (a term
 * plus one, an index plus a batch) stays exact, and a peer's claim above a ceiling is refused by the
 * message schema before the node sees it.
 *
 * What happens at each ceiling (see also term-ceiling.ts):
 * - a term: a node at {@link MAX_TERM} never campaigns again and raises one alarm; terms above it are
 *   malformed. A message may raise a node's term by at most {@link MAX_TERM_LEAP}, so reaching the
 *   ceiling takes 2^24 forged messages, not one.
 * - an index: a leader refuses proposals and membership changes ("log-full") once its log reaches
 *   {@link MAX_PROPOSED_INDEX}; the indexes above are left for the no-op entries of later leaders
 *   and the automatic leave-joint entries, so the cluster still elects and serves reads.
 * - counters (heartbeat rounds, ticks, metrics): one per tick or per message; {@link MAX_COUNTER}
 *   is never reached in practice (2^48 ticks of 1 ms are 8,900 years).
 */

/** Largest term a node holds or accepts from a peer: 2^48 (32× below 2^53). */
export const MAX_TERM = 2 ** 48;

/**
 * Largest step by which one message may raise a node's term: 2^24 (16.7 million elections). A real
 * peer is never that far ahead (Pre-Vote keeps a partitioned node's term still); a message claiming
 * more is dropped and counted (`rejected["term-leap"]`). A node lagging that far behind its peers
 * must be wiped and re-added.
 */
export const MAX_TERM_LEAP = 2 ** 24;

/** Largest log index a node holds or accepts from a peer: 2^48 (at a million entries a second, 8.9 years). */
export const MAX_INDEX = 2 ** 48;

/** Indexes kept above {@link MAX_PROPOSED_INDEX} for entries a cluster appends by itself (leader no-ops, leave-joint). */
export const INDEX_RESERVE = 2 ** 20;

/** Last index a proposal may occupy; beyond it a leader refuses proposals with reason "log-full". */
export const MAX_PROPOSED_INDEX = MAX_INDEX - INDEX_RESERVE;

/** Largest value of a counter carried in messages (heartbeat rounds). */
export const MAX_COUNTER = 2 ** 48;

// ---- sizes: entries, messages, durable records -------------------------------------------------

/** Largest payload of one entry on the wire and on disk, in bytes (a node's `maxEntryBytes` may be lower). */
export const MAX_ENTRY_BYTES_WIRE = 1 << 20;
/** Largest number of voters or learners in a configuration. */
export const MAX_MEMBERS = 256;
/** Largest number of entries in one AppendEntries message on the wire. */
export const MAX_ENTRIES_PER_MESSAGE_WIRE = 10_000;
/** Largest application snapshot carried by one InstallSnapshot message, in bytes. */
export const MAX_SNAPSHOT_BYTES = 1 << 20;
/** Largest encoded Raft message the codec accepts: 2 MiB. */
export const MAX_MESSAGE_BYTES = 2 << 20;
/** Largest `maxBytesPerMessage` a configuration may set. */
export const MAX_CONFIG_BYTES_PER_MESSAGE = 1 << 20;
/** Most entries in one `entries` durable record. */
export const MAX_ENTRIES_PER_RECORD = MAX_ENTRIES_PER_MESSAGE_WIRE * 10;
/** Largest encoded durable record the record codec decodes: 16 MiB. */
export const MAX_RECORD_BYTES = 16 << 20;
/**
 * Bytes of entries (payloads plus per-entry framing, {@link recordEntryBytes}) in one `entries`
 * record: a node splits what it persists into records of at most this much (one entry always fits).
 */
export const ENTRIES_RECORD_BUDGET_BYTES = 8 << 20;

/** Upper bound of an entry's fixed fields in a durable record: kind, term, index, payload length (≤ 18 bytes). */
export const RECORD_ENTRY_OVERHEAD_BYTES = 32;
/** Upper bound of one node id in a durable record: length prefix (2) and 64 UTF-16 units as UTF-8 (≤ 3 bytes each). */
export const RECORD_ID_BYTES = 2 + 64 * 3;
/** Upper bound of one entry's framing in a msgpack message (field names, term, index, byte-string header). */
export const MESSAGE_ENTRY_OVERHEAD_BYTES = 64;
/** Upper bound of a message's fields besides its entries or snapshot data (terms, indexes, framing). */
export const MESSAGE_FIXED_BYTES = 256;

/** The limits above, as one value (what {@link checkLimits} checks). */
export interface RaftLimits {
  readonly maxEntryBytesWire: number;
  readonly maxMembers: number;
  readonly maxEntriesPerMessageWire: number;
  readonly maxSnapshotBytes: number;
  readonly maxMessageBytes: number;
  readonly maxConfigBytesPerMessage: number;
  readonly maxEntriesPerRecord: number;
  readonly maxRecordBytes: number;
  readonly entriesRecordBudgetBytes: number;
}

/** The limits in force. */
export const RAFT_LIMITS: RaftLimits = Object.freeze({
  maxEntryBytesWire: MAX_ENTRY_BYTES_WIRE,
  maxMembers: MAX_MEMBERS,
  maxEntriesPerMessageWire: MAX_ENTRIES_PER_MESSAGE_WIRE,
  maxSnapshotBytes: MAX_SNAPSHOT_BYTES,
  maxMessageBytes: MAX_MESSAGE_BYTES,
  maxConfigBytesPerMessage: MAX_CONFIG_BYTES_PER_MESSAGE,
  maxEntriesPerRecord: MAX_ENTRIES_PER_RECORD,
  maxRecordBytes: MAX_RECORD_BYTES,
  entriesRecordBudgetBytes: ENTRIES_RECORD_BUDGET_BYTES,
});

/**
 * The relationships between the limits: each one a writer relies on so that what it writes can be
 * read back (a record the decoder refuses is a halted node; a message the codec refuses is lost).
 * @returns a sentence per broken relationship (empty: they all hold)
 */
export function checkLimits(l: RaftLimits): string[] {
  const broken: string[] = [];
  const confBytes = (lists: number): number => lists * (2 + l.maxMembers * RECORD_ID_BYTES);
  const need = (holds: boolean, what: string): void => {
    if (!holds) broken.push(what);
  };
  need(l.maxEntryBytesWire + RECORD_ENTRY_OVERHEAD_BYTES <= l.entriesRecordBudgetBytes, "an entry of maxEntryBytesWire does not fit the entries-record budget");
  need(RECORD_ENTRY_OVERHEAD_BYTES + confBytes(2) <= l.entriesRecordBudgetBytes, "a conf entry with maxMembers voters and learners does not fit the entries-record budget");
  need(l.entriesRecordBudgetBytes + l.maxEntryBytesWire + 16 <= l.maxRecordBytes, "an entries record at its budget plus one entry does not fit maxRecordBytes");
  need(l.maxSnapshotBytes + confBytes(3) + 32 <= l.maxRecordBytes, "a snapshot of maxSnapshotBytes does not fit a durable record (maxRecordBytes)");
  need(l.maxSnapshotBytes + confBytes(3) + MESSAGE_FIXED_BYTES <= l.maxMessageBytes, "a snapshot of maxSnapshotBytes does not fit a message (maxMessageBytes)");
  need(
    Math.max(l.maxConfigBytesPerMessage, l.maxEntryBytesWire) + l.maxEntriesPerMessageWire * MESSAGE_ENTRY_OVERHEAD_BYTES + MESSAGE_FIXED_BYTES <= l.maxMessageBytes,
    "an append of maxBytesPerMessage (or one entry of maxEntryBytesWire) in maxEntriesPerMessageWire entries does not fit a message (maxMessageBytes)",
  );
  need(l.maxEntriesPerMessageWire <= l.maxEntriesPerRecord, "a message's entries do not fit one record's count (maxEntriesPerRecord)");
  return broken;
}

const brokenLimits = checkLimits(RAFT_LIMITS);
assert(brokenLimits.length === 0, `raft limits do not fit together: ${brokenLimits.join("; ")}`);

// ---- bookkeeping -----------------------------------------------------------------------------

/** Heartbeat rounds whose send tick a leader remembers (lease reads). */
export const ROUND_HISTORY = 256;

/** Most not-leader errors a node keeps for reuse (one per leader it knew); the cache restarts beyond. */
export const MAX_CACHED_ERRORS = 64;
