// The read-only optimisation (Castro & Liskov, OSDI 1999 §5.1.3): a get is multicast, every replica
// answers at once from the state it executed (all committed), and the proxy completes it on 2f+1
// matching replies; when those cannot come, the request is ordered like any other. With it on,
// ordered requests also need 2f+1 matching replies, so that every completed write is in the state of
// at least one correct replica of every read quorum (linearizability).
import type { NodeId } from "@synod/core";
import type { KvResult } from "@synod/raft";
import { describe, expect, it } from "vitest";
import { KvService } from "../src/service.js";
import { Cluster } from "./cluster.js";

const READ_ONLY = { readOnly: true };

/** A service whose read-only answers lie (its ordered execution stays honest): a faulty replica's reads. */
class LyingReads extends KvService {
  override query(command: Uint8Array): KvResult | undefined {
    return super.query(command) === undefined ? undefined : { ok: true, value: "forged" };
  }
}

function replies(c: Cluster, at: NodeId) {
  return c.outputsOf(at, "reply");
}

describe("PBFT read-only requests", () => {
  it("a get completes on 2f+1 matching read replies without being ordered", () => {
    const c = new Cluster(4, READ_ONLY);
    c.invoke("n1", 7, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    expect(replies(c, "n1").map((r) => r.result)).toEqual([expect.objectContaining({ ok: true })]);
    const ordered = c.outputsOf("n1", "prePrepared").length;
    c.invoke("n2", 8, 1, { type: "get", key: "x" }, true);
    c.deliverAll();
    expect(replies(c, "n2")).toEqual([expect.objectContaining({ client: 8, timestamp: 1, result: expect.objectContaining({ ok: true, value: "1" }) })]);
    expect(c.outputsOf("n1", "prePrepared").length).toBe(ordered); // nothing new ordered
    expect(c.node("n2").metrics.readOnlyCompleted).toBe(1);
    expect(c.sent.filter((e) => e.message.type === "readReply").length).toBe(3); // n1, n3, n4 answer the proxy n2
  });

  it("when two replicas answer a read differently, no 2f+1 agree: the read is ordered and answered honestly", () => {
    const c = new Cluster(4, READ_ONLY, (id) => (id === "n3" || id === "n4" ? new LyingReads() : new KvService()));
    c.invoke("n1", 7, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    c.invoke("n2", 8, 1, { type: "get", key: "x" }, true);
    c.deliverAll();
    expect(replies(c, "n2")).toEqual([expect.objectContaining({ result: expect.objectContaining({ ok: true, value: "1" }) })]);
    expect(c.node("n2").metrics.readOnlyFallbacks).toBe(1);
    expect(c.node("n2").metrics.readOnlyCompleted).toBe(0);
  });

  it("one lying replica (f = 1) is outvoted: the read completes read-only with the true value", () => {
    const c = new Cluster(4, READ_ONLY, (id) => (id === "n4" ? new LyingReads() : new KvService()));
    c.invoke("n1", 7, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    c.invoke("n2", 8, 1, { type: "get", key: "x" }, true);
    c.deliverAll();
    expect(replies(c, "n2")).toEqual([expect.objectContaining({ result: expect.objectContaining({ value: "1" }) })]);
    expect(c.node("n2").metrics.readOnlyCompleted).toBe(1);
  });

  it("with the optimisation on, a write needs 2f+1 matching replies, not f+1", () => {
    const c = new Cluster(4, READ_ONLY);
    let held = true;
    c.filter = (e) => !(held && e.message.type === "reply" && (e.from === "n3" || e.from === "n4"));
    c.invoke("n1", 7, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    expect(c.node("n1").metrics.executedRequests).toBe(1);
    expect(replies(c, "n1")).toEqual([]); // n1's own and n2's: f+1 = 2, not enough
    held = false;
    c.tick(20); // retransmission brings the replies again
    expect(replies(c, "n1").length).toBe(1);
  });

  it("with the optimisation off, a get marked read-only is ordered like any request", () => {
    const c = new Cluster(4);
    c.invoke("n2", 8, 1, { type: "get", key: "x" }, true);
    c.deliverAll();
    expect(replies(c, "n2").length).toBe(1);
    expect(c.outputsOf("n1", "prePrepared").length).toBe(1);
    expect(c.sent.some((e) => e.message.type === "readRequest")).toBe(false);
  });

  it("a write the client marks read-only is ordered by its proxy, and no peer blames the proxy", () => {
    const c = new Cluster(4, READ_ONLY);
    c.invoke("n2", 8, 1, { type: "put", key: "x", value: "1" }, true);
    c.deliverAll();
    expect(c.sent.some((e) => e.message.type === "readRequest")).toBe(false);
    for (const id of c.ids) expect(c.node(id).metrics.executedRequests, id).toBe(1);
    for (const id of c.ids) expect(c.node(id).metrics.rejected.malformed, id).toBe(0);
  });
});
