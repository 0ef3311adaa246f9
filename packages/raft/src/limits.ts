import { assert, MAX_NODE_ID_LENGTH } from "@synod/core";
import { MAX_QUORUM_MEMBERS } from "@synod/quorum";

/**
 * Every fixed limit of @synod/raft in one place, each with why it has its value, and the
 * relationships between them asserted when this module loads (TigerBeetle's `constants.zig` is the
 * model): a limit changed on one side of a relationship fails every test at once instead of
 * producing, say, a durable record that its own decoder refuses.
 */

// ---------------------------------------------------------------- ceilings of growing numbers
// JavaScript numbers are exact integers only up to 2^53 − 1, so each ceiling sits far below it:
// arithmetic near a ceiling (a term plus one, an index plus a batch) stays exact, and a peer's claim
// above a ceiling is refused by the message schema before the node sees it (see term-ceiling.ts).
// - a term: a node at MAX_TERM never campaigns again and raises one alarm; terms above it are
//   malformed. A message may raise a node's term by at most MAX_TERM_LEAP, so reaching the ceiling
//   takes 2^24 forged messages, not one.
// - an index: a leader refuses proposals and membership changes ("log-full") once its log reaches
//   MAX_PROPOSED_INDEX; the indexes above are left for later leaders' no-op entries and the
//   automatic leave-joint entries, so the cluster still elects and serves reads.
// - counters (heartbeat rounds): MAX_COUNTER is never reached in practice (2^48 ticks of 1 ms are 8,900 years).

/** Largest term a node holds or accepts from a peer: 2^48 (32× below 2^53). */
export const MAX_TERM = 2 ** 48;
/**
 * Largest step by which one message may raise a node's term: 2^24. A real peer is never that far
 * ahead (Pre-Vote keeps a partitioned node's term still); a message claiming more is dropped and
 * counted (`rejected["term-leap"]`). A node lagging that far behind must be wiped and re-added.
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

// ---------------------------------------------------------------- members and entries

/** Largest number of voters or learners in a configuration (each half of a joint one). */
export const MAX_MEMBERS = 256;
/** Largest payload of one entry on the wire, in bytes (the node's configured limit may be lower). */
export const MAX_ENTRY_BYTES_WIRE = 1 << 20;

// ---------------------------------------------------------------- messages

/** Largest number of entries in one AppendEntries message on the wire. */
export const MAX_ENTRIES_PER_MESSAGE_WIRE = 10_000;
/** Largest encoded message (the message codec's limit): a full snapshot chunk or AppendEntries plus framing. */
export const MAX_MESSAGE_BYTES = 2 << 20;

// ---------------------------------------------------------------- snapshots

/**
 * Largest application snapshot, in bytes: 1 GiB. A snapshot travels in chunks and is stored in
 * chunk records, so neither a message nor a record bounds it; what does is memory: the state
 * machine's `snapshot()` and `restore()` take the whole state as one Uint8Array, and a follower
 * holds the received chunks and then their concatenation (twice the size, briefly). 1 GiB lets a
 * state machine of hundreds of MiB work with room to spare, and stays far below V8's largest typed
 * array (2^32 − 1 bytes in Node 20) and a durable frame's u32 length. Over it, the node keeps its
 * log and raises an alarm (snapshot-backoff.ts).
 */
export const MAX_SNAPSHOT_BYTES = 1 << 30;
/**
 * Largest chunk of snapshot data in one InstallSnapshot message on the wire: 1 MiB, so that a chunk
 * and its framing fit a message with the same room as a full AppendEntries. The node's configured
 * chunk size (snapshotChunkBytes) may be lower.
 */
export const SNAPSHOT_CHUNK_BYTES = 1 << 20;
/**
 * Most chunks a leader sends one follower before it acknowledges the first: a window of 4 MiB at
 * most, enough to keep a link busy without queueing a whole snapshot in the transport.
 */
