import { ConfigError } from "@synod/core";
import {
  MAX_CONFIG_BYTES_PER_MESSAGE,
  MAX_CONFIG_ENTRIES_PER_MESSAGE,
  MAX_CONFIG_ENTRY_BYTES,
  MAX_CONFIG_PROPOSAL_BATCH,
  SNAPSHOT_CHUNK_BYTES,
} from "./limits.js";

/** How a leader serves linearizable reads (see README "Read modes"). */
export type ReadMode = "read-index" | "lease";

/**
 * Raft tuning. Every field is a trade-off; the defaults suit a LAN-like network where a tick is
 * ~10 ms. Validate with {@link validateRaftConfig} (the node does so at construction).
 */
export interface RaftConfig {
  /**
   * Ticks a follower waits without hearing from a leader before it campaigns. The actual timeout is
   * drawn uniformly from [electionTimeoutTicks, 2 × electionTimeoutTicks) at every reset, so that
   * split votes are rare. Larger: fewer spurious elections on slow networks, slower fail-over.
   * Must exceed heartbeatTicks (a leader must be heard several times per timeout).
   */
  readonly electionTimeoutTicks: number;
  /**
   * Ticks between leader heartbeats. Smaller: faster commit-index propagation and lease refresh,
   * more idle traffic. Keep it well below electionTimeoutTicks (etcd uses 1:10).
   */
  readonly heartbeatTicks: number;
  /**
   * Pre-Vote (thesis §9.6): a node first asks whether it could win before bumping its term, so a
   * partitioned node that rejoins cannot depose a healthy leader. Costs one extra round trip per
   * election. Recommended on.
   */
  readonly preVote: boolean;
  /**
   * CheckQuorum: a leader that has not heard from a quorum within an election timeout steps down,
   * and followers ignore vote requests while they hear from a leader (leader lease). Needed for
   * lease reads and to bound how long a stale leader believes it leads. Recommended on.
   */
  readonly checkQuorum: boolean;
  /**
   * Largest number of entries in one AppendEntries message. Larger: fewer messages per entry and
   * higher throughput; smaller: less head-of-line blocking and smaller retransmissions.
   */
  readonly maxEntriesPerMessage: number;
  /**
   * Largest total payload (entry data bytes) in one AppendEntries message; at least one entry is
   * always sent. Keeps messages under the codec's limit.
   */
  readonly maxBytesPerMessage: number;
  /**
   * Largest number of unacknowledged AppendEntries messages per follower in the replicate state.
   * Larger: better pipelining on high-latency links; smaller: less wasted work after a rejection.
   */
  readonly maxInflightMessages: number;
  /**
   * Largest number of entries a leader holds beyond its commit index; further proposals are refused
   * (backpressure) until the cluster catches up. Bounds memory when followers are slow.
   */
  readonly maxUncommittedEntries: number;
  /** Largest data payload of one proposed entry, in bytes. */
  readonly maxEntryBytes: number;
  /** Largest number of proposals accepted in one `propose-batch` input. */
  readonly maxProposalBatch: number;
  /**
   * Take a snapshot and compact the log once this many entries were applied since the last one
   * (0 disables snapshots). Smaller: less memory and faster restarts, more snapshot work and more
   * InstallSnapshot traffic to lagging followers.
   */
  readonly snapshotIntervalEntries: number;
  /** How reads are served; "lease" requires checkQuorum and bounded clock drift (see README). */
  readonly readMode: ReadMode;
  /**
   * For lease reads: ticks subtracted from the election timeout to cover clock drift between the
   * leader and the followers. Larger: safer under drift, fewer reads served from the lease.
   */
  readonly leaseSafetyMarginTicks: number;
  /** Largest number of reads waiting for a ReadIndex confirmation or for apply. */
  readonly maxPendingReads: number;
  /**
   * Ticks a leader waits for a follower to acknowledge an InstallSnapshot before probing again.
   * Smaller: faster recovery from a lost snapshot; larger: fewer duplicate snapshot transfers.
   */
  readonly snapshotRetryTicks: number;
  /**
   * Bytes of snapshot data per InstallSnapshot message (at most SNAPSHOT_CHUNK_BYTES, 1 MiB): a
   * snapshot is sent in chunks of this size, up to MAX_SNAPSHOT_CHUNKS_IN_FLIGHT of them
   * unacknowledged. Smaller: finer retransmission; larger: fewer messages.
   */
  readonly snapshotChunkBytes: number;
  /**
   * Adapt the election timeout to the network (Dynatune-style, off by default): the leader measures
   * heartbeat round trips (a smoothed mean and deviation, in ticks) and advertises an election timeout
   * covering two round trips (Pre-Vote, then the vote) plus a heartbeat; followers draw their
   * randomized timeout from it instead of electionTimeoutTicks (never below it, at most 10× it).
   * Leases, CheckQuorum and vote refusals keep electionTimeoutTicks. Each change is an output.
   */
  readonly adaptiveElectionTimeout: boolean;
  /**
   * Batch proposals by queue depth (off by default): the leader measures how many entries a follower
   * has not acknowledged when an acknowledgement comes, and under load holds a proposal back from a
   * follower with a message in flight until half that many are unsent (a power of two, at most
   * maxEntriesPerMessage), or until the next tick. Light load sends at once, as without it. Each
   * change of the target is an output (rules/adaptive-batching.ts).
   */
  readonly adaptiveBatching: boolean;
  /**
   * Largest number of committed entries applied at a time (0, the default: all of them). The apply
   * rule runs before and after every step's rule; with a bound, a node that learns of many committed
   * entries at once (a new leader, a follower back from a partition) applies them over several steps
   * instead of stalling one, as etcd's MaxCommittedSizePerReady does. Reads wait until their read
   * index is applied. Smaller: shorter steps; larger: less time between commit and apply.
   */
  readonly maxApplyPerStep: number;
  /**
   * Skip the proposal-time check of a membership change against the leader's configuration (off by
   * default), as etcd's DisableConfChangeValidation (etcd-io/raft#81): with it on, a leader accepts
   * a change while another is still in progress — not yet applied, or the cluster still joint — and
   * only the new members themselves are validated. That check is best effort anyway: a configuration
   * takes effect when applied, and the leader's applied configuration may trail its log (etcd-io/raft#80).
   * What keeps the sequence of configurations sound either way is the validation when the entry is
   * applied: an `enter-joint` applied while joint, or a `leave-joint` while not, is ignored (a
   * `conf` output with `rejected`), so every node moves only C → C(new, old) → new.
   */
  readonly disableConfChangeValidation: boolean;
}

