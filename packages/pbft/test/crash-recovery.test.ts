import { describe, expect, it } from "vitest";
import { equalBytes } from "@synod/security";
import type { KvResult } from "@synod/raft";
import type { PbftMessage, PrePrepare, ViewChange } from "../src/messages.js";
import { KvService } from "../src/service.js";
import { batchDigest, sign } from "../src/signing.js";
import { simulationKeys } from "../src/simulation/simulation-keys.js";
import { Cluster, signedInput } from "./cluster.js";

const provider = simulationKeys.provider;

/** n1's signed pre-prepare of one client request at (view 0, seq 1). */
function prePrepareOf(client: number, value: string): PrePrepare {
  const request = { ...signedInput(client, client, { type: "put", key: "x", value }).request, proxy: "n2" };
  const requests = [request];
  return sign<PrePrepare>(provider, simulationKeys.secretKeyOf("n1"), { type: "prePrepare", view: 0, seq: 1, digest: batchDigest(provider, requests), requests, replica: "n1" });
}

/** The messages of `type` that `from` has sent so far (since `c.sent` was last emptied). */
function sentBy<T extends PbftMessage["type"]>(c: Cluster, from: string, type: T): Extract<PbftMessage, { type: T }>[] {
  return c.sent.filter((e) => e.from === from && e.message.type === type).map((e) => e.message as Extract<PbftMessage, { type: T }>);
}

