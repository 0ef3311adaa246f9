import { SynodError } from "@synod/core";
import type { RaftConfig } from "@synod/raft";
import { MAX_BATCH } from "./limits.js";

/**
 * Where strong reads are served: `"chain"` is chain replication (every read at the tail);
 * `"craq"` apportions reads: any member answers a clean key itself and asks the tail only for the
 * committed version of a dirty key.
 */
export type ChainReadMode = "chain" | "craq";

/** Tunables of a chain node. Times are in ticks. */
export interface ChainConfig {
  /** Where strong reads are served (see {@link ChainReadMode}). */
  readonly mode: ChainReadMode;
  /** Ticks between a node's heartbeats to the configuration master. Smaller: faster detection, more messages. */
  readonly heartbeatTicks: number;
  /**
   * Ticks without a heartbeat after which the master removes a member. Larger: fewer false
   * suspicions under delay and pauses (each costs a reconfiguration and a rejoin); smaller: a dead
   * member stalls writes for less time.
   */
  readonly suspectTicks: number;
  /** Ticks between retransmissions (writes to the successor, acks to the predecessor, submits, confirms). */
  readonly retransmitTicks: number;
  /** Ticks an origin keeps re-submitting a client's write before it gives up (the client has timed out by then). */
  readonly submitTimeoutTicks: number;
  /** Most writes in one append message. */
  readonly maxBatch: number;
  /** Most writes a head holds uncommitted; a write beyond is refused (flow control). */
  readonly maxPendingWrites: number;
  /** Most strong reads waiting at one node (for a confirmation or a version); one beyond is refused. */
  readonly maxPendingReads: number;
  /** Ticks a master waits for a configuration change it proposed before proposing again. */
  readonly proposalTimeoutTicks: number;
  /** Overrides of the configuration group's Raft settings. */
  readonly raft: Partial<RaftConfig>;
}

/** Defaults: CRAQ reads, heartbeats every 3 ticks, suspicion after 30, retransmission every 10. */
export const DEFAULT_CHAIN_CONFIG: ChainConfig = Object.freeze({
  mode: "craq",
  heartbeatTicks: 3,
  suspectTicks: 30,
  retransmitTicks: 10,
  submitTimeoutTicks: 200,
  maxBatch: 64,
  maxPendingWrites: 4096,
  maxPendingReads: 1024,
  proposalTimeoutTicks: 50,
  raft: Object.freeze({ electionTimeoutTicks: 10, heartbeatTicks: 2 }),
});

const POSITIVE = [
  "heartbeatTicks",
  "suspectTicks",
  "retransmitTicks",
  "submitTimeoutTicks",
  "maxBatch",
  "maxPendingWrites",
  "maxPendingReads",
  "proposalTimeoutTicks",
] as const;

/**
 * @returns the defaults overridden by `partial`, checked
 * @throws {SynodError} code `usage` when a count is not a positive integer, the mode is unknown, or
 *   suspicion would fire between two heartbeats
 */
export function resolveChainConfig(partial: Partial<ChainConfig> = {}): ChainConfig {
  const config: ChainConfig = { ...DEFAULT_CHAIN_CONFIG, ...partial };
  for (const key of POSITIVE) {
    const value = config[key];
    if (!Number.isSafeInteger(value) || value < 1) throw new SynodError("usage", `chain config ${key} must be a positive integer, got ${String(value)}`);
  }
  if (config.mode !== "chain" && config.mode !== "craq") {
    throw new SynodError("usage", `chain config mode must be "chain" or "craq", got ${String(config.mode)}`);
  }
  if (config.maxBatch > MAX_BATCH) {
    const why = "a batch of the largest commands must fit one message";
    throw new SynodError("usage", `chain config maxBatch (${config.maxBatch}) must be at most ${MAX_BATCH}: ${why}`);
  }
  // A member is suspected only after missing several heartbeats: one lost heartbeat must not remove it.
  if (config.suspectTicks < 3 * config.heartbeatTicks) {
    throw new SynodError("usage", `chain config suspectTicks (${config.suspectTicks}) must be at least 3 heartbeats (${3 * config.heartbeatTicks} ticks)`);
  }
  return config;
}
