/**
 * Every fixed limit of @synod/raft in one place, with why it has its value (TigerBeetle's
 * `constants.zig` is the model). The relationships between them are asserted at load time below.
 */

/** Heartbeat rounds whose send tick a leader remembers (lease reads). */
export const ROUND_HISTORY = 256;

/** Most not-leader errors a node keeps for reuse (one per leader it knew); the cache restarts beyond. */
export const MAX_CACHED_ERRORS = 64;
