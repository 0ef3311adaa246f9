import type { NodeId } from "@synod/core";

/** Why a replica dropped a message without letting it change its state. */
export const REJECT_REASONS = [
  "malformed",
  "unknown-sender",
  "bad-signature",
  "bad-mac",
  "bad-digest",
  "wrong-view",
  "out-of-window",
  "not-primary",
  "conflict",
  "invalid-certificate",
  "rate-limited",
  "bad-share",
  "bad-threshold-signature",
  "invalid-evidence",
] as const;

/** One of {@link REJECT_REASONS}, or `stale`: a late copy of a message for a view or sequence number already left behind (benign; counted apart, never against the peer). */
export type RejectReason = (typeof REJECT_REASONS)[number] | "stale";

/** Most peers whose rejected messages are counted one by one (the rest are counted together). */
export const MAX_COUNTED_PEERS = 1024;

/** Counters of a replica (for the current lifetime of the node object). */
export class PbftMetrics {
  /** Messages dropped, by reason. */
  readonly rejected: Record<RejectReason, number> = Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>;
  /** Messages dropped, by the peer that sent them. */
  readonly rejectedByPeer = new Map<NodeId, number>();
  /** Sequence numbers executed. */
  executedBatches = 0;
  /** Requests executed (not counting duplicates). */
  executedRequests = 0;
  /** View changes started. */
  viewChanges = 0;
  /** View changes started because the primary ordered too slowly (`ordering-pace.ts`). */
  slowPrimaryViewChanges = 0;
  /** New views installed. */
  newViews = 0;
  /** Checkpoints that became stable here. */
  stableCheckpoints = 0;
  /** `threshold` certificate mode: checkpoint certificates combined here from a quorum of shares. */
  thresholdCertificates = 0;
  /** `threshold` certificates with `signatures` authentication: prepared certificates combined here from a quorum of shares. */
  thresholdPrepared = 0;
  /** States restored from a peer. */
  stateTransfers = 0;
  /** Conflicting pre-prepares seen from a primary (same view and sequence, different digest). */
  equivocations = 0;
  /** Replicas proven faulty here by misbehaviour evidence (found here or forwarded). */
  provenFaulty = 0;
  /** Peers' checkpoints and view-changes forwarded as disputed (first sends), and disputes sent again to a peer that had not acknowledged. */
  disputesForwarded = 0;
  disputesResent = 0;

  /** As proxy: read-only requests completed on 2f+1 matching replies, and those retried through the ordered path. */
  readOnlyCompleted = 0;
  readOnlyFallbacks = 0;
  /** Exceptions thrown while handling a message (this replica's bugs, never counted against the peer). */
  internalErrors = 0;

  /** Late messages for a view or sequence number already left behind, dropped. */
  ignoredStale = 0;

  /** Count a dropped message. */
  reject(reason: RejectReason, from: NodeId): void {
    if (reason === "stale") {
      this.ignoredStale++;
      return;
    }
    this.rejected[reason]++;
    const key = this.rejectedByPeer.has(from) || this.rejectedByPeer.size < MAX_COUNTED_PEERS ? from : "(others)";
    this.rejectedByPeer.set(key, (this.rejectedByPeer.get(key) ?? 0) + 1);
  }

  /** @returns the total of dropped messages */
  get rejectedTotal(): number {
    let total = 0;
    for (const reason of REJECT_REASONS) total += this.rejected[reason];
    return total;
  }
}
