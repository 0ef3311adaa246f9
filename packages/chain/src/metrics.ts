/** Why a node dropped a peer's message. */
export type ChainRejection = "malformed" | "unknown-sender" | "stale-epoch" | "not-neighbour" | "not-member" | "bad-snapshot";

/** Lifetime counters of a chain node (reset at restart). */
export class ChainMetrics {
  /** Messages dropped, by reason (every peer message that is not handled is counted here). */
  readonly rejected: Record<ChainRejection, number> = {
    malformed: 0,
    "unknown-sender": 0,
    "stale-epoch": 0,
    "not-neighbour": 0,
    "not-member": 0,
    "bad-snapshot": 0,
  };
  /** Writes ordered by this node as head. */
  ordered = 0;
  /** Writes this node committed as the tail (and answered). */
  committedAsTail = 0;
  /** Writes appended from a predecessor. */
  appended = 0;
  /** Writes re-sent to a successor (retransmissions and the re-send after a reconfiguration). */
  resent = 0;
  /** Snapshots sent to a successor behind this node's commit point, and installed from a predecessor. */
  snapshotsSent = 0;
  snapshotsInstalled = 0;
  /** Configurations adopted, and configuration changes this node proposed as master. */
  configurations = 0;
  proposals = 0;
  /** Strong reads answered from this node's own clean version, after a version query, and at the tail. */
  cleanReads = 0;
  dirtyReads = 0;
  tailReads = 0;
  /** Reads answered without a confirmation (eventual and bounded consistency). */
  weakReads = 0;
  /** Confirmation rounds this node started (each covers every strong read waiting). */
  confirmRounds = 0;
  /** Version queries this node answered as the tail. */
  versionQueriesAnswered = 0;

  /** Count a dropped message. */
  reject(reason: ChainRejection): void {
    this.rejected[reason]++;
  }

  /** Messages dropped, all reasons. */
  get rejectedTotal(): number {
    let total = 0;
    for (const n of Object.values(this.rejected)) total += n;
    return total;
  }
}
