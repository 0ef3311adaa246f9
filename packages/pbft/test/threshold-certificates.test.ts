import { describe, expect, it } from "vitest";
import { createRng, encodeUnchecked, FRESH_STATE, nodeIds, type NodeId } from "@synod/core";
import { byzantine } from "@synod/quorum";
import { dealBlsThresholdScheme, seededRandomBytes, type KeyShare, type ThresholdScheme } from "@synod/security";
import { Cluster } from "./cluster.js";
import type { PbftConfig } from "../src/config.js";
import type { PbftKeys } from "../src/keys.js";
import { type Checkpoint, type NewView, type ViewChange } from "../src/messages.js";
import { PbftNode } from "../src/pbft-node.js";
import { KvService } from "../src/service.js";
import { checkpointCertificateStatement, sign } from "../src/signing.js";
import { simulationKeys } from "../src/simulation/simulation-keys.js";

/** Checkpoints every 2 sequence numbers, so that two requests make one stable. */
const CONFIG: Partial<PbftConfig> = { certificates: "threshold", authentication: "signatures", checkpointInterval: 2, windowSize: 4, viewChangeTimeoutTicks: 5, retransmitTicks: 3 };

/** A real BLS12-381 group for 4 replicas, q = 3 of 4, dealt once (pairings cost tens of ms each in pure JS). */
const BLS = (() => {
  const dealt = dealBlsThresholdScheme(3, 4, seededRandomBytes(24));
  if (!dealt.ok) throw dealt.error;
  return dealt.value;
})();

function blsKeys(id: NodeId, members: readonly NodeId[]): PbftKeys {
  return { ...simulationKeys.keysFor(id, members), threshold: { scheme: BLS.scheme, share: BLS.shares[members.indexOf(id)] as KeyShare } };
}

function groupOf(c: Cluster): ThresholdScheme {
  return simulationKeys.thresholdKeysOf("n1", c.ids).scheme;
}

/** n1..n3 order two requests with n4 cut off, then n1 falls silent: n4 learns the stable checkpoint only from the new view's combined certificate. */
function checkpointThenViewChange(c: Cluster, scheme: ThresholdScheme): void {
  c.filter = (e) => e.from !== "n4" && e.to !== "n4";
  c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
  c.invoke("n1", 2, 1, { type: "put", key: "y", value: "2" });
  c.deliverAll();
  for (const id of ["n1", "n2", "n3"]) {
    expect(c.node(id).lastExecuted, id).toBe(2);
    expect(c.node(id).stableCheckpoint, id).toBe(2);
    expect(c.node(id).metrics.thresholdCertificates, id).toBe(1);
  }
  // Every checkpoint message carries its sender's share of the certificate, a 96-byte partial that verifies.
  const checkpoints = c.sent.filter((e) => e.message.type === "checkpoint").map((e) => e.message as Checkpoint);
  expect(checkpoints.length).toBeGreaterThan(0);
  for (const cp of checkpoints) {
    expect(cp.share?.length).toBe(96);
    const index = c.ids.indexOf(cp.replica) + 1;
    expect(scheme.verifyPartial(checkpointCertificateStatement(cp.seq, cp.stateDigest), { index, signature: cp.share as Uint8Array })).toBe(true);
  }
  expect(c.node("n4").stableCheckpoint).toBe(0);

  // n1 falls silent; n4 is back. A request at n2 times out: view 1, primary n2.
  c.filter = (e) => e.from !== "n1" && e.to !== "n1";
  c.invoke("n2", 3, 1, { type: "put", key: "z", value: "3" });
  c.tick(20);
  const viewChanges = c.sent.filter((e) => e.message.type === "viewChange").map((e) => e.message as ViewChange);
  const proven = viewChanges.filter((vc) => vc.stableSeq === 2);
  expect(proven.length).toBeGreaterThan(0);
  for (const vc of proven) {
    // The proof is one group signature, not q checkpoint messages.
    expect(vc.checkpointProof).toEqual([]);
    const certificate = vc.checkpointCertificate;
    expect(certificate?.signature.length).toBe(96);
    expect(scheme.verify(checkpointCertificateStatement(2, certificate?.stateDigest as Uint8Array), certificate?.signature as Uint8Array)).toBe(true);
  }
  const newViews = c.sent.filter((e) => e.message.type === "newView").map((e) => e.message as NewView);
  expect(newViews.some((nv) => nv.viewChanges.some((vc) => vc.checkpointCertificate !== undefined))).toBe(true);
  for (const id of ["n2", "n3", "n4"]) {
    expect(c.node(id).view, id).toBe(1);
    expect(c.node(id).viewActive, id).toBe(true);
    expect(c.node(id).lastExecuted, id).toBe(3);
  }
  // n4 never saw a checkpoint message of sequence 2: it stabilised on the certificate and fetched the state.
  expect(c.node("n4").stableCheckpoint).toBe(2);
  expect(c.outputsOf("n4", "stateTransferred").map((o) => o.seq)).toEqual([2]);
  expect(c.outputsOf("n2", "reply").map((o) => o.result)).toEqual([{ ok: true }]);
}

