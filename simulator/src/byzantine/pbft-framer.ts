import type { NodeId } from "@synod/core";
import { sign, signedStatementOf, simulationKeys, type AgreementStatement, type Checkpoint, type DisputeMessage } from "@synod/pbft";
import type { EvidenceMessage, PbftMessage, SignedStatement } from "@synod/pbft";
import { SIGNATURE_BYTES } from "@synod/security";
import { MAX_REPLAY_BUFFER, type Adversary, type AdversaryContext } from "./adversary.js";

/**
 * `framer`: tries to get correct replicas convicted of misbehaviour (packages/pbft/src/evidence.ts).
 * It runs the honest code and sends what it sends; from the signed pre-prepares, prepares and
 * commits it receives (alone, or in view-changes' prepared certificates) it makes evidence that
 * proves nothing and sends it, under its own valid signature, to every other replica:
 * - **other view**: two genuine statements of one replica at one sequence number with different
 *   digests, in different views (a later view may carry another batch there: no contradiction);
 * - **other kind**: a replica's genuine prepare and its genuine commit with different digests, where
 *   it has both (a commit follows the prepare of another view);
 * - **forged**: a genuine statement and a copy with another digest under the same signature.
 * - **forged checkpoint**: of every third checkpoint a correct replica sends it (by sequence number),
 *   a copy with another state digest under the same signature — as evidence beside the genuine one,
 *   and alone, forwarded as disputed (a receiver that noted it would convict the signer on its
 *   genuine checkpoint).
 * Correct replicas must refuse each as `invalid-evidence`; `EvidenceSound` fails the run when one
 * holds a correct replica proven faulty. Never drawn at random (a detector names it).
 */
export function framer(): Adversary<PbftMessage> {
  /** By signer and sequence number: the distinct statements seen (bounded). */
  const seen = new Map<string, AgreementStatement[]>();
  let held = 0;
  const frame = (ctx: AdversaryContext<PbftMessage>, first: SignedStatement, second: SignedStatement): void => {
    const unsigned = { type: "evidence" as const, first, second, replica: ctx.self };
    const evidence = sign<EvidenceMessage>(simulationKeys.provider, simulationKeys.secretKeyOf(ctx.self), unsigned);
    for (const to of ctx.members) if (to !== ctx.self) ctx.emit(to, evidence);
  };
  const observe = (ctx: AdversaryContext<PbftMessage>, statement: AgreementStatement): void => {
    if (statement.replica === ctx.self || statement.sig.length !== SIGNATURE_BYTES) return; // a MAC proves nothing to anyone
    const key = `${statement.replica}/${statement.seq}`;
    const list = seen.get(key) ?? [];
    const sameDigest = (a: AgreementStatement) => a.digest.every((byte, i) => byte === statement.digest[i]);
    if (list.some((a) => a.type === statement.type && a.view === statement.view && sameDigest(a))) return;
    const unrelated = list.find((a) => !sameDigest(a) && (a.view !== statement.view || a.type !== statement.type));
    if (unrelated !== undefined) frame(ctx, unrelated, statement);
    else if (ctx.rng.bool(0.05)) {
      const digest = statement.digest.slice();
      digest[0] = (digest[0] ?? 0) ^ 0xff;
      frame(ctx, statement, { ...statement, digest });
    }
    if (held >= MAX_REPLAY_BUFFER) {
      seen.clear();
      held = 0;
    }
    list.push(statement);
    held++;
    seen.set(key, list);
  };
  /** Checkpoints already framed, by signer and sequence number (bounded). */
  const framedCheckpoints = new Set<string>();
  const frameCheckpoint = (ctx: AdversaryContext<PbftMessage>, genuine: Checkpoint): void => {
    const key = `${genuine.replica}/${genuine.seq}`;
    if (genuine.replica === ctx.self || genuine.seq % 3 !== 0 || framedCheckpoints.has(key)) return;
    if (framedCheckpoints.size >= MAX_REPLAY_BUFFER) framedCheckpoints.clear();
    framedCheckpoints.add(key);
    const forged: Checkpoint = { ...genuine, stateDigest: simulationKeys.provider.sha256(genuine.stateDigest) };
    frame(ctx, genuine, forged);
    const unsigned = { type: "dispute" as const, statement: forged, replica: ctx.self };
    const dispute = sign<DisputeMessage>(simulationKeys.provider, simulationKeys.secretKeyOf(ctx.self), unsigned);
    for (const to of ctx.members) if (to !== ctx.self) ctx.emit(to, dispute);
  };
  return {
    name: "framer",
    onReceive(_from: NodeId, m, ctx) {
      if (m.type === "checkpoint") frameCheckpoint(ctx, m);
      if (m.type === "prePrepare" || m.type === "prepare" || m.type === "commit") observe(ctx, signedStatementOf(m));
      if (m.type === "viewChange") {
        for (const cert of m.prepared) {
          observe(ctx, signedStatementOf(cert.prePrepare));
          for (const p of cert.prepares) observe(ctx, signedStatementOf(p));
        }
      }
    },
    onSend: (e, ctx) => ctx.emit(e.to, e.message),
  };
}