export const MAX_SNAPSHOT_CHUNKS_IN_FLIGHT = 4;
/** Largest chunk of snapshot data in one durable `snapshotChunk` record: 8 MiB (a record is ≤ MAX_RECORD_BYTES). */
export const SNAPSHOT_RECORD_CHUNK_BYTES = 8 << 20;
/**
 * Attempts at a snapshot over {@link MAX_SNAPSHOT_BYTES}, spaced 1, 2, 4, … snapshot intervals
 * apart, before a node stops trying until an operator asks (a `compact` request): a state that
 * large rarely shrinks, and each attempt serialises all of it.
 */
export const MAX_SNAPSHOT_ATTEMPTS = 8;

// ---------------------------------------------------------------- durable records

/** Most entries in one `entries` record a node accepts when reading (it writes at most MAX_ENTRIES_PER_MESSAGE_WIRE). */
export const MAX_ENTRIES_PER_RECORD = MAX_ENTRIES_PER_MESSAGE_WIRE * 10;
/** Largest encoded record the record decoder accepts. */
export const MAX_RECORD_BYTES = 16 << 20;
/**
 * Most bytes of entries (payload plus framing, see {@link recordEntryBytes}) a node writes in one
 * `entries` record; longer lists are split (persistence.ts). Without it a leader's batch of
 * maxProposalBatch entries of maxEntryBytes (1,024 × 64 KiB by default) made a 64 MiB record the
 * decoder refuses at the next start.
 */
export const MAX_RECORD_ENTRY_BYTES = 8 << 20;
/** Upper bound of a normal entry's framing in a record: kind (1), term and index (≤ 8 each as LEB128), data length (≤ 3). */
export const RECORD_ENTRY_FRAMING_BYTES = 20;
/** Upper bound of one encoded member id: its length (≤ 2) and its UTF-8 bytes (≤ 3 per UTF-16 unit). */
export const MAX_ENCODED_ID_BYTES = 2 + 3 * MAX_NODE_ID_LENGTH;
/** Upper bound of an encoded configuration (voters, outgoing, learners) or conf change (voters, learners). */
export const MAX_ENCODED_CONF_BYTES = 3 * (3 + MAX_MEMBERS * MAX_ENCODED_ID_BYTES);
/** Upper bound of one conf-change entry in a record. */
export const MAX_RECORD_CONF_ENTRY_BYTES = RECORD_ENTRY_FRAMING_BYTES + 1 + MAX_ENCODED_CONF_BYTES;
/** Upper bound of a record's header: format version, tag, entry count. */
export const RECORD_HEADER_BYTES = 1 + 1 + 3;
/** Member ids the record decoder interns (one string per distinct id); the table restarts beyond. */
export const MAX_INTERNED_IDS = 4096;

/** @returns an upper bound of the bytes `entry` takes in an `entries` record */
export function recordEntryBytes(entry: { readonly type: "normal"; readonly data: Uint8Array } | { readonly type: "conf" }): number {
  return entry.type === "normal" ? entry.data.length + RECORD_ENTRY_FRAMING_BYTES : MAX_RECORD_CONF_ENTRY_BYTES;
}

// ---------------------------------------------------------------- configuration ranges (config.ts)

/** Most a node may be configured to put in one AppendEntries (maxEntriesPerMessage). */
export const MAX_CONFIG_ENTRIES_PER_MESSAGE = 10_000;
/** Most payload bytes a node may be configured to put in one AppendEntries (maxBytesPerMessage). */
export const MAX_CONFIG_BYTES_PER_MESSAGE = 1 << 20;
/** Largest configurable entry payload (maxEntryBytes). */
export const MAX_CONFIG_ENTRY_BYTES = 1 << 20;
/** Largest configurable proposal batch (maxProposalBatch). */
export const MAX_CONFIG_PROPOSAL_BATCH = 10_000;
/** Upper bound of one entry's framing in a message (msgpack: type, term, index, data header and field names). */
export const MESSAGE_ENTRY_FRAMING_BYTES = 64;

// ---------------------------------------------------------------- node bookkeeping

