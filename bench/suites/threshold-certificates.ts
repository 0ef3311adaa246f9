import { nodeIds, type NodeId } from "@synod/core";
import { batchDigest, checkpointCertificateStatement, checkpointProofDigest, pbftMessageCodec, preparedCertificateStatement, sign } from "@synod/pbft";
import { VerifiedCertificates, VerifiedRequests, viewChangeIsValid } from "@synod/pbft";
import type { CertificateContext, Checkpoint, CheckpointCertificate, NewView, PbftCertificates, PbftKeys, PbftMessage, ViewChange } from "@synod/pbft";
import type { PrePrepare, Prepare, PreparedCertificate } from "@synod/pbft";
import { byzantine } from "@synod/quorum";
import { dealBlsThresholdScheme, seededRandomBytes, type KeyShare, type PartialSignature, type ThresholdScheme } from "@synod/security";
import { nodeProvider } from "@synod/security/node";
import type { BenchRow, BenchSuite } from "../harness.js";
import { measureOpsPerSec } from "./security.js";

const SEQ = 128;

/** One cluster of n = 3f+1 replicas with Ed25519 keys (node:crypto) and a dealt q-of-n BLS group. */
function cluster(f: number): {
  members: NodeId[];
  quorum: number;
  secretKeys: Map<NodeId, Uint8Array>;
  scheme: ThresholdScheme;
  shares: KeyShare[];
  context: (certificates: PbftCertificates) => CertificateContext;
} {
  const members = nodeIds(3 * f + 1);
  const quorum = byzantine(members).quorumSize;
  const random = seededRandomBytes(77 + f);
  const secretKeys = new Map<NodeId, Uint8Array>();
  const publicKeys = new Map<NodeId, Uint8Array>();
  for (const id of members) {
    const pair = nodeProvider.generateKeyPair(random);
    secretKeys.set(id, pair.secretKey);
    publicKeys.set(id, pair.publicKey);
  }
  const dealt = dealBlsThresholdScheme(quorum, members.length, random);
  if (!dealt.ok) throw dealt.error;
  const { scheme, shares } = dealt.value;
  const keys: PbftKeys = {
    provider: nodeProvider,
    secretKey: secretKeys.get(members[0] as NodeId) as Uint8Array,
    replicaKey: (id) => publicKeys.get(id),
    clientKey: () => undefined,
    threshold: { scheme, share: shares[0] as KeyShare },
  };
  const context = (certificates: PbftCertificates): CertificateContext => ({
    keys,
    members,
    f,
    quorumSize: quorum,
    authentication: "signatures",
    certificates,
    windowSize: 64,
    verified: new VerifiedRequests(keys),
  });
  return { members, quorum, secretKeys, scheme, shares, context };
}

type Cluster = ReturnType<typeof cluster>;
type Proof = { readonly checkpoint: Checkpoint; readonly proof: readonly Checkpoint[]; readonly certificate: CheckpointCertificate | undefined };

const ms = (us: number, digits: number): number => Number((us / 1000).toFixed(digits));

/** The proofs of both modes for checkpoint {@link SEQ} with `stateDigest`, signed by the first q members. */
function proofsOf(c: Cluster, stateDigest: Uint8Array): { signatures: Proof; threshold: Proof; partials: PartialSignature[] } {
  const statement = checkpointCertificateStatement(SEQ, stateDigest);
  const signers = c.members.slice(0, c.quorum);
  const checkpoint = (id: NodeId, share: Uint8Array | undefined): Checkpoint => {
    const unsigned = { type: "checkpoint" as const, seq: SEQ, stateDigest, ...(share ? { share } : {}), replica: id };
    return sign<Checkpoint>(nodeProvider, c.secretKeys.get(id) as Uint8Array, unsigned);
  };
  const partials = signers.map((id) => c.scheme.signShare(c.shares[c.members.indexOf(id)] as KeyShare, statement));
  const combined = c.scheme.combine(statement, partials);
  if (!combined.ok) throw combined.error;
  const certificate: CheckpointCertificate = { seq: SEQ, stateDigest, signature: combined.value.signature };
  const first = signers[0] as NodeId;
  return {
    signatures: { checkpoint: checkpoint(first, undefined), proof: signers.map((id) => checkpoint(id, undefined)), certificate: undefined },
    threshold: { checkpoint: checkpoint(first, partials[0]?.signature), proof: [], certificate },
    partials,
  };
}

