import { describe, expect, it } from "vitest";
import type { NodeId } from "@synod/core";
import { dealBlsThresholdScheme, equalBytes, seededRandomBytes, type KeyShare, type ThresholdScheme } from "@synod/security";
import { Cluster } from "./cluster.js";
import { certificateIsValid, VerifiedCertificates, type CertificateContext } from "../src/certificates.js";
import type { PbftConfig } from "../src/config.js";
import type { PbftKeys } from "../src/keys.js";
import type { NewView, PrePrepare, Prepare, PreparedCertificate, ViewChange } from "../src/messages.js";
import { KvService } from "../src/service.js";
import { preparedCertificateStatement, sign } from "../src/signing.js";
import { simulationKeys } from "../src/simulation/simulation-keys.js";
import { VerifiedRequests } from "../src/verified-requests.js";

/** Threshold certificates with signatures: prepared certificates are one group signature. */
const CONFIG: Partial<PbftConfig> = { certificates: "threshold", authentication: "signatures", viewChangeTimeoutTicks: 5, retransmitTicks: 3 };

/** A real BLS12-381 group for 4 replicas, q = 3 of 4, dealt once (pairings cost tens of ms each in pure JS). */
const BLS = (() => {
  const dealt = dealBlsThresholdScheme(3, 4, seededRandomBytes(2424));
  if (!dealt.ok) throw dealt.error;
  return dealt.value;
})();

function blsKeys(id: NodeId, members: readonly NodeId[]): PbftKeys {
  return { ...simulationKeys.keysFor(id, members), threshold: { scheme: BLS.scheme, share: BLS.shares[members.indexOf(id)] as KeyShare } };
}

const idealKeys = (id: NodeId, members: readonly NodeId[]): PbftKeys => simulationKeys.keysFor(id, members);

function contextOf(c: Cluster, keys: PbftKeys): CertificateContext {
  return {
    keys,
    members: c.ids,
    f: 1,
    quorumSize: 3,
    authentication: "signatures",
    certificates: "threshold",
    windowSize: 64,
    verified: new VerifiedRequests(keys),
  };
}

/**
 * n1 orders one request; every prepare is delivered and every commit lost, so n2, n3 and n4 hold a
 * prepared certificate and nobody commits. n1 falls silent: the view-changes carry the certificate
 * as one group signature, and the new primary n2 re-proposes the batch, which executes in view 1.
 */
function preparedSurvivesViewChange(c: Cluster, scheme: ThresholdScheme, keys: PbftKeys): void {
  c.filter = (e) => e.message.type !== "commit";
  c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
  c.deliverAll();
  const pp = c.sent.find((e) => e.message.type === "prePrepare")?.message as PrePrepare;
  const statement = preparedCertificateStatement(pp.view, pp.seq, pp.digest);
  // The primary's share rides on its pre-prepare, each backup's on its prepare: 96-byte partials that verify.
  expect(scheme.verifyPartial(statement, { index: 1, signature: pp.share as Uint8Array })).toBe(true);
  const prepares = c.sent.filter((e) => e.message.type === "prepare").map((e) => e.message as Prepare);
  expect(prepares.length).toBeGreaterThan(0);
  for (const p of prepares) {
    expect(p.share?.length).toBe(96);
    expect(scheme.verifyPartial(statement, { index: c.ids.indexOf(p.replica) + 1, signature: p.share as Uint8Array })).toBe(true);
  }
  for (const id of ["n1", "n2", "n3", "n4"]) {
    expect(c.node(id).metrics.thresholdPrepared, id).toBe(1);
    expect(c.node(id).lastExecuted, id).toBe(0);
  }

  c.filter = (e) => e.from !== "n1" && e.to !== "n1";
  c.invoke("n2", 2, 1, { type: "put", key: "y", value: "2" });
  c.tick(20);
  const viewChanges = c.sent.filter((e) => e.message.type === "viewChange").map((e) => e.message as ViewChange);
  expect(viewChanges.length).toBeGreaterThan(0);
  const ctx = contextOf(c, keys);
  for (const vc of viewChanges) {
    expect(vc.prepared.length).toBe(1);
    const cert = vc.prepared[0] as PreparedCertificate;
    // No prepares: one group signature of (view 0, seq 1, digest), checked against the group key alone.
    expect(cert.prepares).toEqual([]);
    expect(cert.prePrepare.share).toBeUndefined();
    expect(cert.signature?.length).toBe(96);
    expect(scheme.verify(statement, cert.signature as Uint8Array)).toBe(true);
    expect(certificateIsValid(ctx, cert)).toBe(true);
  }
  const newView = c.sent.find((e) => e.message.type === "newView")?.message as NewView;
  expect(newView.viewChanges.every((vc) => vc.prepared.every((cert) => cert.prepares.length === 0))).toBe(true);
  const reproposed = newView.prePrepares.find((q) => q.seq === 1) as PrePrepare;
  expect(equalBytes(reproposed.digest, pp.digest)).toBe(true);
  for (const id of ["n2", "n3", "n4"]) {
    expect(c.node(id).view, id).toBe(1);
    expect(c.outputsOf(id, "execute").map((o) => o.client), id).toEqual([1, 2]);
  }
  expect(c.outputsOf("n1", "reply").length).toBe(0);
}