describe("PBFT threshold certificates (certificates: threshold)", () => {
  it("a checkpoint becomes stable from q combined shares, and a view change carries the one combined signature (ideal scheme)", () => {
    const c = new Cluster(4, CONFIG);
    checkpointThenViewChange(c, groupOf(c));
  });

  it("the same with real BLS12-381 threshold signatures (3-of-4, dealt)", () => {
    const c = new Cluster(4, CONFIG, () => new KvService(), blsKeys);
    checkpointThenViewChange(c, BLS.scheme);
  }, 60_000);

  it("the certificate survives a restart: the durable checkpoint keeps it, and the next view-change carries it", () => {
    const c = new Cluster(4, CONFIG);
    c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
    c.invoke("n1", 2, 1, { type: "put", key: "y", value: "2" });
    c.deliverAll();
    expect(c.node("n3").stableCheckpoint).toBe(2);
    c.restart("n3");
    expect(c.node("n3").stableCheckpoint).toBe(2);
    c.filter = (e) => e.from !== "n1" && e.to !== "n1";
    c.invoke("n3", 3, 1, { type: "put", key: "z", value: "3" });
    c.tick(20);
    const own = c.sent.filter((e) => e.from === "n3" && e.message.type === "viewChange").map((e) => e.message as ViewChange);
    expect(own.length).toBeGreaterThan(0);
    expect(own[0]?.checkpointCertificate?.seq).toBe(2);
    expect(c.node("n3").lastExecuted).toBe(3);
  });
});

