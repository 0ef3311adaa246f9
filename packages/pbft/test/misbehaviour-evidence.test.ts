import { describe, expect, it } from "vitest";
import type { NodeId } from "@synod/core";
import { Cluster } from "./cluster.js";
import { batchDigest, sign } from "../src/signing.js";
import type { Commit, EvidenceMessage, Prepare } from "../src/messages.js";
import { signedStatementOf } from "../src/evidence.js";
import { simulationKeys } from "../src/simulation/simulation-keys.js";
import { signedInput } from "./cluster.js";

const SIGNED = { authentication: "signatures" as const, viewChangeTimeoutTicks: 5 };
const digestOf = (n: number) => batchDigest(simulationKeys.provider, [{ ...signedInput(900 + n, 1, { type: "get", key: "k" }).request, proxy: "n1" }]);
const A = digestOf(1);
const B = digestOf(2);

/** A prepare (or commit) genuinely signed by `replica`. */
function statement(type: "prepare" | "commit", replica: NodeId, view: number, seq: number, digest: Uint8Array): Prepare | Commit {
  return sign<Prepare | Commit>(simulationKeys.provider, simulationKeys.secretKeyOf(replica), { type, view, seq, digest, replica });
}

/** Evidence as `forwarder` sends it (signed by the forwarder; the halves are whatever it puts there). */
function evidence(forwarder: NodeId, first: Prepare | Commit, second: Prepare | Commit): EvidenceMessage {
  const unsigned = { type: "evidence" as const, first: signedStatementOf(first), second: signedStatementOf(second), replica: forwarder };
  return sign<EvidenceMessage>(simulationKeys.provider, simulationKeys.secretKeyOf(forwarder), unsigned);
}

/** n4 signs prepares of two batches at (view 0, seq 1) and sends both to n2; n2 forwards the evidence to everyone. */
function n4Equivocates(c: Cluster): void {
  c.inject("n4", "n2", statement("prepare", "n4", 0, 1, A));
  c.inject("n4", "n2", statement("prepare", "n4", 0, 1, B));
  c.deliverAll();
}

describe("PBFT misbehaviour evidence: two contradicting statements a replica signed convict it", () => {
  it("the replica that sees both outputs the evidence, keeps it durably and forwards it; every correct replica then holds the culprit proven faulty", () => {
    const c = new Cluster(4, SIGNED);
    n4Equivocates(c);
    const [found] = c.outputsOf("n2", "misbehaviour");
    expect(found?.culprit).toBe("n4");
    expect([found?.evidence.first, found?.evidence.second].map((s) => (s as Prepare | undefined)?.digest)).toEqual([A, B]);
    // To every other replica but the culprit (which would never acknowledge it), until each acknowledges it.
    expect(c.sent.filter((e) => e.from === "n2" && e.message.type === "evidence").map((e) => e.to)).toEqual(["n1", "n3"]);
    for (const id of ["n1", "n2", "n3"]) {
      expect(c.outputsOf(id, "misbehaviour").map((o) => o.culprit), id).toEqual(["n4"]);
      expect([...c.node(id).provenFaulty.keys()], id).toEqual(["n4"]);
      expect(c.node(id).metrics.provenFaulty, id).toBe(1);
    }
    // Each forwards it on first sight to the two others but the culprit: n1 and n3 too, so one lost copy does not keep it from the rest.
    expect(c.sent.filter((e) => e.message.type === "evidence").length).toBe(6);
    c.restart("n1");
    expect([...c.node("n1").provenFaulty.keys()]).toEqual(["n4"]);
  });

  it("evidence that proves nothing is refused as invalid-evidence and convicts no one: other views, other kinds, a forged signature, a non-member", () => {
    const c = new Cluster(4, SIGNED);
    const genuine = statement("prepare", "n2", 0, 1, A);
    const forged = { ...genuine, digest: B }; // n2's signature over A, on B
    const attempts: EvidenceMessage[] = [
      evidence("n3", statement("prepare", "n2", 0, 1, A), statement("prepare", "n2", 1, 1, B)), // a new view may carry another batch
      evidence("n3", statement("prepare", "n2", 0, 1, A), statement("commit", "n2", 0, 1, B)),
      evidence("n3", genuine, forged),
      evidence("n3", { ...genuine, replica: "n9" }, { ...forged, replica: "n9" }),
    ];
    for (const attempt of attempts) c.inject("n3", "n1", attempt);
    expect(c.node("n1").metrics.rejected["invalid-evidence"]).toBe(attempts.length);
    expect(c.outputsOf("n1", "misbehaviour")).toEqual([]);
    expect(c.node("n1").provenFaulty.size).toBe(0);
  });

  it("a proven-faulty primary is skipped: when view 0's primary falls silent the replicas go to view 2, past view 1's convicted primary n2", () => {
    const c = new Cluster(4, SIGNED);
    c.inject("n2", "n3", statement("prepare", "n2", 0, 1, A));
    c.inject("n2", "n3", statement("prepare", "n2", 0, 1, B));
    c.deliverAll();
    c.filter = (e) => e.from !== "n1" && e.to !== "n1"; // n2 (not knowing itself convicted) still takes part
    c.invoke("n3", 1, 1, { type: "put", key: "x", value: "1" });
    c.tick(30);
    for (const id of ["n3", "n4"]) {
      expect([c.node(id).view, c.node(id).viewActive], id).toEqual([2, true]);
      expect(c.node(id).lastExecuted, id).toBe(1);
    }
    const correct = (e: { from: NodeId }) => e.from === "n3" || e.from === "n4";
    expect(c.sent.some((e) => correct(e) && e.message.type === "viewChange" && e.message.view === 1)).toBe(false);
  });

  it("a replica that learns its current primary is proven faulty leaves the view at once, without waiting for its timer", () => {
    const c = new Cluster(4, SIGNED);
    c.inject("n1", "n2", statement("commit", "n1", 0, 1, A));
    c.inject("n1", "n2", statement("commit", "n1", 0, 1, B));
    expect(c.node("n2").view).toBe(1);
    c.deliverAll();
    for (const id of ["n2", "n3", "n4"]) expect([c.node(id).view, c.node(id).viewActive], id).toEqual([1, true]);
  });

  it("a proven-faulty replica's messages beyond provenFaultyMessagesPerTick in one tick are dropped as rate-limited, before any check", () => {
    const c = new Cluster(4, { ...SIGNED, provenFaultyMessagesPerTick: 2 });
    n4Equivocates(c);
    const before = c.node("n1").metrics.rejected["rate-limited"];
    for (let i = 0; i < 5; i++) c.inject("n4", "n1", statement("prepare", "n4", 0, 2 + i, A));
    expect(c.node("n1").metrics.rejected["rate-limited"] - before).toBe(3);
    c.tick();
    c.inject("n4", "n1", statement("prepare", "n4", 0, 9, A));
    expect(c.node("n1").metrics.rejected["rate-limited"] - before).toBe(3); // a new tick, a new allowance
  });
});
