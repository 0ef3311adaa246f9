import { describe, expect, it } from "vitest";
import { equalBytes } from "@synod/security";
import { Cluster } from "./cluster.js";
import { batchDigest, sign } from "../src/signing.js";
import type { Commit, PrePrepare } from "../src/messages.js";
import { simulationKeys } from "../src/simulation/simulation-keys.js";
import { MAX_TIMEOUT_DOUBLINGS } from "../src/pbft-node.js";
import { signedInput } from "./cluster.js";

describe("PBFT view change", () => {
  it("a silent primary is replaced: backups time out, the new primary of view 1 orders the request", () => {
    const c = new Cluster(4, { viewChangeTimeoutTicks: 5 });
    c.filter = (e) => e.from !== "n1" && e.to !== "n1";
    c.invoke("n2", 1, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    expect(c.node("n2").lastExecuted).toBe(0);
    c.tick(12);
    for (const id of ["n2", "n3", "n4"]) {
      expect(c.node(id).view).toBe(1);
      expect(c.node(id).viewActive).toBe(true);
      expect(c.node(id).lastExecuted).toBe(1);
    }
    expect(c.outputsOf("n2", "reply").map((o) => o.result)).toEqual([{ ok: true }]);
  });

  it("a replica alone in a view change waits in that view (its timer runs only once 2f+1 want it), so it is there when the others come", () => {
    const c = new Cluster(4, { viewChangeTimeoutTicks: 5, retransmitTicks: 3 });
    // n4 is cut off with a request it cannot get ordered: it times out and wants view 1, alone.
    c.filter = (e) => e.from !== "n4" && e.to !== "n4";
    c.invoke("n4", 1, 1, { type: "put", key: "x", value: "1" });
    c.tick(400); // before the fix its own timer took it to view 8 in these ticks
    expect(c.node("n4").view).toBe(1);
    expect(c.node("n4").viewActive).toBe(false);
    // The others go on in view 0 without it.
    c.filter = (e) => e.to !== "n4";
    c.invoke("n1", 2, 1, { type: "put", key: "y", value: "2" });
    c.deliverAll();
    expect(c.node("n1").lastExecuted).toBe(1);
    // Then the primary of view 0 falls silent: n2 and n3 want view 1, where n4 already is.
    c.filter = (e) => e.from !== "n1" && e.to !== "n1";
    c.invoke("n2", 3, 1, { type: "put", key: "z", value: "3" });
    c.tick(40);
    for (const id of ["n2", "n3", "n4"]) {
      expect(c.node(id).view, id).toBe(1);
      expect(c.node(id).viewActive, id).toBe(true);
    }
    expect(c.node("n2").lastExecuted).toBeGreaterThanOrEqual(2);
  });

  it("a replica alone in a later view is followed: after the longest view-change timeout the others move to the next view, where it waits", () => {
    const c = new Cluster(4, { viewChangeTimeoutTicks: 5, retransmitTicks: 3 });
    const longestTimeout = 5 * 2 ** MAX_TIMEOUT_DOUBLINGS;
    // n4 is cut off with a request it cannot get ordered: it times out and wants view 1, alone.
    c.filter = (e) => e.from !== "n4" && e.to !== "n4";
    c.invoke("n4", 1, 1, { type: "put", key: "x", value: "1" });
    c.tick(20);
    expect([c.node("n4").view, c.node("n4").viewActive]).toEqual([1, false]);
    // The cut heals. n4's view-change reaches the others, active in view 0 with nothing stuck:
    // one view-change is not f+1, so they stay for now (a faulty replica cannot move them at will).
    c.filter = () => true;
    c.tick(longestTimeout - 10);
    for (const id of ["n1", "n2", "n3"]) expect([c.node(id).view, c.node(id).viewActive], id).toEqual([0, true]);
    expect([c.node("n4").view, c.node("n4").viewActive]).toEqual([1, false]);
    // Held through the longest view-change timeout, it takes them to view 1: all four run there.
    c.tick(30);
    for (const id of c.ids) expect([c.node(id).view, c.node(id).viewActive], id).toEqual([1, true]);
    c.invoke("n4", 2, 1, { type: "put", key: "y", value: "2" });
    c.tick(5);
    for (const id of c.ids) expect(c.node(id).lastExecuted, id).toBe(c.node("n1").lastExecuted);
    expect(c.outputsOf("n4", "reply").map((o) => o.result)).toContainEqual({ ok: true });
  });

  it("after every replica restarts, one still changing to the view the others started is shown that view's new-view, which they kept", () => {
    const c = new Cluster(4, { viewChangeTimeoutTicks: 5, retransmitTicks: 3 });
    // The primary of view 0 is silent; view 1 starts, but its new-view never reaches n4.
    c.filter = (e) => e.from !== "n1" && e.to !== "n1" && !(e.message.type === "newView" && e.to === "n4");
    c.invoke("n2", 1, 1, { type: "put", key: "x", value: "1" });
    c.tick(12);
    for (const id of ["n2", "n3"]) expect([c.node(id).view, c.node(id).viewActive], id).toEqual([1, true]);
    expect([c.node("n4").view, c.node("n4").viewActive]).toEqual([1, false]);
    // Everyone restarts: the others recover view 1 started, n4 its view-change for view 1.
    c.queue.length = 0;
    for (const id of c.ids) c.restart(id);
    expect([c.node("n4").view, c.node("n4").viewActive]).toEqual([1, false]);
    // n4 re-sends its view-change; a replica active in view 1 answers with the kept new-view.
    c.filter = () => true;
    c.tick(4);
    for (const id of ["n2", "n3", "n4"]) expect([c.node(id).view, c.node(id).viewActive], id).toEqual([1, true]);
    // n1, the silent primary, never left view 0, and only n4 ever re-sends a view-change for view 1
    // (f+1 are needed to take n1 along): it follows after the longest view-change timeout.
    expect(c.node("n1").view).toBe(0);
    c.tick(5 * 2 ** MAX_TIMEOUT_DOUBLINGS + 10);
    for (const id of c.ids) expect([c.node(id).view, c.node(id).viewActive], id).toEqual([1, true]);
  });

  it("a request prepared but not committed in view 0 keeps its sequence number in view 1", () => {
    const c = new Cluster(4, { viewChangeTimeoutTicks: 5 });
    // Commits are lost: every replica prepares (view 0, seq 1) but none commits it.
    c.filter = (e) => e.message.type !== "commit";
    c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    const digest = c.outputsOf("n2", "prePrepared")[0]?.digest as Uint8Array;
    expect(c.node("n2").lastExecuted).toBe(0);
    c.filter = () => true;
    c.tick(12);
    for (const id of c.ids) {
      expect(c.node(id).view).toBeGreaterThanOrEqual(1);
      const committed = c.outputsOf(id, "committed");
      expect(committed).toHaveLength(1);
      expect(committed[0]?.seq).toBe(1);
      expect(equalBytes(committed[0]?.digest as Uint8Array, digest)).toBe(true);
    }
  });

  it("an equivocating primary (two signed pre-prepares for one sequence number) causes a view change, never divergence", () => {
    const c = new Cluster(4, { viewChangeTimeoutTicks: 5 });
    const provider = simulationKeys.provider;
    const a = signedInput(1, 1, { type: "put", key: "x", value: "A" }).request;
    const b = signedInput(2, 2, { type: "put", key: "x", value: "B" }).request;
    const pp = (req: typeof a): PrePrepare =>
      sign<PrePrepare>(provider, simulationKeys.secretKeyOf("n1"), { type: "prePrepare", view: 0, seq: 1, digest: batchDigest(provider, [{ ...req, proxy: "n2" }]), requests: [{ ...req, proxy: "n2" }], replica: "n1" });
    // n1 is faulty: it stays out of the protocol and sends A to n2, B to n3 and n4... then A to n4 as well.
    c.filter = (e) => e.from !== "n1" && e.to !== "n1";
    c.inject("n1", "n2", pp(a));
    c.inject("n1", "n3", pp(b));
    c.inject("n1", "n4", pp(b));
    c.inject("n1", "n4", pp(a));
    c.deliverAll();
    expect(c.node("n4").metrics.equivocations).toBe(1);
    c.invoke("n2", 3, 3, { type: "put", key: "y", value: "1" });
    c.tick(15);
    const bySeq = new Map<number, Uint8Array>();
    for (const id of ["n2", "n3", "n4"]) {
      for (const o of c.outputsOf(id, "committed")) {
        const held = bySeq.get(o.seq);
        if (held === undefined) bySeq.set(o.seq, o.digest);
        else expect(equalBytes(held, o.digest)).toBe(true);
      }
      expect(c.node(id).view).toBeGreaterThanOrEqual(1);
      expect(c.outputsOf(id, "execute").some((o) => o.client === 3)).toBe(true);
    }
  });
});

describe("PBFT with n > 3f + 1 (quorums larger than 2f + 1)", () => {
  it("prepared takes a quorum, so an equivocating primary of 6 cannot prepare two batches at one sequence number", () => {
    // n = 6, f = 1: quorums are 4. Prepared on the paper's 2f = 2 prepares (3 replicas with the
    // primary), A prepared at n2, n3, n6 and B at n4, n5 — certificates of one view for two
    // batches, sharing only the faulty primary — and the next view could re-propose B after A
    // committed (ViewChangeSafety, seed 1040 of the 6-node Byzantine run).
    const c = new Cluster(6, { viewChangeTimeoutTicks: 5 });
    const provider = simulationKeys.provider;
    const a = signedInput(1, 1, { type: "put", key: "x", value: "A" }).request;
    const b = signedInput(2, 2, { type: "put", key: "x", value: "B" }).request;
    const batch = (req: typeof a) => [{ ...req, proxy: "n2" }];
    const pp = (req: typeof a): PrePrepare =>
      sign<PrePrepare>(provider, simulationKeys.secretKeyOf("n1"), { type: "prePrepare", view: 0, seq: 1, digest: batchDigest(provider, batch(req)), requests: batch(req), replica: "n1" });
    const digestA = batchDigest(provider, batch(a));
    // n1 is faulty: it stays out of the protocol, sends A to n2, n3 and n6, B to n4 and n5.
    c.filter = (e) => e.from !== "n1" && e.to !== "n1";
    for (const to of ["n2", "n3", "n6"]) c.inject("n1", to, pp(a));
    for (const to of ["n4", "n5"]) c.inject("n1", to, pp(b));
    c.deliverAll();
    const commitsOfSeq1 = (id: string) => c.sent.filter((e) => e.from === id && e.message.type === "commit" && e.message.seq === 1);
    // A has the pre-prepare and 3 prepares (a quorum of 4): prepared. B has 2 prepares: not prepared.
    for (const id of ["n2", "n3", "n6"]) expect(commitsOfSeq1(id).length).toBeGreaterThan(0);
    for (const id of ["n4", "n5"]) expect(commitsOfSeq1(id)).toEqual([]);
    // n1 adds its commit for A at n2 only: A commits there (4 commits), nowhere else yet.
    c.inject("n1", "n2", sign<Commit>(provider, simulationKeys.secretKeyOf("n1"), { type: "commit", view: 0, seq: 1, digest: digestA, replica: "n1" }));
    expect(c.outputsOf("n2", "committed").map((o) => o.seq)).toEqual([1]);
    // The view changes; whichever 4 view-changes the new primary gathers hold A's certificate, never B's.
    c.invoke("n2", 3, 3, { type: "put", key: "y", value: "1" });
    c.tick(30);
    for (const id of ["n2", "n3", "n4", "n5", "n6"]) {
      expect(c.node(id).view).toBeGreaterThanOrEqual(1);
      const seq1 = c.outputsOf(id, "committed").filter((o) => o.seq === 1);
      expect(seq1.length).toBe(1);
      expect(equalBytes(seq1[0]?.digest as Uint8Array, digestA)).toBe(true);
      expect(c.outputsOf(id, "execute").some((o) => o.client === 3)).toBe(true);
    }
  });
});

describe("PBFT state transfer", () => {
  it("a replica cut off past a stable checkpoint fetches the state, checks its digest and catches up", () => {
    const c = new Cluster(4, { checkpointInterval: 4, windowSize: 8, batchMax: 1, retransmitTicks: 10 });
    c.filter = (e) => e.to !== "n4";
    for (let t = 1; t <= 9; t++) {
      c.invoke("n1", 1, t, { type: "put", key: "k", value: `${t}` });
      c.deliverAll();
    }
    expect(c.node("n4").lastExecuted).toBe(0);
    c.filter = () => true;
    // One retransmission round shows n4 the stable checkpoint (it fetches the state), the next the
    // agreement messages of sequence 9, now inside its window.
    c.tick(25);
    expect(c.outputsOf("n4", "stateTransferred").length).toBeGreaterThan(0);
    expect(c.node("n4").lastExecuted).toBe(9);
    expect(c.node("n4").transferringState).toBe(false);
    c.invoke("n4", 1, 10, { type: "get", key: "k" });
    c.deliverAll();
    expect(c.outputsOf("n4", "reply").map((o) => o.result)).toEqual([{ ok: true, value: "9" }]);
  });
});