describe("PBFT threshold certificates: bad input", () => {
  /** Two requests ordered by n1, n2, n4 (n3 cut off), n4's checkpoints kept from n1: n1 holds its own and n2's share only. */
  function withoutN4Checkpoint(c: Cluster): Checkpoint {
    c.filter = (e) => e.from !== "n3" && e.to !== "n3" && !(e.from === "n4" && e.to === "n1" && e.message.type === "checkpoint");
    c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
    c.invoke("n1", 2, 1, { type: "put", key: "y", value: "2" });
    c.deliverAll();
    expect(c.node("n1").lastExecuted).toBe(2);
    expect(c.node("n1").stableCheckpoint).toBe(0);
    return c.sent.find((e) => e.from === "n4" && e.message.type === "checkpoint")?.message as Checkpoint;
  }

  for (const [name, keysFor] of [
    ["ideal", (id: NodeId, members: readonly NodeId[]) => simulationKeys.keysFor(id, members)],
    ["BLS", blsKeys],
  ] as const) {
    it(`a checkpoint whose share does not verify is dropped and counted as bad-share; n4's correct one then completes the certificate (${name})`, () => {
      const c = new Cluster(4, CONFIG, () => new KvService(), keysFor);
      const honest = withoutN4Checkpoint(c);
      const keys = keysFor("n4", c.ids).threshold!;
      const { sig: _sig, ...rest } = honest;
      // n4's valid share, but of another state digest; the message validly signed by n4.
      const otherDigest = simulationKeys.provider.sha256(honest.stateDigest);
      const wrong = keys.scheme.signShare(keys.share, checkpointCertificateStatement(honest.seq, otherDigest)).signature;
      c.inject("n4", "n1", sign<Checkpoint>(simulationKeys.provider, simulationKeys.secretKeyOf("n4"), { ...rest, share: wrong }));
      expect(c.node("n1").metrics.rejected["bad-share"]).toBe(1);
      expect(c.node("n1").metrics.rejectedByPeer.get("n4")).toBe(1);
      expect(c.node("n1").stableCheckpoint).toBe(0);
      // Bytes that are no partial signature at all (not a curve point for BLS; bad padding for the ideal scheme).
      const garbage = honest.share!.map((byte, i) => byte ^ (i + 1));
      c.inject("n4", "n1", sign<Checkpoint>(simulationKeys.provider, simulationKeys.secretKeyOf("n4"), { ...rest, share: garbage }));
      expect(c.node("n1").metrics.rejected["bad-share"]).toBe(2);
      expect(c.node("n1").stableCheckpoint).toBe(0);
      // n4's correct checkpoint (its retransmission) is taken in the bad one's place.
      c.inject("n4", "n1", honest);
      expect(c.node("n1").stableCheckpoint).toBe(2);
      expect(c.node("n1").metrics.internalErrors).toBe(0);
    }, 60_000);
  }

  it("a checkpoint without a share is bad-share in threshold mode; one with a share is malformed in signatures mode", () => {
    const c = new Cluster(4, CONFIG);
    const honest = withoutN4Checkpoint(c);
    const { sig: _sig, share: _share, ...bare } = honest;
    c.inject("n4", "n1", sign<Checkpoint>(simulationKeys.provider, simulationKeys.secretKeyOf("n4"), bare));
    expect(c.node("n1").metrics.rejected["bad-share"]).toBe(1);
    const plain = new Cluster(4, { ...CONFIG, certificates: "signatures" });
    plain.inject("n4", "n1", honest);
    expect(plain.node("n1").metrics.rejected.malformed).toBe(1);
  });

  it("a share of the wrong length does not decode (malformed)", () => {
    const c = new Cluster(4, CONFIG);
    const honest = withoutN4Checkpoint(c);
    const bytes = encodeUnchecked({ ...honest, share: honest.share!.slice(0, 95) });
    c.node("n1").receiveBytes("n4", bytes);
    expect(c.node("n1").metrics.rejected.malformed).toBe(1);
  });

  it("a view-change whose certificate is not the group's signature is refused as bad-threshold-signature (a single partial, a real signature with another digest)", () => {
    const c = new Cluster(4, CONFIG);
    c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
    c.invoke("n1", 2, 1, { type: "put", key: "y", value: "2" });
    c.deliverAll();
    expect(c.node("n2").stableCheckpoint).toBe(2);
    c.filter = (e) => e.from !== "n1" && e.to !== "n1";
    c.invoke("n2", 3, 1, { type: "put", key: "z", value: "3" });
    c.tick(20);
    const real = c.sent.find((e) => e.from === "n4" && e.message.type === "viewChange")?.message as ViewChange;
    const certificate = real.checkpointCertificate!;
    const keys = simulationKeys.thresholdKeysOf("n4", c.ids);
    const madeUp = simulationKeys.provider.sha256(certificate.stateDigest);
    const { sig: _sig, ...rest } = real;
    const lies: ViewChange[] = [
      // n4 claims the next checkpoint for a made-up state, "proven" by its own partial.
      { ...rest, view: 2, stableSeq: 4, checkpointCertificate: { seq: 4, stateDigest: madeUp, signature: keys.scheme.signShare(keys.share, checkpointCertificateStatement(4, madeUp)).signature } },
      // The real group signature, with another digest.
      { ...rest, view: 2, checkpointCertificate: { ...certificate, stateDigest: madeUp } },
    ].map((unsigned) => sign<ViewChange>(simulationKeys.provider, simulationKeys.secretKeyOf("n4"), unsigned));
    const before = c.node("n2").metrics.rejected["bad-threshold-signature"];
    for (const lie of lies) c.inject("n4", "n2", lie);
    expect(c.node("n2").metrics.rejected["bad-threshold-signature"]).toBe(before + 2);
    // A view-change with q signed checkpoint messages instead is not a threshold proof: invalid.
    c.inject("n4", "n2", sign<ViewChange>(simulationKeys.provider, simulationKeys.secretKeyOf("n4"), { ...rest, view: 2, checkpointCertificate: undefined, checkpointProof: [] }));
    expect(c.node("n2").metrics.rejected["invalid-certificate"]).toBe(1);
    expect(c.node("n2").metrics.internalErrors).toBe(0);
  });

  it("a threshold group whose threshold is not the quorum (f+1 of 4: it would prove only one correct signer) is refused at construction", () => {
    const members = nodeIds(4);
    const weak = dealBlsThresholdScheme(byzantine(members).weakQuorumSize, 4, seededRandomBytes(7));
    if (!weak.ok) throw weak.error;
    const keys: PbftKeys = { ...simulationKeys.keysFor("n1", members), threshold: { scheme: weak.value.scheme, share: weak.value.shares[0] as KeyShare } };
    const ctx = { id: "n1", members, rng: createRng(1), recovered: FRESH_STATE };
    expect(() => new PbftNode({ ctx, keys, service: new KvService(), config: CONFIG })).toThrow(/must be 3-of-4/);
    // And no threshold keys at all.
    const bare: PbftKeys = { ...simulationKeys.keysFor("n1", members), threshold: undefined };
    expect(() => new PbftNode({ ctx, keys: bare, service: new KvService(), config: CONFIG })).toThrow(/needs PbftKeys.threshold/);
  });
});