/** What the view-changes of {@link quorumOfViewChanges} carry. */
type ViewChangeProofs = Pick<ViewChange, "stableSeq" | "checkpointProof" | "checkpointCertificate" | "prepared">;

/** The first q members' view-changes for view 1 carrying `proofs`, and the new-view of them by members[1] with `prePrepares`. */
function quorumOfViewChanges(c: Cluster, proofs: ViewChangeProofs, prePrepares: PrePrepare[]): { vcs: ViewChange[]; vc: ViewChange; nv: NewView } {
  const viewChange = (id: NodeId): ViewChange =>
    sign<ViewChange>(nodeProvider, c.secretKeys.get(id) as Uint8Array, {
      type: "viewChange",
      view: 1,
      ...proofs,
      preparedClaims: [],
      prePrepared: [],
      replica: id,
    });
  const vcs = c.members.slice(0, c.quorum).map(viewChange);
  const primary = c.members[1] as NodeId;
  const unsignedNewView = { type: "newView" as const, view: 1, viewChanges: vcs, prePrepares, replica: primary };
  return { vcs, vc: vcs[0] as ViewChange, nv: sign<NewView>(nodeProvider, c.secretKeys.get(primary) as Uint8Array, unsignedNewView) };
}

/** One row: the messages of `mode` carrying `p`, their bytes and verify times. */
function measureMode(c: Cluster, f: number, mode: PbftCertificates, p: Proof, budget: number): Record<string, string | number> {
  const ctx = c.context(mode);
  const { proof, certificate: cert } = p;
  const proofs = { stableSeq: SEQ, checkpointProof: proof, ...(cert ? { checkpointCertificate: cert } : {}), prepared: [] };
  const { vcs, vc, nv } = quorumOfViewChanges(c, proofs, []);
  const valid = checkpointProofDigest(ctx, SEQ, proof, cert) instanceof Uint8Array && vcs.every((v) => viewChangeIsValid(ctx, v));
  if (!valid) throw new Error(`${mode}: the proof does not verify`);
  const proofVerify = measureOpsPerSec(() => checkpointProofDigest(ctx, SEQ, proof, cert), budget, 2);
  const vcVerify = measureOpsPerSec(() => viewChangeIsValid(ctx, vc), budget, 2);
  const nvVerify = measureOpsPerSec(() => vcs.forEach((v) => viewChangeIsValid(ctx, v)), budget, 1);
  // As a replica checks them: a certificate whose signature verified once is not checked again (VerifiedCertificates, fresh per new-view).
  const nvVerifyOnce = measureOpsPerSec(
    () => {
      const memo = { ...ctx, verifiedCertificates: new VerifiedCertificates() };
      vcs.forEach((v) => viewChangeIsValid(memo, v));
    },
    budget,
    1,
  );
  const encoded = (m: PbftMessage): number => pbftMessageCodec.encode(m).length;
  return {
    name: `f=${f} (n=${c.members.length}, q=${c.quorum}), ${mode}`,
    checkpointMsgBytes: encoded(p.checkpoint),
    proofBytes: cert === undefined ? proof.reduce((sum, cp) => sum + encoded(cp), 0) : cert.signature.length + cert.stateDigest.length,
    viewChangeBytes: encoded(vc),
    newViewBytes: encoded(nv),
    proofVerifyMs: ms(proofVerify.meanUs, 2),
    viewChangeVerifyMs: ms(vcVerify.meanUs, 2),
    newViewVerifyMs: ms(nvVerify.meanUs, 1),
    newViewVerifyOnceMs: ms(nvVerifyOnce.meanUs, 1),
  };
}

/** Prepared certificates a view-change carries in the prepared-certificate rows (sequence numbers 1..PREPARED, view 0). */
const PREPARED = 8;

