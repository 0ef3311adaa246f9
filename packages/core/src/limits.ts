import { assert } from "./errors.js";

/**
 * Every limit of @synod/core in one place, with the relationships between them asserted when the
 * module loads (TigerBeetle's `constants.zig` is the model): a change that breaks one fails at
 * import, in every test, instead of in the one run that reaches the edge.
 */

/** Largest accepted length of a `NodeId`, in UTF-16 code units. */
export const MAX_NODE_ID_LENGTH = 64;

/** Largest accepted seed (seeds are non-negative safe integers). */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** Default largest encoded message (or record) a codec accepts: 1 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

/** Default longest `s.string()`, in UTF-16 code units. */
export const DEFAULT_MAX_STRING_LENGTH = 4096;

/** Default longest `s.bytes()`. */
export const DEFAULT_MAX_BYTES_LENGTH = 1 << 20;

/** Default most items of an `s.array()`. */
export const DEFAULT_MAX_ARRAY_LENGTH = 10_000;

/** Default most entries of an `s.record()`. */
export const DEFAULT_MAX_RECORD_ENTRIES = 10_000;

/** Default longest key of an `s.record()`. */
export const DEFAULT_MAX_RECORD_KEY_LENGTH = 256;

/** Longest canonical LEB128 integer (`ByteReader`): 2^53 − 1 needs ⌈53 / 7⌉ = 8 groups of 7 bits. */
export const MAX_UINT_BYTES = 8;

/** Largest payload a durable-log frame can declare: its length field is a u32. */
export const MAX_FRAME_PAYLOAD_BYTES = 2 ** 32 - 1;

// ---- relationships ----------------------------------------------------------------------------

// A record keyed by node ids (vote tables, version vectors) with the default key schema must accept
// every node id.
assert(MAX_NODE_ID_LENGTH <= DEFAULT_MAX_RECORD_KEY_LENGTH, "a node id fits a default record key");
assert(MAX_NODE_ID_LENGTH <= DEFAULT_MAX_STRING_LENGTH, "a node id fits a default string");
// Seeds are folded as two 32-bit halves of a safe integer; the CLI parses them as safe integers.
assert(Number.isSafeInteger(MAX_SEED), "every seed is a safe integer");
// A record a codec accepts at its default limit must be framable for the durable log.
assert(DEFAULT_MAX_MESSAGE_BYTES <= MAX_FRAME_PAYLOAD_BYTES, "a message at the default codec limit fits one durable-log frame");
// A default bytes field must be reachable: a codec at the default limit can hold one at its limit
// only when the codec limit is not the smaller.
assert(DEFAULT_MAX_BYTES_LENGTH <= DEFAULT_MAX_MESSAGE_BYTES, "a default bytes field is no larger than a default message");
// Eight 7-bit groups hold every safe integer, and seven do not: the bound rejects nothing valid and
// a ninth byte is always an error.
assert(7 * MAX_UINT_BYTES >= 53 && 7 * (MAX_UINT_BYTES - 1) < 53, "MAX_UINT_BYTES is exactly the groups of 2^53 − 1");
