import { describe, expect, it } from "vitest";
import { encodeUnchecked, type NodeId } from "@synod/core";
import { Cluster } from "./cluster.js";
import { sign, type Unsigned } from "../src/signing.js";
import { pbftMessageCodec, type Checkpoint, type DisputeMessage, type EvidenceMessage, type NewView, type PrePrepare, type Prepare, type ViewChange } from "../src/messages.js";
import type { SignedStatement } from "../src/evidence.js";
import { simulationKeys } from "../src/simulation/simulation-keys.js";

/** Signatures everywhere (the evidence of prepares needs them; checkpoints, view-changes and new-views are signed in every mode), checkpoints every 2. */
const CONFIG = { authentication: "signatures" as const, viewChangeTimeoutTicks: 5, checkpointInterval: 2, windowSize: 8 };
const { provider } = simulationKeys;
/** `message` signed by `replica` (whatever it says: the tests make faulty replicas sign what they like). */
const signedBy = <T>(replica: NodeId, message: Unsigned<T>): T => sign(provider, simulationKeys.secretKeyOf(replica), message as never) as T;
const checkpoint = (replica: NodeId, seq: number, stateDigest: Uint8Array): Checkpoint => signedBy<Checkpoint>(replica, { type: "checkpoint", seq, stateDigest, replica });
const viewChange = (replica: NodeId, view: number, prepared: ViewChange["prepared"]): ViewChange =>
  signedBy<ViewChange>(replica, { type: "viewChange", view, stableSeq: 0, checkpointProof: [], prepared, preparedClaims: [], prePrepared: [], replica });
const evidence = (forwarder: NodeId, first: SignedStatement, second: SignedStatement): EvidenceMessage =>
  signedBy<EvidenceMessage>(forwarder, { type: "evidence", first, second, replica: forwarder });
const OTHER = new Uint8Array(32).fill(0xb);

/** Two puts through the whole cluster: sequence numbers 1 and 2, so every replica takes checkpoint 2. */
function twoPuts(c: Cluster): void {
  c.invoke("n2", 1, 1, { type: "put", key: "x", value: "1" });
  c.deliverAll();
  c.invoke("n2", 1, 2, { type: "put", key: "y", value: "2" });
  c.deliverAll();
}

/** One put through the whole cluster: its pre-prepare and two backups' prepares (a prepared certificate for a view-change to carry). */
function onePut(c: Cluster): { pp: PrePrepare; prepares: Prepare[] } {
  c.invoke("n2", 1, 1, { type: "put", key: "x", value: "1" });
  c.deliverAll();
  const pp = c.sent.find((e) => e.message.type === "prePrepare")?.message as PrePrepare;
  const prepares = ["n2", "n3"].map((r) => c.sent.find((e) => e.from === r && e.message.type === "prepare")?.message as Prepare);
  return { pp, prepares };
}

/** The state digest every correct replica signs at checkpoint 2 after {@link twoPuts} (from a cluster of its own). */
function trueDigestAt2(): Uint8Array {
  const c = new Cluster(4, CONFIG);
  twoPuts(c);
  const own = c.sent.find((e) => e.from === "n2" && e.message.type === "checkpoint")?.message as Checkpoint;
  return own.stateDigest;
}