describe("PBFT crash recovery", () => {
  it("a backup that prepared digest d at (0, 1) and restarts refuses d' there; without its records it would have prepared d'", () => {
    const c = new Cluster(4);
    const a = prePrepareOf(1, "A");
    const b = prePrepareOf(2, "B");
    c.inject("n1", "n2", a);
    expect(sentBy(c, "n2", "prepare").map((p) => equalBytes(p.digest, a.digest))).toEqual([true, true, true]);
    c.sent.length = 0;

    c.restart("n2");
    c.inject("n1", "n2", b); // the faulty primary tries the other batch on the restarted replica
    expect(sentBy(c, "n2", "prepare")).toEqual([]);
    expect(c.node("n2").metrics.rejected.conflict).toBe(1);

    // The contrast: an amnesiac replica (the behaviour before persistence) prepares both.
    c.restart("n2", { amnesia: true });
    c.inject("n1", "n2", b);
    expect(sentBy(c, "n2", "prepare").map((p) => equalBytes(p.digest, b.digest))).toEqual([true, true, true]);
  });

  it.each(["signatures", "macs"] as const)("a replica that prepared but did not commit restarts and still carries what it prepared into the view change (%s)", (authentication) => {
    const c = new Cluster(4, { viewChangeTimeoutTicks: 5, authentication });
    c.filter = (e) => e.message.type !== "commit"; // every replica prepares (0, 1); none commits
    c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    const digest = c.outputsOf("n2", "prePrepared")[0]?.digest as Uint8Array;
    c.restart("n2");
    c.filter = (e) => e.message.type !== "commit" && e.message.type !== "newView"; // the view change cannot finish
    c.tick(6);
    const viewChanges = sentBy(c, "n2", "viewChange");
    expect(viewChanges.length).toBeGreaterThan(0);
    const vc = viewChanges[0] as ViewChange;
    // With signatures, its prepared certificate; with MACs (prepares prove nothing to others), its signed claims.
    const prepared = authentication === "signatures" ? vc.prepared.map((cert) => cert.prePrepare) : vc.preparedClaims;
    expect(prepared.map((p) => [p.seq, equalBytes(p.digest, digest)])).toEqual([[1, true]]);
    if (authentication === "macs") expect(vc.prePrepared.map((p) => [p.seq, equalBytes(p.digest, digest)])).toEqual([[1, true]]);
  });

  it("a replica that left view 0 restarts in view 1, still changing views, and re-sends the same view-change", () => {
    const c = new Cluster(4, { viewChangeTimeoutTicks: 5, retransmitTicks: 3 });
    c.filter = (e) => e.from !== "n4" && e.to !== "n4";
    c.invoke("n4", 1, 1, { type: "put", key: "x", value: "1" }); // n4 alone waits for it, times out
    c.tick(6);
    const sent = sentBy(c, "n4", "viewChange");
    expect(c.node("n4").view).toBe(1);
    c.restart("n4");
    expect(c.node("n4").view).toBe(1);
    expect(c.node("n4").viewActive).toBe(false);
    c.sent.length = 0;
    c.tick(3);
    expect(sentBy(c, "n4", "viewChange")).toContainEqual(sent[0]);
  });

  it("a replica crashed mid-protocol comes back with what it executed, then catches up past a checkpoint by state transfer", () => {
    const c = new Cluster(4, { checkpointInterval: 4, windowSize: 8, batchMax: 1, retransmitTicks: 10 });
    for (let t = 1; t <= 5; t++) {
      c.invoke("n1", 1, t, { type: "put", key: "k", value: `${t}` });
      c.deliverAll();
    }
    expect(c.node("n4").stableCheckpoint).toBe(4);
    c.restart("n4");
    // Checkpoint 4's state from its disk, then batch 5 executed again from its durable commit.
    expect(c.node("n4").stableCheckpoint).toBe(4);
    expect(c.node("n4").lastExecuted).toBe(5);

    c.filter = (e) => e.to !== "n4";
    for (let t = 6; t <= 13; t++) {
      c.invoke("n1", 1, t, { type: "put", key: "k", value: `${t}` });
      c.deliverAll();
      if (t === 9) c.restart("n4"); // crashes again while cut off
    }
    c.filter = () => true;
    c.tick(25);
    expect(c.outputsOf("n4", "stateTransferred").length).toBeGreaterThan(0);
    expect(c.node("n4").lastExecuted).toBe(13);
    c.invoke("n4", 1, 14, { type: "get", key: "k" });
    c.deliverAll();
    expect(c.outputsOf("n4", "reply").map((o) => o.result)).toEqual([{ ok: true, value: "13" }]);
  });

  it("a replica whose storage is corrupted halts: one alarm, then nothing", () => {
    const c = new Cluster(4);
    c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    c.restart("n3", { corrupted: 1 });
    expect(c.node("n3").halted).toMatch(/corrupted/);
    c.tick(3);
    c.invoke("n1", 1, 2, { type: "put", key: "x", value: "2" });
    c.deliverAll();
    expect(c.outputsOf("n3", "halted")).toHaveLength(1);
    expect(c.node("n3").lastExecuted).toBe(0);
    expect(c.node("n1").lastExecuted).toBe(2); // 3 of 4 still make progress
  });
});

/** A service whose execution always throws: a bug inside the replica. */
class ThrowingService extends KvService {
  override execute(): KvResult {
    throw new Error("service bug");
  }
}

describe("PBFT internal errors are alarms, not the peer's fault", () => {
  it("an exception while handling a valid message is an internalError output and counter; undecodable bytes are the peer's malformed message", () => {
    const c = new Cluster(4, {}, (id) => (id === "n3" ? new ThrowingService() : new KvService()));
    c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    const n3 = c.node("n3");
    expect(n3.metrics.internalErrors).toBeGreaterThan(0);
    expect(c.outputsOf("n3", "internalError")[0]?.reason).toMatch(/n3 threw handling commit from n\d: service bug/);
    expect(n3.metrics.rejectedTotal).toBe(0);
    const errors = n3.metrics.internalErrors;

    const step = n3.receiveBytes("n2", new Uint8Array([0xc1, 0x00]));
    expect(step.output).toEqual([]);
    expect(n3.metrics.rejected.malformed).toBe(1);
    expect(n3.metrics.rejectedByPeer.get("n2")).toBe(1);
    expect(n3.metrics.internalErrors).toBe(errors);
  });
});