describe("PBFT threshold prepared certificates (certificates: threshold, authentication: signatures)", () => {
  it("a prepared but uncommitted request survives a view change, its certificate one verified group signature (ideal scheme)", () => {
    const c = new Cluster(4, CONFIG);
    preparedSurvivesViewChange(c, simulationKeys.thresholdKeysOf("n1", c.ids).scheme, idealKeys("n1", c.ids));
  });

  it("the same with real BLS12-381 threshold signatures (3-of-4, dealt)", () => {
    const c = new Cluster(4, CONFIG, () => new KvService(), blsKeys);
    preparedSurvivesViewChange(c, BLS.scheme, blsKeys("n1", c.ids));
  }, 120_000);

  it("the certificate survives a restart: the durable prepared record keeps its group signature, and the next view-change carries it", () => {
    const c = new Cluster(4, CONFIG);
    c.filter = (e) => e.message.type !== "commit";
    c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    expect(c.node("n3").metrics.thresholdPrepared).toBe(1);
    c.restart("n3");
    c.filter = (e) => e.from !== "n1" && e.to !== "n1";
    c.invoke("n3", 2, 1, { type: "put", key: "y", value: "2" });
    c.tick(20);
    const own = c.sent.filter((e) => e.from === "n3" && e.message.type === "viewChange").map((e) => e.message as ViewChange);
    expect(own.length).toBeGreaterThan(0);
    const cert = own[0]?.prepared[0] as PreparedCertificate;
    expect(cert.prepares).toEqual([]);
    expect(certificateIsValid(contextOf(c, idealKeys("n3", c.ids)), cert)).toBe(true);
    expect(c.outputsOf("n3", "execute").map((o) => o.client)).toEqual([1, 2]);
  });
});