/** The {@link PREPARED} certificates of `mode`: pre-prepares of the null request by the primary, and q−1 signed prepares or one group signature. */
function preparedOf(c: Cluster, mode: PbftCertificates): PreparedCertificate[] {
  const primary = c.members[0] as NodeId;
  const digest = batchDigest(nodeProvider, []);
  const signed = <T extends PrePrepare | Prepare>(id: NodeId, m: Omit<T, "sig">): T => sign<T>(nodeProvider, c.secretKeys.get(id) as Uint8Array, m);
  const certs: PreparedCertificate[] = [];
  for (let seq = 1; seq <= PREPARED; seq++) {
    const prePrepare = signed<PrePrepare>(primary, { type: "prePrepare", view: 0, seq, digest, requests: [], replica: primary });
    const backups = c.members.slice(1, c.quorum);
    if (mode === "signatures") {
      certs.push({ prePrepare, prepares: backups.map((id) => signed<Prepare>(id, { type: "prepare", view: 0, seq, digest, replica: id })) });
      continue;
    }
    const statement = preparedCertificateStatement(0, seq, digest);
    const partials = c.members.slice(0, c.quorum).map((id) => c.scheme.signShare(c.shares[c.members.indexOf(id)] as KeyShare, statement));
    const combined = c.scheme.combine(statement, partials);
    if (!combined.ok) throw combined.error;
    certs.push({ prePrepare, prepares: [], signature: combined.value.signature });
  }
  return certs;
}

/**
 * One row per mode for the prepared certificates (the paper's P set) of cluster `c`: a view-change
 * carrying {@link PREPARED} of them (stable checkpoint 0, so no checkpoint proof), a new-view of q
 * such view-changes and its {@link PREPARED} re-proposed pre-prepares; bytes encoded, and verify
 * times as a replica checks them (`viewChangeIsValid`, a fresh memo per view-change, so every
 * certificate's group signature is checked; a new-view's q view-changes with one memo). The
 * threshold row carries its ratios to the signatures row, measured in the same run.
 */
function preparedRows(c: Cluster, f: number, budget: number): BenchRow[] {
  const measured = PBFT_CERTIFICATE_MODES_MEASURED.map((mode) => {
    const ctx = c.context(mode);
    const prepared = preparedOf(c, mode);
    const primary = c.members[1] as NodeId;
    const prePrepares = prepared.map((cert) =>
      sign<PrePrepare>(nodeProvider, c.secretKeys.get(primary) as Uint8Array, { ...cert.prePrepare, view: 1, replica: primary }),
    );
    const { vcs, vc, nv } = quorumOfViewChanges(c, { stableSeq: 0, checkpointProof: [], prepared }, prePrepares);
    const memo = (): CertificateContext => (mode === "threshold" ? { ...ctx, verifiedCertificates: new VerifiedCertificates() } : ctx);
    if (!vcs.every((v) => viewChangeIsValid(memo(), v))) throw new Error(`${mode}: the prepared certificates do not verify`);
    const vcVerify = measureCpu(() => viewChangeIsValid(memo(), vc), budget, 1);
    const nvVerify = measureCpu(
      () => {
        const once = memo();
        vcs.forEach((v) => viewChangeIsValid(once, v));
      },
      budget,
      1,
    );
    const encoded = (m: PbftMessage): number => pbftMessageCodec.encode(m).length;
    const certBytes = mode === "threshold" ? 96 : prepared[0]!.prepares.reduce((sum, p) => sum + encoded(p), 0);
    const bytes = { viewChangeBytes: encoded(vc), newViewBytes: encoded(nv), certificateProofBytes: certBytes };
    return { mode, ...bytes, viewChangeVerifyMs: vcVerify, newViewVerifyMs: nvVerify };
  });
  const [plain, threshold] = measured as [(typeof measured)[number], (typeof measured)[number]];
  const ratio = (x: number, y: number): number => Number((x / y).toFixed(2));
  return measured.map((m) => ({
    name: `prepared x${PREPARED}: f=${f} (n=${c.members.length}, q=${c.quorum}), ${m.mode}`,
    certificateProofBytes: m.certificateProofBytes,
    viewChangeBytes: m.viewChangeBytes,
    newViewBytes: m.newViewBytes,
    viewChangeVerifyCpuMs: Number(m.viewChangeVerifyMs.toFixed(2)),
    newViewVerifyCpuMs: Number(m.newViewVerifyMs.toFixed(1)),
    ...(m === threshold
      ? {
          viewChangeBytesRatio: ratio(threshold.viewChangeBytes, plain.viewChangeBytes),
          newViewBytesRatio: ratio(threshold.newViewBytes, plain.newViewBytes),
          viewChangeVerifyRatio: ratio(threshold.viewChangeVerifyMs, plain.viewChangeVerifyMs),
          newViewVerifyRatio: ratio(threshold.newViewVerifyMs, plain.newViewVerifyMs),
        }
      : {}),
  }));
}

