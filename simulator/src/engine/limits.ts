import { assert } from "@synod/core";
import { EVENT_NAMES } from "./event-kind.js";
import { QueueChannels } from "./queue-channels.js";

/**
 * Every limit of the simulator in one place, with the relationships between them asserted when the
 * module loads (TigerBeetle's `constants.zig` is the model). (The byzantine strategies' own bound,
 * `MAX_REPLAY_BUFFER`, stays with them in `byzantine/adversary.ts`.)
 */

/** Largest simulated cluster. */
export const MAX_NODES = 10_000;

/** Most closed-loop clients in one run. */
export const MAX_CLIENTS = 10_000;

/** Default cap on processed events (a run beyond it is runaway: a `limit` error). */
export const DEFAULT_MAX_EVENTS = 50_000_000;

/** Default largest number of events waiting in the queue (a run that exceeds it is runaway). */
export const DEFAULT_MAX_QUEUED_EVENTS = 4_000_000;

/** Largest number of in-order channels an event queue accepts (2 × 8 MiB of channel heads and tails). */
export const MAX_CHANNELS = 1 << 21;

/** Most messages held for a paused node; beyond it they are dropped (counted). */
export const MAX_PAUSE_BUFFER = 100_000;

/** Most fault episodes of one kind in one swarm-generated run ("put a limit on everything"). */
export const MAX_EPISODES_PER_KIND = 200;

/** Reorder hold-back bound, in virtual milliseconds. */
export const REORDER_MAX_MS = 50;

/** Slowest and fastest clock rates a skew episode may set. */
export const CLOCK_RATE_RANGE = [0.1, 10] as const;

/** Most worker threads one batch of seeds starts. */
export const MAX_WORKERS = 64;

// ---- relationships ----------------------------------------------------------------------------

/** Largest value of an event's integer fields: the queue keeps them in an Int32Array. */
const MAX_EVENT_FIELD = 2 ** 31 - 1;

// A run of the largest cluster needs a channel per directed link plus the shared ones; before this
// assertion MAX_CHANNELS was 2^20 and a 1024-node run failed to build its queue.
assert(new QueueChannels(MAX_NODES).count <= MAX_CHANNELS, "the largest cluster's queue channels fit MAX_CHANNELS");
// Event fields hold node indices, client indices, incarnations and invocation ids (at most one per
// event, so fewer than the events of a run).
assert(MAX_NODES <= MAX_EVENT_FIELD && MAX_CLIENTS <= MAX_EVENT_FIELD && DEFAULT_MAX_EVENTS <= MAX_EVENT_FIELD, "event fields fit the queue's Int32 fields");
// The event tail keeps event kinds in a Uint8Array.
assert(EVENT_NAMES.length <= 256, "event kinds fit a byte");
// A resumed node's held messages are queued at once: a full buffer must fit the queue.
assert(MAX_PAUSE_BUFFER < DEFAULT_MAX_QUEUED_EVENTS, "a node's held messages fit the event queue");
// A node's tick interval is tickMs / rate: the rate must stay positive and finite, and include 1.
const [SLOWEST_CLOCK, FASTEST_CLOCK] = CLOCK_RATE_RANGE;
assert(SLOWEST_CLOCK > 0 && SLOWEST_CLOCK <= 1 && 1 <= FASTEST_CLOCK && Number.isFinite(FASTEST_CLOCK), "clock rates are positive, finite and include 1");
// The network counts overlapping partitions per link in a Uint16Array.
assert(MAX_EPISODES_PER_KIND < 2 ** 16, "overlapping partitions of a swarm run fit a link's Uint16 count");
assert(REORDER_MAX_MS > 0 && MAX_WORKERS >= 1, "reordering holds back, and a batch has a worker");