describe("PBFT threshold prepared certificates: bad input", () => {
  /** n1's pre-prepare of one request and n2's prepare, with n3 and n4 cut off from n1: n1 holds its share and n2's only. */
  function twoShares(c: Cluster): { pp: PrePrepare; honest: Prepare } {
    c.filter = (e) => !(e.to === "n1" && (e.from === "n3" || e.from === "n4")) && e.message.type !== "commit";
    c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    expect(c.node("n1").metrics.thresholdPrepared).toBe(0);
    const pp = c.sent.find((e) => e.message.type === "prePrepare")?.message as PrePrepare;
    const honest = c.sent.find((e) => e.from === "n3" && e.message.type === "prepare")?.message as Prepare;
    return { pp, honest };
  }

  for (const [name, keysFor] of [
    ["ideal", idealKeys],
    ["BLS", blsKeys],
  ] as const) {
    it(`a prepare whose share does not verify is dropped and counted as bad-share; n3's correct one then completes the certificate (${name})`, () => {
      const c = new Cluster(4, CONFIG, () => new KvService(), keysFor);
      const { honest } = twoShares(c);
      const keys = keysFor("n3", c.ids).threshold!;
      // n3's valid share, but of another digest; the prepare itself validly signed by n3.
      const other = keys.scheme.signShare(keys.share, preparedCertificateStatement(honest.view, honest.seq, new Uint8Array(32))).signature;
      c.inject("n3", "n1", { ...honest, share: other });
      expect(c.node("n1").metrics.rejected["bad-share"]).toBe(1);
      expect(c.node("n1").metrics.rejectedByPeer.get("n3")).toBe(1);
      expect(c.node("n1").metrics.thresholdPrepared).toBe(0);
      // Without a share at all: refused before it is held.
      const { share: _share, ...shareless } = honest;
      c.inject("n3", "n1", shareless);
      expect(c.node("n1").metrics.rejected["bad-share"]).toBe(2);
      expect(c.node("n1").metrics.thresholdPrepared).toBe(0);
      // The dropped prepare does not hold n3's place: its correct one completes the certificate.
      c.inject("n3", "n1", honest);
      expect(c.node("n1").metrics.thresholdPrepared).toBe(1);
    }, 60_000);
  }

  it("a certificate is refused unless its group signature verifies: one partial, a signature of another digest, 2f prepares instead, or both", () => {
    const c = new Cluster(4, CONFIG);
    c.filter = (e) => e.message.type !== "commit";
    c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    const keys = idealKeys("n2", c.ids);
    const ctx = { ...contextOf(c, keys), verifiedCertificates: new VerifiedCertificates() };
    const pp = c.sent.find((e) => e.message.type === "prePrepare")?.message as PrePrepare;
    const { share: _share, ...bare } = pp;
    const prepares = c.sent.filter((e) => e.message.type === "prepare" && e.to === "n1").map((e) => e.message as Prepare);
    const threshold = keys.threshold!;
    const statement = preparedCertificateStatement(pp.view, pp.seq, pp.digest);
    const combined = threshold.scheme.combine(statement, [
      { index: 1, signature: pp.share as Uint8Array },
      ...prepares.map((p) => ({ index: c.ids.indexOf(p.replica) + 1, signature: p.share as Uint8Array })),
    ]);
    if (!combined.ok) throw combined.error;
    const good: PreparedCertificate = { prePrepare: bare, prepares: [], signature: combined.value.signature };
    expect(certificateIsValid(ctx, good)).toBe(true);
    // Its pre-prepare with the share kept is the same certificate (the signature does not cover the share).
    expect(certificateIsValid(ctx, { ...good, prePrepare: pp })).toBe(true);
    // t−1 partials do not combine, and n2's own partial is not the group's signature.
    expect(threshold.scheme.combine(statement, [{ index: 2, signature: threshold.scheme.signShare(threshold.share, statement).signature }]).ok).toBe(false);
    expect(certificateIsValid(ctx, { ...good, signature: threshold.scheme.signShare(threshold.share, statement).signature })).toBe(false);
    // The group's signature of another sequence number's statement, and a plain certificate in threshold mode.
    const elsewhere = preparedCertificateStatement(pp.view, pp.seq + 1, pp.digest);
    const signers = ["n1", "n2", "n3"].map((id) => simulationKeys.thresholdKeysOf(id, c.ids).share);
    const other = threshold.scheme.combine(elsewhere, signers.map((share) => threshold.scheme.signShare(share, elsewhere)));
    if (!other.ok) throw other.error;
    expect(certificateIsValid(ctx, { ...good, signature: other.value.signature })).toBe(false);
    expect(certificateIsValid(ctx, { prePrepare: bare, prepares: prepares.slice(0, 2) })).toBe(false);
    expect(certificateIsValid(ctx, { ...good, prepares: prepares.slice(0, 2) })).toBe(false);
    // A view-change carrying the one-partial certificate is refused by every replica.
    const forged = sign<ViewChange>(simulationKeys.provider, simulationKeys.secretKeyOf("n2"), {
      type: "viewChange",
      view: 1,
      stableSeq: 0,
      checkpointProof: [],
      prepared: [{ ...good, signature: threshold.scheme.signShare(threshold.share, statement).signature }],
      preparedClaims: [],
      prePrepared: [],
      replica: "n2",
    });
    c.inject("n2", "n3", forged);
    expect(c.node("n3").metrics.rejected["invalid-certificate"]).toBe(1);
  });
});