describe("PBFT evidence from checkpoints: a replica that signs two state digests for one checkpoint is convicted", () => {
  it("n1 signs checkpoint 2 with the true digest to n2 and another to n3 → n3 disputes it → n2 holds both → every correct replica holds n1 proven faulty, leaves n1's view and rate-limits it", () => {
    const c = new Cluster(4, CONFIG);
    c.filter = (e) => !(e.from === "n1" && e.message.type === "checkpoint"); // n1's own checkpoints are replaced by the two below
    twoPuts(c);
    for (const id of ["n2", "n3", "n4"]) expect(c.node(id).stableCheckpoint, id).toBe(2);
    const truth = trueDigestAt2();

    c.inject("n1", "n2", checkpoint("n1", 2, truth)); // agrees with n2's own state: nothing to say
    expect(c.sent.filter((e) => e.message.type === "dispute")).toEqual([]);
    c.inject("n1", "n3", checkpoint("n1", 2, OTHER)); // not n3's state: n3 forwards it to everyone but its signer
    expect(c.queue.filter((e) => e.message.type === "dispute").map((e) => [e.from, e.to])).toEqual([["n3", "n2"], ["n3", "n4"]]);
    c.deliverAll();

    const [found] = c.outputsOf("n2", "misbehaviour");
    expect(found?.culprit).toBe("n1");
    expect([found?.evidence.first, found?.evidence.second].map((s) => (s as Checkpoint).stateDigest)).toEqual([truth, OTHER]);
    for (const id of ["n2", "n3", "n4"]) {
      expect([...c.node(id).provenFaulty.keys()], id).toEqual(["n1"]);
      expect([c.node(id).view, c.node(id).viewActive, c.node(id).primary], id).toEqual([1, true, "n2"]); // view 0 was n1's
    }
    c.restart("n3");
    expect([...c.node("n3").provenFaulty.keys()]).toEqual(["n1"]); // the evidence record decodes again

    const before = c.node("n4").metrics.rejected["rate-limited"];
    for (let i = 0; i < 10; i++) c.inject("n1", "n4", checkpoint("n1", 4, OTHER));
    const limited = c.node("n4").metrics.rejected["rate-limited"] - before;
    expect(limited).toBeGreaterThanOrEqual(2); // past provenFaultyMessagesPerTick (8) in this tick
    c.inject("n1", "n4", checkpoint("n1", 4, OTHER));
    expect(c.node("n4").metrics.rejected["rate-limited"] - before).toBe(limited + 1);
  });

  it("the checkpoint a replica received before its checkpoint became stable still meets the other digest after", () => {
    const c = new Cluster(4, CONFIG);
    c.filter = (e) => !(e.from === "n1" && e.message.type === "checkpoint");
    c.inject("n1", "n2", checkpoint("n1", 2, trueDigestAt2())); // before n2 executes anything
    c.inject("n1", "n3", checkpoint("n1", 2, OTHER));
    twoPuts(c); // n3 takes checkpoint 2, finds n1's other digest and disputes it
    for (const id of ["n2", "n3", "n4"]) expect(c.node(id).provenFaulty.has("n1"), id).toBe(true);
  });

  it("correct replicas agreeing on their state send no dispute; two copies of one checkpoint are no evidence", () => {
    const c = new Cluster(4, CONFIG);
    twoPuts(c);
    const own = c.sent.find((e) => e.from === "n1" && e.message.type === "checkpoint")?.message as Checkpoint;
    c.inject("n1", "n2", own);
    expect(c.sent.some((e) => e.message.type === "dispute" || e.message.type === "evidence")).toBe(false);
    c.inject("n3", "n2", evidence("n3", own, own));
    expect(c.node("n2").metrics.rejected["invalid-evidence"]).toBe(1);
    expect(c.node("n2").provenFaulty.size).toBe(0);
  });
});

describe("PBFT evidence from view-changes and new-views", () => {
  it("n1 signs two view-changes for view 1 (with and without its prepared certificate) → n2's new-view carries one to n3, which holds the other → n1 convicted everywhere", () => {
    const c = new Cluster(4, CONFIG);
    const { pp, prepares } = onePut(c);
    const withCertificate = viewChange("n1", 1, [{ prePrepare: pp, prepares }]);
    const without = viewChange("n1", 1, []); // also valid: a view-change may leave a certificate out
    c.inject("n1", "n2", withCertificate);
    c.inject("n1", "n4", withCertificate);
    c.inject("n1", "n3", without);
    expect(c.outputsOf("n3", "misbehaviour")).toEqual([]); // each replica alone saw one
    c.filter = (e) => e.from !== "n1" && e.to !== "n1"; // n1 falls silent; a request times the view out
    c.invoke("n3", 2, 1, { type: "put", key: "y", value: "2" });
    c.tick(20);
    const newView = c.sent.find((e) => e.from === "n2" && e.message.type === "newView")?.message as NewView;
    expect(newView.viewChanges.map((vc) => vc.replica)).toContain("n1");
    const [found] = c.outputsOf("n3", "misbehaviour");
    expect(found?.culprit).toBe("n1");
    for (const id of ["n2", "n3", "n4"]) expect(c.node(id).provenFaulty.has("n1"), id).toBe(true);
    expect(c.node("n3").lastExecuted).toBe(2); // the new view orders on
  });

  it("two different view-changes for one view sent to one replica convict at once, valid or not; one for another view does not", () => {
    const c = new Cluster(4, CONFIG);
    c.inject("n4", "n2", viewChange("n4", 3, []));
    c.inject("n4", "n2", viewChange("n4", 4, [])); // another view: no contradiction
    expect(c.node("n2").provenFaulty.size).toBe(0);
    c.inject("n4", "n2", signedBy<ViewChange>("n4", { ...viewChange("n4", 3, []), stableSeq: 2, sig: undefined } as never)); // invalid (no proof), but signed
    expect(c.outputsOf("n2", "misbehaviour").map((o) => [o.culprit, o.evidence.first.type])).toEqual([["n4", "viewChange"]]);
  });

  it("a primary that signs two new-views for its view is convicted by the replica that gets both", () => {
    const c = new Cluster(4, CONFIG);
    const nv = (prePrepares: PrePrepare[]) => signedBy<NewView>("n2", { type: "newView", view: 1, viewChanges: [], prePrepares, replica: "n2" });
    const pp = signedBy<PrePrepare>("n2", { type: "prePrepare", view: 1, seq: 1, digest: new Uint8Array(32), requests: [], replica: "n2" } as never);
    c.inject("n2", "n3", nv([]));
    c.inject("n2", "n3", nv([pp]));
    expect(c.node("n3").metrics.rejected["invalid-certificate"]).toBe(2); // neither starts view 1
    expect(c.outputsOf("n3", "misbehaviour").map((o) => [o.culprit, o.evidence.second.type])).toEqual([["n2", "newView"]]);
  });
});

