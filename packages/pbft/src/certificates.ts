import type { NodeId } from "@synod/core";
import { equalBytes } from "@synod/security";
import type { PbftKeys } from "./keys.js";
import type { Checkpoint, PrePrepare, PreparedCertificate, Request, ViewChange } from "./messages.js";
import { batchDigest, batchDigestOf, verifySigned, type Unsigned } from "./signing.js";
import type { VerifiedRequests } from "./verified-requests.js";

/** What checking a certificate needs to know of the cluster. */
export interface CertificateContext {
  readonly keys: PbftKeys;
  readonly members: readonly NodeId[];
  /** Byzantine replicas tolerated. */
  readonly f: number;
  /** The log window L: a certificate lies within L of its stable checkpoint. */
  readonly windowSize: number;
  /** This replica's check of client requests (each request's signature verified once). */
  readonly verified: VerifiedRequests;
}

/** @returns the primary of `view`: members[view mod n] */
export function primaryOf(members: readonly NodeId[], view: number): NodeId {
  return members[view % members.length] as NodeId;
}

/** @returns whether every request of a batch carries its client's signature and the batch hashes to `digest` */
export function batchIsValid(ctx: CertificateContext, requests: readonly Request[], digest: Uint8Array): boolean {
  for (const request of requests) if (!ctx.verified.verify(request)) return false;
  return equalBytes(batchDigestOf(ctx.keys.provider, requests.map((request) => ctx.verified.digest(request))), digest);
}

/**
 * @returns whether `proof` proves that the state after `seq` has one digest: 2f+1 checkpoint
 * messages for `seq` from distinct replicas, all with that digest, all signed (sequence 0, the
 * initial state, needs no proof). The digest, or undefined.
 */
export function checkpointProofDigest(ctx: CertificateContext, seq: number, proof: readonly Checkpoint[]): Uint8Array | undefined | false {
  if (seq === 0) return proof.length === 0 ? undefined : false;
  const first = proof[0];
  if (first === undefined) return false;
  const seen = new Set<NodeId>();
  for (const c of proof) {
    if (c.type !== "checkpoint" || c.seq !== seq || !equalBytes(c.stateDigest, first.stateDigest) || seen.has(c.replica)) return false;
    if (!verifySigned(ctx.keys.provider, ctx.keys.replicaKey(c.replica), c)) return false;
    seen.add(c.replica);
  }
  return seen.size >= 2 * ctx.f + 1 ? first.stateDigest : false;
}

/**
 * @returns whether `cert` proves that its pre-prepare was prepared: signed by the primary of its
 * view, a batch of client-signed requests hashing to its digest, and 2f matching signed prepares
 * from distinct backups (never the primary)
 */
export function certificateIsValid(ctx: CertificateContext, cert: PreparedCertificate): boolean {
  const pp = cert.prePrepare;
  if (pp.type !== "prePrepare" || pp.replica !== primaryOf(ctx.members, pp.view)) return false;
  if (!verifySigned(ctx.keys.provider, ctx.keys.replicaKey(pp.replica), pp) || !batchIsValid(ctx, pp.requests, pp.digest)) return false;
  const seen = new Set<NodeId>();
  for (const p of cert.prepares) {
    if (p.type !== "prepare" || p.view !== pp.view || p.seq !== pp.seq || !equalBytes(p.digest, pp.digest) || p.replica === pp.replica || seen.has(p.replica)) return false;
    if (!verifySigned(ctx.keys.provider, ctx.keys.replicaKey(p.replica), p)) return false;
    seen.add(p.replica);
  }
  return seen.size >= 2 * ctx.f;
}

/**
 * @returns whether a view-change is well formed: signed by its replica, a valid proof of its stable
 * checkpoint, and valid prepared certificates of earlier views, at most one per sequence number,
 * each above the checkpoint and within the window
 */
export function viewChangeIsValid(ctx: CertificateContext, vc: ViewChange): boolean {
  if (vc.type !== "viewChange" || !ctx.members.includes(vc.replica)) return false;
  if (!verifySigned(ctx.keys.provider, ctx.keys.replicaKey(vc.replica), vc)) return false;
  if (checkpointProofDigest(ctx, vc.stableSeq, vc.checkpointProof) === false) return false;
  const seqs = new Set<number>();
  for (const cert of vc.prepared) {
    const { seq, view } = cert.prePrepare;
    if (seq <= vc.stableSeq || seq > vc.stableSeq + ctx.windowSize || view >= vc.view || seqs.has(seq)) return false;
    if (!certificateIsValid(ctx, cert)) return false;
    seqs.add(seq);
  }
  return true;
}

/** What a new view starts from, derived deterministically from its view-changes. */
export interface NewViewPlan {
  /** The highest stable checkpoint among the view-changes (min-s), and the view-change proving it. */
  readonly stableSeq: number;
  readonly stableProof: readonly Checkpoint[];
  /** The pre-prepares of the new view (unsigned): for each sequence number in (min-s, max-s], the batch of the highest-view prepared certificate, or the null request. */
  readonly prePrepares: readonly Unsigned<PrePrepare>[];
}

/**
 * The paper's O set: the new primary and every backup compute it from the same view-changes, so a
 * backup accepts a new-view only when its pre-prepares are exactly these.
 * @param view - the new view
 * @param viewChanges - 2f+1 valid view-changes for `view`
 */
export function planNewView(ctx: CertificateContext, view: number, viewChanges: readonly ViewChange[]): NewViewPlan {
  let stableSeq = 0;
  let stableProof: readonly Checkpoint[] = [];
  for (const vc of viewChanges) {
    if (vc.stableSeq > stableSeq) {
      stableSeq = vc.stableSeq;
      stableProof = vc.checkpointProof;
    }
  }
  const best = new Map<number, PrePrepare>();
  let maxSeq = stableSeq;
  for (const vc of viewChanges) {
    for (const cert of vc.prepared) {
      const pp = cert.prePrepare;
      if (pp.seq <= stableSeq) continue;
      const held = best.get(pp.seq);
      if (held === undefined || pp.view > held.view) best.set(pp.seq, pp);
      if (pp.seq > maxSeq) maxSeq = pp.seq;
    }
  }
  const primary = primaryOf(ctx.members, view);
  const prePrepares: Unsigned<PrePrepare>[] = [];
  for (let seq = stableSeq + 1; seq <= maxSeq; seq++) {
    const pp = best.get(seq);
    const requests = pp?.requests ?? [];
    const digest = pp?.digest ?? batchDigest(ctx.keys.provider, requests);
    prePrepares.push({ type: "prePrepare", view, seq, digest, requests, replica: primary });
  }
  return { stableSeq, stableProof, prePrepares };
}
