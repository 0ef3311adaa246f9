import { assert } from "@synod/core";
import { kvCommandCodec } from "@synod/raft";

/**
 * The chain's limits in one place, with the relationships between them asserted when this module
 * loads, so that a limit changed alone cannot silently break another.
 */

/** Largest client command in a write, in bytes (a KV command: key, value, expected value). */
export const MAX_COMMAND_BYTES = 64 * 1024;
/** Largest batch of writes in one append on the wire. */
export const MAX_WRITES_WIRE = 1024;
/** Largest KV snapshot carried by one snapshot message (the committed state for a joiner). */
export const MAX_SNAPSHOT_BYTES = 1 << 22;
/** Largest encoded chain message (a snapshot, or a Raft snapshot of the configuration group). */
export const MAX_MESSAGE_BYTES = 8 << 20;
/** Boot ids are drawn below BOOT_RANGE² (2^48): distinct across restarts with overwhelming probability. */
export const BOOT_RANGE = 2 ** 24;

assert(kvCommandCodec.maxBytes <= MAX_COMMAND_BYTES, "every KV command the Raft codec accepts must fit in a write");
assert(MAX_SNAPSHOT_BYTES + MAX_WRITES_WIRE < MAX_MESSAGE_BYTES, "a snapshot message must fit in a message");
/** Bytes of an append's framing around one write's command (seq, origin, tag, msgpack headers), at most. */
export const WRITE_FRAMING_BYTES = 128;
/** Most writes one append may carry whatever their size: a full batch of the largest commands still fits one message. */
export const MAX_BATCH = Math.min(MAX_WRITES_WIRE, Math.floor((MAX_MESSAGE_BYTES - 1024) / (MAX_COMMAND_BYTES + WRITE_FRAMING_BYTES)));
assert(MAX_BATCH >= 1, "an append must carry at least one write of the largest size");
assert(BOOT_RANGE * BOOT_RANGE <= Number.MAX_SAFE_INTEGER, "a boot id is a safe integer");