describe("PBFT checkpoint and view evidence: bad input is counted and dropped, never thrown", () => {
  it("forged or unrelated halves, disputes of forged or foreign checkpoints, and undecodable bytes", () => {
    const c = new Cluster(4, CONFIG);
    const a = checkpoint("n2", 2, new Uint8Array(32).fill(1));
    const forged = { ...a, stateDigest: OTHER }; // n2's signature over another digest
    const attempts: EvidenceMessage[] = [
      evidence("n3", a, forged),
      evidence("n3", a, checkpoint("n2", 4, OTHER)), // another sequence number
      evidence("n3", a, checkpoint("n4", 2, OTHER)), // another signer
      evidence("n3", a, viewChange("n2", 1, [])), // another kind
      evidence("n3", viewChange("n2", 1, []), viewChange("n2", 1, [])), // the same view-change twice
      evidence("n3", viewChange("n2", 1, []), { ...viewChange("n2", 1, []), stableSeq: 4 }), // the second's signature is the first's
    ];
    for (const attempt of attempts) c.inject("n3", "n1", attempt);
    expect(c.node("n1").metrics.rejected["invalid-evidence"]).toBe(attempts.length);
    const disputes: DisputeMessage[] = [
      signedBy<DisputeMessage>("n3", { type: "dispute", statement: forged, replica: "n3" }),
      signedBy<DisputeMessage>("n3", { type: "dispute", statement: checkpoint("n9", 2, OTHER), replica: "n3" }),
      signedBy<DisputeMessage>("n3", { type: "dispute", statement: checkpoint("n2", 3, OTHER), replica: "n3" }), // no checkpoint's sequence number
    ];
    for (const dispute of disputes) c.inject("n3", "n1", dispute);
    expect(c.node("n1").metrics.rejected["invalid-evidence"]).toBe(attempts.length + disputes.length);
    expect(c.node("n1").provenFaulty.size).toBe(0);

    const good = pbftMessageCodec.encode(evidence("n3", a, checkpoint("n2", 2, OTHER)));
    const truncated = good.slice(0, good.length - 5);
    const wrongKind = encodeUnchecked({ ...evidence("n3", a, a), first: { ...a, type: "reply" } });
    const shortDigest = encodeUnchecked({ type: "dispute", statement: { ...a, stateDigest: new Uint8Array(3) }, replica: "n3", sig: a.sig });
    for (const bytes of [truncated, wrongKind, shortDigest]) expect(() => c.node("n1").receiveBytes("n3", bytes)).not.toThrow();
    expect(c.node("n1").metrics.rejected.malformed).toBe(3);
    c.node("n1").receiveBytes("n3", good);
    expect([...c.node("n1").provenFaulty.keys()]).toEqual(["n2"]);
  });
});

