import type { NodeId } from "@synod/core";
import { equalBytes, toHex } from "@synod/security";
import type { PbftKeys } from "./keys.js";
import type { PbftAuthentication, PbftCertificates } from "./config.js";
import { MAX_PRE_PREPARED_PER_SEQ, type Checkpoint } from "./messages.js";
import type { CheckpointCertificate, PrePrepare, PreparedCertificate, Request, ViewChange } from "./messages.js";
import { batchDigest, batchDigestOf, checkpointCertificateStatement, preparedCertificateStatement, verifySigned, type Unsigned } from "./signing.js";
import type { VerifiedRequests } from "./verified-requests.js";

/** What checking a certificate needs to know of the cluster. */
export interface CertificateContext {
  readonly keys: PbftKeys;
  readonly members: readonly NodeId[];
  /** Byzantine replicas tolerated. */
  readonly f: number;
  /** Replicas in a quorum (2f+1 when n = 3f+1). */
  readonly quorumSize: number;
  /** How the normal case is authenticated: in `macs` mode view-changes carry claims, not certificates. */
  readonly authentication: PbftAuthentication;
  /** How stable checkpoints are proven: q signed checkpoint messages, or one threshold signature. */
  readonly certificates: PbftCertificates;
  /** The log window L: a certificate lies within L of its stable checkpoint. */
  readonly windowSize: number;
  /** This replica's check of client requests (each request's signature verified once). */
  readonly verified: VerifiedRequests;
  /** `threshold` mode: certificates whose group signature verified here (a new-view's q view-changes carry the same ones). */
  readonly verifiedCertificates?: VerifiedCertificates | undefined;
}

/**
 * Most certificates a replica remembers as verified: a few checkpoint certificates and, with
 * `signatures` authentication, a log window's prepared certificates (the simulator's window is 32).
 */
export const VERIFIED_CERTIFICATES_KEPT = 80;

/**
 * `threshold` mode: the certificates whose group signature verified here, the latest
 * {@link VERIFIED_CERTIFICATES_KEPT}. A pairing check costs tens of milliseconds in pure JS, and the
 * same certificate arrives in many view-changes (every replica with that stable checkpoint carries
 * it, every replica that prepared a batch combined the same unique BLS signature for it, and a
 * new-view forwards q view-changes): it is checked once. Exact bytes are the key (the kind, what
 * is signed and the signature), so a changed certificate is checked afresh.
 */
export class VerifiedCertificates {
  private readonly keys: string[] = [];

  /** @returns whether `certificate` verified before, or verifies now (`verify`) */
  check(certificate: CheckpointCertificate, verify: () => boolean): boolean {
    return this.checkKey(`checkpoint:${certificate.seq}:${toHex(certificate.stateDigest)}:${toHex(certificate.signature)}`, verify);
  }

  /** @returns whether the prepared certificate of (view, seq, digest) with group signature `signature` verified before, or verifies now */
  checkPrepared(pp: PrePrepare, signature: Uint8Array, verify: () => boolean): boolean {
    return this.checkKey(`prepared:${pp.view}:${pp.seq}:${toHex(pp.digest)}:${toHex(signature)}`, verify);
  }

