import type { NodeId } from "@synod/core";
import { primaryOf, sign, simulationKeys, type Checkpoint, type NewView, type PbftMessage, type ViewChange } from "@synod/pbft";
import type { Adversary, AdversaryContext } from "./adversary.js";

/**
 * `equivocate-signed` (drawn): equivocates the messages that are signed in every authentication mode
 * and that replicas forward as proof — checkpoints and view-changes — with valid signatures, so that
 * every correct replica can prove it faulty once two of them meet (packages/pbft/src/evidence.ts).
 * Like `equivocate`, the correct replicas are split in two halves by member position; the first half
 * gets its real messages, the second:
 * - every checkpoint re-signed with another state digest (the real one hashed again; a `threshold`
 *   share kept as it was, which then fits neither);
 * - every view-change re-signed as a replica that holds no stable checkpoint and prepared nothing
 *   (a valid view-change, which leaves out what it knows), when the real one says more;
 * - as the new primary, every new-view twice: first re-signed with its view-changes in the reverse
 *   order (the same set: as valid as the real one, other bytes), then the real one.
 * Colluding faulty replicas get the real ones. Correct replicas that receive both halves of one
 * (directly, a checkpoint or view-change forwarded in a dispute, a view-change in a new-view, the
 * two new-views) must convict it:
 * `EvidenceFound` fails the run otherwise; `EvidenceSound` that no correct replica is convicted.
 */
export function equivocateSigned(faulty: readonly NodeId[]): Adversary<PbftMessage> {
  const secondHalf = halves(faulty);
  return {
    name: "equivocate-signed",
    onSend(e, ctx) {
      const m = e.message;
      const equivocated = m.type === "checkpoint" || m.type === "viewChange" || m.type === "newView";
      if (faulty.includes(e.to) || !secondHalf(ctx, e.to) || !equivocated) return ctx.emit(e.to, m);
      const secretKey = simulationKeys.secretKeyOf(e.from);
      if (m.type === "newView") {
        const { sig: _sig, ...unsigned } = m;
        ctx.emit(e.to, sign<NewView>(simulationKeys.provider, secretKey, { ...unsigned, viewChanges: [...m.viewChanges].reverse() }));
        return ctx.emit(e.to, m);
      }
      if (m.type === "checkpoint") {
        const { sig: _sig, ...unsigned } = m;
        const stateDigest = simulationKeys.provider.sha256(m.stateDigest);
        return ctx.emit(e.to, sign<Checkpoint>(simulationKeys.provider, secretKey, { ...unsigned, stateDigest }));
      }
      ctx.emit(e.to, viewChangeSayingNothing(m));
    },
  };
}

/** @returns whether `to` is in the second half of the correct replicas (odd positions among those not in `faulty`) */
function halves(faulty: readonly NodeId[]): (ctx: AdversaryContext<PbftMessage>, to: NodeId) => boolean {
  return (ctx, to) => ctx.members.filter((m) => !faulty.includes(m)).indexOf(to) % 2 === 1;
}

/**
 * @returns `m` re-signed as a replica that holds no stable checkpoint and prepared nothing (valid,
 * leaving out what it knows), or `m` when it says nothing already
 */
function viewChangeSayingNothing(m: ViewChange): ViewChange {
  const saysNothing = m.stableSeq === 0 && m.prepared.length === 0 && m.preparedClaims.length === 0 && m.prePrepared.length === 0;
  if (saysNothing) return m; // nothing to leave out: the same view-change for all
  const other: Omit<ViewChange, "sig"> = {
    type: "viewChange",
    view: m.view,
    stableSeq: 0,
    checkpointProof: [],
    prepared: [],
    preparedClaims: [],
    prePrepared: [],
    replica: m.replica,
  };
  return sign<ViewChange>(simulationKeys.provider, simulationKeys.secretKeyOf(m.replica), other);
}

/**
 * `split-view-change` (aimed, never drawn; for the whole run, healing included): equivocates its
 * view-changes only — the second half of the correct replicas gets each re-signed as saying nothing
 * (as `equivocate-signed`), the first half the real one — and keeps each from the primary of its
 * view, so that no new-view carries one half to the other (the new view is made from the correct
 * replicas' view-changes). Everything else it sends as its code does. The two halves meet only
 * through the disputes every replica forwards of its peers' view-changes (sent again until
 * acknowledged), and `EvidenceSpread` (after healing) demands that every correct replica then
 * holds it proven faulty.
 */
export function splitViewChange(faulty: readonly NodeId[]): Adversary<PbftMessage> {
  const secondHalf = halves(faulty);
  return {
    name: "split-view-change",
    permanent: true,
    onSend(e, ctx) {
      const m = e.message;
      if (m.type !== "viewChange" || faulty.includes(e.to)) return ctx.emit(e.to, m);
      if (e.to === primaryOf(ctx.members, m.view)) return;
      ctx.emit(e.to, secondHalf(ctx, e.to) ? viewChangeSayingNothing(m) : m);
    },
  };
}
