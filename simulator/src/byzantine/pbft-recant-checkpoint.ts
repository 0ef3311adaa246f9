import type { NodeId } from "@synod/core";
import { sign, simulationKeys, type Checkpoint, type PbftMessage } from "@synod/pbft";
import type { Adversary } from "./adversary.js";

/** Real checkpoints remembered to recant with (the latest sequence numbers the faulty replica signed). */
const REMEMBERED = 2;

/**
 * `recant-checkpoint` (aimed, never drawn): equivocates its checkpoints one replica at a time and
 * takes the lie back. The second half of the correct replicas (odd positions among those not
 * faulty, as `equivocate-signed`) gets the first copy of each checkpoint re-signed with another
 * state digest, and every later copy — its code's re-sending, and the real copies of its last
 * {@link REMEMBERED} earlier checkpoints sent along with each new lie — the real one. A correct
 * replica delivered the lie disputes it (its own state differs) and then, when the real copy comes,
 * holds both halves: it convicts the signer on its own. Where a crash falls between the two (buggify's
 * `checkpoint-dispute-forwarded` point: the dispute's sends lost, then the crash), only the disputed
 * checkpoint's durable record keeps the first half for the replica's next life, and `EvidenceFound`
 * demands the conviction when the real copy arrives there. Everything else it sends as its code does.
 */
export function recantCheckpoint(faulty: readonly NodeId[]): Adversary<PbftMessage> {
  /** Per recipient, the sequence numbers whose first copy (the lie) it was sent. */
  const lied = new Map<NodeId, Set<number>>();
  /** The real checkpoints it signed last, by sequence number. */
  const real = new Map<number, Checkpoint>();
  return {
    name: "recant-checkpoint",
    onSend(e, ctx) {
      const m = e.message;
      if (m.type !== "checkpoint" || faulty.includes(e.to)) return ctx.emit(e.to, m);
      if (!real.has(m.seq)) {
        real.set(m.seq, m);
        while (real.size > REMEMBERED) real.delete(Math.min(...real.keys()));
      }
      const honest = ctx.members.filter((id) => !faulty.includes(id));
      if (honest.indexOf(e.to) % 2 !== 1) return ctx.emit(e.to, m);
      let seqs = lied.get(e.to);
      if (seqs === undefined) lied.set(e.to, (seqs = new Set()));
      if (seqs.has(m.seq)) return ctx.emit(e.to, m);
      seqs.add(m.seq);
      for (const s of seqs) if (s < m.seq - 64) seqs.delete(s); // bounded: far below, never sent again
      const { sig: _sig, ...unsigned } = m;
      const stateDigest = simulationKeys.provider.sha256(m.stateDigest);
      ctx.emit(e.to, sign<Checkpoint>(simulationKeys.provider, simulationKeys.secretKeyOf(e.from), { ...unsigned, stateDigest }));
      for (const [seq, cp] of real) if (seq < m.seq) ctx.emit(e.to, cp); // the earlier lies taken back
    },
  };
}