/**
 * @returns the mean CPU milliseconds (user + system of this process, which runs one thread) of
 * `operation`, after one warm-up, over at least `minOps` runs and `budgetMs` of CPU: on the shared
 * host wall time measures the other processes too
 */
function measureCpu(operation: () => void, budgetMs: number, minOps: number): number {
  operation();
  const start = process.cpuUsage();
  let ops = 0;
  let spentUs = 0;
  while (ops < minOps || spentUs < budgetMs * 1000) {
    operation();
    ops++;
    const used = process.cpuUsage(start);
    spentUs = used.user + used.system;
  }
  return spentUs / 1000 / ops;
}

const PBFT_CERTIFICATE_MODES_MEASURED: readonly PbftCertificates[] = ["signatures", "threshold"];

/**
 * PBFT's stable-checkpoint proofs in its two certificate modes (`PbftConfig.certificates`), built and
 * checked by the PBFT package's own code: `signatures` — q signed checkpoint messages (Ed25519,
 * node:crypto); `threshold` — one BLS12-381 group signature (@noble/curves, pure JS) combined from
 * q shares. Bytes are the encoded messages (`pbftMessageCodec`): a checkpoint message, a
 * view-change carrying the proof (and no prepared certificates, to isolate it) and a new-view of q
 * such view-changes (no pre-prepares). Verify times are `checkpointProofDigest` (the proof alone),
 * `viewChangeIsValid` (a view-change: its signature and its proof) and q of those (what a backup
 * checks of a new-view's view-changes).
 */
export const suite: BenchSuite = {
  name: "threshold-certificates",
  description: "PBFT checkpoint and prepared certificates: q signed messages vs one BLS threshold signature (message bytes, verify time)",
  async run({ quick }) {
    const rows: BenchRow[] = [];
    const stateDigest = nodeProvider.sha256(new TextEncoder().encode("state at 128"));
    const budget = quick ? 20 : 400;
    for (const f of quick ? [1] : [1, 3, 10]) {
      const c = cluster(f);
      const proofs = proofsOf(c, stateDigest);
      rows.push(measureMode(c, f, "signatures", proofs.signatures, budget) as BenchRow);
      const threshold = measureMode(c, f, "threshold", proofs.threshold, budget);
      const statement = checkpointCertificateStatement(SEQ, stateDigest);
      threshold.combineMs = ms(measureOpsPerSec(() => c.scheme.combine(statement, proofs.partials), budget, 1).meanUs, 1);
      threshold.shareVerifyMs = ms(measureOpsPerSec(() => c.scheme.verifyPartial(statement, proofs.partials[0]!), budget, 2).meanUs, 1);
      rows.push(threshold as BenchRow);
    }
    for (const f of quick ? [1] : [1, 2, 3]) rows.push(...preparedRows(cluster(f), f, budget));
    return {
      rows,
      notes: [
        "proofBytes: signatures mode, the q encoded checkpoint messages; threshold mode, the certificate's 96-byte signature and 32-byte digest.",
        "newViewVerifyMs: the q view-changes of a new-view checked one by one, each proof in full (q x the view-change figure);",
        "newViewVerifyOnceMs: as a replica checks them, a certificate verified once not again (VerifiedCertificates; signatures mode has no such memo).",
        "combineMs: what the replica that completes a checkpoint pays once (Lagrange interpolation of q shares and one group verification; all shares good).",
        "Ed25519 via node:crypto (OpenSSL); BLS12-381 via @noble/curves (pure JS): a pairing check costs tens of ms.",
        `prepared xN rows: a view-change with N = ${PREPARED} prepared certificates (null batches, checkpoint 0); a new-view of q of them, N pre-prepares.`,
        "certificateProofBytes: per certificate, the q−1 encoded prepares (signatures) or the 96-byte group signature (threshold); pre-prepares in both.",
        "viewChangeVerifyCpuMs: every certificate of one view-change checked (fresh memo); newViewVerifyCpuMs: a new-view's q view-changes, one memo.",
        "*CpuMs: CPU time of this process (user + system), not wall time; *Ratio: threshold / signatures, measured in the same run.",
      ],
    };
  },
};
