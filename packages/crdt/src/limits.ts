import { assert } from "@synod/core";

/**
 * Every limit of @synod/crdt in one place, with the relationships between them asserted when the
 * module loads (TigerBeetle's `constants.zig` is the model). Decode limits bound what a peer's bytes
 * may make a replica allocate; the relationships make sure that everything a replica may create
 * locally is something its peers (and its own recovery) accept.
 */

// ---- causality and dot stores -------------------------------------------------------------------

/** Largest version vector or dot cloud accepted on decode (replicas / out-of-order dots). */
export const MAX_CONTEXT_ENTRIES = 10_000;
/** Largest dot store (dots, or map entries) accepted on decode. */
export const MAX_DOT_STORE_ENTRIES = 100_000;
/** Longest key of a dot map (OR-Set elements, OR-Map keys) accepted on decode. */
export const MAX_KEY_LENGTH = 1024;

// ---- state-based types ------------------------------------------------------------------------

/** Largest G-Counter (replicas with a count) accepted on decode. */
export const MAX_COUNTER_REPLICAS = 10_000;
/** Largest G-Set / 2P-Set half accepted on decode. */
export const MAX_SET_ELEMENTS = 100_000;
/** Longest G-Set / 2P-Set element. */
export const MAX_ELEMENT_LENGTH = 1024;
/** How far ahead of our own tick count a received HLC timestamp may be (default of `HybridLogicalClock`). */
export const DEFAULT_HLC_MAX_AHEAD_TICKS = 1_000_000;

// ---- RGA text ---------------------------------------------------------------------------------

/** Largest number of inserts or deletes in one decoded delta. */
export const MAX_RGA_DELTA_ENTRIES = 100_000;
/** Longest text of one decoded insert, in UTF-16 code units. */
export const MAX_RGA_INSERT_LENGTH = 1 << 20;
/** Largest encoded RGA delta (`rgaDeltaCodec`). */
export const MAX_RGA_DELTA_BYTES = 16 << 20;
/** Most replicas in a whole document's wire form. */
export const MAX_RGA_REPLICAS = 100_000;
/** Largest whole document: its run table, its text, its encoding (`rgaStateCodec`) and each column it inflates to. */
export const MAX_RGA_DOCUMENT_BYTES = 64 << 20;
/** Most runs in one leaf of the RGA's B-tree before it splits. */
export const MAX_LEAF_RUNS = 16;
/** Most children of one inner node of the RGA's B-tree before it splits. */
export const MAX_INNER_CHILDREN = 32;

// ---- the replica node and its simulation --------------------------------------------------------

/** Longest element a client operation adds to or removes from the document's OR-Set. */
export const MAX_DOCUMENT_ELEMENT_LENGTH = 1024;
/** Longest text a client operation inserts into the document's RGA. */
export const MAX_DOCUMENT_INSERT_LENGTH = 4096;
/** Largest magnitude of one counter increment, and most characters one delete removes. */
export const MAX_DOCUMENT_OP_AMOUNT = 1_000_000;
/** Most local operations a checkpoint record carries. */
export const MAX_CHECKPOINT_LOCAL_OPS = 100_000;
/** Longest read-only reason kept in a checkpoint, in characters. */
export const MAX_READ_ONLY_REASON_LENGTH = 1024;
/** Largest encoded replica message (`crdtSimulation.messageCodec`). */
export const MAX_REPLICA_MESSAGE_BYTES = 4 << 20;
/** Largest encoded replica record (`crdtSimulation.recordCodec`). */
export const MAX_REPLICA_RECORD_BYTES = 4 << 20;

// ---- relationships ----------------------------------------------------------------------------

/** Most UTF-8 bytes one UTF-16 code unit takes (a surrogate pair: 4 bytes for 2 units). */
const UTF8_BYTES_PER_CODE_UNIT = 3;

// A client's insert becomes one RGA insert: it must be one its peers decode.
assert(MAX_DOCUMENT_INSERT_LENGTH <= MAX_RGA_INSERT_LENGTH, "a client insert is a valid RGA insert");
// A client's OR-Set element is a dot-map key on the wire: peers must accept it.
assert(MAX_DOCUMENT_ELEMENT_LENGTH <= MAX_KEY_LENGTH, "a client element is a valid dot-map key");
// One insert at its limit, as UTF-8 in msgpack, fits one encoded delta: a replica's largest single
// edit can always be shipped.
assert(UTF8_BYTES_PER_CODE_UNIT * MAX_RGA_INSERT_LENGTH < MAX_RGA_DELTA_BYTES, "one insert at its limit fits an encoded RGA delta");
assert(MAX_RGA_DELTA_BYTES <= MAX_RGA_DOCUMENT_BYTES, "a document holds at least what one delta does");
// A replica checkpoints what it received: a full state that arrived in a message at its limit must
// fit a record, or the replica would write a checkpoint its own recovery refuses.
assert(MAX_REPLICA_MESSAGE_BYTES <= MAX_REPLICA_RECORD_BYTES, "a state received in one message fits one checkpoint record");
// A causal type's context holds one entry per replica: it must admit as many replicas as a counter.
assert(MAX_COUNTER_REPLICAS <= MAX_CONTEXT_ENTRIES, "a context admits as many replicas as a counter");
// Splitting a B-tree node of MAX + 1 entries in halves must leave both halves non-empty and below MAX.
assert(MAX_LEAF_RUNS >= 2 && MAX_INNER_CHILDREN >= 2, "a split B-tree node leaves two non-empty halves");
