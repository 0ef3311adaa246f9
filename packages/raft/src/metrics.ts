/** Why an incoming message was rejected (counted, then dropped). */
export type RejectReason =
  | "stale-term"
  | "unknown-sender"
  | "malformed"
  | "out-of-range"
  | "in-lease"
  | "unexpected"
  | "halted"
  /** The message's term is more than MAX_TERM_LEAP above ours (limits.ts). */
  | "term-leap";

/** Counters a node keeps for its lifetime (reset at restart). */
export interface RaftMetrics {
  /** Times this node became leader. */
  leaderElections: number;
  /** Entries this node applied (committed entries output). */
  appliedEntries: number;
  /** Reads this node, leading, accepted on its lease without a heartbeat round (readMode "lease"). */
  leaseReads: number;
  /** Messages sent. */
  messagesSent: number;
  /** Messages received and accepted. */
  messagesReceived: number;
  /** Rejected messages by reason. */
  readonly rejected: Record<RejectReason, number>;
  /** Snapshots taken locally. */
  snapshotsTaken: number;
  /** Snapshots installed from a leader. */
  snapshotsInstalled: number;
  /** Snapshot chunks sent (InstallSnapshot messages, re-sent ones included). */
  snapshotChunksSent: number;
  /** Snapshots skipped because the state machine's snapshot exceeded MAX_SNAPSHOT_BYTES (the log is kept). */
  snapshotsTooLarge: number;
  /** Times this node stopped attempting snapshots, after MAX_SNAPSHOT_ATTEMPTS too large in a row (until a `compact` request). */
  snapshotsStopped: number;
}

/** @returns zeroed counters */
export function newRaftMetrics(): RaftMetrics {
  return {
    leaderElections: 0,
    appliedEntries: 0,
    leaseReads: 0,
    messagesSent: 0,
    messagesReceived: 0,
    rejected: { "stale-term": 0, "unknown-sender": 0, malformed: 0, "out-of-range": 0, "in-lease": 0, unexpected: 0, halted: 0, "term-leap": 0 },
    snapshotsTaken: 0,
    snapshotsInstalled: 0,
    snapshotChunksSent: 0,
    snapshotsTooLarge: 0,
    snapshotsStopped: 0,
  };
}