describe("PBFT disputes are forwarded until each peer acknowledges them", () => {
  /** The checkpoint disputes sent since `from` (convicting n1, the primary of view 0, starts a view change, whose view-changes are disputed too). */
  const disputesSince = (c: Cluster, from: number) =>
    c.sent
      .slice(from)
      .filter((e) => e.message.type === "dispute" && e.message.statement.type === "checkpoint")
      .map((e) => [e.from, e.to]);
  const period = 20; // the default retransmission period, in ticks

  it("n3's dispute of n1's checkpoint is lost on its way to n2, as is n4's (not its state either: it forwards it in turn) → n3 and n4 acknowledge each other's, n2 nothing → a period later both send it to n2 alone → n2 convicts n1, and nothing is sent again", () => {
    const c = new Cluster(4, CONFIG);
    const n1Checkpoint = (e: { from: NodeId; message: { type: string } }) => e.from === "n1" && e.message.type === "checkpoint";
    c.filter = (e) => !n1Checkpoint(e);
    twoPuts(c);
    c.inject("n1", "n2", checkpoint("n1", 2, trueDigestAt2()));
    c.filter = (e) => !n1Checkpoint(e) && !(e.message.type === "dispute" && e.to === "n2"); // the network loses it
    c.inject("n1", "n3", checkpoint("n1", 2, OTHER));
    c.deliverAll();
    expect(c.sent.filter((e) => e.message.type === "disputeAck").map((e) => [e.from, e.to])).toEqual([["n4", "n3"], ["n3", "n4"]]);
    expect(c.node("n2").provenFaulty.size).toBe(0); // n2 holds the true digest only

    c.filter = (e) => !n1Checkpoint(e);
    const before = c.sent.length;
    c.tick(period);
    expect(disputesSince(c, before)).toEqual([["n3", "n2"], ["n4", "n2"]]);
    for (const id of ["n2", "n3", "n4"]) expect([...c.node(id).provenFaulty.keys()], id).toEqual(["n1"]);
    expect(["n3", "n4"].map((id) => c.node(id).metrics.disputesResent)).toEqual([1, 1]);
    const after = c.sent.length;
    c.tick(3 * period);
    expect(disputesSince(c, after)).toEqual([]);
  });

  it("disputes acknowledged by every peer are not sent again, and stay noted: n1's true digest, told to n2 later, meets the disputed one there", () => {
    const c = new Cluster(4, CONFIG);
    c.filter = (e) => !(e.from === "n1" && e.message.type === "checkpoint"); // n1 tells n2 and n4 nothing
    twoPuts(c);
    c.inject("n1", "n3", checkpoint("n1", 2, OTHER));
    c.deliverAll();
    const before = c.sent.length;
    c.tick(2 * period);
    expect(disputesSince(c, before)).toEqual([]); // n2 and n4 acknowledged
    expect(c.node("n2").provenFaulty.size).toBe(0);
    c.inject("n1", "n2", checkpoint("n1", 2, trueDigestAt2()));
    expect([...c.node("n2").provenFaulty.keys()]).toEqual(["n1"]);
  });

  it("a replica that restarts before its dispute was acknowledged forwards it again from its durable `dispute` record", () => {
    const c = new Cluster(4, CONFIG);
    c.filter = (e) => !(e.from === "n1" && e.message.type === "checkpoint");
    twoPuts(c);
    c.inject("n1", "n2", checkpoint("n1", 2, trueDigestAt2()));
    c.filter = (e) => !(e.from === "n1" && e.message.type === "checkpoint") && e.message.type !== "dispute"; // every copy lost
    c.inject("n1", "n3", checkpoint("n1", 2, OTHER));
    c.deliverAll();
    c.restart("n3");
    c.filter = (e) => !(e.from === "n1" && e.message.type === "checkpoint");
    const before = c.sent.length;
    c.tick(period);
    expect(disputesSince(c, before).filter(([from]) => from === "n3")).toEqual([["n3", "n2"], ["n3", "n4"]]); // (n4 then forwards it in turn)
    for (const id of ["n2", "n3", "n4"]) expect([...c.node(id).provenFaulty.keys()], id).toEqual(["n1"]);
  });
});

describe("PBFT disputes of view-changes", () => {
  it("n1 signs one view-change for view 1 to n2 and another to n3 → each forwards its copy to the others → n1 is convicted everywhere by the disputes alone", () => {
    const c = new Cluster(4, CONFIG);
    const { pp, prepares } = onePut(c);
    c.inject("n1", "n2", viewChange("n1", 1, [{ prePrepare: pp, prepares }]));
    c.inject("n1", "n3", viewChange("n1", 1, []));
    expect(c.queue.filter((e) => e.message.type === "dispute").map((e) => [e.from, e.to])).toEqual([["n2", "n3"], ["n2", "n4"], ["n3", "n2"], ["n3", "n4"]]);
    c.deliverAll();
    for (const id of ["n2", "n3", "n4"]) expect([...c.node(id).provenFaulty.keys()], id).toEqual(["n1"]);
    const [found] = c.outputsOf("n3", "misbehaviour");
    expect([found?.evidence.first, found?.evidence.second].map((s) => (s as ViewChange).prepared.length)).toEqual([0, 1]); // its own, then n2's copy
  });

  it("a disputed view-change with a bad signature is the forwarder's `invalid-evidence`; one for a view already left is acknowledged and not noted", () => {
    const c = new Cluster(4, CONFIG);
    const forged = { ...viewChange("n1", 1, []), stableSeq: 2 }; // n1's signature over other contents
    c.inject("n3", "n2", signedBy<DisputeMessage>("n3", { type: "dispute", statement: forged, replica: "n3" }));
    expect(c.node("n2").metrics.rejected["invalid-evidence"]).toBe(1);
    expect(c.sent.filter((e) => e.message.type === "disputeAck")).toEqual([]);
    c.inject("n3", "n2", signedBy<DisputeMessage>("n3", { type: "dispute", statement: viewChange("n1", 1, []), replica: "n3" }));
    expect(c.sent.filter((e) => e.message.type === "disputeAck").map((e) => [e.from, e.to])).toEqual([["n2", "n3"]]);
    expect(c.node("n2").provenFaulty.size).toBe(0);
  });
});
