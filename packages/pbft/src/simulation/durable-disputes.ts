import type { NodeId, Step } from "@synod/core";
import type { PbftOutput } from "../io.js";
import type { Checkpoint, PbftMessage } from "../messages.js";
import type { PbftNode } from "../pbft-node.js";
import type { PbftRecord } from "../records.js";

type PbftStep = Step<PbftMessage, PbftOutput<unknown>, PbftRecord>;

/** A faulty replica's checkpoint a correct replica forwarded as disputed, and the peers that acknowledged it. */
interface Forwarded {
  readonly checkpoint: Checkpoint;
  readonly acknowledged: Set<NodeId>;
}

/**
 * The checkpoints of faulty replicas that each correct replica forwarded as disputed, across its
 * lives, for `EvidenceFound` (invariants.ts): a replica persists a checkpoint dispute when it first
 * forwards it (in the step that sends it) and keeps it, through compactions and restarts, until every
 * peer acknowledged it, its sequence number is below the stable checkpoint or its signer is proven
 * faulty (pbft-node.ts, `forwardDispute`, `durableState`, `recover`): a restarted replica notes it
 * again. So in each later life it holds that checkpoint as if delivered again, and a contradicting
 * one of the signer convicts it there. Seen on the wire only: a dispute in the sends of a step
 * handling a delivery (where a first forward happens), a `disputeAck` delivered. Conservative: an
 * acknowledgement from any life counts, an entry goes once the replica's stable checkpoint passed it
 * in any step seen, and a step a crash cut short is never seen (its records may not be synced).
 */
export class DurableDisputes {
  /** By forwarder, then `signer/seq`. */
  private readonly held = new Map<NodeId, Map<string, Forwarded>>();

  /**
   * After a step of correct replica `id` handling a delivery: its checkpoint disputes of faulty
   * signers sent, the acknowledgement delivered, and what its stable checkpoint or convictions let go.
   */
  afterDelivery(
    id: NodeId,
    node: PbftNode<unknown>,
    step: PbftStep,
    message: PbftMessage,
    from: NodeId,
    faulty: ReadonlySet<NodeId>,
    members: readonly NodeId[],
  ): void {
    let byKey = this.held.get(id);
    let previous: PbftMessage | undefined;
    for (const e of step.send) {
      const m = e.message;
      if (m === previous) continue; // one dispute object goes to every peer
      previous = m;
      if (m.type !== "dispute" || m.replica !== id || m.statement.type !== "checkpoint" || !faulty.has(m.statement.replica)) continue;
      if (byKey === undefined) this.held.set(id, (byKey = new Map()));
      const key = `${m.statement.replica}/${m.statement.seq}`;
      if (!byKey.has(key)) byKey.set(key, { checkpoint: m.statement, acknowledged: new Set() });
    }
    if (byKey === undefined) return;
    if (message.type === "disputeAck" && message.kind === "checkpoint" && message.replica === from) {
      const key = `${message.signer}/${message.at}`;
      const entry = byKey.get(key);
      if (entry !== undefined) {
        entry.acknowledged.add(from);
        if (members.every((m) => m === id || m === message.signer || entry.acknowledged.has(m))) byKey.delete(key);
      }
    }
    for (const [key, { checkpoint }] of byKey) {
      if (checkpoint.seq < node.stableCheckpoint || node.provenFaulty.has(checkpoint.replica)) byKey.delete(key);
    }
  }

  /** The checkpoints of `signer` that `id` forwarded as disputed and still holds durably (at or above `stable`). */
  heldBy(id: NodeId, signer: NodeId, stable: number): Checkpoint[] {
    const out: Checkpoint[] = [];
    for (const { checkpoint } of this.held.get(id)?.values() ?? []) if (checkpoint.replica === signer && checkpoint.seq >= stable) out.push(checkpoint);
    return out;
  }
}