  private checkKey(key: string, verify: () => boolean): boolean {
    if (this.keys.includes(key)) return true;
    if (!verify()) return false;
    this.keys.push(key);
    if (this.keys.length > VERIFIED_CERTIFICATES_KEPT) this.keys.shift();
    return true;
  }
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

/** @returns whether the batch hashes to `digest` (its requests' client authentication not checked) */
export function batchDigestMatches(ctx: CertificateContext, requests: readonly Request[], digest: Uint8Array): boolean {
  return equalBytes(batchDigestOf(ctx.keys.provider, requests.map((request) => ctx.verified.digest(request))), digest);
}

/**
 * @returns whether `proof` (or, in `threshold` mode, `certificate`) proves that the state after `seq`
 * has one digest — `signatures` mode: 2f+1 checkpoint messages for `seq` from distinct replicas, all
 * with that digest, all signed; `threshold` mode: no checkpoint messages, and a certificate for `seq`
 * whose signature verifies under the group key (the group's threshold is the quorum). Sequence 0,
 * the initial state, needs no proof. The digest, undefined (sequence 0), or false.
 */
export function checkpointProofDigest(
  ctx: CertificateContext,
  seq: number,
  proof: readonly Checkpoint[],
  certificate?: CheckpointCertificate,
): Uint8Array | undefined | false {
  if (seq === 0) return proof.length === 0 && certificate === undefined ? undefined : false;
  if (ctx.certificates === "threshold") {
    if (proof.length > 0 || certificate === undefined || certificate.seq !== seq) return false;
    return checkpointCertificateIsValid(ctx, certificate) ? certificate.stateDigest : false;
  }
  if (certificate !== undefined) return false;
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
 * `threshold` mode: whether `certificate.signature` is the group's signature of the checkpoint
 * statement (sequence number and state digest), under the group key; never throws.
 */
export function checkpointCertificateIsValid(ctx: CertificateContext, certificate: CheckpointCertificate): boolean {
  const threshold = ctx.keys.threshold;
  if (threshold === undefined) return false;
  const verify = (): boolean => threshold.scheme.verify(checkpointCertificateStatement(certificate.seq, certificate.stateDigest), certificate.signature);
  return ctx.verifiedCertificates === undefined ? verify() : ctx.verifiedCertificates.check(certificate, verify);
}

/**
 * Whether prepared certificates are threshold signatures: `threshold` certificates with `signatures`
 * authentication (in `macs` mode view-changes carry claims, not prepared certificates).
 */
export function thresholdPrepared(ctx: Pick<CertificateContext, "certificates" | "authentication">): boolean {
  return ctx.certificates === "threshold" && ctx.authentication === "signatures";
}

/**
 * @returns whether `cert` proves that its pre-prepare was prepared: signed by the primary of its
 * view, a batch of client-signed requests hashing to its digest, and q−1 matching signed prepares
 * from distinct backups (never the primary): with the primary, a quorum q (2f prepares when
 * n = 3f+1). Fewer would let two certificates for different batches at one (view, sequence number)
 * share only a faulty primary when n > 3f+1. With threshold prepared certificates
 * ({@link thresholdPrepared}): no prepares, and the group's signature of the statement
 * (view, seq, digest) instead — the group's threshold is q, so it proves the same quorum.
 */
export function certificateIsValid(ctx: CertificateContext, cert: PreparedCertificate): boolean {
  const pp = cert.prePrepare;
  if (pp.type !== "prePrepare" || pp.replica !== primaryOf(ctx.members, pp.view)) return false;
  if (!verifySigned(ctx.keys.provider, ctx.keys.replicaKey(pp.replica), pp) || !batchIsValid(ctx, pp.requests, pp.digest)) return false;
  if (thresholdPrepared(ctx)) return cert.prepares.length === 0 && cert.signature !== undefined && preparedSignatureIsValid(ctx, pp, cert.signature);
  if (cert.signature !== undefined) return false;
  const seen = new Set<NodeId>();
  for (const p of cert.prepares) {
    if (p.type !== "prepare" || p.view !== pp.view || p.seq !== pp.seq || !equalBytes(p.digest, pp.digest) || p.replica === pp.replica || seen.has(p.replica)) return false;
    if (!verifySigned(ctx.keys.provider, ctx.keys.replicaKey(p.replica), p)) return false;
    seen.add(p.replica);
  }
  return seen.size + 1 >= ctx.quorumSize;
}

/** Threshold prepared certificates: whether `signature` is the group's signature of (pp.view, pp.seq, pp.digest); never throws. */
export function preparedSignatureIsValid(ctx: CertificateContext, pp: PrePrepare, signature: Uint8Array): boolean {
  const threshold = ctx.keys.threshold;
  if (threshold === undefined) return false;
  const verify = (): boolean => threshold.scheme.verify(preparedCertificateStatement(pp.view, pp.seq, pp.digest), signature);
  return ctx.verifiedCertificates === undefined ? verify() : ctx.verifiedCertificates.checkPrepared(pp, signature, verify);
}

/**
 * @returns whether a view-change is well formed: signed by its replica, a valid proof of its stable
 * checkpoint, and valid prepared certificates of earlier views, at most one per sequence number,
 * each above the checkpoint and within the window (in `macs` mode: claims instead, see
 * {@link claimsAreWellFormed})
 */
export function viewChangeIsValid(ctx: CertificateContext, vc: ViewChange): boolean {
  if (vc.type !== "viewChange" || !ctx.members.includes(vc.replica)) return false;
  if (!verifySigned(ctx.keys.provider, ctx.keys.replicaKey(vc.replica), vc)) return false;
  if (checkpointProofDigest(ctx, vc.stableSeq, vc.checkpointProof, vc.checkpointCertificate) === false) return false;
  if (ctx.authentication === "macs") return vc.prepared.length === 0 && claimsAreWellFormed(ctx, vc);
  if (vc.preparedClaims.length > 0 || vc.prePrepared.length > 0) return false;
  const seqs = new Set<number>();
  for (const cert of vc.prepared) {
    const { seq, view } = cert.prePrepare;
    if (seq <= vc.stableSeq || seq > vc.stableSeq + ctx.windowSize || view >= vc.view || seqs.has(seq)) return false;
    if (!certificateIsValid(ctx, cert)) return false;
    seqs.add(seq);
  }
  return true;
}

/**
 * `macs` mode: whether a view-change's claims are well formed — every claim of an earlier view, above
 * its checkpoint and within the window; at most one prepared claim per sequence number, its batch
 * hashing to its digest, and itself claimed pre-prepared (a replica that prepared a batch
 * pre-prepared it); at most {@link MAX_PRE_PREPARED_PER_SEQ} pre-prepared digests per sequence
 * number, each once. The claims' truth is not checkable (MACs prove nothing to a third replica):
 * the new view believes them only as far as {@link decideFromClaims} does.
 */
export function claimsAreWellFormed(ctx: CertificateContext, vc: ViewChange): boolean {
  const inRange = (claim: { view: number; seq: number }): boolean =>
    claim.seq > vc.stableSeq && claim.seq <= vc.stableSeq + ctx.windowSize && claim.view < vc.view;
  const perSeq = new Map<number, Uint8Array[]>();
  for (const claim of vc.prePrepared) {
    if (!inRange(claim)) return false;
    const digests = perSeq.get(claim.seq) ?? [];
    if (digests.length >= MAX_PRE_PREPARED_PER_SEQ || digests.some((d) => equalBytes(d, claim.digest))) return false;
    digests.push(claim.digest);
    perSeq.set(claim.seq, digests);
  }
  const seqs = new Set<number>();
  for (const claim of vc.preparedClaims) {
    if (!inRange(claim) || seqs.has(claim.seq) || !batchDigestMatches(ctx, claim.requests, claim.digest)) return false;
    if (!vc.prePrepared.some((q) => q.seq === claim.seq && q.view >= claim.view && equalBytes(q.digest, claim.digest))) return false;
    seqs.add(claim.seq);
  }
  return true;
}

/** What a new view starts from, derived deterministically from its view-changes. */
export interface NewViewPlan {
  /** The highest stable checkpoint among the view-changes (min-s), and the view-change proving it. */
  readonly stableSeq: number;
  readonly stableProof: readonly Checkpoint[];
  /** `threshold` mode: its certificate instead. */
  readonly stableCertificate: CheckpointCertificate | undefined;
  /** The pre-prepares of the new view (unsigned): for each sequence number in (min-s, max-s], the batch of the highest-view prepared certificate, or the null request. */
  readonly prePrepares: readonly Unsigned<PrePrepare>[];
}

/**
 * The paper's O set: the new primary and every backup compute it from the same view-changes, so a
 * backup accepts a new-view only when its pre-prepares are exactly these.
 * @param view - the new view
 * @param viewChanges - 2f+1 valid view-changes for `view` (in `macs` mode: every one at hand)
 * @returns the plan; undefined only in `macs` mode, when the view-changes do not decide every sequence number yet
 */
export function planNewView(ctx: CertificateContext, view: number, viewChanges: readonly ViewChange[]): NewViewPlan | undefined {
  if (ctx.authentication === "macs") return planFromClaims(ctx, view, viewChanges);
  const { stableSeq, stableProof, stableCertificate } = highestCheckpoint(viewChanges);
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
  return { stableSeq, stableProof, stableCertificate, prePrepares };
}

/** The stable checkpoint a new view starts from: the highest proven among the view-changes (min-s). */
type HighestCheckpoint = { stableSeq: number; stableProof: readonly Checkpoint[]; stableCertificate: CheckpointCertificate | undefined };

function highestCheckpoint(viewChanges: readonly ViewChange[]): HighestCheckpoint {
  let stableSeq = 0;
  let stableProof: readonly Checkpoint[] = [];
  let stableCertificate: CheckpointCertificate | undefined;
  for (const vc of viewChanges) {
    if (vc.stableSeq > stableSeq) {
      stableSeq = vc.stableSeq;
      stableProof = vc.checkpointProof;
      stableCertificate = vc.checkpointCertificate;
    }
  }
  return { stableSeq, stableProof, stableCertificate };
}

/**
 * `macs` mode: the O set from view-changes that carry claims, not certificates (Castro & Liskov,
 * TOCS 2002 §4.5 "view changes with MACs", with the view-changes signed so that the new primary
 * forwards them instead of collecting acknowledgements). For each sequence number n above the
 * stable checkpoint up to the highest claimed prepared, it chooses (see {@link decideFromClaims})
 * the batch of a prepared claim or the null request. When some n cannot be decided from these
 * view-changes yet, there is no plan: the new primary waits for more view-changes.
 * @returns the plan, or undefined when some sequence number is undecided
 */
function planFromClaims(ctx: CertificateContext, view: number, viewChanges: readonly ViewChange[]): NewViewPlan | undefined {
  const { stableSeq, stableProof, stableCertificate } = highestCheckpoint(viewChanges);
  let maxSeq = stableSeq;
  for (const vc of viewChanges) for (const claim of vc.preparedClaims) if (claim.seq > maxSeq) maxSeq = claim.seq;
  const primary = primaryOf(ctx.members, view);
  const prePrepares: Unsigned<PrePrepare>[] = [];
  for (let seq = stableSeq + 1; seq <= maxSeq; seq++) {
    const decision = decideFromClaims(ctx, seq, viewChanges);
    if (decision === undefined) return undefined;
    const requests = decision === "null" ? [] : decision.requests;
    const digest = decision === "null" ? batchDigest(ctx.keys.provider, requests) : decision.digest;
    prePrepares.push({ type: "prePrepare", view, seq, digest, requests, replica: primary });
  }
  return { stableSeq, stableProof, stableCertificate, prePrepares };
}

/** A batch chosen from the claims of view-changes, by its digest. */
export interface ClaimDecision {
  readonly digest: Uint8Array;
  readonly requests: readonly Request[];
}

/**
 * The paper's decision for sequence number n from a set S of view-changes (all above their
 * checkpoints at n, since n lies above the highest proven checkpoint). A prepared claim
 * ⟨n, d, v⟩ (from any member of S) is chosen when
 * - A1: a quorum of S claims, at n, nothing prepared, or prepared in a view below v, or d in v —
 *   nobody in that quorum prepared anything else in v or later; and
 * - A2: f+1 of S claim to have pre-prepared d at n in view v or later — at least one correct
 *   replica did, so the primary of v (or later) really proposed it (a faulty replica alone cannot
 *   make up a prepared claim in a high view);
 * the claim of the highest view first. Else the null request when
 * - B: a quorum of S claims nothing prepared at n.
 * If a batch committed at n in some view, a quorum prepared it, which meets every quorum of S in a
 * correct replica: B cannot hold and A1 fails for every other batch of a view at or above its own,
 * so the committed batch is the one chosen (the paper's proof). When neither holds, n is undecided;
 * once S holds every correct replica's view-change, the highest correct claim satisfies A1 and A2
 * (or B holds), since in `macs` mode a batch prepares only on a quorum, so at most one per view.
 * @returns the chosen claim, "null", or undefined (undecided: wait for more view-changes)
 */
export function decideFromClaims(ctx: CertificateContext, seq: number, viewChanges: readonly ViewChange[]): ClaimDecision | "null" | undefined {
  const prepared = viewChanges.map((vc) => vc.preparedClaims.find((claim) => claim.seq === seq));
  const candidates = prepared.filter((claim) => claim !== undefined).sort((x, y) => y.view - x.view);
  for (const candidate of candidates) {
    let a1 = 0;
    for (const claim of prepared) {
      if (claim === undefined || claim.view < candidate.view || (claim.view === candidate.view && equalBytes(claim.digest, candidate.digest))) a1++;
    }
    if (a1 < ctx.quorumSize) continue;
    let a2 = 0;
    for (const vc of viewChanges) {
      if (vc.prePrepared.some((q) => q.seq === seq && q.view >= candidate.view && equalBytes(q.digest, candidate.digest))) a2++;
    }
    if (a2 >= ctx.f + 1) return { digest: candidate.digest, requests: candidate.requests };
  }
  let none = 0;
  for (const claim of prepared) if (claim === undefined) none++;
  return none >= ctx.quorumSize ? "null" : undefined;
}
