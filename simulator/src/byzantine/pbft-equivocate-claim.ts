import type { NodeId } from "@synod/core";
import { batchDigest, sign, simulationKeys, type PbftMessage, type PrePrepare, type ViewChange } from "@synod/pbft";
import type { Adversary } from "./adversary.js";
import { authenticateAs } from "./pbft-authenticate.js";

/** How many batches an `equivocate-claim` primary splits before it stops ordering (to bring the view change on). */
export const EQUIVOCATED_BATCHES = 2;

/**
 * `equivocate-claim` (never drawn, named by a detector; aimed at `macs` mode): one faulty replica
 * that, as primary, splits a batch and then lies about it in the view's own terms — TLC's
 * counterexample of a new view that believes a prepared claim on f + 1 view-changes (A1 on f + 1,
 * `pbft/mac-view-change-weak-a1`; specs/pbft expected failure mac-a1-weak-quorum):
 * - as primary, for its first {@link EQUIVOCATED_BATCHES} batches, one backup (the victim, drawn
 *   once) gets a pre-prepare of the null request at the same view and sequence number, the others the
 *   real one; the others prepare and, with the faulty replica's own commit, commit the real batch;
 * - then it sends no more pre-prepares, so the backups' request timers bring a view change;
 * - its view-changes claim to have prepared (and pre-prepared) the null request at those sequence
 *   numbers in the view it split them in, re-signed with its own key; the victim truly claims to
 *   have pre-prepared it there.
 * A new view decided from the liar's, the victim's and one committer's view-changes sees, for the
 * null request, two view-changes that claim it or nothing prepared (A1 on f + 1) and two claims of
 * having pre-prepared it (A2): only a quorum for A1 keeps it from replacing the committed batch.
 * As a backup it behaves correctly.
 */
export function equivocateClaim(): Adversary<PbftMessage> {
  const nullDigest = batchDigest(simulationKeys.provider, []);
  /** By sequence number: the view in which it split that batch. */
  const split = new Map<number, number>();
  let victim: NodeId | undefined;
  return {
    name: "equivocate-claim",
    onSend(e, ctx) {
      const m = e.message;
      if (m.type === "prePrepare" && m.replica === ctx.self) {
        if (m.requests.length === 0) return ctx.emit(e.to, m);
        if (!split.has(m.seq) && split.size >= EQUIVOCATED_BATCHES) return; // stop ordering: the view must change
        split.set(m.seq, m.view);
        if (victim === undefined) {
          const others = ctx.members.filter((id) => id !== ctx.self);
          victim = others[ctx.rng.int(0, others.length)] as NodeId;
        }
        if (e.to !== victim) return ctx.emit(e.to, m);
        const conflicting = { type: "prePrepare" as const, view: m.view, seq: m.seq, digest: nullDigest, requests: [], replica: e.from };
        return ctx.emit(e.to, authenticateAs<PrePrepare>(e.from, e.to, ctx.members, m, conflicting));
      }
      if (m.type !== "viewChange" || split.size === 0) return ctx.emit(e.to, m);
      const lied = [...split].filter(([seq]) => seq > m.stableSeq);
      if (lied.length === 0) return ctx.emit(e.to, m);
      const liedSeqs = new Set(lied.map(([seq]) => seq));
      const claims = lied.map(([seq, view]) => ({ view, seq, digest: nullDigest }));
      const { sig: _sig, ...unsigned } = m;
      const lie: Omit<ViewChange, "sig"> = {
        ...unsigned,
        prepared: m.prepared.filter((c) => !liedSeqs.has(c.prePrepare.seq)),
        preparedClaims: [...m.preparedClaims.filter((c) => !liedSeqs.has(c.seq)), ...claims.map((c) => ({ ...c, requests: [] }))],
        prePrepared: [...m.prePrepared.filter((c) => !liedSeqs.has(c.seq)), ...claims],
      };
      ctx.emit(e.to, sign<ViewChange>(simulationKeys.provider, simulationKeys.secretKeyOf(e.from), lie));
    },
  };
}