/** Heartbeat rounds whose send tick a leader remembers (lease reads); an older acknowledged round gives no lease. */
export const ROUND_HISTORY = 256;
/** Most not-leader errors a node keeps for reuse (one per leader it knew); the cache restarts beyond. */
export const MAX_CACHED_ERRORS = 64;

// ---------------------------------------------------------------- what must hold between them

// A node writes the entries of one message as one record: the reader must accept that many.
assert(MAX_ENTRIES_PER_MESSAGE_WIRE <= MAX_ENTRIES_PER_RECORD, "a record must hold a message's entries");
// One entry always fits a record alone (persistence.ts splits before an entry, never inside one).
assert(MAX_ENTRY_BYTES_WIRE + RECORD_ENTRY_FRAMING_BYTES <= MAX_RECORD_ENTRY_BYTES, "a record must hold the largest normal entry");
assert(MAX_RECORD_CONF_ENTRY_BYTES <= MAX_RECORD_ENTRY_BYTES, "a record must hold the largest conf entry");
// Every entries record a node writes, its header included, is one its decoder accepts.
assert(RECORD_HEADER_BYTES + MAX_RECORD_ENTRY_BYTES <= MAX_RECORD_BYTES, "a written entries record must be readable");
// A snapshot record (index, term, configuration, size) and a snapshot chunk record (index, term, offset, data) are readable.
assert(RECORD_HEADER_BYTES + 32 + MAX_ENCODED_CONF_BYTES <= MAX_RECORD_BYTES, "a snapshot record must be readable");
assert(RECORD_HEADER_BYTES + 32 + SNAPSHOT_RECORD_CHUNK_BYTES <= MAX_RECORD_BYTES, "a snapshot chunk record must be readable");
// An InstallSnapshot chunk (its snapshot's index, term, configuration and size, offset, data) fits a message.
assert(SNAPSHOT_CHUNK_BYTES + MAX_ENCODED_CONF_BYTES + 1024 <= MAX_MESSAGE_BYTES, "a snapshot chunk must fit a message");
// The largest snapshot is a typed array V8 can allocate, and its chunk counts stay small integers.
assert(MAX_SNAPSHOT_BYTES < 2 ** 32 - 1 && MAX_SNAPSHOT_BYTES >= SNAPSHOT_RECORD_CHUNK_BYTES && SNAPSHOT_RECORD_CHUNK_BYTES >= SNAPSHOT_CHUNK_BYTES, "snapshot sizes nest");
assert(MAX_SNAPSHOT_CHUNKS_IN_FLIGHT >= 1 && MAX_SNAPSHOT_ATTEMPTS >= 1, "a snapshot can be sent and attempted");
// The configured message limits stay within the wire's: a full AppendEntries is decodable.
assert(MAX_CONFIG_ENTRIES_PER_MESSAGE <= MAX_ENTRIES_PER_MESSAGE_WIRE, "configured entries per message within the wire limit");
assert(MAX_CONFIG_ENTRY_BYTES <= MAX_ENTRY_BYTES_WIRE, "configured entry size within the wire limit");
assert(
  Math.max(MAX_CONFIG_BYTES_PER_MESSAGE, MAX_CONFIG_ENTRY_BYTES) + MAX_CONFIG_ENTRIES_PER_MESSAGE * MESSAGE_ENTRY_FRAMING_BYTES + 1024 <= MAX_MESSAGE_BYTES,
  "a full AppendEntries must fit a message",
);
// @synod/quorum builds a system over each half of every configuration Raft accepts.
assert(MAX_MEMBERS <= MAX_QUORUM_MEMBERS, "every Raft configuration must be a valid quorum system");
assert(ROUND_HISTORY >= 2 && MAX_CACHED_ERRORS >= 1 && MAX_INTERNED_IDS >= 2 * MAX_MEMBERS, "bookkeeping tables must hold a cluster's worth");
assert(MAX_TERM + MAX_TERM_LEAP < Number.MAX_SAFE_INTEGER && MAX_INDEX + INDEX_RESERVE < Number.MAX_SAFE_INTEGER, "ceilings stay far below 2^53");