/** The defaults: 10-tick election timeout, 1-tick heartbeat, Pre-Vote and CheckQuorum on, ReadIndex reads. */
export const DEFAULT_RAFT_CONFIG: RaftConfig = Object.freeze({
  electionTimeoutTicks: 10,
  heartbeatTicks: 1,
  preVote: true,
  checkQuorum: true,
  maxEntriesPerMessage: 256,
  maxBytesPerMessage: 512 * 1024,
  maxInflightMessages: 256,
  maxUncommittedEntries: 10_000,
  maxEntryBytes: 64 * 1024,
  maxProposalBatch: 1024,
  snapshotIntervalEntries: 1000,
  readMode: "read-index",
  leaseSafetyMarginTicks: 2,
  maxPendingReads: 4096,
  snapshotRetryTicks: 20,
  snapshotChunkBytes: SNAPSHOT_CHUNK_BYTES,
  adaptiveElectionTimeout: false,
  adaptiveBatching: false,
  maxApplyPerStep: 0,
  disableConfChangeValidation: false,
});

function requireInt(field: keyof RaftConfig, value: unknown, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(field, `must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
}

/**
 * Fill in defaults and validate a configuration.
 * @param partial - fields to override
 * @returns a complete, valid configuration
 * @throws {ConfigError} naming the first invalid field and the accepted range
 * @example const config = validateRaftConfig({ electionTimeoutTicks: 20, heartbeatTicks: 2 });
 */
export function validateRaftConfig(partial: Partial<RaftConfig> = {}): RaftConfig {
  const c: RaftConfig = { ...DEFAULT_RAFT_CONFIG, ...partial };
  requireInt("electionTimeoutTicks", c.electionTimeoutTicks, 2, 1_000_000);
  requireInt("heartbeatTicks", c.heartbeatTicks, 1, 1_000_000);
  if (c.heartbeatTicks >= c.electionTimeoutTicks) {
    throw new ConfigError("heartbeatTicks", `must be below electionTimeoutTicks (${c.electionTimeoutTicks}), got ${c.heartbeatTicks}`);
  }
  if (typeof c.preVote !== "boolean") throw new ConfigError("preVote", "must be a boolean");
  if (typeof c.checkQuorum !== "boolean") throw new ConfigError("checkQuorum", "must be a boolean");
  requireInt("maxEntriesPerMessage", c.maxEntriesPerMessage, 1, MAX_CONFIG_ENTRIES_PER_MESSAGE);
  requireInt("maxBytesPerMessage", c.maxBytesPerMessage, 1, MAX_CONFIG_BYTES_PER_MESSAGE);
  requireInt("maxInflightMessages", c.maxInflightMessages, 1, 65_536);
  requireInt("maxUncommittedEntries", c.maxUncommittedEntries, 1, 10_000_000);
  requireInt("maxEntryBytes", c.maxEntryBytes, 1, MAX_CONFIG_ENTRY_BYTES);
  requireInt("maxProposalBatch", c.maxProposalBatch, 1, MAX_CONFIG_PROPOSAL_BATCH);
  requireInt("snapshotIntervalEntries", c.snapshotIntervalEntries, 0, 100_000_000);
  if (c.readMode !== "read-index" && c.readMode !== "lease") throw new ConfigError("readMode", `must be "read-index" or "lease", got ${String(c.readMode)}`);
  if (c.readMode === "lease" && !c.checkQuorum) throw new ConfigError("readMode", `"lease" needs checkQuorum: true (a leader must step down when it loses its quorum)`);
  requireInt("leaseSafetyMarginTicks", c.leaseSafetyMarginTicks, 0, c.electionTimeoutTicks - 1);
  requireInt("maxPendingReads", c.maxPendingReads, 1, 1_000_000);
  requireInt("snapshotRetryTicks", c.snapshotRetryTicks, 1, 1_000_000);
  requireInt("snapshotChunkBytes", c.snapshotChunkBytes, 1, SNAPSHOT_CHUNK_BYTES);
  if (typeof c.adaptiveElectionTimeout !== "boolean") throw new ConfigError("adaptiveElectionTimeout", "must be a boolean");
  if (typeof c.adaptiveBatching !== "boolean") throw new ConfigError("adaptiveBatching", "must be a boolean");
  requireInt("maxApplyPerStep", c.maxApplyPerStep, 0, 100_000_000);
  if (typeof c.disableConfChangeValidation !== "boolean") throw new ConfigError("disableConfChangeValidation", "must be a boolean");
  return Object.freeze(c);
}
