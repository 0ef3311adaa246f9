import type { NodeId } from "@synod/core";
import type { Checkpoint, DisputeMessage, EvidenceMessage, ViewChange } from "./messages.js";
import { CHECKPOINT_STATEMENTS_PER_SIGNER, VIEW_STATEMENTS_PER_SIGNER } from "./evidence.js";

/** What a dispute forwards: a peer's signed checkpoint or view-change. */
export type DisputedStatement = DisputeMessage["statement"];

/** Most disputes a replica keeps re-forwarding per signer (as many as the ledger keeps statements of it). */
export const DISPUTES_PER_SIGNER = CHECKPOINT_STATEMENTS_PER_SIGNER + VIEW_STATEMENTS_PER_SIGNER;

/** Where a disputed statement sits: a checkpoint's sequence number, a view-change's view. */
export function disputedAt(statement: DisputedStatement): number {
  return statement.type === "checkpoint" ? statement.seq : statement.view;
}

interface PendingDispute {
  /** The signed dispute, sent again as it is. */
  readonly message: DisputeMessage;
  /** The peers that have not acknowledged it yet. */
  readonly awaiting: Set<NodeId>;
}

/**
 * The disputes this replica forwarded and keeps forwarding until each peer acknowledges it
 * (`disputeAck`): a dispute lost to the network would otherwise keep the proof from the replica that
 * holds the other half. Bounded: one entry per (kind, signer, sequence number or view), at most
 * {@link DISPUTES_PER_SIGNER} per signer; an entry goes once every peer acknowledged it, once its
 * checkpoint is below the stable checkpoint or its view below the current view, or once its signer
 * is proven faulty here (the evidence then travels instead).
 */
export class DisputeOutbox {
  private readonly pending = new Map<string, PendingDispute>();
  private readonly perSigner = new Map<NodeId, number>();

  /**
   * Start forwarding `message` to `peers` (its statement's signer and this replica excluded by the caller).
   * @returns false when it is held already or its signer has too many
   */
  add(message: DisputeMessage, peers: readonly NodeId[]): boolean {
    const statement = message.statement;
    const key = keyOf(statement.type, statement.replica, disputedAt(statement));
    const count = this.perSigner.get(statement.replica) ?? 0;
    if (this.pending.has(key) || count >= DISPUTES_PER_SIGNER || peers.length === 0) return false;
    this.pending.set(key, { message, awaiting: new Set(peers) });
    this.perSigner.set(statement.replica, count + 1);
    return true;
  }

  /** `peer` acknowledged the dispute of `signer`'s statement of `kind` at `at`. */
  acknowledge(peer: NodeId, kind: DisputedStatement["type"], signer: NodeId, at: number): void {
    const key = keyOf(kind, signer, at);
    const entry = this.pending.get(key);
    if (entry === undefined) return;
    entry.awaiting.delete(peer);
    if (entry.awaiting.size === 0) this.remove(key, signer);
  }

  /**
   * The disputes to forward again, each with the peers still to acknowledge it; first forgets those
   * below `stableSeq` (checkpoints) or `view` (view-changes) and those whose signer `proven` holds.
   */
  due(stableSeq: number, view: number, proven: (id: NodeId) => boolean): { message: DisputeMessage; to: NodeId[] }[] {
    const due: { message: DisputeMessage; to: NodeId[] }[] = [];
    for (const [key, { message, awaiting }] of this.pending) {
      const statement = message.statement;
      const floor = statement.type === "checkpoint" ? stableSeq : view;
      if (disputedAt(statement) < floor || proven(statement.replica)) this.remove(key, statement.replica);
      else due.push({ message, to: [...awaiting] });
    }
    return due;
  }

  /** The statements still being forwarded (the durable state: a restart forwards them again to every peer). */
  statements(): DisputedStatement[] {
    return [...this.pending.values()].map((entry) => entry.message.statement);
  }

  private remove(key: string, signer: NodeId): void {
    if (!this.pending.delete(key)) return;
    const left = (this.perSigner.get(signer) ?? 1) - 1;
    if (left > 0) this.perSigner.set(signer, left);
    else this.perSigner.delete(signer);
  }
}

/**
 * The misbehaviour evidence this replica forwarded, sent again each retransmission period to the
 * peers that have not acknowledged it (`disputeAck` of kind "evidence"): a conviction forwarded once
 * is lost with the messages a partition cuts, and the replicas on the other side would never learn
 * it (each correct replica forwards evidence on first sight, but all of them may be cut off at
 * once). One entry per culprit (a replica convicts a culprit once), so at most one per member.
 */
export class EvidenceOutbox {
  private readonly pending = new Map<NodeId, { readonly message: EvidenceMessage; readonly awaiting: Set<NodeId> }>();

  /** Start forwarding `message` (evidence against `culprit`) to `peers`. */
  add(culprit: NodeId, message: EvidenceMessage, peers: readonly NodeId[]): void {
    if (peers.length > 0) this.pending.set(culprit, { message, awaiting: new Set(peers) });
  }

  /** `peer` holds `culprit` proven faulty: the evidence is no longer sent to it. */
  acknowledge(peer: NodeId, culprit: NodeId): void {
    const entry = this.pending.get(culprit);
    if (entry === undefined) return;
    entry.awaiting.delete(peer);
    if (entry.awaiting.size === 0) this.pending.delete(culprit);
  }

  /** The evidence to forward again, each with the peers still to acknowledge it. */
  due(): { message: EvidenceMessage; to: NodeId[] }[] {
    return [...this.pending.values()].map(({ message, awaiting }) => ({ message, to: [...awaiting] }));
  }
}

function keyOf(kind: DisputedStatement["type"], signer: NodeId, at: number): string {
  return `${kind}/${signer}/${at}`;
}
